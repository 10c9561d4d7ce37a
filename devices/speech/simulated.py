"""Speech without speakers or microphones, for the demo and the tests.

The simulated speaker takes as long as real speech would (about four Chinese characters a
second, slower in elder mode), keeps what it was asked to say for the simulator panel, and
stops and replaces like the real one — it is the real `TextToSpeech` worker over a silent
synthesizer and a paced sink. The simulated voice input waits for the panel (or a test) to
`hear` a sentence while the person holds the talk button; it can be made unavailable.
"""

from __future__ import annotations

import asyncio
import threading
from collections import deque
from collections.abc import Callable, Sequence

import numpy as np

from common.i18n import QT_TR_NOOP
from devices.health import HEALTHY, Health, HealthState
from devices.simulated import SimulatedDevice
from devices.speech.asr import (
    AVAILABLE,
    Availability,
    ListeningStarted,
    ListenResult,
    NothingHeard,
    SpeechEnded,
    SpeechStarted,
    Transcript,
    VoiceEvent,
    match_phrase,
)
from devices.speech.audio import PacedSink, Pcm
from devices.speech.tts import Language, TextToSpeech


class SilentSynthesizer:
    """As long as speech would last, without a sound."""

    rate_hz = 16000

    def __init__(self) -> None:
        self.spoken: deque[tuple[str, Language]] = deque(maxlen=50)

    def synthesize(self, text: str, language: Language, rate: int) -> Pcm:
        self.spoken.append((text, language))
        units = len(text) if language is not Language.ENGLISH else len(text.split()) * 1.5
        seconds = units * 60 / (rate * 1.4)
        return Pcm(np.zeros(int(seconds * self.rate_hz), np.int16), self.rate_hz)


class SimulatedVoiceInput:
    def __init__(self, timeout_s: float = 10.0) -> None:
        self.timeout_s = timeout_s
        self._availability = AVAILABLE
        self._heard: str | None = None
        self._event = threading.Event()
        self._cancelled = False
        self._listeners: list[Callable[[VoiceEvent], None]] = []
        self.listening = False

    def availability(self) -> Availability:
        return self._availability

    def set_available(self, available: bool, detail: str = "simulated: no model") -> None:
        self._availability = AVAILABLE if available else Availability(
            False, QT_TR_NOOP("语音输入暂不可用，请用触摸屏操作。"), detail)

    def on_event(self, listener: Callable[[VoiceEvent], None]) -> None:
        self._listeners.append(listener)

    def hear(self, text: str) -> None:
        """The person said `text` (the panel, a test)."""
        self._heard = text
        self._event.set()

    def release(self) -> None:
        self._event.set()

    def cancel(self) -> None:
        self._cancelled = True
        self._event.set()

    async def listen(self, phrases: Sequence[str] = ()) -> ListenResult:
        if not self._availability.available:
            return self._availability.unavailable
        self._heard, self._cancelled = None, False
        self._event.clear()
        self.listening = True
        self._publish(ListeningStarted())
        try:
            await asyncio.to_thread(self._event.wait, self.timeout_s)
        finally:
            self.listening = False
        if self._cancelled:
            return NothingHeard("cancelled")
        if not self._heard:
            return NothingHeard("no_speech")
        self._publish(SpeechStarted())
        self._publish(SpeechEnded())
        words = tuple(self._heard.split())
        return Transcript(self._heard, words, match_phrase(self._heard, phrases))

    def _publish(self, event: VoiceEvent) -> None:
        for listener in list(self._listeners):
            listener(event)


class SimulatedSpeech(SimulatedDevice):
    def __init__(self, family: str = "speech") -> None:
        super().__init__(family)
        self.synthesizer = SilentSynthesizer()
        self.speaker = TextToSpeech(self.synthesizer, PacedSink())
        self.voice = SimulatedVoiceInput()  # Mandarin
        # as if a Cantonese model were configured (`set_available(False)`: as if it were not)
        self.cantonese_voice: SimulatedVoiceInput | None = SimulatedVoiceInput()

    @property
    def spoken(self) -> list[tuple[str, Language]]:
        """What the kiosk said, oldest first (the panel shows the last)."""
        return list(self.synthesizer.spoken)

    def hear(self, text: str) -> None:
        """The person said `text` into the microphone: to whichever model is listening."""
        cantonese = self.cantonese_voice
        (cantonese if cantonese is not None and cantonese.listening else self.voice).hear(text)

    def set_voice_available(self, available: bool) -> None:
        self.voice.set_available(available)
        self.set_health(HEALTHY if available else Health(HealthState.DEGRADED,
                                                          "ASR_UNAVAILABLE", "simulated"))

    def stop(self) -> None:  # the kiosk's last stop: its speaker thread ends too
        self.speaker.close()
        self.voice.cancel()
        if self.cantonese_voice is not None:
            self.cantonese_voice.cancel()
