"""The microphone and speaker check on a speech device built as the real one is (voice input,
speech output over a sink), with a microphone that hears a known sound and a loudspeaker that
keeps what it was given."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from devices.check import CheckOptions, DeviceSetup
from devices.check.speech import check_speech
from devices.speech.asr import AVAILABLE, Availability, Transcript, VocabularyReport, VoiceInput
from devices.speech.audio import Pcm, PcmSource
from devices.speech.device import SpeechDevice
from devices.speech.simulated import SilentSynthesizer
from devices.speech.tts import TextToSpeech

RATE = 16000


class NoRecognition:
    """The recogniser is not what is checked here; it is there and hears nothing."""

    name, sample_rate = "none", RATE

    def availability(self) -> Availability:
        return AVAILABLE

    def use_phrases(self, phrases: Sequence[str]) -> VocabularyReport:
        return VocabularyReport(tuple(phrases), {})

    def begin(self) -> None:
        pass

    def accept(self, samples: np.ndarray) -> None:
        pass

    def finish(self) -> Transcript:
        return Transcript("", ())


class KeepingSink:
    """A loudspeaker that keeps what it is given, at once (no real-time pacing)."""

    def __init__(self) -> None:
        self.played: list[np.ndarray] = []

    def write(self, pcm: Pcm) -> bool:
        self.played.append(pcm.samples)
        return True

    def abort(self) -> None:
        pass

    def close(self) -> None:
        pass


def speech_hearing(samples: np.ndarray, noise_dbfs: float
                   ) -> tuple[SpeechDevice, KeepingSink]:
    sink = KeepingSink()
    microphone = lambda: PcmSource(Pcm(samples, RATE), realtime=False,  # noqa: E731
                                   noise_dbfs=noise_dbfs)
    device = SpeechDevice(TextToSpeech(SilentSynthesizer(), sink),
                          VoiceInput(NoRecognition(), microphone))
    return device, sink


def test_two_seconds_are_recorded_measured_and_played_back():
    tone = (0.1 * 32767 * np.sin(2 * np.pi * 440 * np.arange(3 * RATE) / RATE)).astype(np.int16)
    device, sink = speech_hearing(tone, noise_dbfs=-90)
    microphone, speaker = check_speech(device, DeviceSetup("speech", "espeak-vosk"),
                                       CheckOptions())
    assert (microphone.family, microphone.action, microphone.ok, microphone.code) == (
        "microphone", "record", True, "OK")
    # a sine at a tenth of full scale: peak -20 dBFS, RMS 3 dB below it
    assert microphone.identity["peak_dbfs"] == -20.0
    assert microphone.identity["level_dbfs"] == -23.0
    assert microphone.message.render() == "录音 2.0 秒，平均电平 -23.0 dBFS，峰值 -20.0 dBFS"
    assert (speaker.family, speaker.action, speaker.ok, speaker.code) == (
        "speaker", "play_back", True, "OK")
    played = sink.played[0]
    assert len(played) == 2 * RATE and np.abs(played.astype(int) - tone[:2 * RATE]).max() < 10
    assert len(sink.played) > 1  # then the test sentence


def test_a_microphone_giving_only_zeros_fails_as_silent():
    device, _sink = speech_hearing(np.zeros(RATE, np.int16), noise_dbfs=-300)
    microphone, speaker = check_speech(device, DeviceSetup("speech", "espeak-vosk"),
                                       CheckOptions())
    assert (microphone.ok, microphone.code) == (False, "MIC_SILENT")
    assert microphone.message.render() == "录到的全是静音：麦克风可能被静音或没有接好"
    assert speaker.ok  # the speaker still said its sentence
