"""普通话 or 粤语: the language the kiosk reads aloud in and listens for, per hall and per visit.

The hall's default is `ui.speech_language`. In elder mode the top bar offers the other one in
one tap (粤语朗读 / 普通话朗读, naming what it switches to, as the English button does); the choice
holds for the person's visit and goes back to the hall's default when the session ends.

Reading aloud goes through `SessionSpeaker`, which speaks Chinese in the chosen voice (espeak-ng
`sit/yue` for Cantonese, `devices.speech.tts.VOICES`); English stays English. Voice questions
and 说话输入 go through `SessionRecognizer`, which listens with the Cantonese model when
Cantonese is chosen and one is configured (`devices.speech.cantonese_model`); without one it
listens in Mandarin, and choosing 粤语 says so on screen and aloud.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtWidgets import QBoxLayout, QPushButton

from devices.speech.asr import Availability, ListenResult, VoiceEvent
from devices.speech.audio import Pcm
from devices.speech.tts import Language, Speaker, Utterance
from flows.steps import Step
from ui.i18n import tr
from ui.shell import Shell
from ui.voice import VoiceInputPort
from ui.widgets import button, label
from ui.window import message_overlay

log = logging.getLogger(__name__)

BY_SETTING = {"mandarin": Language.MANDARIN, "cantonese": Language.CANTONESE}


class SpokenLanguage:
    """The visit's spoken language and the top bar's one-tap choice of it."""

    def __init__(self, shell: Shell, default: Language, mandarin: VoiceInputPort | None,
                 cantonese: VoiceInputPort | None) -> None:
        self.shell = shell
        self.default = default
        self.current = default
        self.mandarin = mandarin
        self.cantonese = cantonese
        self.speaker: Speaker | None = None  # set by SessionSpeaker, to confirm a choice
        self.button: QPushButton = button("", self.switch)
        self.button.setObjectName("SpeechLanguage")
        self.button.hide()
        bar = shell.window.clock_label.parentWidget()
        layout = bar.layout() if bar is not None else None
        if isinstance(layout, QBoxLayout):  # in the top bar, before the clock
            layout.insertWidget(layout.indexOf(shell.window.clock_label), self.button)
            layout.insertSpacing(layout.indexOf(shell.window.clock_label), 24)
        shell.screen_shown.append(self._screen_shown)
        shell.session_ended.append(self.reset)
        self._label()

    @property
    def cantonese_listening(self) -> Availability:
        """Whether voice questions can be asked in Cantonese here, and if not, why."""
        if self.cantonese is None:
            return Availability(False, "", "no Cantonese model: set devices.speech.cantonese_model")
        return self.cantonese.availability()

    def recognizer(self) -> VoiceInputPort | None:
        """What listens now: Cantonese when chosen and available, otherwise Mandarin."""
        if self.current is Language.CANTONESE and self.cantonese_listening.available:
            return self.cantonese
        return self.mandarin

    def _screen_shown(self, _step: Step, _screen: object) -> None:
        # a choice for elder mode; the top bar keeps it wherever the person is
        self.button.setVisible(self.shell.elder_mode and self.shell.language.current == "zh_CN")
        self._label()

    def _label(self) -> None:
        self.button.setText(tr("普通话朗读") if self.current is Language.CANTONESE
                            else tr("粤语朗读"))

    def switch(self) -> None:
        self.choose(Language.MANDARIN if self.current is Language.CANTONESE
                    else Language.CANTONESE)

    def choose(self, language: Language) -> None:
        self.current = language
        self._label()
        if language is Language.CANTONESE:
            listening = self.cantonese_listening
            if not listening.available:
                log.warning("Cantonese voice questions unavailable: %s", listening.detail)
                self._tell(tr("粤语语音提问暂不可用"), tr(
                    "读给我听已改用粤语。本机没有粤语语音识别，语音提问请讲普通话。"))
                return
            self._say(tr("好的，以后用粤语读给您听，语音提问也可以讲粤语。"))
        else:
            self._say(tr("好的，以后用普通话读给您听。"))

    def reset(self) -> None:
        """The visit ended: the hall's default for the next person."""
        self.current = self.default
        self._label()

    def _say(self, text: str) -> None:
        if self.speaker is not None:
            self.speaker.say(text, Language.MANDARIN)  # in the chosen voice (SessionSpeaker)

    def _tell(self, title: str, text: str) -> None:
        window = self.shell.window
        window.show_overlay(message_overlay(
            title, [label(text)], [button(tr("知道了"), window.hide_overlay, "Primary")]))
        self._say(text)


class SessionSpeaker:
    """A `Speaker` that reads Chinese in the visit's chosen voice."""

    def __init__(self, speaker: Speaker, spoken: SpokenLanguage) -> None:
        self._speaker = speaker
        self._spoken = spoken
        self.elder_mode = speaker.elder_mode  # passed on with each text
        spoken.speaker = self

    def say(self, text: str, language: Language = Language.MANDARIN) -> Utterance:
        self._speaker.elder_mode = self.elder_mode
        if language is not Language.ENGLISH:
            language = self._spoken.current
        return self._speaker.say(text, language)

    def stop(self) -> None:
        self._speaker.stop()

    def render_to_wav(self, text: str, target: str | Path,
                      language: Language = Language.MANDARIN) -> Pcm:
        return self._speaker.render_to_wav(text, target, language)


class SessionRecognizer:
    """A `VoiceInputPort` that listens with the recogniser of the visit's language."""

    def __init__(self, spoken: SpokenLanguage) -> None:
        self._spoken = spoken
        self._active: VoiceInputPort | None = None

    def availability(self) -> Availability:
        voice = self._spoken.recognizer()
        return voice.availability() if voice is not None else Availability(
            False, "", "no speech device")

    async def listen(self, phrases: Sequence[str] = ()) -> ListenResult:
        voice = self._spoken.recognizer()
        if voice is None:
            return self.availability().unavailable
        self._active = voice
        return await voice.listen(phrases)

    def release(self) -> None:
        if self._active is not None:
            self._active.release()

    def cancel(self) -> None:
        for voice in (self._spoken.mandarin, self._spoken.cantonese):
            if voice is not None:
                voice.cancel()

    def on_event(self, listener: Callable[[VoiceEvent], None]) -> None:
        for voice in (self._spoken.mandarin, self._spoken.cantonese):
            if voice is not None:
                voice.on_event(listener)

