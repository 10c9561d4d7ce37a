"""The speech device of the registry: a speaker that reads aloud and a voice input, with one
health for the manager console.

Health: `NO_AUDIO_DEVICE` (offline) without a loudspeaker; `ASR_UNAVAILABLE` (degraded) when
voice input cannot work — no vosk model, no microphone — while reading aloud still does.
"""

from __future__ import annotations

import logging

from devices.health import HEALTHY, Health, HealthReporter, HealthState
from devices.speech.asr import RecognitionEngine, VoiceInput
from devices.speech.audio import (
    AudioSink,
    AudioUnavailable,
    PacedSink,
    SoundDeviceSink,
    SoundDeviceSource,
)
from devices.speech.tts import EspeakSynthesizer, TextToSpeech

log = logging.getLogger(__name__)


class SpeechDevice(HealthReporter):
    def __init__(self, speaker: TextToSpeech, voice: VoiceInput, family: str = "speech",
                 speaker_problem: str = "", cantonese_voice: VoiceInput | None = None) -> None:
        super().__init__(family)
        self.speaker = speaker
        self.voice = voice  # Mandarin
        self.cantonese_voice = cantonese_voice  # None: no Cantonese model configured
        self._speaker_problem = speaker_problem
        self.check()

    def check(self) -> Health:
        if self._speaker_problem:
            health = Health(HealthState.OFFLINE, "NO_AUDIO_DEVICE", self._speaker_problem)
        elif not (availability := self.voice.availability()).available:
            health = Health(HealthState.DEGRADED, "ASR_UNAVAILABLE", availability.detail)
        else:
            health = HEALTHY
        self.report(health)
        return health

    def stop(self) -> None:  # the kiosk's last stop: its speaker thread ends too
        self.speaker.close()
        self.voice.cancel()
        if self.cantonese_voice is not None:
            self.cantonese_voice.cancel()


def open_speaker(device: str = "") -> tuple[AudioSink, str]:
    """The loudspeaker, or a silent stand-in and the reason there is none."""
    try:
        return SoundDeviceSink(device), ""
    except AudioUnavailable as exc:
        log.warning("speech: %s", exc)
        return PacedSink(), str(exc)


def build_speech(engine: RecognitionEngine, audio_device: str = "",
                 family: str = "speech",
                 cantonese: RecognitionEngine | None = None) -> SpeechDevice:
    sink, problem = open_speaker(audio_device)
    speaker = TextToSpeech(EspeakSynthesizer(), sink)

    def listening(engine: RecognitionEngine) -> VoiceInput:
        return VoiceInput(engine, lambda: SoundDeviceSource(audio_device, engine.sample_rate))

    return SpeechDevice(speaker, listening(engine), family, problem,
                        listening(cantonese) if cantonese is not None else None)
