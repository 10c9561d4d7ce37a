"""Text-to-speech: real espeak-ng audio, stopping at once, never two texts at the same time."""

from __future__ import annotations

import asyncio
import threading
import time

import numpy as np
import pytest

from devices.speech.audio import PacedSink, Pcm, level_dbfs, read_wav
from devices.speech.tts import EspeakSynthesizer, Language, SpeechOutcome, TextToSpeech, sentences
from tests.devices.waiting import wait_until

GREETING = "您好，欢迎使用政务服务自助终端。请把身份证放在读卡区。"  # 25 syllables


@pytest.fixture(scope="module")
def synthesizer():
    return EspeakSynthesizer()


@pytest.fixture
def tts(synthesizer):
    speaker = TextToSpeech(synthesizer, PacedSink())
    yield speaker
    speaker.close()


def test_a_mandarin_sentence_rendered_to_wav_is_speech_of_a_plausible_length(tts, tmp_path):
    target = tmp_path / "greeting.wav"
    tts.render_to_wav(GREETING, target)
    pcm = read_wav(target)
    assert pcm.rate == 22050
    # 25 syllables of Mandarin at a normal pace: 3-4 a second, plus pauses. The English voice
    # reading the same characters as "Chinese letter" would take far longer.
    assert 4.0 < pcm.seconds < 10.0
    assert level_dbfs(pcm.samples) > -35  # not silent
    assert int(np.abs(pcm.samples).max()) > 3000
    # pauses between the clauses: some 50 ms windows are near silent, most are not
    windows = pcm.samples[: len(pcm.samples) // 1102 * 1102].reshape(-1, 1102)
    loud = np.mean([level_dbfs(w) > -40 for w in windows])
    assert 0.5 < loud < 0.98


def test_elder_mode_speaks_more_slowly(tts, tmp_path):
    standard = tts.render_to_wav(GREETING, tmp_path / "a.wav").seconds
    tts.elder_mode = True
    elder = tts.render_to_wav(GREETING, tmp_path / "b.wav").seconds
    assert elder > standard * 1.2


def test_cantonese_and_english_voices_speak(tts, tmp_path):
    cantonese = tts.render_to_wav("歡迎使用政務服務自助終端。", tmp_path / "yue.wav",
                                  Language.CANTONESE)
    english = tts.render_to_wav("Welcome. Please place your ID card on the reader.",
                                tmp_path / "en.wav", Language.ENGLISH)
    for pcm in (cantonese, english):
        assert pcm.seconds > 1.0 and level_dbfs(pcm.samples) > -35


def test_say_returns_at_once_and_stop_silences_within_200_ms(tts):
    utterance = tts.say(GREETING * 3)
    assert not utterance.done  # the caller (the GUI) did not wait for the speech
    assert utterance.started.wait(30)
    time.sleep(0.5)
    stopped_at = time.monotonic()
    tts.stop()
    assert utterance.wait(30) == SpeechOutcome.STOPPED
    resolved_in = time.monotonic() - stopped_at
    silent_after = tts.sink.sound_until - stopped_at
    print(f"stop: sound ended after {silent_after * 1000:.1f} ms, "
          f"outcome after {resolved_in * 1000:.1f} ms")
    assert silent_after < 0.2
    assert resolved_in < 0.5  # generous: the worker noticing, on a busy 2-core machine


class TaggingSynthesizer:
    """Each text becomes a constant tone whose value says which text it is."""

    def __init__(self) -> None:
        self.tags: dict[str, int] = {}

    def synthesize(self, text: str, language: Language, rate: int) -> Pcm:
        tag = self.tags.setdefault(text, 1000 * (len(self.tags) + 1))
        return Pcm(np.full(int(0.04 * len(text) * 16000), tag, np.int16), 16000)


class RecordingSink(PacedSink):
    def __init__(self) -> None:
        super().__init__()
        self.order: list[int] = []
        self.active = 0
        self.overlaps = 0
        self._guard = threading.Lock()

    def write(self, pcm: Pcm) -> bool:
        with self._guard:
            self.active += 1
            self.overlaps += self.active > 1
        self.order.append(int(pcm.samples[0]))
        try:
            return super().write(pcm)
        finally:
            with self._guard:
                self.active -= 1


def test_a_new_text_replaces_the_old_one_and_they_never_overlap():
    sink = RecordingSink()
    tts = TextToSpeech(TaggingSynthesizer(), sink)
    try:
        first = tts.say("第一个屏幕的说明文字。" * 4)
        assert first.started.wait(30)
        assert wait_until(lambda: 1000 in sink.order)  # the first text is being heard
        second = tts.say("第二个屏幕。")
        assert first.wait(30) == SpeechOutcome.STOPPED
        assert second.wait(30) == SpeechOutcome.FINISHED
    finally:
        tts.close()
    assert sink.overlaps == 0
    switch = sink.order.index(2000)
    assert set(sink.order[:switch]) == {1000} and set(sink.order[switch:]) == {2000}


def test_an_utterance_can_be_awaited():
    tts = TextToSpeech(TaggingSynthesizer(), PacedSink())
    try:
        assert asyncio.run(_say(tts, "好。")) == SpeechOutcome.FINISHED
    finally:
        tts.close()


async def _say(tts: TextToSpeech, text: str) -> SpeechOutcome:
    return await tts.say(text)


def test_sentences_split_where_a_reader_pauses():
    assert sentences("您好。请插卡！Hello. Next?") == ["您好。", "请插卡！", "Hello.", "Next?"]


def test_a_closed_speaker_ends_its_thread_and_says_nothing_more():
    sink = PacedSink()
    tts = TextToSpeech(TaggingSynthesizer(), sink)
    talking = tts.say("第一个屏幕的说明文字。" * 20)
    assert talking.started.wait(30)
    tts.close()  # the kiosk stops while it talks
    assert talking.wait(30) == SpeechOutcome.STOPPED
    tts._worker.join(30)
    assert not tts._worker.is_alive()
    assert tts.say("停止以后的屏幕。").wait(0) == SpeechOutcome.STOPPED
