"""Text-to-speech: screens read aloud in Mandarin, Cantonese or English, never over each other.

A worker thread owns synthesis (espeak-ng through pyttsx3's binding) and playback, so `say`
returns at once and the GUI never waits. Text is spoken sentence by sentence in 40 ms blocks; `say`
replaces whatever is being spoken and `stop` (screen changed, person tapped) cuts the speaker
off at once, so speech ends within a fraction of a second and two texts never overlap.

Voices: `sit/cmn-latn-pinyin` for Mandarin — the plain `cmn` voice reads many characters as
pinyin with English tone digits — `sit/yue` for Cantonese, `gmw/en-US` for English. Elder mode
speaks more slowly. Spoken text may name the person: it is never logged, only its length.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import ctypes
import itertools
import logging
import queue
import re
import threading
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import ClassVar, Protocol

import numpy as np

from devices.speech.audio import AudioSink, Pcm, write_wav

log = logging.getLogger(__name__)


class Language(StrEnum):
    MANDARIN = "cmn"
    CANTONESE = "yue"
    ENGLISH = "en"


VOICES = {
    Language.MANDARIN: "sit/cmn-latn-pinyin",
    Language.CANTONESE: "sit/yue",
    Language.ENGLISH: "gmw/en-US",
}


@dataclass(frozen=True)
class SpeakingRates:
    """Words a minute as espeak-ng counts them (for Chinese: roughly syllables)."""

    standard: int = 175
    elder: int = 130


class SpeechOutcome(StrEnum):
    FINISHED = "finished"
    STOPPED = "stopped"  # stop() or a newer say() cut it off
    FAILED = "failed"  # synthesis or the speaker failed; see the log


class Utterance:
    """One `say`: wait on it (`wait`, or `await utterance`) to know how it ended."""

    _ids = itertools.count(1)

    def __init__(self, text_length: int) -> None:
        self.id = next(self._ids)
        self.text_length = text_length
        self.started = threading.Event()  # the first sound went to the speaker
        self._future: concurrent.futures.Future[SpeechOutcome] = concurrent.futures.Future()

    def wait(self, timeout_s: float | None = None) -> SpeechOutcome:
        return self._future.result(timeout_s)

    @property
    def done(self) -> bool:
        return self._future.done()

    def __await__(self):
        return asyncio.wrap_future(self._future).__await__()

    def _finish(self, outcome: SpeechOutcome) -> None:
        if not self._future.done():
            self._future.set_result(outcome)


class Synthesizer(Protocol):
    def synthesize(self, text: str, language: Language, rate: int) -> Pcm: ...


class EspeakSynthesizer:
    """espeak-ng through pyttsx3's binding of it, synthesizing to PCM in synchronous mode.

    pyttsx3 2.99's engine loop is not usable here: `save_to_file` + `runAndWait` can return
    before the file is written and applies a rate change one text late. Its espeak-ng binding
    (`pyttsx3.drivers._espeak`) in synchronous mode returns only when the audio is complete.
    espeak-ng is one engine per process: one lock around every synthesis.
    """

    _lock = threading.Lock()
    _sample_rate = 0
    _chunks: ClassVar[list[bytes]] = []

    def __init__(self) -> None:
        from pyttsx3.drivers import _espeak

        self._espeak = _espeak
        with self._lock:
            if not EspeakSynthesizer._sample_rate:
                rate = _espeak.Initialize(_espeak.AUDIO_OUTPUT_SYNCHRONOUS, 300)
                if rate <= 0:
                    raise RuntimeError("espeak-ng could not be initialised")
                _espeak.SetSynthCallback(EspeakSynthesizer._collect)
                EspeakSynthesizer._sample_rate = rate

    @staticmethod
    def _collect(wav: ctypes._Pointer[ctypes.c_short], samples: int, _events: object) -> int:
        if samples > 0:
            EspeakSynthesizer._chunks.append(ctypes.string_at(wav, samples * 2))
        return 0

    def synthesize(self, text: str, language: Language, rate: int) -> Pcm:
        espeak = self._espeak
        with self._lock:
            if espeak.SetVoiceByName(VOICES[language].encode()) != 0:
                raise RuntimeError(f"espeak-ng has no voice {VOICES[language]}")
            espeak.SetParameter(espeak.RATE, rate, 0)
            EspeakSynthesizer._chunks = []
            espeak.Synth(text.encode("utf-8"), flags=espeak.ENDPAUSE | espeak.CHARS_UTF8)
            data = b"".join(EspeakSynthesizer._chunks)
            EspeakSynthesizer._chunks = []
        return Pcm(np.frombuffer(data, dtype="<i2").astype(np.int16), self._sample_rate)


class Speaker(Protocol):
    """The port the shell and flows use."""

    elder_mode: bool

    def say(self, text: str, language: Language = Language.MANDARIN) -> Utterance:
        """Speak `text` instead of whatever is being spoken; returns at once."""
        ...

    def stop(self) -> None:
        """Silence now (screen changed, the person tapped)."""

    def render_to_wav(self, text: str, target: str | Path,
                      language: Language = Language.MANDARIN) -> Pcm: ...


_SENTENCE_END = re.compile(r"(?<=[。！？；!?;\n])|(?<=[.](?=\s))")
BLOCK_SECONDS = 0.04


def sentences(text: str) -> list[str]:
    return [part.strip() for part in _SENTENCE_END.split(text) if part.strip()]


@dataclass
class _Job:
    utterance: Utterance
    text: str
    language: Language
    generation: int


class TextToSpeech:
    def __init__(self, synthesizer: Synthesizer, sink: AudioSink,
                 rates: SpeakingRates | None = None) -> None:
        self.synthesizer = synthesizer
        self.sink = sink
        self.rates = rates or SpeakingRates()
        self.elder_mode = False
        self._jobs: queue.Queue[_Job | None] = queue.Queue()
        self._generation = 0
        self._current: Utterance | None = None
        self._lock = threading.Lock()
        self._closed = False
        self._worker = threading.Thread(target=self._run, name="tts", daemon=True)
        self._worker.start()

    @property
    def rate(self) -> int:
        return self.rates.elder if self.elder_mode else self.rates.standard

    @property
    def speaking(self) -> bool:
        current = self._current
        return current is not None and not current.done

    def say(self, text: str, language: Language = Language.MANDARIN) -> Utterance:
        utterance = Utterance(len(text))
        with self._lock:
            self._generation += 1
            generation = self._generation
            if self._closed:  # a screen shown while the kiosk stops: nobody will hear it
                utterance._finish(SpeechOutcome.STOPPED)
                return utterance
        self.sink.abort()
        self._jobs.put(_Job(utterance, text, language, generation))
        return utterance

    def stop(self) -> None:
        with self._lock:
            self._generation += 1
        self.sink.abort()

    def close(self) -> None:
        """For good: the worker ends and closes the sink itself, so the caller (the event
        loop at a stop) never waits on a sentence being cut short."""
        with self._lock:
            self._closed = True
        self.stop()
        self._jobs.put(None)

    def render_to_wav(self, text: str, target: str | Path,
                      language: Language = Language.MANDARIN) -> Pcm:
        """Synthesize all of `text` into a WAV file (blocking; nothing is played)."""
        parts = [self.synthesizer.synthesize(part, language, self.rate)
                 for part in sentences(text)]
        rate = parts[0].rate if parts else 22050
        pcm = Pcm(np.concatenate([p.samples for p in parts]) if parts else
                  np.zeros(0, np.int16), rate)
        write_wav(pcm, target)
        return pcm

    # -- the worker ---------------------------------------------------------------------------

    def _stale(self, generation: int) -> bool:
        return generation != self._generation

    def _run(self) -> None:
        try:
            self._serve()
        finally:
            self.sink.close()

    def _serve(self) -> None:
        while (job := self._jobs.get()) is not None:
            # a newer say() or a stop() came in while this one waited
            if self._stale(job.generation):
                job.utterance._finish(SpeechOutcome.STOPPED)
                continue
            self._current = job.utterance
            try:
                outcome = self._speak(job)
            except Exception:
                log.exception("speech %d failed (%d characters)", job.utterance.id,
                              job.utterance.text_length)
                outcome = SpeechOutcome.FAILED
            job.utterance._finish(outcome)
            log.debug("speech %d: %s", job.utterance.id, outcome)

    def _speak(self, job: _Job) -> SpeechOutcome:
        for sentence in sentences(job.text):
            if self._stale(job.generation):
                return SpeechOutcome.STOPPED
            pcm = self.synthesizer.synthesize(sentence, job.language, self.rate)
            block = max(1, int(pcm.rate * BLOCK_SECONDS))
            for start in range(0, len(pcm.samples), block):
                if self._stale(job.generation):
                    return SpeechOutcome.STOPPED
                job.utterance.started.set()
                played = self.sink.write(Pcm(pcm.samples[start : start + block], pcm.rate))
                if not played and self._stale(job.generation):
                    return SpeechOutcome.STOPPED
        return SpeechOutcome.FINISHED
