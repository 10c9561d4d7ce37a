"""The kiosk on screen: tiles, theme pages, guides, elder mode, language, and walking away."""

from __future__ import annotations

import pytest

from devices.registry import build_devices
from devices.speech.tts import SpeechOutcome
from kiosk.settings import load_settings
from kiosk.terminal import Terminal
from tests.ui.conftest import StaticCatalog, buttons, running, shown_kiosk, tap, texts, until
from ui.screens.elder_home import ElderHomeScreen, ThemesScreen
from ui.screens.guide import GuideScreen
from ui.screens.home import HomeScreen
from ui.screens.theme import ThemeScreen
from ui.tokens import ELDER, STANDARD


@pytest.fixture
def ui_settings() -> dict:
    return {}


@pytest.fixture
def kiosk(qapp, qtbot, seed_catalog, ui_settings):
    settings = load_settings()
    # model_copy skips validation: timeouts shorter than an installer may configure
    settings = settings.model_copy(update={"ui": settings.ui.model_copy(update=ui_settings)})
    terminal = Terminal(settings, build_devices(settings.devices), StaticCatalog(seed_catalog))
    kiosk = shown_kiosk(qapp, qtbot, terminal)
    yield kiosk
    qapp.removeEventFilter(kiosk.activity)
    kiosk.shell.set_language("zh_CN")


def test_a_tile_opens_its_theme_and_a_service_opens_its_guide(loop, kiosk, qtbot):
    window = kiosk.window

    async def scenario():
        tap(qtbot, buttons(window.current_screen)["公积金\n3 项"])
        await until(lambda: isinstance(window.current_screen, ThemeScreen))
        assert "公积金" in texts(window.current_screen)
        tap(qtbot, buttons(window.current_screen)["公积金提取（租房）    ›"])
        await until(lambda: isinstance(window.current_screen, GuideScreen))
        guide = texts(window.current_screen)
        assert "公积金提取（租房）" in guide and "住房公积金管理中心" in guide
        assert "本人社会保障卡（金融账户）或本人一类银行卡" in guide
        tap(qtbot, window.back_button)
        await until(lambda: isinstance(window.current_screen, ThemeScreen))
        tap(qtbot, window.home_button)
        await until(lambda: isinstance(window.current_screen, HomeScreen))

    running(loop, kiosk, scenario)


def test_themes_beyond_the_first_page_are_reached_with_next_page(loop, kiosk, qtbot):
    window = kiosk.window

    async def scenario():
        last = kiosk.shell.step.tiles[-1]
        last_tile = f"{last.theme}\n{last.service_count} 项"
        assert last_tile not in buttons(window.current_screen)
        tap(qtbot, buttons(window.current_screen)["下一页"])
        await until(lambda: last_tile in buttons(window.current_screen))
        tap(qtbot, buttons(window.current_screen)[last_tile])
        await until(lambda: isinstance(window.current_screen, ThemeScreen))
        assert last.theme in texts(window.current_screen)

    running(loop, kiosk, scenario)


def test_elder_mode_enlarges_type_and_targets_and_shows_fewer_tiles(loop, kiosk, qtbot):
    window = kiosk.window

    async def scenario():
        standard_tiles = len([t for t in buttons(window.current_screen) if "项" in t])
        tap(qtbot, window.elder_button)
        await until(lambda: isinstance(window.current_screen, ElderHomeScreen))
        tap(qtbot, window.current_screen.more_tile)  # the themes, behind 更多事项
        await until(lambda: isinstance(window.current_screen, ThemesScreen))
        elder_tiles = len([t for t in buttons(window.current_screen) if "项" in t])
        assert (standard_tiles, elder_tiles) == (STANDARD.tiles_per_page, ELDER.tiles_per_page)
        assert window.home_button.height() >= ELDER.target_min
        assert kiosk.runtime.idle.timeout_s == kiosk.terminal.settings.ui.elder_idle_timeout_s

    running(loop, kiosk, scenario)


def test_english_switch_translates_the_screen(loop, kiosk, qtbot):
    window = kiosk.window

    async def scenario():
        tap(qtbot, window.language_button)
        await until(lambda: window.home_button.text() == "Home")
        assert "Hello, please choose a service" in texts(window.current_screen)
        assert window.language_button.text() == "中文"

    running(loop, kiosk, scenario)


@pytest.mark.parametrize("ui_settings", [
    {"idle_timeout_s": 60, "elder_idle_timeout_s": 0.3, "idle_countdown_s": 1}])
def test_walking_away_asks_then_returns_home_and_resets_the_visit(loop, kiosk, qtbot):
    window = kiosk.window

    async def scenario():
        tap(qtbot, window.elder_button)
        tap(qtbot, window.language_button)
        tap(qtbot, window.current_screen.more_tile)
        await until(lambda: isinstance(window.current_screen, ThemesScreen))
        tap(qtbot, buttons(window.current_screen)["社保\nservices: 7"])
        await until(lambda: isinstance(window.current_screen, ThemeScreen))
        await until(lambda: window.overlay is not None)
        assert "Still there?" in texts(window.overlay)
        await until(lambda: isinstance(window.current_screen, HomeScreen)
                    and window.overlay is None)
        assert not kiosk.shell.elder_mode and window.home_button.text() == "首页"

    running(loop, kiosk, scenario)


@pytest.mark.parametrize("ui_settings", [{"idle_timeout_s": 0.3, "idle_countdown_s": 5}])
def test_tapping_continue_keeps_the_person_where_they_were(loop, kiosk, qtbot):
    window = kiosk.window

    async def scenario():
        tap(qtbot, buttons(window.current_screen)["社保\n7 项"])
        await until(lambda: isinstance(window.current_screen, ThemeScreen))
        await until(lambda: window.overlay is not None)
        tap(qtbot, buttons(window.overlay)["继续办理"])
        await until(lambda: window.overlay is None)
        assert isinstance(window.current_screen, ThemeScreen)

    running(loop, kiosk, scenario)


def test_offline_catalog_shows_the_banner_with_its_time(loop, kiosk, qtbot, seed_catalog):
    kiosk.terminal.catalog.status = StaticCatalog(seed_catalog, online=False).status
    kiosk.shell.show_catalog_status(kiosk.terminal.catalog.status)
    assert kiosk.window.banner.isVisible()
    assert kiosk.window.banner.text().startswith("离线服务 · 数据更新于 ")


def test_speech_stops_when_the_screen_changes(loop, kiosk, qtbot):
    speaker = kiosk.terminal.devices.by_family["speech"].speaker

    async def scenario():
        utterance = speaker.say("欢迎使用政务服务自助终端，请选择您要办理的事项。" * 5)
        tap(qtbot, buttons(kiosk.window.current_screen)["社保\n7 项"])
        await until(lambda: isinstance(kiosk.window.current_screen, ThemeScreen))
        await until(lambda: utterance.done)  # stopped, not finished: ~30 s of speech
        assert utterance.wait(0) is SpeechOutcome.STOPPED

    running(loop, kiosk, scenario)
