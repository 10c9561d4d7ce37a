"""Speech recognition: push-to-talk, end-of-speech detection, and a limited vocabulary.

The person presses 语音提问 and speaks. `VoiceInput.listen` opens the microphone in a worker,
waits for speech to start, and ends when the person has been quiet for a moment after
speaking, lets go of the button (`release`), or after a limit; the engine then says what it
heard. Results are values — `Transcript`, `NothingHeard`, `VoiceUnavailable` — so a flow
handles "no model installed" or "nobody spoke" like any other answer, and touch keeps working.

Limited vocabulary (as wyoming-vosk's "limited" mode): the flow passes the phrases it expects
(service names, common questions); small Chinese models are weak on domain terms, and snapping
to known phrases makes them usable. Words of a phrase that the model does not know are reported
in `VocabularyReport.missing`, never silently dropped. What a person said is never logged.
"""

from __future__ import annotations

import asyncio
import logging
import re
import threading
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

import numpy as np

from common.i18n import QT_TR_NOOP
from devices.speech.audio import AudioSource, AudioUnavailable, level_dbfs

log = logging.getLogger(__name__)

VOICE_UNAVAILABLE = QT_TR_NOOP("语音输入暂不可用，请用触摸屏操作。")
NO_MICROPHONE = QT_TR_NOOP("没有找到麦克风，请用触摸屏操作。")


# -- results and events ------------------------------------------------------------------------


@dataclass(frozen=True)
class Transcript:
    text: str = field(repr=False)  # as heard, Chinese without spaces between characters
    words: tuple[str, ...] = field(repr=False)
    phrase: str | None = field(default=None, repr=False)  # the expected phrase it matches
    unknown: bool = False  # part of the speech matched no word the recognizer knows


@dataclass(frozen=True)
class NothingHeard:
    reason: Literal["no_speech", "cancelled"]


@dataclass(frozen=True)
class VoiceUnavailable:
    message: str  # Simplified Chinese for the person, marked for translation
    detail: str  # for staff: what is missing and where to configure it


ListenResult = Transcript | NothingHeard | VoiceUnavailable


@dataclass(frozen=True)
class ListeningStarted:
    pass


@dataclass(frozen=True)
class SpeechStarted:
    pass


@dataclass(frozen=True)
class SpeechEnded:
    pass


VoiceEvent = ListeningStarted | SpeechStarted | SpeechEnded


@dataclass(frozen=True)
class Availability:
    available: bool
    message: str = ""  # for the person when not available
    detail: str = ""  # for staff

    @property
    def unavailable(self) -> VoiceUnavailable:
        return VoiceUnavailable(self.message or VOICE_UNAVAILABLE, self.detail)


AVAILABLE = Availability(True)


@dataclass(frozen=True)
class VocabularyReport:
    phrases: tuple[str, ...]  # phrases the recognizer will listen for
    missing: dict[str, tuple[str, ...]]  # phrase → its words the model does not know

    @property
    def complete(self) -> bool:
        return not self.missing


# -- the engine port ---------------------------------------------------------------------------


class RecognitionEngine(Protocol):
    name: str
    sample_rate: int

    def availability(self) -> Availability: ...

    def use_phrases(self, phrases: Sequence[str]) -> VocabularyReport:
        """Listen only for `phrases` from now on (empty: the model's open vocabulary)."""
        ...

    def begin(self) -> None: ...

    def accept(self, samples: np.ndarray) -> None: ...

    def finish(self) -> Transcript: ...


_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_TOKENS = re.compile(rf"[{_CJK}]+|[A-Za-z0-9']+")


def normalize(text: str) -> str:
    """Compare-form of a phrase: lower case, no spaces or punctuation."""
    return "".join(_TOKENS.findall(text.lower()))


def join_words(words: Sequence[str]) -> str:
    """Words as text: no space between Chinese words, one between others."""
    out = ""
    for word in words:
        if out and not (re.match(rf"[{_CJK}]", word[0]) and re.match(rf"[{_CJK}]", out[-1])):
            out += " "
        out += word
    return out


def segment(phrase: str, known: Callable[[str], bool], longest: int = 6
            ) -> tuple[list[str], list[str]]:
    """Split a phrase into words the model knows: Chinese runs by longest match, other tokens
    as they are (lower case). Returns (words, missing)."""
    words: list[str] = []
    missing: list[str] = []
    for token in _TOKENS.findall(phrase):
        if not re.match(rf"[{_CJK}]", token):
            word = token.lower()
            (words if known(word) else missing).append(word)
            continue
        position = 0
        while position < len(token):
            for size in range(min(longest, len(token) - position), 0, -1):
                candidate = token[position : position + size]
                if known(candidate):
                    words.append(candidate)
                    position += size
                    break
            else:
                missing.append(token[position])
                position += 1
    return words, missing


def match_phrase(text: str, phrases: Sequence[str]) -> str | None:
    key = normalize(text)
    return next((phrase for phrase in phrases if normalize(phrase) == key), None) if key else None


# -- end of speech -----------------------------------------------------------------------------


@dataclass(frozen=True)
class EndpointSettings:
    speech_above_noise_db: float = 12.0
    min_speech_level_dbfs: float = -45.0  # quieter than this is never speech
    min_speech_ms: int = 100
    end_silence_ms: int = 700
    no_speech_timeout_s: float = 6.0
    max_speech_s: float = 15.0


EndpointEvent = Literal["started", "ended", "no_speech", "too_long"]


class EndOfSpeechDetector:
    """Energy-based: speech starts when blocks rise well above the room's noise floor and ends
    after `end_silence_ms` of quiet. Pure: feed blocks, get at most one event per block."""

    def __init__(self, rate: int, settings: EndpointSettings | None = None) -> None:
        self.rate = rate
        self.settings = settings or EndpointSettings()
        self.noise_db = -70.0
        self._heard = 0.0  # seconds fed
        self._loud = 0.0  # consecutive loud seconds before speech started
        self._quiet = 0.0  # consecutive quiet seconds after speech started
        self._speech_seconds = 0.0
        self.in_speech = False
        self.done = False

    def feed(self, block: np.ndarray) -> EndpointEvent | None:
        seconds = len(block) / self.rate
        self._heard += seconds
        level = level_dbfs(block)
        threshold = max(self.noise_db + self.settings.speech_above_noise_db,
                        self.settings.min_speech_level_dbfs)
        loud = level > threshold
        if not self.in_speech:
            # the noise floor follows the quiet room, rising slowly and falling fast
            if not loud:
                self.noise_db = level if level < self.noise_db else 0.95 * self.noise_db + (
                    0.05 * level)
            self._loud = self._loud + seconds if loud else 0.0
            if self._loud * 1000 >= self.settings.min_speech_ms:
                self.in_speech = True
                self._speech_seconds = self._loud
                return "started"
            if self._heard >= self.settings.no_speech_timeout_s:
                self.done = True
                return "no_speech"
            return None
        self._speech_seconds += seconds
        self._quiet = 0.0 if loud else self._quiet + seconds
        if self._quiet * 1000 >= self.settings.end_silence_ms:
            self.done = True
            return "ended"
        if self._speech_seconds >= self.settings.max_speech_s:
            self.done = True
            return "too_long"
        return None


# -- push-to-talk ------------------------------------------------------------------------------


class SpeechRecognizer(Protocol):
    """The port the shell and flows use."""

    def availability(self) -> Availability: ...

    async def listen(self, phrases: Sequence[str] = ()) -> ListenResult: ...

    def release(self) -> None:
        """The person let go of the talk button: finish with what was said so far."""

    def cancel(self) -> None:
        """Abandon listening (screen changed): the result is NothingHeard("cancelled")."""

    def on_event(self, listener: Callable[[VoiceEvent], None]) -> None: ...


class VoiceInput:
    """Push-to-talk over an engine and a microphone; one listening at a time."""

    PREROLL_S = 0.3  # audio kept from before speech was detected, so first sounds aren't lost

    def __init__(self, engine: RecognitionEngine, microphone: Callable[[], AudioSource],
                 endpoint: EndpointSettings | None = None) -> None:
        self.engine = engine
        self._microphone = microphone
        self.endpoint = endpoint or EndpointSettings()
        self._released = threading.Event()
        self._cancelled = threading.Event()
        self._busy = threading.Lock()
        self._listeners: list[Callable[[VoiceEvent], None]] = []
        self.last_vocabulary: VocabularyReport | None = None

    def availability(self) -> Availability:
        return self.engine.availability()

    def open_microphone(self) -> AudioSource:
        """The microphone as listening opens it (the device check records with it); raises
        AudioUnavailable."""
        return self._microphone()

    def on_event(self, listener: Callable[[VoiceEvent], None]) -> None:
        """`listener` is called on the event loop that awaits `listen`."""
        self._listeners.append(listener)

    def release(self) -> None:
        self._released.set()

    def cancel(self) -> None:
        self._cancelled.set()

    async def listen(self, phrases: Sequence[str] = ()) -> ListenResult:
        loop = asyncio.get_running_loop()

        def publish(event: VoiceEvent) -> None:
            for listener in list(self._listeners):
                loop.call_soon_threadsafe(listener, event)

        try:
            return await asyncio.to_thread(self.listen_blocking, phrases, publish)
        except asyncio.CancelledError:
            self.cancel()
            raise

    def listen_blocking(self, phrases: Sequence[str] = (),
                        publish: Callable[[VoiceEvent], None] = lambda _event: None
                        ) -> ListenResult:
        availability = self.engine.availability()
        if not availability.available:
            return availability.unavailable
        if not self._busy.acquire(blocking=False):
            self.cancel()  # a new press ends the old listening
            self._busy.acquire()
        try:
            self._released.clear()
            self._cancelled.clear()
            report = self.engine.use_phrases(phrases)
            self.last_vocabulary = report
            if report.missing:
                log.warning("%d of %d phrases have words the %s model does not know: %s",
                            len(report.missing), len(phrases), self.engine.name,
                            sorted({w for words in report.missing.values() for w in words}))
            try:
                microphone = self._microphone()
            except AudioUnavailable as exc:
                return VoiceUnavailable(NO_MICROPHONE, str(exc))
            return self._run(microphone, report, publish)
        finally:
            self._busy.release()

    def _run(self, microphone: AudioSource, report: VocabularyReport,
             publish: Callable[[VoiceEvent], None]) -> ListenResult:
        detector = EndOfSpeechDetector(microphone.rate, self.endpoint)
        preroll: deque[np.ndarray] = deque(maxlen=max(1, int(self.PREROLL_S * 50)))
        microphone.start()
        publish(ListeningStarted())
        try:
            while True:
                if self._cancelled.is_set():
                    return NothingHeard("cancelled")
                if self._released.is_set() and not detector.in_speech:
                    return NothingHeard("no_speech")
                block = microphone.read(0.2)
                if block is None:
                    continue
                event = detector.feed(block)
                if event == "started":
                    publish(SpeechStarted())
                    self.engine.begin()
                    for earlier in preroll:
                        self.engine.accept(earlier)
                if detector.in_speech:
                    self.engine.accept(block)
                else:
                    preroll.append(block)
                if event == "no_speech":
                    return NothingHeard("no_speech")
                if event in ("ended", "too_long") or (detector.in_speech and
                                                       self._released.is_set()):
                    publish(SpeechEnded())
                    transcript = self.engine.finish()
                    phrase = match_phrase(transcript.text, report.phrases) or transcript.phrase
                    log.info("%s heard %d words%s", self.engine.name, len(transcript.words),
                             ", one of the expected phrases" if phrase else "")
                    return Transcript(transcript.text, transcript.words, phrase,
                                      transcript.unknown)
        finally:
            microphone.stop()
