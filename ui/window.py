"""The kiosk window: top bar, banner, the current screen, and the bottom bar.

Every screen sits between the same two bars, so the 返回 / 首页 / 呼叫工作人员 / 长辈模式 buttons
are always in the same place (screen anatomy). The window only lays out; `Shell`
decides what is shown.
"""

from __future__ import annotations

from PySide6.QtCore import QDateTime, Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ui.i18n import tr
from ui.virtual_keyboard import KeyboardDock
from ui.widgets import button, label


class KioskWindow(QWidget):
    def __init__(self, hall: str) -> None:
        super().__init__()
        self.setWindowTitle(tr("政务服务自助终端"))
        self.hall = hall
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(0)

        top = QWidget()
        top.setObjectName("TopBar")
        top_row = QHBoxLayout(top)
        top_row.setContentsMargins(24, 10, 24, 10)
        self.hall_label = label(hall, wrap=False)
        self.notice_label = label("", "Notice", wrap=False)  # a manager's notice, when pushed
        self.notice_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.notice_label.hide()
        self.network_label = label("", wrap=False)
        self.clock_label = label("", wrap=False)
        self.language_button = button("", lambda: None)
        top_row.addWidget(self.hall_label)
        top_row.addSpacing(24)
        top_row.addWidget(self.notice_label, 1)
        top_row.addStretch(0)
        top_row.addWidget(self.network_label)
        top_row.addSpacing(24)
        top_row.addWidget(self.clock_label)
        top_row.addSpacing(24)
        top_row.addWidget(self.language_button)
        root.addWidget(top)

        self.banner = label("", "Banner")
        self.banner.hide()
        root.addWidget(self.banner)

        self.content = QWidget()
        self.content_layout = QVBoxLayout(self.content)
        self.content_layout.setContentsMargins(32, 24, 32, 16)
        root.addWidget(self.content, 1)
        self.screen: QWidget | None = None
        # the pinyin keyboard, under any screen whose text field is in use
        self.keyboard = KeyboardDock()
        root.addWidget(self.keyboard)

        bottom = QWidget()
        bottom.setObjectName("BottomBar")
        bottom_row = QHBoxLayout(bottom)
        bottom_row.setContentsMargins(24, 12, 24, 12)
        bottom_row.setSpacing(20)
        self.back_button = button("", lambda: None)
        self.home_button = button("", lambda: None)
        self.voice_button = button("", lambda: None)
        self.voice_button.setEnabled(False)  # until a voice input is wired (ui.voice)
        self.staff_button = button("", lambda: None)
        self.elder_button = button("", lambda: None)
        self.elder_button.setCheckable(True)
        self.read_button = button("", lambda: None)  # 读给我听: the next tap is read aloud
        self.read_button.setCheckable(True)
        for widget in (self.back_button, self.home_button, self.voice_button,
                       self.read_button, self.staff_button, self.elder_button):
            # push-to-talk is the large one: held by an unsteady hand, found without reading
            bottom_row.addWidget(widget, 2 if widget is self.voice_button else 1)
        root.addWidget(bottom)

        self.overlay: QWidget | None = None
        self._clock = QTimer(self)
        self._clock.timeout.connect(self._tick)
        self._clock.start(1000)
        self.retranslate("zh_CN")

    def retranslate(self, language: str) -> None:
        self.back_button.setText(tr("返回"))
        self.home_button.setText(tr("首页"))
        self.voice_button.setText(tr("语音提问"))
        self.read_button.setText(tr("读给我听"))
        self.staff_button.setText(tr("呼叫工作人员"))
        self.elder_button.setText(tr("长辈模式"))
        # the button names the language it switches to, in that language
        self.language_button.setText("English" if language == "zh_CN" else "中文")
        self._tick()

    def _tick(self) -> None:
        now = QDateTime.currentDateTime()
        self.clock_label.setText(now.toString(tr("yyyy年M月d日 HH:mm")))

    def show_screen(self, screen: QWidget) -> None:
        if self.screen is not None:
            self.content_layout.removeWidget(self.screen)
            self.screen.hide()  # deleteLater waits for the event loop; it must vanish now
            self.screen.deleteLater()
        self.screen = screen
        self.content_layout.addWidget(screen)
        screen.show()  # at once, not on the next event loop pass

    def set_notice(self, text: str | None) -> None:
        self.notice_label.setText(text or "")
        self.notice_label.setVisible(bool(text))

    def set_banner(self, text: str | None) -> None:
        self.banner.setText(text or "")
        self.banner.setVisible(bool(text))

    def show_overlay(self, overlay: QWidget) -> None:
        self.hide_overlay()
        overlay.setParent(self)
        overlay.setGeometry(self.rect())
        overlay.show()
        overlay.raise_()
        self.overlay = overlay

    def hide_overlay(self) -> None:
        if self.overlay is not None:
            self.overlay.hide()
            self.overlay.deleteLater()
            self.overlay = None

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.overlay is not None:
            self.overlay.setGeometry(self.rect())


def message_overlay(title: str, lines: list[QLabel], buttons: list[QPushButton]) -> QWidget:
    """A dimmed full-window overlay with one centred dialog card."""
    overlay = QWidget()
    overlay.setObjectName("Overlay")
    overlay.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
    outer = QVBoxLayout(overlay)
    dialog = QWidget()
    dialog.setObjectName("Dialog")
    dialog.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
    dialog.setMaximumWidth(1000)
    column = QVBoxLayout(dialog)
    column.setContentsMargins(48, 40, 48, 40)
    column.setSpacing(24)
    heading = label(title, "Title")
    heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
    column.addWidget(heading)
    for line in lines:
        line.setAlignment(Qt.AlignmentFlag.AlignCenter)
        column.addWidget(line)
    for widget in buttons:
        column.addWidget(widget)
    outer.addStretch(1)
    outer.addWidget(dialog, 0, Qt.AlignmentFlag.AlignHCenter)
    outer.addStretch(1)
    return overlay
