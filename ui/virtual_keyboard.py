"""The on-screen keyboard: Qt Virtual Keyboard with its pinyin input, docked in the window.

Text fields get text through Qt's input method (`QT_IM_MODULE=qtvirtualkeyboard`, set here
because Qt reads it when the QApplication is created, after the screens are imported). The
panel lives inside the kiosk window (a QQuickWidget holding an `InputPanel`, Qt's
"application" integration) rather than in the desktop integration's own top-level window: a
kiosk has one full-screen window, and on platforms that ignore `WindowDoesNotAcceptFocus`
(offscreen, some compositors) that separate window takes the focus and closes itself at once.

The dock appears whenever any text field on any screen takes the focus and asks for the
keyboard, and goes when the field does. Where the virtual keyboard cannot run (another input
method configured, Qt Quick or the plugin missing) the dock says so and offers a plain keypad:
letters, enough for pinyin initials ("sbzm") that the search understands, and digits.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

# not setdefault: a desktop session's ibus or fcitx (QT_IM_MODULE=ibus) would pop up a system
# candidate window no finger can reach on a kiosk
os.environ["QT_IM_MODULE"] = "qtvirtualkeyboard"
os.environ["QT_VIRTUALKEYBOARD_DESKTOP_DISABLE"] = "1"

from PySide6.QtCore import QEvent, Qt, QUrl
from PySide6.QtGui import QColor, QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QGridLayout,
    QLineEdit,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from ui.i18n import tr
from ui.tokens import Tokens
from ui.widgets import button, label

log = logging.getLogger(__name__)

QML = Path(__file__).resolve().parent / "qml" / "keyboard.qml"
IM_MODULE = "qtvirtualkeyboard"
# keyboard height: four rows of keys at least a touch target tall (elder: 20 mm), the
# candidate bar, and never so short that the standard keys shrink below 15 mm
HEIGHT_IN_TARGETS = 4.9
SHORTEST_PX = 330
PLAIN_ROWS = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm")


class KeyboardDock(QWidget):
    """The bottom of the content area: the pinyin keyboard while a text field is in use."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("KeyboardDock")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.quick = None  # the QQuickWidget, once a text field first needed it
        self._component = None  # its QQmlComponent, compiled in the background
        self.plain: QWidget | None = None  # the fallback keypad, when the real one cannot run
        self.problem = "" if os.environ.get("QT_IM_MODULE") == IM_MODULE else (
            f"QT_IM_MODULE is {os.environ.get('QT_IM_MODULE')!r}, not {IM_MODULE!r}")
        self._user_data = tempfile.TemporaryDirectory(prefix="kiosk-pinyin-")
        self._tokens: Tokens | None = None
        self.hide()
        app = QApplication.instance()
        app.focusChanged.connect(self._focus_changed)
        QGuiApplication.inputMethod().visibleChanged.connect(self._follow_input_method)

    @property
    def available(self) -> bool:
        """The real pinyin keyboard works here (known once it has been loaded)."""
        return not self.problem

    def apply(self, tokens: Tokens) -> None:
        self._tokens = tokens
        self.setFixedHeight(max(SHORTEST_PX, round(tokens.target_min * HEIGHT_IN_TARGETS)))
        if self.quick is not None:
            self.quick.setClearColor(QColor(tokens.background))

    def forget(self) -> None:
        """The person left: the pinyin engine forgets the words it learned from them."""
        if self.quick is not None and self.quick.rootObject() is not None:
            self.quick.rootObject().resetUserData()

    # -- showing and hiding ------------------------------------------------------------------

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if not _takes_text(new) or not self.window_contains(new):
            # no field to type into (its screen is gone): the keyboard goes at once
            self.hide()
            if self.quick is not None:
                QGuiApplication.inputMethod().hide()
            return
        if not self.problem and self.quick is None:
            self._load()
        if self.problem:
            self._show_plain()
        elif self.quick is not None and self.quick.rootObject() is not None:
            QGuiApplication.inputMethod().show()

    def window_contains(self, widget: QWidget) -> bool:
        return self.window() is widget.window()

    def _follow_input_method(self) -> None:
        if self.quick is not None and not self.problem:
            self.setVisible(QGuiApplication.inputMethod().isVisible())

    def _load(self) -> None:
        """Compiles the keyboard in the background: a synchronous load blocks this thread
        while QML's loader thread may call back into Python (a Qt message handler), which
        would wait for this thread forever."""
        from PySide6.QtQml import QQmlComponent
        from PySide6.QtQuickWidgets import QQuickWidget

        quick = QQuickWidget()
        quick.setResizeMode(QQuickWidget.ResizeMode.SizeRootObjectToView)
        # taps on keys must not take the focus from the text field they type into
        quick.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        quick.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
        if self._tokens is not None:
            quick.setClearColor(QColor(self._tokens.background))
        self.quick = quick
        # layouts load in Loaders that create asynchronously: they need the window's pacing
        if quick.engine().incubationController() is None:
            quick.engine().setIncubationController(quick.quickWindow().incubationController())
        self._component = QQmlComponent(quick.engine(), QUrl.fromLocalFile(str(QML)),
                                        QQmlComponent.CompilationMode.Asynchronous)
        if self._component.isLoading():
            self._component.statusChanged.connect(self._loaded)
        else:
            self._loaded()

    def _loaded(self) -> None:
        component, quick = self._component, self.quick
        if component is None or quick is None or component.isLoading():
            return
        item = component.create() if component.isReady() else None
        if item is None:
            self.problem = "; ".join(error.toString() for error in component.errors()) or (
                "the keyboard's QML did not load")
            log.warning("on-screen pinyin keyboard unavailable, showing a plain keypad: %s",
                        self.problem)
            self.quick = None
            quick.deleteLater()
            if _takes_text(QApplication.focusWidget()):
                self._show_plain()
            return
        quick.setContent(QUrl.fromLocalFile(str(QML)), component, item)
        item.configure(self._user_data.name)
        self._layout.addWidget(quick)
        log.info("on-screen pinyin keyboard ready (Qt Virtual Keyboard)")
        field = QApplication.focusWidget()
        if _takes_text(field):
            # the field took the focus before there was a keyboard to tell: tell it again
            field.clearFocus()
            field.setFocus()

    @property
    def ready(self) -> bool:
        """On screen, with its input method loaded (pinyin for Chinese): keys can be typed."""
        keyboard = self._keyboard_item()
        return bool(self.isVisible() and keyboard is not None and keyboard.property("active")
                    and keyboard.property("customInputMethod") is not None)

    def _keyboard_item(self):
        root = self.quick.rootObject() if self.quick is not None else None
        if root is None:
            return None
        from PySide6.QtQuick import QQuickItem

        return root.findChild(QQuickItem, "keyboard")

    def _show_plain(self) -> None:
        if self.plain is None:
            self.plain = _plain_keypad(self.problem)
            self._layout.addWidget(self.plain)
        self.show()


def _takes_text(widget: QWidget | None) -> bool:
    return isinstance(widget, QLineEdit | QTextEdit) and not widget.isReadOnly()


def _plain_keypad(problem: str) -> QWidget:
    """Letters and digits typed into the focused field: the keyboard when pinyin cannot run."""
    pad = QWidget()
    column = QVBoxLayout(pad)
    column.setContentsMargins(0, 0, 0, 0)
    notice = label(
        tr("拼音键盘暂不可用：可输入拼音首字母（如 sbzm 表示社保证明），或使用语音提问。"),
        "Problem")
    notice.setToolTip(problem)
    column.addWidget(notice)
    grid = QGridLayout()
    for row, keys in enumerate(PLAIN_ROWS):
        for col, key in enumerate(keys):
            grid.addWidget(button(key, lambda key=key: _type(key, key)), row, col)
    grid.addWidget(button(tr("删除"), lambda: _type("", "", Qt.Key.Key_Backspace)), 2, 9)
    grid.addWidget(button(tr("确定"), lambda: _type("", "", Qt.Key.Key_Return)), 3, 8, 1, 2)
    column.addLayout(grid)
    return pad


def _type(key: str, text: str, code: Qt.Key | None = None) -> None:
    target = QApplication.focusWidget()
    if target is None:
        return
    code = code or Qt.Key(ord(key.upper()))
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(target, QKeyEvent(kind, code, Qt.KeyboardModifier.NoModifier,
                                                 text))
