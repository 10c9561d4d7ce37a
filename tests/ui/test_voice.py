"""语音提问 on screen: speech fed through the ASR port (the simulated microphone "hears" a
sentence) to an answer shown and spoken; over other work, an overlay that leaves it intact."""

from __future__ import annotations

import asyncio

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit

from central.contract import HotService
from devices.registry import build_devices
from flows.steps import FieldView, FormStep
from kiosk.settings import load_settings
from kiosk.terminal import Terminal
from tests.ui.conftest import (
    ServedKnowledge,
    StaticCatalog,
    buttons,
    running,
    shown_kiosk,
    tap,
    until,
)
from ui.read_aloud import plain
from ui.screens.guide import GuideScreen
from ui.screens.home import HomeScreen
from ui.screens.search import AnswerScreen
from ui.screens.theme import ThemeScreen
from ui.simulator_panel import SimulatorPanel
from ui.voice import HOLD_S


@pytest.fixture
def kiosk(qapp, qtbot, seed_catalog, knowledge_base):
    terminal = Terminal(load_settings(), build_devices(load_settings().devices),
                        StaticCatalog(seed_catalog))
    terminal.knowledge = ServedKnowledge(
        knowledge_base, [HotService(service_id="SS-001", name="社保参保证明打印", asks=3)])
    kiosk = shown_kiosk(qapp, qtbot, terminal)
    yield kiosk
    qapp.removeEventFilter(kiosk.activity)


@pytest.fixture
def speech(kiosk):
    return kiosk.terminal.devices.by_family["speech"]


def said(speech) -> str:
    return "\n".join(text for text, _language in speech.spoken)


def overlay_text(window) -> str:
    return readable(window.overlay) if window.overlay is not None else ""


def readable(widget) -> str:
    """The text a person reads (highlighting markup rendered away)."""
    return "\n".join(plain(label) for label in widget.findChildren(QLabel) if label.isVisible())


def test_a_spoken_question_on_home_is_answered_on_screen_and_aloud(loop, kiosk, qtbot, speech):
    window = kiosk.window

    async def scenario():
        assert window.voice_button.isEnabled()
        tap(qtbot, window.voice_button)
        await until(lambda: speech.voice.listening)
        assert "请说出您要办理的事项" in overlay_text(window)
        speech.voice.hear("我要打社保证明")
        await until(lambda: isinstance(window.current_screen, AnswerScreen))
        assert window.overlay is None
        shown = readable(window.current_screen)
        assert "您说的是：我要打社保证明" in shown
        assert "社保参保证明打印" in shown
        answer = kiosk.terminal.knowledge.knowledge.ask("我要打社保证明").hits[0]
        assert answer.service_id == "SS-001" and answer.answer in shown
        assert "查看办事指南：社保参保证明打印" in buttons(window.current_screen)
        await until(lambda: answer.answer in said(speech))
        tap(qtbot, buttons(window.current_screen)["查看办事指南：社保参保证明打印"])
        await until(lambda: isinstance(window.current_screen, GuideScreen))

    running(loop, kiosk, scenario)


def test_the_phrase_list_of_the_knowledge_base_limits_what_is_listened_for(loop, kiosk, qtbot,
                                                                            speech):
    heard_with: list[tuple[str, ...]] = []
    listen = speech.voice.listen

    async def recording(phrases=()):
        heard_with.append(tuple(phrases))
        return await listen(phrases)

    speech.voice.listen = recording

    async def scenario():
        tap(qtbot, kiosk.window.voice_button)
        await until(lambda: speech.voice.listening)
        speech.voice.hear("社保证明")
        await until(lambda: isinstance(kiosk.window.current_screen, AnswerScreen))

    running(loop, kiosk, scenario)
    (phrases,) = heard_with
    assert "社保参保证明打印" in phrases and len(phrases) > 40


def test_in_the_middle_of_other_work_the_answer_comes_over_it(loop, kiosk, qtbot, speech):
    window = kiosk.window

    async def scenario():
        tap(qtbot, buttons(window.current_screen)["公积金\n3 项"])
        await until(lambda: isinstance(window.current_screen, ThemeScreen))
        assert not window.voice_button.isEnabled(), "standard mode: voice on home only"
        tap(qtbot, window.elder_button)
        await until(lambda: window.voice_button.isEnabled())
        page = window.current_screen
        tap(qtbot, window.voice_button)
        await until(lambda: speech.voice.listening)
        speech.voice.hear("我要打社保证明")
        await until(lambda: "继续当前办理" in buttons(window.overlay or window))
        assert "社保参保证明打印" in overlay_text(window)
        assert window.current_screen is page, "the page underneath is untouched"
        tap(qtbot, buttons(window.overlay)["继续当前办理"])
        await until(lambda: window.overlay is None)
        assert window.current_screen is page and isinstance(page, ThemeScreen)

    running(loop, kiosk, scenario)


def test_without_a_voice_model_the_button_says_so(loop, kiosk, qtbot, speech):
    speech.set_voice_available(False)
    window = kiosk.window

    async def scenario():
        tap(qtbot, window.voice_button)
        await until(lambda: "语音输入暂不可用" in overlay_text(window))
        tap(qtbot, buttons(window.overlay)["知道了"])
        await until(lambda: window.overlay is None)
        assert isinstance(window.current_screen, HomeScreen)

    running(loop, kiosk, scenario)


def test_nothing_heard_asks_to_try_again(loop, kiosk, qtbot, speech):
    speech.voice.timeout_s = 0.3
    window = kiosk.window

    async def scenario():
        tap(qtbot, window.voice_button)
        await until(lambda: "没有听清" in overlay_text(window))

    running(loop, kiosk, scenario)


def test_a_form_half_filled_in_is_still_there_after_a_voice_question(loop, kiosk, qtbot,
                                                                      speech):
    window = kiosk.window
    kiosk.shell.set_elder_mode(True)
    form = FormStep("居住证办理", (FieldView("address", "居住地址", "text", True, False),))

    async def scenario():
        kiosk.shell.show(form)
        (field,) = window.current_screen.findChildren(QLineEdit)
        field.setText("幸福路 8 号")
        page = window.current_screen
        assert window.voice_button.isEnabled(), "elder mode: voice on every screen"
        tap(qtbot, window.voice_button)
        await until(lambda: speech.voice.listening)
        speech.voice.hear("公积金怎么提取")
        await until(lambda: "继续当前办理" in buttons(window.overlay or window))
        assert "您说的是：公积金怎么提取" in overlay_text(window)
        tap(qtbot, buttons(window.overlay)["继续当前办理"])
        await until(lambda: window.overlay is None)
        assert window.current_screen is page and field.text() == "幸福路 8 号"

    loop.run_until_complete(scenario())


def test_the_demo_panel_speaks_into_the_microphone(loop, kiosk, qtbot, speech):
    panel = SimulatorPanel(kiosk.terminal.devices)
    qtbot.addWidget(panel)
    panel.show()
    window = kiosk.window

    async def scenario():
        tap(qtbot, window.voice_button)
        await until(lambda: speech.voice.listening)
        tap(qtbot, buttons(panel)["说：公基金怎么取"])
        await until(lambda: isinstance(window.current_screen, AnswerScreen))
        assert "您说的是：公基金怎么取" in readable(window.current_screen)
        assert any("公积金" in text for text in buttons(window.current_screen)), (
            "公基金 heard as 公积金")
        tap(qtbot, window.voice_button)
        await until(lambda: speech.voice.listening)
        (box,) = panel.findChildren(QLineEdit)
        box.setText("护照怎么办")
        tap(qtbot, buttons(panel)["说"])
        await until(lambda: "您说的是：护照怎么办" in readable(window.current_screen))

    running(loop, kiosk, scenario)


def test_letting_go_of_a_held_button_ends_the_question(loop, kiosk, qtbot, speech):
    window = kiosk.window
    # silence alone does not end this listening within the test: only letting go can
    speech.voice.timeout_s = 60

    async def scenario():
        qtbot.mousePress(window.voice_button, Qt.MouseButton.LeftButton)
        await until(lambda: speech.voice.listening)
        await asyncio.sleep(HOLD_S + 0.1)  # held, said nothing
        qtbot.mouseRelease(window.voice_button, Qt.MouseButton.LeftButton)
        await until(lambda: "没有听清" in overlay_text(window))
        assert not speech.voice.listening

    running(loop, kiosk, scenario)
