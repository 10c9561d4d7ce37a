"""The speech simulators the demo runs on: same ports, steerable from the panel."""

from __future__ import annotations

import asyncio

from devices.speech.asr import NothingHeard, Transcript, VoiceUnavailable
from devices.speech.simulated import SimulatedSpeech
from devices.speech.tts import SpeechOutcome


async def listening_started(speech: SimulatedSpeech) -> None:
    for _ in range(1000):
        if speech.voice.listening:
            return
        await asyncio.sleep(0)
    raise AssertionError("the voice input never started listening")


def test_the_simulated_speaker_keeps_what_it_said_and_stops():
    speech = SimulatedSpeech()
    first = speech.speaker.say("请把身份证放在读卡区。" * 5)
    assert first.started.wait(30)
    speech.speaker.stop()
    assert first.wait(30) == SpeechOutcome.STOPPED
    assert speech.speaker.say("好。").wait(30) == SpeechOutcome.FINISHED
    assert [text for text, _ in speech.spoken][-1] == "好。"


def test_the_simulated_voice_input_hears_what_the_panel_says():
    speech = SimulatedSpeech()

    async def ask():
        listening = asyncio.create_task(speech.voice.listen(["社保卡补办", "身份证换领"]))
        await listening_started(speech)
        speech.voice.hear("社保卡补办")
        return await listening

    result = asyncio.run(ask())
    assert isinstance(result, Transcript) and result.phrase == "社保卡补办"


def test_the_simulated_voice_input_can_be_unavailable_or_cancelled():
    speech = SimulatedSpeech()
    speech.set_voice_available(False)
    assert isinstance(asyncio.run(speech.voice.listen()), VoiceUnavailable)
    assert speech.health().code == "ASR_UNAVAILABLE"
    speech.set_voice_available(True)

    async def leave():
        listening = asyncio.create_task(speech.voice.listen())
        await listening_started(speech)
        speech.voice.cancel()
        return await listening

    assert asyncio.run(leave()) == NothingHeard("cancelled")
