"""Browse → guide, driven by a scripted person, without Qt."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import pytest

from central.contract import Catalog
from flows.browse import browse_catalog
from flows.steps import GuideStep, HomeStep, Nav, OpenService, OpenTheme, ThemeStep
from tests.flows.scripted_ui import ScriptedUi, ScriptEnded


@dataclass
class Status:
    online: bool = True


@dataclass
class FakeSource:
    catalog: Catalog | None
    status: Status


def run(ui: ScriptedUi, source: FakeSource) -> None:
    with pytest.raises(ScriptEnded):
        asyncio.run(browse_catalog(ui, source))


def render(text) -> str:
    return text if isinstance(text, str) else text.render()


def test_home_shows_each_theme_that_has_services(seed_catalog):
    ui = ScriptedUi([])
    run(ui, FakeSource(seed_catalog, Status()))
    home = ui.shown[0]
    assert isinstance(home, HomeStep)
    tiles = {tile.theme: tile.service_count for tile in home.tiles}
    assert tiles["社保"] == 7 and tiles["公积金"] == 3
    assert sum(tiles.values()) == 40


def test_theme_then_service_opens_its_guide_and_back_returns_to_the_theme(seed_catalog):
    ui = ScriptedUi([OpenTheme("公积金"), OpenService("SS-011"), Nav.BACK, Nav.HOME])
    run(ui, FakeSource(seed_catalog, Status()))
    home, theme, guide, theme_again, home_again = ui.shown
    assert isinstance(home, HomeStep)
    assert isinstance(theme, ThemeStep) and [s.id for s in theme.services] == [
        "SS-010", "SS-011", "SS-012"]
    assert isinstance(guide, GuideStep) and guide.guide.title == "公积金提取（租房）"
    assert isinstance(theme_again, ThemeStep) and theme_again.theme == "公积金"
    assert isinstance(home_again, HomeStep)


def test_home_from_a_guide_goes_straight_home(seed_catalog):
    ui = ScriptedUi([OpenTheme("社保"), OpenService("SS-001"), Nav.HOME])
    run(ui, FakeSource(seed_catalog, Status()))
    assert [type(s) for s in ui.shown] == [HomeStep, ThemeStep, GuideStep, HomeStep]


def test_guide_says_what_to_bring_what_it_costs_and_how_long(seed_catalog):
    ui = ScriptedUi([OpenService("SS-019")])
    run(ui, FakeSource(seed_catalog, Status()))
    guide = ui.shown[1].guide
    facts = {render(row.label): render(row.value) for row in guide.facts}
    # the catalog allows paying at a kiosk, but no flow here takes a passport's fee
    assert facts["收费"].startswith("120 元，请到窗口缴纳")
    assert "缴费" not in facts["本机可办"]
    assert facts["办理时限"].startswith("承诺 7 个工作日")
    assert "证件 + 现场人脸核验" in facts["身份核验"]
    assert guide.availability is None
    brought = [m for m in guide.materials if not m.shared]
    assert brought, "a passport application needs something from the citizen"


def test_shared_materials_say_the_citizen_brings_nothing(seed_catalog):
    ui = ScriptedUi([OpenService("SS-001")])
    run(ui, FakeSource(seed_catalog, Status()))
    (card,) = ui.shown[1].guide.materials
    assert card.shared and render(card.detail).startswith("无需提交，由公安共享获取")


def test_offline_guide_warns_that_an_online_only_service_cannot_be_done(seed_catalog):
    ui = ScriptedUi([OpenService("SS-001")])
    run(ui, FakeSource(seed_catalog, Status(online=False)))
    assert "请到人工窗口办理" in render(ui.shown[1].guide.availability)


def test_offline_guide_of_a_queueable_service_explains_the_queue(seed_catalog):
    ui = ScriptedUi([OpenService("SS-011")])
    run(ui, FakeSource(seed_catalog, Status(online=False)))
    assert "网络恢复后自动提交" in render(ui.shown[1].guide.availability)


def test_no_catalog_at_all_says_so_on_home():
    ui = ScriptedUi([])
    run(ui, FakeSource(None, Status(online=False)))
    assert ui.shown[0].tiles == () and "暂时无法获取服务事项" in render(ui.shown[0].unavailable)


def test_a_service_removed_by_a_refresh_returns_home(seed_catalog):
    source = FakeSource(seed_catalog, Status())

    def refresh_removes_theme(step):
        source.catalog = seed_catalog.model_copy(
            update={"services": [s for s in seed_catalog.services if s.theme != "婚姻"]})
        return OpenService("SS-025")

    ui = ScriptedUi([OpenTheme("婚姻"), refresh_removes_theme])
    run(ui, source)
    assert [type(s) for s in ui.shown] == [HomeStep, ThemeStep, HomeStep]
