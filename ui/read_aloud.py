"""Reading aloud: every screen on arrival in elder mode, an answer in any mode, and 读给我听.

Generic, so every screen gets it without code of its own: the screen's title, its other text
and its choices are collected in reading order (a screen may say it better with
`spoken_text()`; one that must be heard in every mode, like an answer, has `announcement()`).
读给我听 arms a one-shot: the next tap on any element of the window reads that element instead
of acting on it. Speech stops when the screen changes or the person taps (`Kiosk.silence`).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6 import QtGui
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QLineEdit, QWidget

from devices.speech.tts import Language, Speaker
from flows.steps import Step
from ui.i18n import tr
from ui.shell import Shell

MOST_LINES = 16  # a screen's text read on arrival; the rest is there to read with 读给我听
MOST_CHOICES = 12
NOT_CHOICES = {"上一页", "下一页"}  # paging is not what the person came to choose
TITLES = {"Title", "ToneTitle"}  # said first, whatever sits above it (a step count)


def plain(widget: QLabel) -> str:
    # mightBeRichText lives in QtGui's Qt namespace, not QtCore's
    if widget.textFormat() == Qt.TextFormat.RichText or (
            widget.textFormat() == Qt.TextFormat.AutoText
            and QtGui.Qt.mightBeRichText(widget.text())):
        document = QTextDocument()
        document.setHtml(widget.text())
        return document.toPlainText()
    return widget.text()


def element_text(widget: QWidget) -> str:
    """What one element says: a button's label, a text, a field's value or its hint."""
    if isinstance(widget, QAbstractButton):
        text = widget.text() or widget.accessibleName()
    elif isinstance(widget, QLabel):
        text = plain(widget)
    elif isinstance(widget, QLineEdit):
        text = widget.text() or widget.placeholderText()
    else:
        text = widget.accessibleName()
    return " ".join(text.replace("›", " ").split())


def spoken_text(screen: QWidget) -> str:
    """The screen in a few sentences: title, what to do, the choices."""
    own = getattr(screen, "spoken_text", None)
    if callable(own):
        return str(own())
    title = ""
    lines: list[str] = []
    choices: list[str] = []
    for widget in screen.findChildren(QWidget):  # depth first: the order they were laid out
        if not widget.isVisibleTo(screen) or _inside_button(widget, screen):
            continue
        text = element_text(widget) if isinstance(
            widget, QAbstractButton | QLabel | QLineEdit) else ""
        if not text:
            continue
        if isinstance(widget, QAbstractButton):
            if text not in NOT_CHOICES and text not in choices:
                choices.append(text)
        elif widget.objectName() in TITLES and not title:
            title = text
        elif text not in lines:
            lines.append(text)
    sentences = [title, *lines[:MOST_LINES]]
    if choices:
        sentences.append(tr("您可以选择：{choices}", choices="、".join(choices[:MOST_CHOICES])))
    return "。".join(s.rstrip("。.！!？?：:") for s in sentences if s) + ("。" if sentences else "")


def _inside_button(widget: QWidget, screen: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not screen:
        if isinstance(parent, QAbstractButton):
            return True
        parent = parent.parentWidget()
    return False


class ReadAloud(QObject):
    def __init__(self, shell: Shell, speaker: Speaker | None,
                 on_touch: Callable[[], None] = lambda: None) -> None:
        super().__init__(shell.window)  # goes with the window, and its event filter with it
        self.shell = shell
        self.speaker = speaker
        self._on_touch = on_touch  # the tap that is read still counts as the person being here
        self._swallow_release = False
        self.read_button = shell.window.read_button
        self.read_button.setEnabled(speaker is not None)
        shell.screen_shown.append(self.screen_shown)
        app = QApplication.instance()
        assert isinstance(app, QApplication), "the window exists: so does its QApplication"
        app.installEventFilter(self)

    def say(self, text: str) -> None:
        if self.speaker is None or not text.strip():
            return
        self.speaker.elder_mode = self.shell.elder_mode
        english = self.shell.language.current == "en"
        # in the words the screen shows (the glossary), whatever the text came from
        self.speaker.say(self.shell.plain(text), Language.ENGLISH if english else Language.MANDARIN)

    def screen_shown(self, _step: Step, screen: QWidget) -> None:
        if self.shell.elder_mode:
            self.say(spoken_text(screen))
        elif callable(announcement := getattr(screen, "announcement", None)):
            self.say(str(announcement()))

    # -- 读给我听 ----------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if self._swallow_release and kind == QEvent.Type.MouseButtonRelease:
            self._swallow_release = False
            return True
        if (kind not in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick)
                or not self.read_button.isChecked() or not isinstance(watched, QWidget)
                or watched.window() is not self.shell.window
                or _is_or_inside(watched, self.read_button)):
            return False
        self._swallow_release = True
        self.read_button.setChecked(False)
        self._on_touch()
        self.say(element_text(_readable(watched)))
        return True  # read, not acted on


def _readable(widget: QWidget) -> QWidget:
    """The element a tap meant: the button a label sits in, or the widget itself."""
    current: QWidget | None = widget
    while current is not None:
        if isinstance(current, QAbstractButton | QLineEdit) or (
                isinstance(current, QLabel) and current.text()):
            return current
        current = current.parentWidget()
    return widget


def _is_or_inside(widget: QWidget, container: QWidget) -> bool:
    return widget is container or container.isAncestorOf(widget)
