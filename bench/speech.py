"""Speech figures: how fast speech starts and stops, and how well commands are recognised.

    .venv/bin/python bench/speech.py

- TTS: time from `say` to the first sound block, and from `stop` to silence (paced speaker,
  so the figures are the worker's, not a sound card's), over several trials.
- ASR: espeak-ng English commands through the whole voice path (microphone stand-in with room
  noise, end-of-speech detection, pocketsphinx) with the phrase list and with the open
  vocabulary, and the time to decode one command.
Prints figures only; nothing here asserts.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from devices.speech.asr import Transcript, VoiceInput
from devices.speech.audio import PacedSink, Pcm, PcmSource, resample
from devices.speech.pocketsphinx_engine import PocketsphinxEngine
from devices.speech.tts import EspeakSynthesizer, Language, TextToSpeech
from tests.devices.speech.test_asr import COMMANDS, OTHER_PHRASES

TEXT = "您好，欢迎使用政务服务自助终端。请把身份证放在读卡区。" * 3


def tts_figures(trials: int = 10) -> None:
    sink = PacedSink()
    tts = TextToSpeech(EspeakSynthesizer(), sink)
    first_sound, stop_to_silence, stop_to_outcome = [], [], []
    for _ in range(trials):
        said = time.monotonic()
        utterance = tts.say(TEXT)
        utterance.started.wait(5)
        first_sound.append(time.monotonic() - said)
        time.sleep(0.3)
        stopped = time.monotonic()
        tts.stop()
        utterance.wait(5)
        stop_to_outcome.append(time.monotonic() - stopped)
        stop_to_silence.append(max(0.0, sink.sound_until - stopped))
    tts.close()
    for name, values in (("say → first sound", first_sound),
                         ("stop → silence", stop_to_silence),
                         ("stop → utterance resolved", stop_to_outcome)):
        print(f"TTS {name:<26} median {statistics.median(values) * 1000:6.1f} ms   "
              f"max {max(values) * 1000:6.1f} ms   ({trials} trials)")


def asr_figures() -> None:
    tts = TextToSpeech(EspeakSynthesizer(), PacedSink())
    engine = PocketsphinxEngine()
    folder = Path(tempfile.mkdtemp())
    audio = {}
    for command in COMMANDS:
        pcm = resample(tts.render_to_wav(command, folder / "c.wav", Language.ENGLISH), 16000)
        audio[command] = Pcm(np.concatenate([np.zeros(8000, np.int16), pcm.samples]), 16000)
    tts.close()
    for label, phrases in (("phrase list (36)", COMMANDS + OTHER_PHRASES),
                           ("open vocabulary", [])):
        for noise in (-60, -50, -40):
            hits, seconds = 0, []
            for command, pcm in audio.items():
                voice = VoiceInput(engine, lambda p=pcm, n=noise: PcmSource(p, realtime=False,
                                                                          noise_dbfs=n))
                started = time.monotonic()
                result = voice.listen_blocking(phrases)
                seconds.append(time.monotonic() - started)
                hits += isinstance(result, Transcript) and result.text == command
            print(f"ASR pocketsphinx, {label:<17} noise {noise} dBFS: {hits}/10 commands, "
                  f"{statistics.median(seconds) * 1000:.0f} ms per command (faster than real "
                  f"time: audio not paced)")


if __name__ == "__main__":
    tts_figures()
    asr_figures()
