"""Checking the microphone and the speaker: record two seconds, then play them back and speak.

The microphone is opened as voice input opens it and records `RECORD_S` seconds; its level
says whether sound arrives at all (only zeros: muted or not connected). The speaker plays the
recording back, so the technician hears the microphone too, then says a test sentence through
the kiosk's own speech output. The recording stays in memory and is dropped after.
The simulated speech device has no microphone to record from; it says so and passes.
"""

from __future__ import annotations

import time

import numpy as np

from common.i18n import QT_TR_NOOP, Text, tr
from devices.check import (
    CheckOptions,
    CheckResult,
    DeviceSetup,
    Identity,
    Reporting,
    current_health,
    verdict_from_health,
)
from devices.health import Health, HealthState
from devices.speech.asr import VoiceInput
from devices.speech.audio import AudioSource, AudioUnavailable, Pcm, level_dbfs
from devices.speech.tts import SpeechOutcome, TextToSpeech

RECORD_S = 2.0
TEST_SENTENCE = QT_TR_NOOP("扬声器测试。")
SAY_TIMEOUT_S = 15.0


def check_speech(device: Reporting, setup: DeviceSetup,
                 options: CheckOptions) -> list[CheckResult]:
    health = current_health(device, "check")
    identity: Identity = {"driver": setup.driver}
    if setup.driver != "simulator":  # PortAudio's device name or index; "" is its default
        identity["audio_device"] = setup.port or "default"
    microphone, recording = _check_microphone(device, setup, dict(identity), health, options)
    return [microphone, _check_speaker(device, setup, dict(identity), health, options,
                                       recording)]


def record(microphone: AudioSource, seconds: float = RECORD_S) -> Pcm:
    """`seconds` of what the microphone hears (less if it stops delivering)."""
    wanted = int(seconds * microphone.rate)
    blocks: list[np.ndarray] = []
    got = 0
    deadline = time.monotonic() + seconds + 2.0
    microphone.start()
    try:
        while got < wanted and time.monotonic() < deadline:
            block = microphone.read(0.5)
            if block is not None:
                blocks.append(block)
                got += len(block)
    finally:
        microphone.stop()
    samples = np.concatenate(blocks)[:wanted] if blocks else np.zeros(0, np.int16)
    return Pcm(samples.astype(np.int16), microphone.rate)


def peak_dbfs(samples: np.ndarray) -> float:
    peak = int(np.max(np.abs(samples.astype(np.int32)))) if len(samples) else 0
    return 20 * float(np.log10(peak / 32768)) if peak else -120.0


def _check_microphone(device: Reporting, setup: DeviceSetup, identity: Identity, health: Health,
                      options: CheckOptions) -> tuple[CheckResult, Pcm | None]:
    def result(action: str, ok: bool, code: str, message: Text, detail: str = "") -> CheckResult:
        return CheckResult("microphone", setup.name, identity, action, ok, code, message, detail)

    voice = getattr(device, "voice", None)
    if not isinstance(voice, VoiceInput):
        return result("none", True, "SIMULATED", tr("模拟设备，没有真实麦克风可录音")), None
    if not options.actions:
        if health.code == "ASR_UNAVAILABLE":
            ok, code, message = verdict_from_health(health)
            return result("none", ok, code, message, health.detail), None
        return result("none", True, "OK", tr("未录音：只查状态")), None
    try:
        microphone = voice.open_microphone()
    except AudioUnavailable as exc:
        return result("record", False, "NO_MICROPHONE", tr("打不开麦克风"), str(exc)), None
    identity["sample_rate"] = microphone.rate
    recording = record(microphone)
    if len(recording.samples) == 0:
        return result("record", False, "MIC_NO_SIGNAL", tr("麦克风没有送来声音数据")), None
    level, peak = level_dbfs(recording.samples), peak_dbfs(recording.samples)
    identity |= {"level_dbfs": round(level, 1), "peak_dbfs": round(peak, 1)}
    if peak <= -120.0:
        return result("record", False, "MIC_SILENT",
                      tr("录到的全是静音：麦克风可能被静音或没有接好")), recording
    heard = tr("录音 {seconds} 秒，平均电平 {level} dBFS，峰值 {peak} dBFS",
               seconds=f"{recording.seconds:.1f}", level=f"{level:.1f}", peak=f"{peak:.1f}")
    if health.code == "ASR_UNAVAILABLE":  # the microphone works; recognition does not
        return result("record", True, health.code,
                      tr("{heard}；但语音识别不可用", heard=heard), health.detail), recording
    return result("record", True, "OK", heard), recording


def _check_speaker(device: Reporting, setup: DeviceSetup, identity: Identity, health: Health,
                   options: CheckOptions, recording: Pcm | None) -> CheckResult:
    def result(action: str, ok: bool, code: str, message: Text, detail: str = "") -> CheckResult:
        return CheckResult("speaker", setup.name, identity, action, ok, code, message, detail)

    speaker = getattr(device, "speaker", None)
    if health.code == "NO_AUDIO_DEVICE" or not isinstance(speaker, TextToSpeech):
        speaker_health = health if health.code == "NO_AUDIO_DEVICE" else Health(
            HealthState.OFFLINE, "NO_AUDIO_DEVICE", "no speech output")
        _ok, code, message = verdict_from_health(speaker_health)
        return result("none", False, code, message, speaker_health.detail)
    if not options.actions:
        return result("none", True, "OK", tr("设备正常"))
    if recording is not None and len(recording.samples):
        speaker.sink.write(recording)  # what the microphone heard, as it heard it
    try:
        outcome = speaker.say(TEST_SENTENCE).wait(SAY_TIMEOUT_S)
    except TimeoutError:
        speaker.stop()
        outcome = "timeout"
    if outcome != SpeechOutcome.FINISHED:
        return result("play_back", False, "SPEECH_FAILED",
                      tr("测试语音没有播完（{outcome}）", outcome=str(outcome)))
    played = (tr("已回放录音并播报“{sentence}”，请确认听到了", sentence=tr(TEST_SENTENCE))
              if recording is not None else
              tr("已播报“{sentence}”，请确认听到了", sentence=tr(TEST_SENTENCE)))
    return result("play_back", True, "OK", played)


