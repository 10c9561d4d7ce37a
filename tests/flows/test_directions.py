"""大厅导航: from any guide 去哪里办理 shows the hall's plan with the serving area highlighted
and named; a service no area serves sends the person to the 综合受理 window or the desk; the
kiosk's copy is used (and its age said) when the platform cannot be reached."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime

import pytest

from central.contract.hall_map import HallMap, Rect, WindowArea
from common.hall_map import HallMapView
from flows.citizen import serve_citizen
from flows.directions import (
    DESK,
    DIRECTIONS,
    WHERE,
    HallMapStep,
    OpenHallMap,
    show_directions,
    show_hall_map,
)
from flows.queue_ticket import QueueTicketStep, take_queue_ticket
from flows.steps import (
    Choose,
    GuideStep,
    HomeStep,
    MessageStep,
    Nav,
    OpenService,
    OpenThemes,
    ThemesStep,
)
from tests.flows.kiosk_harness import Kiosk
from tests.flows.scripted_ui import ScriptedUi, ScriptEnded
from tests.flows.test_queue_ticket import FakeQueue

A = WindowArea(area_id="a", name="一楼 A 区 1-4 号窗口", rect=Rect(x=0.05, y=0.08, w=0.4, h=0.3),
               queue_groups=["A"], themes=["社保", "医保"])
PASSPORTS = WindowArea(area_id="p", name="二楼出入境窗口", rect=Rect(x=0.5, y=0.5, w=0.2, h=0.2),
                       services=["SS-019"])
B = WindowArea(area_id="b", name="一楼 B 区 5-8 号窗口", rect=Rect(x=0.55, y=0.08, w=0.4, h=0.3),
               themes=["护照通行证", "户政（治安）"])
MAP = HallMap(hall="测试大厅", image_sha256="0" * 64, width=1200, height=800,
              areas=[A, PASSPORTS, B], updated_at=datetime(2026, 12, 1, tzinfo=UTC))
PLAN = b"\x89PNG\r\n\x1a\nplan"
FETCHED = datetime(2026, 11, 20, 2, tzinfo=UTC)


@dataclass
class FakeHallMap:
    """The map as `kiosk.hall_map_source` gives it: fresh, the kiosk's copy, or nothing."""

    from_copy: bool = False
    nothing: bool = False
    asked: int = 0

    async def current(self) -> HallMapView | None:
        self.asked += 1
        if self.nothing:
            return None
        return HallMapView(MAP, PLAN, FETCHED, from_copy=self.from_copy)


@pytest.fixture
def kiosk(seed_catalog) -> Kiosk:
    return Kiosk(ScriptedUi([]), seed_catalog)


def render(text) -> str:
    return text if isinstance(text, str) else text.render()


def directions_for(kiosk: Kiosk, service_id: str, hall_map: FakeHallMap) -> HallMapStep:
    kiosk.ui.script = [Choose("done")]
    kiosk.run(lambda ctx: show_directions(replace(ctx, hall_map=hall_map),
                                          kiosk.service(service_id)))
    (shown,) = kiosk.ui.of_type(HallMapStep)
    return shown


def test_from_a_guide_the_serving_area_is_highlighted_named_and_said(kiosk) -> None:
    hall_map = FakeHallMap()
    kiosk.ui.script = [OpenService("SS-009"), Choose(DIRECTIONS), Choose("done"), Nav.HOME]
    with pytest.raises(ScriptEnded):
        kiosk.run(lambda ctx: serve_citizen(replace(ctx, hall_map=hall_map)))
    guides = kiosk.ui.of_type(GuideStep)
    assert len(guides) == 2, "the guide again after the map"
    assert guides[0].directions is not None
    assert render(guides[0].directions.label) == "去哪里办理"
    (shown,) = kiosk.ui.of_type(HallMapStep)
    assert (shown.title, shown.area_name, shown.highlight) == (
        "城乡居民养老保险缴费", "一楼 A 区 1-4 号窗口", A.rect)
    assert render(shown.said) == "请到一楼 A 区 1-4 号窗口办理。"
    assert shown.plan == PLAN and shown.age is None
    assert isinstance(kiosk.ui.shown[-1], HomeStep)


def test_a_guide_offers_no_directions_on_a_kiosk_without_a_map(kiosk) -> None:
    kiosk.ui.script = [OpenService("SS-009")]
    with pytest.raises(ScriptEnded):
        kiosk.run(serve_citizen)
    (guide,) = kiosk.ui.of_type(GuideStep)
    assert guide.directions is None


def test_an_area_that_lists_the_service_comes_before_the_one_of_its_theme(kiosk) -> None:
    assert directions_for(kiosk, "SS-019", FakeHallMap()).area_name == "二楼出入境窗口"
    kiosk.ui.shown.clear()
    assert directions_for(kiosk, "SS-018", FakeHallMap()).area_name == "一楼 B 区 5-8 号窗口"


def test_a_service_no_area_serves_sends_the_person_to_the_desk(kiosk) -> None:
    shown = directions_for(kiosk, "SS-030", FakeHallMap())  # 法律服务: not on this map
    assert (shown.highlight, shown.area_name) == (None, None)
    assert [render(line) for line in shown.lines] == ["请到综合受理窗口或咨询服务台。"]
    assert shown.said == DESK


def test_the_kiosk_s_copy_says_how_old_it_is(kiosk) -> None:
    shown = directions_for(kiosk, "SS-009", FakeHallMap(from_copy=True))
    assert shown.area_name == "一楼 A 区 1-4 号窗口"
    local_day = FETCHED.astimezone().strftime("%Y-%m-%d")
    assert render(shown.age) == f"网络中断，显示的是本机 {local_day} 保存的平面图。"


def test_no_map_at_all_still_says_where_to_ask(kiosk) -> None:
    kiosk.ui.script = [Choose("done")]
    kiosk.run(lambda ctx: show_directions(replace(ctx, hall_map=FakeHallMap(nothing=True)),
                                          kiosk.service("SS-009")))
    (message,) = kiosk.ui.of_type(MessageStep)
    assert [render(line) for line in message.lines] == ["城乡居民养老保险缴费",
                                                        "请到综合受理窗口或咨询服务台。"]
    assert kiosk.ui.of_type(HallMapStep) == []


def test_the_whole_hall_lists_its_areas(kiosk) -> None:
    kiosk.ui.script = [Choose("done")]
    kiosk.run(lambda ctx: show_hall_map(replace(ctx, hall_map=FakeHallMap())))
    (shown,) = kiosk.ui.of_type(HallMapStep)
    assert shown.highlight is None
    assert list(shown.lines) == ["一楼 A 区 1-4 号窗口", "二楼出入境窗口", "一楼 B 区 5-8 号窗口"]


def test_home_offers_the_hall_map_where_the_kiosk_has_one(kiosk) -> None:
    kiosk.ui.script = [OpenHallMap(), Choose("done")]
    with pytest.raises(ScriptEnded):
        kiosk.run(lambda ctx: serve_citizen(replace(ctx, hall_map=FakeHallMap())))
    first, again = kiosk.ui.of_type(HomeStep)
    assert first.hall_map and again.hall_map
    (shown,) = kiosk.ui.of_type(HallMapStep)
    assert render(shown.title) == "大厅导航" and shown.highlight is None
    kiosk.ui.script, kiosk.ui.shown = [], []
    with pytest.raises(ScriptEnded):
        kiosk.run(serve_citizen)  # no map: no 大厅导航 on home
    (home,) = kiosk.ui.of_type(HomeStep)
    assert not home.hall_map


def test_the_elder_more_page_offers_the_hall_map_and_home_follows_it(kiosk) -> None:
    """长辈模式's home has no 大厅导航 of its own: 更多事项 offers it above the themes."""
    kiosk.session.elder_mode = True
    kiosk.ui.script = [OpenThemes(), OpenHallMap(), Choose("done")]
    with pytest.raises(ScriptEnded):
        kiosk.run(lambda ctx: serve_citizen(replace(ctx, hall_map=FakeHallMap())))
    (more,) = kiosk.ui.of_type(ThemesStep)
    assert more.hall_map and more.progress and not more.convenience  # no 便民服务 here
    (shown,) = kiosk.ui.of_type(HallMapStep)
    assert render(shown.title) == "大厅导航"
    assert isinstance(kiosk.ui.shown[-1], HomeStep), "done: home, not the themes again"
    kiosk.ui.script, kiosk.ui.shown = [OpenThemes()], []
    with pytest.raises(ScriptEnded):
        kiosk.run(serve_citizen)  # no map: 更多事项 offers none
    (more,) = kiosk.ui.of_type(ThemesStep)
    assert not more.hall_map


def test_a_queue_ticket_shows_where_its_window_area_is(kiosk) -> None:
    kiosk.ui.script = [Choose("A"), Choose("regular"), Choose(WHERE), Choose("done"),
                       Choose("done")]
    kiosk.run(lambda ctx: take_queue_ticket(replace(ctx, queue=FakeQueue(),
                                                    hall_map=FakeHallMap())))
    first, again = kiosk.ui.of_type(QueueTicketStep)
    assert first.where and again.where, "the ticket again after the map"
    (shown,) = kiosk.ui.of_type(HallMapStep)
    assert (shown.area_name, shown.highlight) == ("一楼 A 区 1-4 号窗口", A.rect)
    assert render(shown.said) == "请到一楼 A 区 1-4 号窗口等候叫号。"
