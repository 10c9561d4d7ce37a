"""The on-screen keyboard: Qt Virtual Keyboard with its pinyin input, docked in the window.

Text fields get text through Qt's input method (`QT_IM_MODULE=qtvirtualkeyboard`, set here
because Qt reads it when the QApplication is created, after the screens are imported). The
panel lives inside the kiosk window (a QQuickWidget holding an `InputPanel`, Qt's
"application" integration) rather than in the desktop integration's own top-level window: a
kiosk has one full-screen window, and on platforms that ignore `WindowDoesNotAcceptFocus`
(offscreen, some compositors) that separate window takes the focus and closes itself at once.

The dock appears whenever any text field on any screen takes the focus and asks for the
keyboard, and goes when the field does. The keys are drawn by the kiosk's own style
(`qml/QtQuick/VirtualKeyboard/Styles/kiosk/style.qml`) with sizes from the design tokens
(`KeyboardLook`): elder mode has keys of 20 mm and letters over 6 mm tall (x-height), every key
says what it does in words, and a key that cannot be used now is dimmed, never blank.

Where the virtual keyboard cannot run (another input
method configured, Qt Quick or the plugin missing) the dock says so and offers a plain keypad:
letters, enough for pinyin initials ("sbzm") that the search understands, and digits.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path
from typing import Protocol, TypeGuard, cast

# not setdefault: a desktop session's ibus or fcitx (QT_IM_MODULE=ibus) would pop up a system
# candidate window no finger can reach on a kiosk
os.environ["QT_IM_MODULE"] = "qtvirtualkeyboard"
os.environ["QT_VIRTUALKEYBOARD_DESKTOP_DISABLE"] = "1"

from dataclasses import dataclass

from PySide6.QtCore import Property, QEvent, QObject, Qt, QUrl, Signal
from PySide6.QtGui import QColor, QGuiApplication, QKeyEvent, QResizeEvent
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

QML_DIR = Path(__file__).resolve().parent / "qml"  # also the import path of the kiosk style
QML = QML_DIR / "keyboard.qml"
STYLE = "kiosk"
IM_MODULE = "qtvirtualkeyboard"
USER_DATA_PREFIX = "kiosk-pinyin-"
PLAIN_ROWS = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm")


@dataclass(frozen=True)
class KeySizes:
    """The keyboard's sizes in pixels for one set of tokens."""

    row: int  # one row of keys, the key and its margins
    margin: int  # around each key
    key_width: int  # a letter key's share of the row, margins included
    label: int  # a letter's font size
    word: int  # a function key's word (删除, 确定) font size
    small: int
    candidate_row: int  # the pinyin candidates' bar
    candidate: int  # a candidate's font size

    @property
    def height(self) -> int:
        """The dock: the candidates' bar over four rows of keys."""
        return self.candidate_row + 4 * self.row


def key_sizes(tokens: Tokens) -> KeySizes:
    """Keys a touch target tall (elder: 20 mm); letters 6 mm tall in elder mode — a lower-case
    letter's x-height is about 0.54 of the font size, so 48 px gives 26 px, 6.4 mm."""
    margin = 3
    row = tokens.target_min + 2 * margin
    if tokens.name == "elder":
        return KeySizes(row=row, margin=margin, key_width=round(row * 1.35), label=48, word=34,
                        small=24, candidate_row=tokens.target_min, candidate=40)
    return KeySizes(row=row, margin=margin, key_width=round(row * 1.45), label=32, word=24,
                    small=18, candidate_row=max(56, round(tokens.target_min * 0.9)), candidate=28)


def _look(name: str, kind: type, notify: Signal) -> Property:
    return Property(kind, lambda self: self._values[name], notify=notify)


class KeyboardLook(QObject):
    """What the kiosk style (style.qml) draws with: sizes, colours and the words on the
    function keys, translated like every other text. A context property of the keyboard's
    QML engine named `kioskKeyboard`; the style's bindings follow every change."""

    changed = Signal()
    panelWidth = _look("panelWidth", int, changed)
    rowHeight = _look("rowHeight", int, changed)
    keyMargin = _look("keyMargin", int, changed)
    radius = _look("radius", int, changed)
    labelPixels = _look("labelPixels", int, changed)
    wordPixels = _look("wordPixels", int, changed)
    smallPixels = _look("smallPixels", int, changed)
    candidateHeight = _look("candidateHeight", int, changed)
    candidatePixels = _look("candidatePixels", int, changed)
    candidatePadding = _look("candidatePadding", int, changed)
    fontFamily = _look("fontFamily", str, changed)
    boardColor = _look("boardColor", str, changed)
    keyColor = _look("keyColor", str, changed)
    functionColor = _look("functionColor", str, changed)
    pressedColor = _look("pressedColor", str, changed)
    borderColor = _look("borderColor", str, changed)
    textColor = _look("textColor", str, changed)
    accentColor = _look("accentColor", str, changed)
    accentTextColor = _look("accentTextColor", str, changed)
    backspaceText = _look("backspaceText", str, changed)
    toEnglishText = _look("toEnglishText", str, changed)
    toChineseText = _look("toChineseText", str, changed)
    enterText = _look("enterText", str, changed)
    hideText = _look("hideText", str, changed)
    shiftText = _look("shiftText", str, changed)
    capsLockText = _look("capsLockText", str, changed)
    spaceText = _look("spaceText", str, changed)
    symbolsText = _look("symbolsText", str, changed)
    handwritingText = _look("handwritingText", str, changed)

    def __init__(self) -> None:
        super().__init__()
        self._values: dict[str, object] = {}
        self.sizes: KeySizes | None = None
        self._width = 0

    def apply(self, tokens: Tokens, width: int) -> None:
        sizes = key_sizes(tokens)
        self.sizes, self._width = sizes, width
        self._values.update(
            panelWidth=max(1, min(width or sizes.key_width * 10, sizes.key_width * 10)),
            rowHeight=sizes.row, keyMargin=sizes.margin, radius=max(4, tokens.radius // 2),
            labelPixels=sizes.label, wordPixels=sizes.word, smallPixels=sizes.small,
            candidateHeight=sizes.candidate_row, candidatePixels=sizes.candidate,
            candidatePadding=sizes.candidate // 2,
            fontFamily=QApplication.font().family(),
            boardColor="#D5DCE6", keyColor=tokens.surface, functionColor="#C9D3E0",
            pressedColor="#9DB9DD", borderColor=tokens.text_muted, textColor=tokens.text,
            accentColor=tokens.primary, accentTextColor=tokens.on_primary,
            backspaceText=tr("删除"), toEnglishText=tr("英文"), toChineseText=tr("中文"),
            enterText=tr("确定"), hideText=tr("收起"), shiftText=tr("大写"),
            capsLockText=tr("大写锁定"), spaceText=tr("空格"), symbolsText=tr("符号"),
            handwritingText=tr("手写"))
        self.changed.emit()

    def resize(self, width: int) -> None:
        if self.sizes is not None and width != self._width:
            self._width = width
            self._values["panelWidth"] = max(1, min(width, self.sizes.key_width * 10))
            self.changed.emit()


class KeyboardRoot(Protocol):
    """The functions of keyboard.qml's root item, which Python reaches through Qt's meta-object
    system: no stub can know them."""

    def configure(self, userDataPath: str, styleName: str) -> None: ...

    def resetUserData(self) -> None: ...


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
        self._user_data = user_data_folder()
        self._tokens: Tokens | None = None
        self.look = KeyboardLook()
        self.hide()
        app = QApplication.instance()
        assert isinstance(app, QApplication), "a widget exists: so does its QApplication"
        app.focusChanged.connect(self._focus_changed)
        QGuiApplication.inputMethod().visibleChanged.connect(self._follow_input_method)

    @property
    def available(self) -> bool:
        """The real pinyin keyboard works here (known once it has been loaded)."""
        return not self.problem

    def apply(self, tokens: Tokens) -> None:
        self._tokens = tokens
        self.look.apply(tokens, self.width())
        assert self.look.sizes is not None, "just applied"
        self.setFixedHeight(self.look.sizes.height)
        if self.quick is not None:
            self.quick.setClearColor(QColor(tokens.background))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.look.resize(event.size().width())

    def forget(self) -> None:
        """The person left: the pinyin engine forgets the words it learned from them."""
        root = self.quick.rootObject() if self.quick is not None else None
        if root is not None:
            cast(KeyboardRoot, root).resetUserData()

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
        # the kiosk style is found on this import path and draws with `kioskKeyboard`
        quick.engine().addImportPath(str(QML_DIR))
        quick.rootContext().setContextProperty("kioskKeyboard", self.look)
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
        cast(KeyboardRoot, item).configure(self._user_data.name, STYLE)
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


def user_data_folder() -> tempfile.TemporaryDirectory[str]:
    """The pinyin engine's user data (the words it learns from what people type) for this
    process alone, removed when it ends; first, what a kiosk that was killed left behind (its
    pid is in the folder's name) is removed: typed words must not outlive the process."""
    for old in Path(tempfile.gettempdir()).glob(f"{USER_DATA_PREFIX}*-*"):
        pid = old.name.removeprefix(USER_DATA_PREFIX).split("-", 1)[0]
        if pid.isdigit() and not _running(int(pid)):
            shutil.rmtree(old, ignore_errors=True)
    return tempfile.TemporaryDirectory(prefix=f"{USER_DATA_PREFIX}{os.getpid()}-")


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's
        return True
    return True


def _takes_text(widget: QWidget | None) -> TypeGuard[QLineEdit | QTextEdit]:
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
