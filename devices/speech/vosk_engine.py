"""Vosk with a Mandarin or Cantonese model directory from config (nothing is downloaded).

Without a model — none configured, the directory missing, or not a vosk model — voice input
reports itself unavailable with the reason, and the kiosk keeps working by touch.

Limited vocabulary: phrases are split into words the model knows (Chinese by longest match
against the model's word list, `Model.vosk_model_find_word`) and passed to the recognizer as its
grammar with "[unk]"; words the model lacks are reported per phrase. Small models honour a
grammar; large static-graph models ignore it and recognise freely.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from pathlib import Path
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

if TYPE_CHECKING:  # imported when a model is loaded: without it, voice input is unavailable
    import vosk

UNAVAILABLE = QT_TR_NOOP("语音输入暂不可用，请用触摸屏操作。")
MODEL_MARKERS = ("am/final.mdl", "final.mdl")


def check_model_dir(model_dir: str | Path | None, setting: str = "devices.speech.model") -> str:
    """Why `model_dir` cannot be used as a vosk model ("" when it looks usable); `setting` is
    the configuration key that names it."""
    if not model_dir or not str(model_dir).strip():
        return f"no vosk model configured: set {setting} to a model directory"
    path = Path(model_dir)
    if not path.is_dir():
        return f"vosk model directory not found: {path}"
    if not any((path / marker).is_file() for marker in MODEL_MARKERS):
        return f"not a vosk model directory (no am/final.mdl): {path}"
    return ""


class VoskEngine:
    name = "vosk"
    sample_rate = 16000

    def __init__(self, model_dir: str | Path | None,
                 setting: str = "devices.speech.model") -> None:
        self.model_dir = Path(model_dir) if model_dir else None
        self._model: vosk.Model | None = None
        self._error = check_model_dir(model_dir, setting)
        self._load_lock = threading.Lock()
        self._grammar: list[str] = []
        self._recognizer: vosk.KaldiRecognizer | None = None

    def _load(self) -> vosk.Model | None:
        with self._load_lock:
            if self._model is None and not self._error:
                try:
                    import vosk

                    vosk.SetLogLevel(-1)
                    self._model = vosk.Model(str(self.model_dir))
                except Exception as exc:  # ImportError, or vosk's "Failed to create a model"
                    self._error = f"vosk could not load {self.model_dir}: {exc}"
        return self._model

    def availability(self) -> Availability:
        if self._load() is None:
            return Availability(False, UNAVAILABLE, self._error)
        return AVAILABLE

    def _loaded(self) -> vosk.Model:
        """The model, for a caller that has seen `availability()` say it is there."""
        model = self._load()
        if model is None:
            raise RuntimeError(f"voice input is unavailable: {self._error}")
        return model

    def use_phrases(self, phrases: Sequence[str]) -> VocabularyReport:
        model = self._loaded()
        usable: list[str] = []
        missing: dict[str, tuple[str, ...]] = {}
        grammar: list[str] = []
        for phrase in phrases:
            words, unknown = segment(phrase, lambda w: model.vosk_model_find_word(w) >= 0)
            if unknown:
                missing[phrase] = tuple(unknown)
            if words and not unknown:
                usable.append(phrase)
                grammar.append(" ".join(words))
        self._grammar = [*dict.fromkeys(grammar), "[unk]"] if grammar else []
        return VocabularyReport(tuple(usable), missing)

    def begin(self) -> None:
        import vosk

        model = self._loaded()
        if self._grammar:
            recognizer = vosk.KaldiRecognizer(model, self.sample_rate,
                                              json.dumps(self._grammar, ensure_ascii=False))
        else:
            recognizer = vosk.KaldiRecognizer(model, self.sample_rate)
        recognizer.SetWords(True)
        self._recognizer = recognizer

    def accept(self, samples: np.ndarray) -> None:
        if self._recognizer is not None:
            self._recognizer.AcceptWaveform(samples.astype("<i2").tobytes())

    def finish(self) -> Transcript:
        recognizer, self._recognizer = self._recognizer, None
        if recognizer is None:
            return Transcript("", ())
        result = json.loads(recognizer.FinalResult() or "{}")
        tokens = result.get("text", "").split()
        words = tuple(token for token in tokens if token != "[unk]")
        return Transcript(join_words(words), words, unknown=len(words) != len(tokens))
