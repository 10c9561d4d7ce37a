"""说话输入: voice offered on every text field, for people who do not type.

Every screen, as it is shown, gets a 说话输入 button beside each field a person can type into
(a `QLineEdit` that is not read-only: the numeric keypad's fields are, and have their keypad).
No screen needs code of its own: the field is put in a row with the button where it stood.
Tapping it listens through the same speech recognition as 语音提问 (`devices.speech`,
open vocabulary) and puts what was heard into the field at its cursor, where it can be
corrected with the keyboard. Where no recognition model is configured (or no microphone), the
tap says so in words and leaves the keyboard. What a person said is never logged.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QWidget

from devices.speech.asr import (
    VOICE_UNAVAILABLE,
    ListeningStarted,
    NothingHeard,
    SpeechEnded,
    SpeechStarted,
    Transcript,
    VoiceEvent,
    VoiceUnavailable,
)
from flows.steps import Step
from ui.i18n import tr
from ui.shell import Shell
from ui.voice import VoiceInputPort
from ui.widgets import button, label
from ui.window import message_overlay

log = logging.getLogger(__name__)

BUTTON_NAME = "VoiceTyping"
OFFERED = "voiceTypingOffered"  # a field's property once its button is beside it


def typed_fields(screen: QWidget) -> list[QLineEdit]:
    """The fields of `screen` a person types into."""
    return [field for field in screen.findChildren(QLineEdit)
            if not field.isReadOnly() and field.isEnabled()]


def voice_button_of(field: QLineEdit) -> QWidget | None:
    """The 说话输入 button beside `field`, once offered."""
    holder = field.parentWidget()
    if holder is None or not field.property(OFFERED):
        return None
    return next((child for child in holder.findChildren(QWidget)
                 if child.objectName() == BUTTON_NAME), None)


class VoiceTyping:
    def __init__(self, shell: Shell, voice: Callable[[], VoiceInputPort | None],
                 say: Callable[[str], None]) -> None:
        """`voice()`: the recogniser to listen with now (the session's language), or None."""
        self.shell = shell
        self.voice = voice
        self.say = say
        self._listening: asyncio.Task[None] | None = None
        self._field: QLineEdit | None = None
        self._status: QLabel | None = None
        self._heard_by: set[int] = set()  # recognisers this listens to events of
        shell.screen_shown.append(self._screen_shown)

    @property
    def listening(self) -> bool:
        return self._listening is not None and not self._listening.done()

    def _screen_shown(self, _step: Step, screen: QWidget) -> None:
        if self.listening and (voice := self.voice()) is not None:
            voice.cancel()  # the screen moved on: what is heard has no field to go to
        for field in typed_fields(screen):
            self.offer(field)

    def offer(self, field: QLineEdit) -> None:
        """Puts 说话输入 beside `field`, where the field stood in its layout."""
        parent = field.parentWidget()
        layout = parent.layout() if parent is not None else None
        if field.property(OFFERED) or layout is None:
            return
        had_focus = field.hasFocus()  # moving it into the row takes its focus away
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        if layout.replaceWidget(field, holder) is None:  # not in a layout of its parent
            holder.deleteLater()
            return
        row.addWidget(field, 1)
        speak = button(tr("说话输入"), lambda: self.listen_into(field))
        speak.setObjectName(BUTTON_NAME)
        speak.setAccessibleName(tr("说话输入：说出要填写的内容"))
        row.addWidget(speak)
        field.setProperty(OFFERED, True)
        for widget in (holder, field, speak):  # now, not on the next pass: the screen is shown
            widget.show()
        if had_focus:
            field.setFocus()  # the search box keeps the keyboard it came with

    # -- listening ---------------------------------------------------------------------------

    def listen_into(self, field: QLineEdit) -> None:
        voice = self.voice()
        availability = voice.availability() if voice is not None else None
        if availability is None or not availability.available:
            detail = availability.detail if availability is not None else "no speech device"
            log.warning("voice typing unavailable: %s", detail)
            self._show_message(tr("说话输入暂不可用"), tr(
                "本机没有配置语音识别，说话输入暂不可用。请用下方键盘输入，或呼叫工作人员帮您填写。"))
            return
        assert voice is not None, "a voice said it is available"
        if self.listening or self.shell.paused:
            return
        self._field = field
        if id(voice) not in self._heard_by:
            self._heard_by.add(id(voice))
            voice.on_event(self._event)
        self._listening = asyncio.ensure_future(self._listen(voice, field))

    async def _listen(self, voice: VoiceInputPort, field: QLineEdit) -> None:
        self._show_listening(voice)
        try:
            result = await voice.listen(())
        except Exception:
            log.exception("voice typing failed")
            result = VoiceUnavailable(VOICE_UNAVAILABLE, "failed")
        self._status = None
        if isinstance(result, Transcript):
            text = "".join(result.text.split()) if _cjk(result.text) else result.text
            self.shell.window.hide_overlay()
            if not text:
                self._show_message(tr("没有听清"), tr("请靠近一些，再点“说话输入”说一次。"))
                return
            field.insert(text)
            field.setFocus()  # the keyboard is there to correct it
            self.say(tr("已填入：{text}", text=text))
        elif isinstance(result, NothingHeard):
            if result.reason == "cancelled":
                self.shell.window.hide_overlay()
            else:
                self._show_message(tr("没有听清"), tr("请靠近一些，再点“说话输入”说一次。"))
        else:
            log.warning("voice typing unavailable: %s", result.detail)
            self._show_message(tr("说话输入暂不可用"), tr(result.message))

    def _event(self, event: VoiceEvent) -> None:
        if self._status is None or not self.listening:
            return
        if isinstance(event, ListeningStarted):
            self._status.setText(tr("正在听，请说…"))
        elif isinstance(event, SpeechStarted):
            self._status.setText(tr("正在听您说…"))
        elif isinstance(event, SpeechEnded):
            self._status.setText(tr("正在识别…"))

    def _show_listening(self, voice: VoiceInputPort) -> None:
        status = label(tr("正在打开麦克风…"), "Title")
        self._status = status
        self.shell.window.show_overlay(message_overlay(
            tr("请说出要填写的内容"),
            [status, label(tr("说完后点“说完了”，听到的字会填进去，可以再用键盘改。"), "Muted")],
            [button(tr("说完了"), voice.release, "Primary"), button(tr("取消"), voice.cancel)],
        ))

    def _show_message(self, title: str, text: str) -> None:
        self.shell.window.show_overlay(message_overlay(
            title, [label(text)],
            [button(tr("知道了"), self.shell.window.hide_overlay, "Primary")]))
        self.say(text)


def _cjk(text: str) -> bool:
    return any("\u3400" <= char <= "\u9fff" for char in text)
