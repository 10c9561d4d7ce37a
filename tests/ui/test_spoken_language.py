"""普通话 or 粤语: one tap in elder mode makes the (simulated) speech driver read in its Cantonese
voice and voice questions listen with the Cantonese model, for the visit only; without a
Cantonese model the kiosk says so and listens in Mandarin; a hall may default to Cantonese."""

from __future__ import annotations

import pytest

from devices.registry import build_devices
from devices.speech.asr import VoiceInput
from devices.speech.tts import Language
from devices.speech.vosk_engine import VoskEngine
from flows.steps import FieldView, FormStep
from kiosk.session import CitizenSession
from kiosk.settings import load_settings
from kiosk.terminal import Terminal
from tests.ui.conftest import ServedKnowledge, StaticCatalog, buttons, shown_kiosk, tap, until
from tests.ui.test_voice import kiosk as kiosk  # the fixtures
from tests.ui.test_voice import overlay_text
from tests.ui.test_voice import speech as speech

FORM = FormStep("居住证办理", (FieldView("address", "居住地址", "text", True, False),))


def last_said(speech) -> tuple[str, Language]:
    return speech.spoken[-1] if speech.spoken else ("", Language.ENGLISH)


def test_choosing_cantonese_reads_and_listens_in_cantonese_for_the_visit(loop, kiosk, qtbot,
                                                                         speech):
    window, choice = kiosk.window, kiosk.spoken.button

    async def scenario():
        kiosk.shell.show(FORM)
        assert not choice.isVisible(), "a choice of elder mode"
        kiosk.shell.set_elder_mode(True)
        assert choice.isVisible() and choice.text() == "粤语朗读"
        await until(lambda: "居住证" in last_said(speech)[0] or "填写" in last_said(speech)[0])
        assert last_said(speech)[1] is Language.MANDARIN, "the hall's default: 普通话"

        tap(qtbot, choice)
        await until(lambda: "粤语" in last_said(speech)[0])
        assert last_said(speech)[1] is Language.CANTONESE
        assert choice.text() == "普通话朗读"
        kiosk.shell.show(FORM)  # the next screen is read on arrival, in Cantonese
        await until(lambda: "填写" in last_said(speech)[0])
        assert last_said(speech)[1] is Language.CANTONESE

        tap(qtbot, window.voice_button)
        await until(lambda: speech.cantonese_voice.listening)
        assert not speech.voice.listening, "the Cantonese model listens, not the Mandarin one"
        tap(qtbot, buttons(window.overlay)["取消"])
        await until(lambda: not speech.cantonese_voice.listening)

        kiosk.shell.end_session(CitizenSession())  # the visit ends: the next person hears
        assert choice.text() == "粤语朗读"          # the hall's default again
        kiosk.shell.set_elder_mode(True)
        kiosk.shell.show(FORM)
        await until(lambda: "填写" in last_said(speech)[0]
                    and last_said(speech)[1] is Language.MANDARIN)

    loop.run_until_complete(scenario())


def test_without_a_cantonese_model_it_says_so_and_listens_in_mandarin(loop, kiosk, qtbot,
                                                                      speech, tmp_path):
    window = kiosk.window
    # as `espeak-vosk` builds it when devices.speech.cantonese_model names a missing folder
    kiosk.spoken.cantonese = VoiceInput(
        VoskEngine(tmp_path / "vosk-model-yue", "devices.speech.cantonese_model"),
        lambda: pytest.fail("no microphone is opened without a model"))

    async def scenario():
        kiosk.shell.set_elder_mode(True)
        kiosk.shell.show(FORM)
        tap(qtbot, kiosk.spoken.button)
        await until(lambda: window.overlay is not None)
        shown = overlay_text(window)
        assert "粤语语音提问暂不可用" in shown and "语音提问请讲普通话" in shown
        await until(lambda: "语音提问请讲普通话" in last_said(speech)[0])
        assert last_said(speech)[1] is Language.CANTONESE, "reading aloud is in Cantonese"
        tap(qtbot, buttons(window.overlay)["知道了"])

        tap(qtbot, window.voice_button)
        await until(lambda: speech.voice.listening)  # Mandarin, as it said
        tap(qtbot, buttons(window.overlay)["取消"])
        await until(lambda: not speech.voice.listening)

    loop.run_until_complete(scenario())


def test_a_hall_that_speaks_cantonese_reads_in_cantonese_from_the_start(
        loop, qapp, qtbot, seed_catalog, knowledge_base):
    settings = load_settings()
    settings = settings.model_copy(update={
        "ui": settings.ui.model_copy(update={"speech_language": "cantonese"})})
    terminal = Terminal(settings, build_devices(settings.devices), StaticCatalog(seed_catalog))
    terminal.knowledge = ServedKnowledge(knowledge_base, [])
    kiosk = shown_kiosk(qapp, qtbot, terminal)
    speech = terminal.devices.by_family["speech"]

    async def scenario():
        kiosk.shell.set_elder_mode(True)
        kiosk.shell.show(FORM)
        assert kiosk.spoken.button.text() == "普通话朗读"
        await until(lambda: "填写" in last_said(speech)[0])
        assert last_said(speech)[1] is Language.CANTONESE

    try:
        loop.run_until_complete(scenario())
    finally:
        qapp.removeEventFilter(kiosk.activity)
        qapp.removeEventFilter(kiosk.read_aloud)
