"""便民服务 from home: each tile kind with its third party up, slow, down and answering nonsense,
and with the platform away — through the kiosk's own convenience service and its copies,
against the real platform on loopback with the simulated third parties
(`central.convenience.simulator`): no fake between the flow and the platform."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete

from central.contract.convenience import Tile
from central.convenience.desk import simulated
from central.convenience.simulator import SERVICES, ThirdPartySimulator
from central.db import ConvenienceFeedRecord
from central.server import EmbeddedPlatform
from flows.citizen import serve_citizen
from flows.convenience import (
    NEEDS_NETWORK,
    THIRD_PARTY_WORDS,
    ConvenienceGridStep,
    ConvenienceInfoStep,
    DeeplinkStep,
    OpenConvenience,
    open_convenience,
)
from flows.printing import PrintingStep
from flows.steps import BusyStep, Choose, FormFilled, FormStep, HomeStep, MessageStep, Nav
from kiosk.convenience_service import PlatformConvenienceService
from kiosk.network_switch import NetworkSwitch
from kiosk.platform_client import PlatformClient, TerminalCredentials
from offline_cache.convenience_store import ConvenienceCopies
from tests.central.convenience_data import DEEPLINK, set_up_tiles, third_party
from tests.flows.kiosk_harness import Kiosk
from tests.flows.patient_ui import PatientUi
from tests.flows.scripted_ui import ScriptedUi, ScriptEnded
from tests.kiosk.citizen_platform import TERMINAL

FAILING = ["slow", "down", "nonsense"]


@pytest.fixture(scope="module")
def simulator() -> Iterator[ThirdPartySimulator]:
    simulator = ThirdPartySimulator().start()
    yield simulator
    simulator.stop()


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory,
             simulator: ThirdPartySimulator) -> Iterator[EmbeddedPlatform]:
    path = tmp_path_factory.mktemp("platform")
    server = EmbeddedPlatform(f"sqlite:///{path}/central.db", terminals=[TERMINAL],
                              sweep_interval_s=0)
    server.start()
    # every feed asked again at once (how long a third party is waited for: `third_party`)
    desk = simulated(simulator.base_url)
    desk.fresh_for = desk.pause_after_fault = timedelta(0)
    server.app.state.convenience = desk
    yield server
    server.stop()


@pytest.fixture(scope="module")
def tiles(platform: EmbeddedPlatform, simulator: ThirdPartySimulator) -> dict[str, Tile]:
    state = platform.app.state
    return set_up_tiles(state.sessions, TERMINAL.hall, simulator, state.clock())


@pytest.fixture(autouse=True)
def all_up(platform: EmbeddedPlatform, simulator: ThirdPartySimulator) -> None:
    for service in SERVICES:
        third_party(simulator, platform.app.state.convenience, service, "up")
    simulator.asked.update(dict.fromkeys(SERVICES, 0))
    with platform.app.state.sessions() as session:
        session.execute(delete(ConvenienceFeedRecord))
        session.commit()


class Kept:
    """The kiosk's convenience service over its own client, network switch and copies."""

    def __init__(self, platform: EmbeddedPlatform, data_dir: Path) -> None:
        self.network = NetworkSwitch()
        client = PlatformClient(platform.base_url, timeout_s=5.0, retries=0,
                                credentials=TerminalCredentials(TERMINAL.id, TERMINAL.key),
                                network=self.network)
        self.service = PlatformConvenienceService(client, ConvenienceCopies(
            data_dir / "convenience.sqlite3"))
        self.desk = platform.app.state.convenience  # the platform's, over the simulator


@pytest.fixture
def kept(platform: EmbeddedPlatform, tiles: dict[str, Tile], tmp_path: Path) -> Kept:
    return Kept(platform, tmp_path)


def run(kept: Kept, seed_catalog, script: list) -> Kiosk:
    """`open_convenience` with `script`; the kiosk's clock 25 minutes after the platform's."""
    kiosk = Kiosk(patient(script), seed_catalog)
    later = datetime.now() + timedelta(minutes=25, seconds=30)  # the answer comes within 30 s
    kiosk.run(lambda ctx: open_convenience(replace(ctx, convenience=kept.service,
                                                   now=lambda: later)))
    return kiosk


def patient(script: list) -> PatientUi:
    """A person who waits while the kiosk works and while the printer prints."""
    return PatientUi(list(script), watch=(BusyStep, PrintingStep))


def text(value) -> str:
    return value if isinstance(value, str) else value.render()


def tile(tiles: dict[str, Tile], title: str) -> Choose:
    return Choose(str(tiles[title].tile_id))


def test_home_offers_it_and_the_grid_shows_the_hall_s_tiles_in_order(kept, seed_catalog):
    kiosk = Kiosk(ScriptedUi([OpenConvenience(), Nav.HOME]), seed_catalog)
    with pytest.raises(ScriptEnded):
        kiosk.run(lambda ctx: serve_citizen(replace(ctx, convenience=kept.service)))
    assert kiosk.ui.of_type(HomeStep)[0].convenience
    (grid,) = kiosk.ui.of_type(ConvenienceGridStep)
    assert [text(c.label) for c in grid.tiles] == ["天气预报", "通知公告", "违章查询",
                                                   "快递查询", "企业信息", "社保手机办", "办事指南"]
    assert grid.note is None


# -- feed ------------------------------------------------------------------------------------

def test_a_feed_with_its_age_and_whose_data_it_is(kept, tiles, seed_catalog) -> None:
    kiosk = run(kept, seed_catalog, [tile(tiles, "天气预报"), Nav.HOME])
    (shown,) = kiosk.ui.of_type(ConvenienceInfoStep)
    assert dict(shown.rows)["天气"] == "晴" and dict(shown.rows)["湿度"] == "28%"
    assert text(shown.age).startswith("25 分钟前更新")
    assert shown.warning is None and shown.attribution == "和风天气" and shown.sample


@pytest.mark.parametrize("mode", FAILING)
def test_a_feed_never_answered_says_why_and_what_the_hall_says(kept, tiles, simulator,
                                                               seed_catalog, mode) -> None:
    third_party(simulator, kept.desk, "weather", mode)
    kiosk = run(kept, seed_catalog, [tile(tiles, "天气预报"), Nav.HOME])
    (message,) = kiosk.ui.of_type(MessageStep)
    assert [text(line) for line in message.lines] == [text(THIRD_PARTY_WORDS[mode]),
                                                      "天气信息暂时无法获取"]
    assert not kiosk.ui.of_type(ConvenienceInfoStep)


@pytest.mark.parametrize("mode", FAILING)
def test_a_feed_whose_third_party_fails_shows_the_last_good_lines(kept, tiles, simulator,
                                                                  seed_catalog, mode) -> None:
    run(kept, seed_catalog, [tile(tiles, "通知公告"), Nav.HOME])
    third_party(simulator, kept.desk, "news", mode)
    kiosk = run(kept, seed_catalog, [tile(tiles, "通知公告"), Nav.HOME])
    (shown,) = kiosk.ui.of_type(ConvenienceInfoStep)
    assert shown.rows[0] == ("12-04", "元旦假期大厅服务时间调整的通知（示例）")
    assert "请留意大厅公告栏" in text(shown.warning)


def test_with_the_platform_away_tiles_and_feeds_come_from_the_kiosk_s_copy(
        kept, tiles, seed_catalog) -> None:
    run(kept, seed_catalog, [tile(tiles, "天气预报"), Nav.HOME])
    kept.network.cut()
    kiosk = run(kept, seed_catalog, [tile(tiles, "天气预报"), Nav.HOME])
    (grid,) = kiosk.ui.of_type(ConvenienceGridStep)
    assert "本机保存的服务列表" in text(grid.note)
    (shown,) = kiosk.ui.of_type(ConvenienceInfoStep)
    assert dict(shown.rows)["天气"] == "晴"
    assert text(shown.age).startswith("25 分钟前更新")
    assert "网络中断" in text(shown.warning)


def test_with_the_platform_away_and_no_copy_the_kiosk_says_so(kept, seed_catalog) -> None:
    kept.network.cut()
    kiosk = run(kept, seed_catalog, [Nav.HOME])
    (message,) = kiosk.ui.of_type(MessageStep)
    assert text(message.title) == "便民服务暂时无法使用"


# -- lookup ----------------------------------------------------------------------------------

EXPRESS = FormFilled({"company": "圆通速递", "number": "yt1234567890123"})


def test_an_express_lookup_typed_then_answered(kept, tiles, seed_catalog) -> None:
    kiosk = run(kept, seed_catalog,
                [tile(tiles, "快递查询"), EXPRESS, Choose("done"), Nav.HOME])
    (form,) = kiosk.ui.of_type(FormStep)
    assert [f.input for f in form.fields] == ["select", "text"]
    assert "圆通速递" in form.fields[0].options
    (shown,) = kiosk.ui.of_type(ConvenienceInfoStep)
    assert shown.summary == "圆通速递 YT1234567890123：已签收"
    assert shown.rows[0] == ("12-06 15:20", "【北京市】已签收，签收人：本人")


@pytest.mark.parametrize("mode", FAILING)
@pytest.mark.parametrize("title,service,form", [
    ("快递查询", "express", EXPRESS),
    ("违章查询", "violations", FormFilled({"plate": "京a12345", "vin_tail": "a12345"})),
    ("企业信息", "enterprise", FormFilled({"keyword": "北京示例科技有限公司"})),
])
def test_a_lookup_whose_third_party_fails_says_how_and_what_the_hall_says(
        kept, tiles, simulator, seed_catalog, mode, title, service, form) -> None:
    third_party(simulator, kept.desk, service, mode)
    kiosk = run(kept, seed_catalog, [tile(tiles, title), form, Choose("done"), Nav.HOME])
    (shown,) = kiosk.ui.of_type(ConvenienceInfoStep)
    assert text(shown.summary) == text(THIRD_PARTY_WORDS[mode])
    assert shown.warning == tiles[title].away_text and shown.rows == ()


def test_a_lookup_needs_the_network_and_says_so_plainly(kept, tiles, seed_catalog) -> None:
    run(kept, seed_catalog, [Nav.HOME])  # the tiles are kept
    kept.network.cut()
    kiosk = run(kept, seed_catalog, [tile(tiles, "快递查询"), EXPRESS, Nav.HOME])
    (message,) = kiosk.ui.of_type(MessageStep)
    assert [text(line) for line in message.lines] == [text(NEEDS_NETWORK),
                                                      "请拨打快递公司客服电话查询"]


def test_violations_with_the_plate_masked_and_marked_as_sample(kept, tiles, seed_catalog):
    form = FormFilled({"plate": "京a12345", "vin_tail": "a12345"})
    kiosk = run(kept, seed_catalog, [tile(tiles, "违章查询"), form, Choose("done"), Nav.HOME])
    (shown,) = kiosk.ui.of_type(ConvenienceInfoStep)
    assert shown.summary == "京A1**45 有 1 条未处理的违法记录" and shown.sample
    assert "京A12345" not in repr(shown)


def test_fields_are_checked_before_anything_is_asked(kept, tiles, simulator,
                                                     seed_catalog) -> None:
    wrong = FormFilled({"keyword": "91350100M000100Y44"})  # the check digit should be 3
    right = FormFilled({"keyword": "91350100m000100y43"})
    kiosk = run(kept, seed_catalog,
                [tile(tiles, "企业信息"), wrong, right, Choose("done"), Nav.HOME])
    first, second = kiosk.ui.of_type(FormStep)
    assert first.fields[0].error is None
    assert "最后一位" in text(second.fields[0].error)
    assert second.fields[0].value == "91350100M000100Y44"
    assert simulator.asked["enterprise"] == 1
    (shown,) = kiosk.ui.of_type(ConvenienceInfoStep)
    assert dict(shown.rows)["法定代表人"] == "王*明"


def test_a_plate_that_is_not_one_is_asked_again(kept, tiles, seed_catalog) -> None:
    kiosk = run(kept, seed_catalog, [tile(tiles, "违章查询"),
                                     FormFilled({"plate": "京A1234", "vin_tail": "A12345"}),
                                     Nav.HOME])
    second = kiosk.ui.of_type(FormStep)[1]
    assert "京A12345" in text(second.fields[0].error) and second.fields[1].error is None


# -- deeplink and print (no third party: the same whatever it does) ---------------------------

@pytest.mark.parametrize("mode", ["up", *FAILING])
def test_a_deeplink_s_qr_code_even_offline(kept, tiles, simulator, seed_catalog, mode):
    for service in SERVICES:
        third_party(simulator, kept.desk, service, mode)
    run(kept, seed_catalog, [Nav.HOME])
    kept.network.cut()
    kiosk = run(kept, seed_catalog, [tile(tiles, "社保手机办"), Nav.HOME])
    (shown,) = kiosk.ui.of_type(DeeplinkStep)
    assert shown.url == DEEPLINK


@pytest.mark.parametrize("mode", ["up", *FAILING])
def test_a_hall_document_printed_in_colour(kept, tiles, simulator, seed_catalog, mode):
    for service in SERVICES:
        third_party(simulator, kept.desk, service, mode)
    kiosk = run(kept, seed_catalog, [tile(tiles, "办事指南"), Choose("print"), Nav.HOME])
    assert [sheet.kind for sheet in kiosk.a4_printer.sheets] == ["platform-document"]
    assert text(kiosk.ui.of_type(MessageStep)[-1].title) == "打印完成"
    assert kiosk.counts.count("prints") == 1


def test_a_document_printed_offline_from_the_kiosk_s_copy(kept, tiles, seed_catalog) -> None:
    run(kept, seed_catalog, [tile(tiles, "办事指南"), Choose("print"), Nav.HOME])
    kept.network.cut()
    kiosk = run(kept, seed_catalog, [tile(tiles, "办事指南"), Choose("print"), Nav.HOME])
    assert len(kiosk.a4_printer.sheets) == 1


def test_a_document_never_fetched_cannot_print_offline(kept, tiles, seed_catalog) -> None:
    run(kept, seed_catalog, [Nav.HOME])
    kept.network.cut()
    kiosk = run(kept, seed_catalog, [tile(tiles, "办事指南"), Choose("print"), Nav.HOME])
    message = kiosk.ui.of_type(MessageStep)[-1]
    assert text(message.title) == "暂时无法打印"
    assert "请到服务台领取纸质指南" in [text(line) for line in message.lines]


def test_a_printer_out_of_paper_is_told_plainly(kept, tiles, seed_catalog) -> None:
    kiosk = Kiosk(patient([tile(tiles, "办事指南"), Choose("print"), Choose("stop"),
                           Choose("home")]), seed_catalog)
    kiosk.a4_printer.run_out_of_paper()
    kiosk.run(lambda ctx: open_convenience(replace(ctx, convenience=kept.service)))
    fault = next(step for step in kiosk.ui.of_type(MessageStep)
                 if "没纸" in " ".join(text(line) for line in step.lines))
    assert fault.tone in ("warning", "error")
    assert not kiosk.a4_printer.sheets and not kiosk.ui.of_type(PrintingStep)[1:]
