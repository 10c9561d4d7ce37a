"""The kiosk window: top bar, banner, the current screen, and the bottom bar.

Every screen sits between the same two bars, so the 返回 / 首页 / 呼叫工作人员 / 长辈模式 buttons
are always in the same place (screen anatomy). The window only lays out; `Shell`
decides what is shown.

呼叫工作人员 is the one help path and is never covered: an overlay (a voice answer, "继续办理？")
dims and blocks everything else, but its mask leaves a hole where that button is, so the button
keeps its colours and takes the tap; the call-staff dialog opens on a layer of its own above
any other overlay and closes back to it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QDateTime, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QRegion, QResizeEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from flows.steps import CALL_STAFF
from ui.i18n import render, tr
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
        top_row.setContentsMargins(16, 10, 16, 10)
        self.hall_label = label(hall, wrap=False)
        self.notice_label = label("", "Notice", wrap=False)  # a manager's notice, when pushed
        self.notice_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.notice_label.hide()
        self.network_label = label("", wrap=False)
        self.clock_label = label("", wrap=False)
        self.language_button = button("", lambda: None)
        top_row.addWidget(self.hall_label)
        top_row.addSpacing(16)
        top_row.addWidget(self.notice_label, 1)
        top_row.addStretch(0)
        top_row.addWidget(self.network_label)
        top_row.addSpacing(16)
        top_row.addWidget(self.clock_label)
        top_row.addSpacing(16)
        top_row.addWidget(self.language_button)
        root.addWidget(top)

        self.banner = label("", "Banner")
        self.banner.hide()
        root.addWidget(self.banner)

        self.content = QWidget()
        self.content_layout = QVBoxLayout(self.content)
        self.content_layout.setContentsMargins(32, 24, 32, 16)
        root.addWidget(self.content, 1)
        self.current_screen: QWidget | None = None
        # the pinyin keyboard, under any screen whose text field is in use
        self.keyboard = KeyboardDock()
        root.addWidget(self.keyboard)
        # why 返回 and 首页 cannot be tapped now (printing, checking identity), above them
        self.leave_reason = label("", "LeaveReason")
        self.leave_reason.hide()
        root.addWidget(self.leave_reason)

        bottom = QWidget()
        bottom.setObjectName("BottomBar")
        self._bar = QGridLayout(bottom)
        self._bar.setContentsMargins(24, 12, 24, 12)
        self._bar.setSpacing(20)
        self.back_button = button("", lambda: None)
        self.home_button = button("", lambda: None)
        self.voice_button = button("", lambda: None)
        self.voice_button.setEnabled(False)  # until a voice input is wired (ui.voice)
        self.staff_button = button("", lambda: None)
        self.elder_button = button("", lambda: None)
        self.elder_button.setCheckable(True)
        self.read_button = button("", lambda: None)  # 读给我听: the next tap is read aloud
        self.read_button.setCheckable(True)
        self._bar_buttons = (self.back_button, self.home_button, self.voice_button,
                             self.read_button, self.staff_button, self.elder_button)
        self._bar_columns = 0
        self._lay_bar()
        root.addWidget(bottom)

        self.overlay: QWidget | None = None
        self.help_overlay: QWidget | None = None  # 呼叫工作人员's dialog, above any overlay
        # what the shell does to each screen and overlay before it appears (plain words)
        self.prepare: Callable[[QWidget], None] = lambda widget: None
        self.staff_button.installEventFilter(self)  # it moves: the overlays' hole follows
        self._clock = QTimer(self)
        self._clock.timeout.connect(self._tick)
        self._clock.start(1000)
        self.retranslate("zh_CN")

    def retranslate(self, language: str) -> None:
        self.back_button.setText(tr("返回"))
        self.home_button.setText(tr("首页"))
        self.voice_button.setText(tr("语音提问"))
        self.read_button.setText(tr("读给我听"))
        self.staff_button.setText(render(CALL_STAFF))  # the help's one name, everywhere
        self.elder_button.setText(tr("长辈模式"))
        # the button names the language it switches to, in that language
        self.language_button.setText("English" if language == "zh_CN" else "中文")
        self._tick()

    def _tick(self) -> None:
        now = QDateTime.currentDateTime()
        # an upright screen is narrow: the year goes, so elder mode's top bar fits
        upright = self.height() > self.width()
        self.clock_label.setText(now.toString(tr("M月d日 HH:mm") if upright
                                              else tr("yyyy年M月d日 HH:mm")))

    def _lay_bar(self) -> None:
        """The bottom bar's six buttons in one row, or in two rows of three where one row
        would cut their names short (elder mode on an upright screen): same order either way."""
        margins = self._bar.contentsMargins()
        share = ((self.width() - margins.left() - margins.right()
                  - self._bar.spacing() * (len(self._bar_buttons) - 1))
                 / (len(self._bar_buttons) + 1))  # a unit of stretch: 语音提问 has two
        fits = all(b.sizeHint().width() <= share * (2 if b is self.voice_button else 1)
                   for b in self._bar_buttons)
        columns = len(self._bar_buttons) if fits else 3
        if columns == self._bar_columns:
            return
        self._bar_columns = columns
        for widget in self._bar_buttons:
            self._bar.removeWidget(widget)
        for index, widget in enumerate(self._bar_buttons):
            self._bar.addWidget(widget, index // columns, index % columns)
        for column in range(len(self._bar_buttons)):
            # push-to-talk is the large one in a row: held by an unsteady hand, found without
            # reading; in two rows the three columns are even
            wide = columns > 3 and self._bar_buttons[column] is self.voice_button
            self._bar.setColumnStretch(column, (2 if wide else 1) if column < columns else 0)

    def show_screen(self, screen: QWidget) -> None:
        self._lay_bar()  # elder mode's larger names may need two rows
        if self.current_screen is not None:
            self.content_layout.removeWidget(self.current_screen)
            self.current_screen.hide()  # deleteLater waits for the event loop; it must vanish now
            self.current_screen.deleteLater()
        self.current_screen = screen
        self.prepare(screen)
        self.content_layout.addWidget(screen)
        screen.show()  # at once, not on the next event loop pass

    def set_notice(self, text: str | None) -> None:
        self.notice_label.setText(text or "")
        self.notice_label.setVisible(bool(text))

    def lock_leaving(self, reason: str | None) -> None:
        """返回 and 首页 disabled with `reason` shown above them; None: as the screen left them."""
        if reason is not None:
            self.back_button.setEnabled(False)
            self.home_button.setEnabled(False)
        self.leave_reason.setText(reason or "")
        self.leave_reason.setVisible(reason is not None)

    def set_banner(self, text: str | None) -> None:
        self.banner.setText(text or "")
        self.banner.setVisible(bool(text))

    def show_overlay(self, overlay: QWidget) -> None:
        self.hide_overlay()
        self.overlay = overlay
        self._lay_over(overlay)
        if self.help_overlay is not None:  # the help stays on top until it is closed
            self.help_overlay.raise_()

    def hide_overlay(self) -> None:
        if self.overlay is not None:
            self.overlay.hide()
            self.overlay.deleteLater()
            self.overlay = None

    def show_help(self, overlay: QWidget) -> None:
        """呼叫工作人员's dialog: over everything, any other overlay kept beneath it."""
        self.hide_help()
        self.help_overlay = overlay
        self._lay_over(overlay)

    def hide_help(self) -> None:
        if self.help_overlay is not None:
            self.help_overlay.hide()
            self.help_overlay.deleteLater()
            self.help_overlay = None

    def _lay_over(self, overlay: QWidget) -> None:
        self.prepare(overlay)
        overlay.setParent(self)
        self._fit(overlay)
        overlay.show()
        overlay.raise_()

    def _fit(self, overlay: QWidget) -> None:
        """The whole window but a hole at 呼叫工作人员: the tap there reaches the button."""
        overlay.setGeometry(self.rect())
        staff = self.staff_button
        if staff.isVisible():
            hole = staff.rect().translated(staff.mapTo(self, staff.rect().topLeft()))
            overlay.setMask(QRegion(self.rect()).subtracted(QRegion(hole)))
        else:
            overlay.clearMask()

    def _refit(self) -> None:
        for overlay in (self.overlay, self.help_overlay):
            if overlay is not None:
                self._fit(overlay)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.staff_button and event.type() in (
                QEvent.Type.Move, QEvent.Type.Resize, QEvent.Type.Show, QEvent.Type.Hide):
            self._refit()
        return False

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # an upright screen is too narrow for the hall's name beside the top bar's buttons
        # (粤语朗读 and English in elder mode): the name gives way, the buttons stay whole
        self.hall_label.setVisible(self.height() <= self.width())
        self._lay_bar()
        self._tick()
        self._refit()


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
    # wide enough that its lines need no more height than the layout gives them (a wrapped
    # label in an aligned box is sized for another width and was cut off at the bottom)
    dialog.setMinimumWidth(900)
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
