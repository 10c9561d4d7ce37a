"""Reading aloud on the speech simulator: elder mode reads each screen on arrival, an answer is
read in any mode, and 读给我听 reads the next tapped element instead of acting on it."""

from __future__ import annotations

import pytest

from common.i18n import tr
from devices.registry import build_devices
from flows.steps import Choice, MessageStep
from kiosk.settings import load_settings
from kiosk.terminal import Terminal
from tests.ui.conftest import StaticCatalog, buttons, running, shown_kiosk, tap, until
from ui.screens.elder_home import ThemesScreen
from ui.screens.guide import GuideScreen
from ui.screens.home import HomeScreen
from ui.screens.theme import ThemeScreen


@pytest.fixture
def kiosk(qapp, qtbot, seed_catalog):
    terminal = Terminal(load_settings(), build_devices(load_settings().devices),
                        StaticCatalog(seed_catalog))
    kiosk = shown_kiosk(qapp, qtbot, terminal)
    yield kiosk
    qapp.removeEventFilter(kiosk.activity)


@pytest.fixture
def speech(kiosk):
    return kiosk.terminal.devices.by_family["speech"]


@pytest.fixture
def asked_to_say(speech) -> list[str]:
    """Every text handed to the simulated speaker (it voices them sentence by sentence, in
    real time, so a long text's last sentence is heard seconds later)."""
    texts: list[str] = []
    say = speech.speaker.say

    def recording(text, *args, **kwargs):
        texts.append(text)
        return say(text, *args, **kwargs)

    speech.speaker.say = recording
    return texts


def test_elder_mode_reads_each_screen_on_arrival_title_then_choices(loop, kiosk, qtbot, speech,
                                                                    asked_to_say):
    window = kiosk.window

    async def scenario():
        assert asked_to_say == [], "standard mode: screens are not read"
        tap(qtbot, window.elder_button)
        await until(lambda: asked_to_say)
        home = asked_to_say[-1]
        assert home.startswith("您好，请选择要办理的事项。")
        assert "您可以选择：养老金领取资格认证" in home and "更多事项" in home  # the elder home
        # the simulator voices the first sentence at once
        await until(lambda: any("您好，请选择要办理的事项" in text for text, _ in speech.spoken))
        assert speech.speaker.elder_mode, "elder mode speaks more slowly"

        tap(qtbot, window.current_screen.more_tile)
        await until(lambda: isinstance(window.current_screen, ThemesScreen))
        tap(qtbot, buttons(window.current_screen)["社保\n7 项"])
        await until(lambda: isinstance(window.current_screen, ThemeScreen))
        await until(lambda: "社保参保证明打印" in asked_to_say[-1])
        tap(qtbot, buttons(window.current_screen)["社保参保证明打印    ›"])
        await until(lambda: isinstance(window.current_screen, GuideScreen))
        await until(lambda: asked_to_say[-1].startswith("社保参保证明打印。"))
        assert "需要您提交的材料" in asked_to_say[-1]

    running(loop, kiosk, scenario)


def test_any_screen_is_read_without_code_of_its_own(loop, kiosk, qtbot, asked_to_say):
    kiosk.shell.set_elder_mode(True)
    kiosk.shell.show(MessageStep(
        tr("此事项需要联网办理"), (tr("网络恢复后可继续办理。"),),
        (Choice("staff", tr("呼叫工作人员")), Choice("home", tr("返回首页"), primary=True))))
    spoken = asked_to_say[-1]
    assert spoken.startswith("此事项需要联网办理。网络恢复后可继续办理。")
    assert spoken.endswith("您可以选择：呼叫工作人员、返回首页。")


def test_read_to_me_reads_the_next_tapped_element_instead_of_acting(loop, kiosk, qtbot,
                                                                     asked_to_say):
    window = kiosk.window

    async def scenario():
        tap(qtbot, window.read_button)
        assert window.read_button.isChecked()
        tile = buttons(window.current_screen)["公积金\n3 项"]
        clicks: list[bool] = []
        tile.clicked.connect(lambda *_: clicks.append(True))  # emitted within the tap, if at all
        tap(qtbot, tile)
        await until(lambda: asked_to_say)
        assert asked_to_say[-1] == "公积金 3 项"
        assert clicks == [], "read, not opened"
        assert isinstance(window.current_screen, HomeScreen)
        assert not window.read_button.isChecked(), "one tap only"
        tap(qtbot, buttons(window.current_screen)["公积金\n3 项"])
        await until(lambda: isinstance(window.current_screen, ThemeScreen))
        tap(qtbot, window.read_button)
        tap(qtbot, window.home_button)
        await until(lambda: asked_to_say[-1] == "首页")
        assert isinstance(window.current_screen, ThemeScreen)

    running(loop, kiosk, scenario)
