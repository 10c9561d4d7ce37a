"""长辈模式's home on screen: at most six services, 语音提问, 呼叫工作人员 and 更多事项, all on
the screen at once; the hall's configured list; each tile doing what it says."""

from __future__ import annotations

import asyncio

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QPushButton, QWidget

from devices.registry import build_devices
from flows.browse import theme_tiles
from flows.convenience import OpenConvenience
from flows.directions import OpenHallMap
from flows.steps import OpenProgress, ThemesStep
from kiosk.settings import load_settings
from kiosk.terminal import Terminal
from tests.ui.conftest import (
    SCENARIO_LIMIT_S,
    ServedKnowledge,
    StaticCatalog,
    buttons,
    running,
    shown_kiosk,
    tap,
    texts,
)
from tests.ui.conftest import until as until_shown
from ui.screens.elder_home import ElderHomeScreen, ThemesScreen
from ui.screens.guide import GuideScreen
from ui.screens.search import AnswerScreen
from ui.screens.theme import ThemeScreen
from ui.tokens import ELDER


@pytest.fixture
def elder_services() -> list[str]:
    return []


@pytest.fixture
def kiosk(qapp, qtbot, seed_catalog, knowledge_base, elder_services):
    settings = load_settings()
    settings = settings.model_copy(update={"ui": settings.ui.model_copy(
        update={"elder_services": elder_services})})
    terminal = Terminal(settings, build_devices(settings.devices), StaticCatalog(seed_catalog))
    terminal.knowledge = ServedKnowledge(knowledge_base, [])
    kiosk = shown_kiosk(qapp, qtbot, terminal)
    yield kiosk
    qapp.removeEventFilter(kiosk.activity)


def names(tiles: list[QPushButton]) -> list[str]:
    return [tile.accessibleName() for tile in tiles]


def seen(kiosk, text: str) -> str:
    """`text` as the screen shows it: in plain words where the shell has a glossary."""
    plain = getattr(kiosk.shell, "plain", None)
    return plain(text) if plain is not None else text


def on_screen(widget: QWidget, window: QWidget) -> bool:
    """Wholly inside the window's content, above the bottom bar."""
    top_left = widget.mapTo(window, widget.rect().topLeft())
    where = QRect(top_left, widget.size())
    content = QRect(window.content.mapTo(window, window.content.rect().topLeft()),
                    window.content.size())
    return widget.isVisible() and content.contains(where)


def test_the_elder_home_has_six_services_voice_staff_and_more_on_one_screen(
        loop, kiosk, qtbot):
    window = kiosk.window
    speech = kiosk.terminal.devices.by_family["speech"]

    async def scenario():
        tap(qtbot, window.elder_button)
        await until_shown(lambda: isinstance(window.current_screen, ElderHomeScreen))
        home = window.current_screen
        assert names(home.service_tiles) == [seen(kiosk, name) for name in (
            "养老金领取资格认证", "医保参保凭证打印", "社保参保证明打印", "高龄津贴申领",
            "材料复印与身份证复印件打印", "办件进度查询")]
        assert home.voice_tile.accessibleName() == "语音提问\n说出您要办的事"
        assert home.staff_tile.accessibleName() == window.staff_button.text() == "呼叫工作人员"
        assert home.more_tile.accessibleName() == "更多事项"
        tiles = [*home.service_tiles, home.voice_tile, home.staff_tile, home.more_tile]
        assert all(on_screen(tile, window) for tile in tiles), "nothing below the fold"
        assert all(tile.height() >= 2 * ELDER.target_min for tile in tiles)
        assert "搜索" not in " ".join(buttons(home)), "no search box: speak or tap"

        tap(qtbot, home.staff_tile)  # the bar's help, exactly
        help_dialog = getattr(window, "help_overlay", None) or window.overlay
        assert help_dialog is not None and help_dialog.isVisible()
        tap(qtbot, buttons(help_dialog)["知道了"])
        assert isinstance(window.current_screen, ElderHomeScreen)

        tap(qtbot, window.current_screen.voice_tile)  # the bar's push-to-talk
        await until_shown(lambda: speech.voice.listening)
        speech.voice.hear("我要打社保证明")
        await until_shown(lambda: isinstance(window.current_screen, AnswerScreen))
        tap(qtbot, window.home_button)
        await until_shown(lambda: isinstance(window.current_screen, ElderHomeScreen))

        tap(qtbot, window.current_screen.more_tile)
        await until_shown(lambda: isinstance(window.current_screen, ThemesScreen))
        theme_tiles = [t for t in buttons(window.current_screen) if "项" in t]
        assert len(theme_tiles) == ELDER.tiles_per_page
        # a kiosk with no platform to apply to offers no lookup, 便民服务 or hall map above
        assert window.current_screen.entries == {}
        tap(qtbot, buttons(window.current_screen)["社保\n7 项"])
        await until_shown(lambda: isinstance(window.current_screen, ThemeScreen))
        tap(qtbot, window.back_button)
        await until_shown(lambda: isinstance(window.current_screen, ThemesScreen))
        tap(qtbot, window.back_button)
        await until_shown(lambda: isinstance(window.current_screen, ElderHomeScreen))

        tap(qtbot, window.current_screen.service_tiles[0])
        await until_shown(lambda: isinstance(window.current_screen, GuideScreen))
        assert "养老金领取资格认证" in texts(window.current_screen)

    running(loop, kiosk, scenario)


@pytest.mark.parametrize("elder_services", [["SS-029", "SS-005", "SS-999"]])
def test_the_halls_configured_list_is_shown_in_its_order(loop, kiosk, qtbot):
    window = kiosk.window

    async def scenario():
        tap(qtbot, window.elder_button)
        await until_shown(lambda: isinstance(window.current_screen, ElderHomeScreen))
        # an id the catalog does not hold is left out
        assert names(window.current_screen.service_tiles) == ["高龄津贴申领", "养老金领取资格认证"]

    running(loop, kiosk, scenario)


def test_on_an_upright_screen_the_tiles_come_in_two_columns_and_all_fit(loop, kiosk, qtbot):
    window = kiosk.window

    async def scenario():
        tap(qtbot, window.elder_button)
        await until_shown(lambda: isinstance(window.current_screen, ElderHomeScreen))
        home = window.current_screen
        assert home.columns == 3
        window.resize(1080, 1920)
        await until_shown(lambda: home.columns == 2)
        tiles = [*home.service_tiles, home.voice_tile, home.staff_tile, home.more_tile]
        await until_shown(lambda: all(on_screen(tile, window) for tile in tiles))
        assert all(tile.height() >= 2 * ELDER.target_min for tile in tiles)

    running(loop, kiosk, scenario)


def test_more_offers_the_lookup_the_services_and_the_hall_map_above_the_themes(
        loop, kiosk, qtbot, seed_catalog):
    """The elder home has no room for what the standard home has beside its themes: 更多事项
    shows it first, as large as the elder mode's buttons, each answering as home's does."""
    window = kiosk.window
    step = ThemesStep(theme_tiles(seed_catalog), progress=True, convenience=True, hall_map=True)

    async def tap_each() -> list:
        kiosk.shell.set_elder_mode(True)
        answers = []
        for key in ("progress", "convenience", "hall_map"):
            before = window.current_screen
            asked = asyncio.ensure_future(kiosk.shell.ask(step))
            await until_shown(lambda before=before: window.current_screen is not before
                              and isinstance(window.current_screen, ThemesScreen))
            screen = window.current_screen
            entries = screen.entries
            assert [entries[k].text() for k in entries] == [
                seen(kiosk, words) for words in ("办件进度查询", "便民服务", "大厅导航")]
            assert all(on_screen(entry, window) and entry.height() >= ELDER.target_min
                       for entry in entries.values())
            pager_top = screen.pager.mapTo(window, screen.pager.rect().topLeft()).y()
            assert all(entry.mapTo(window, entry.rect().bottomLeft()).y() < pager_top
                       for entry in entries.values()), "above the themes"
            tap(qtbot, entries[key])
            answers.append(await asked)
        return answers

    answers = loop.run_until_complete(asyncio.wait_for(tap_each(), SCENARIO_LIMIT_S))
    assert [type(answer) for answer in answers] == [OpenProgress, OpenConvenience, OpenHallMap]
