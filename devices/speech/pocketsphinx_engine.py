"""PocketSphinx with the English model it bundles: the engine that lets the whole voice path
be proven on real audio without downloading anything (and an English voice for the kiosk).

With phrases, recognition is limited to them through a JSGF grammar; a phrase with a word
missing from the pronunciation dictionary is left out of the grammar and reported.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from common.i18n import QT_TR_NOOP
from devices.speech.asr import (
    AVAILABLE,
    Availability,
    Transcript,
    VocabularyReport,
    join_words,
    segment,
)

if TYPE_CHECKING:  # imported when the model is loaded: without it, voice input is unavailable
    from pocketsphinx import Decoder


class PocketsphinxEngine:
    name = "pocketsphinx"
    sample_rate = 16000

    def __init__(self) -> None:
        self._decoder: Decoder | None = None
        self._error = ""
        self._load_lock = threading.Lock()
        self._audio: list[np.ndarray] = []
        self._grammar_key: tuple[str, ...] | None = None

    def _load(self) -> Decoder | None:
        with self._load_lock:
            if self._decoder is None and not self._error:
                try:
                    from pocketsphinx import Config, Decoder

                    self._decoder = Decoder(Config(loglevel="FATAL"))
                except Exception as exc:  # ImportError, RuntimeError from a broken model
                    self._error = f"pocketsphinx could not load its model: {exc}"
        return self._decoder

    def availability(self) -> Availability:
        if self._load() is None:
            return Availability(False, QT_TR_NOOP("语音输入暂不可用，请用触摸屏操作。"),
                                self._error)
        return AVAILABLE

    def _loaded(self) -> Decoder:
        """The decoder, for a caller that has seen `availability()` say it is there."""
        decoder = self._load()
        if decoder is None:
            raise RuntimeError(f"voice input is unavailable: {self._error}")
        return decoder

    def use_phrases(self, phrases: Sequence[str]) -> VocabularyReport:
        decoder = self._loaded()
        usable: list[str] = []
        missing: dict[str, tuple[str, ...]] = {}
        grammar: list[str] = []
        for phrase in phrases:
            words, unknown = segment(phrase, lambda w: decoder.lookup_word(w) is not None)
            if unknown:
                missing[phrase] = tuple(unknown)
            elif words:
                usable.append(phrase)
                grammar.append(" ".join(words))
        key = tuple(grammar)
        if key != self._grammar_key:
            if grammar:
                decoder.add_jsgf_string(
                    "phrases", "#JSGF V1.0; grammar phrases; public <phrase> = "
                    + " | ".join(dict.fromkeys(grammar)) + ";")
                decoder.activate_search("phrases")
            else:
                decoder.activate_search("_default")
            self._grammar_key = key
        return VocabularyReport(tuple(usable), missing)

    def begin(self) -> None:
        self._audio = []

    def accept(self, samples: np.ndarray) -> None:
        self._audio.append(samples)

    def finish(self) -> Transcript:
        # decoded as one utterance: batch cepstral normalisation recognises short commands
        # better than the live estimate
        decoder = self._loaded()
        audio = np.concatenate(self._audio) if self._audio else np.zeros(0, np.int16)
        self._audio = []
        decoder.start_utt()
        decoder.process_raw(audio.astype("<i2").tobytes(), full_utt=True)
        decoder.end_utt()
        hypothesis = decoder.hyp()
        words = tuple(hypothesis.hypstr.split()) if hypothesis and hypothesis.hypstr else ()
        return Transcript(join_words(words), words)
