"""便民服务 on the reference platform: a hall's tiles for its terminals, feeds cached with their
time, lookups to the (simulated) third parties up, slow, down or answering nonsense, a print
tile's colour PDF, hostile queries refused."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pdfplumber
import pytest

from central.contract.convenience import FeedAnswer, HallTiles, LookupAnswer, Tile
from central.convenience.desk import simulated
from central.convenience.simulator import NONSENSE, ThirdPartySimulator
from tests.central.conftest import TEST_TERMINAL, SignAsTerminal, signed_client
from tests.central.convenience_data import ANSWER_DEADLINE_S, set_up_tiles, third_party

API = "/api/v1/convenience/tiles"


@pytest.fixture
def simulator() -> Iterator[ThirdPartySimulator]:
    simulator = ThirdPartySimulator().start()
    yield simulator
    simulator.stop()


@pytest.fixture
def terminal(app, clock):
    """Signed as TEST_TERMINAL on the platform's clock (the tests move it)."""
    with signed_client(app) as client:
        client.auth = SignAsTerminal(clock=clock)
        yield client


@pytest.fixture
def hall(app, simulator) -> dict[str, Tile]:
    # how long a third party is waited for: `third_party`
    app.state.convenience = simulated(simulator.base_url, timeout_s=ANSWER_DEADLINE_S)
    return set_up_tiles(app.state.sessions, TEST_TERMINAL.hall, simulator, app.state.clock())


def feed(terminal, tile: Tile) -> FeedAnswer:
    answer = terminal.get(f"{API}/{tile.tile_id}/feed")
    assert answer.status_code == 200, answer.text
    return FeedAnswer.model_validate(answer.json())


def lookup(terminal, tile: Tile, **values: str) -> LookupAnswer:
    answer = terminal.post(f"{API}/{tile.tile_id}/lookup", json={"values": values})
    assert answer.status_code == 200, answer.text
    return LookupAnswer.model_validate(answer.json())


def test_the_terminal_gets_its_hall_s_tiles_in_order(terminal, hall) -> None:
    got = HallTiles.model_validate(terminal.get(API).json())
    assert [t.title for t in got.tiles] == ["天气预报", "通知公告", "违章查询", "快递查询",
                                            "企业信息", "社保手机办", "办事指南"]
    assert got.tiles[5].url and got.tiles[5].url.startswith("https://")


def test_another_hall_s_tiles_are_neither_listed_nor_served(terminal, app, simulator) -> None:
    other = set_up_tiles(app.state.sessions, "别的大厅", simulator, app.state.clock())
    assert HallTiles.model_validate(terminal.get(API).json()).tiles == []
    answer = terminal.get(f"{API}/{other['天气预报'].tile_id}/feed")
    assert answer.status_code == 404
    assert answer.json()["code"] == "CONVENIENCE_TILE_UNKNOWN"


def test_weather_is_asked_once_and_served_from_the_cache_with_its_time(
        terminal, hall, simulator, clock) -> None:
    first = feed(terminal, hall["天气预报"])
    assert first.third_party == "up" and first.sample
    assert {line.label: line.value for line in first.lines}["气温"] == "3°C（体感 -1°C）"
    assert first.fetched_at == clock.now and first.attribution == "和风天气"
    clock.advance(60)
    assert feed(terminal, hall["天气预报"]).fetched_at == first.fetched_at
    assert simulator.asked["weather"] == 1, "one answer serves the hall for ten minutes"
    clock.advance(600)
    assert feed(terminal, hall["天气预报"]).fetched_at == clock.now
    assert simulator.asked["weather"] == 2


@pytest.mark.parametrize("mode", ["slow", "down", "nonsense"])
def test_a_feed_whose_third_party_fails_keeps_its_last_good_lines(
        terminal, app, hall, simulator, clock, mode) -> None:
    good = feed(terminal, hall["天气预报"])
    third_party(simulator, app.state.convenience, "weather", mode)
    clock.advance(700)
    stale = feed(terminal, hall["天气预报"])
    assert stale.third_party == mode
    assert stale.lines == good.lines and stale.fetched_at == good.fetched_at
    clock.advance(30)
    feed(terminal, hall["天气预报"])
    assert simulator.asked["weather"] == 2, "a failed third party is left alone a while"


@pytest.mark.parametrize("mode", ["slow", "down", "nonsense"])
def test_a_feed_never_answered_says_so_with_no_lines(terminal, app, hall, simulator,
                                                     mode) -> None:
    third_party(simulator, app.state.convenience, "news", mode)
    got = feed(terminal, hall["通知公告"])
    assert (got.third_party, got.lines, got.fetched_at) == (mode, [], None)


def test_hall_notices_from_an_rss_feed(terminal, hall) -> None:
    got = feed(terminal, hall["通知公告"])
    assert got.lines[0].label == "12-04"
    assert got.lines[0].value == "元旦假期大厅服务时间调整的通知（示例）"


def test_an_express_parcel_with_its_traces(terminal, hall) -> None:
    got = lookup(terminal, hall["快递查询"], company="yuantong", number="YT1234567890123")
    assert got.third_party == "up" and got.found
    assert got.summary == "圆通速递 YT1234567890123：已签收"
    assert got.rows[0].label == "12-06 15:20"
    unknown = lookup(terminal, hall["快递查询"], company="yunda", number="1234567890")
    assert (unknown.third_party, unknown.found) == ("up", False)


@pytest.mark.parametrize("mode", ["slow", "down", "nonsense"])
@pytest.mark.parametrize("tile,service,values", [
    ("快递查询", "express", {"company": "yuantong", "number": "YT1234567890123"}),
    ("违章查询", "violations", {"plate": "京A12345", "vin_tail": "A12345"}),
    ("企业信息", "enterprise", {"keyword": "91350100M000100Y43"}),
])
def test_a_lookup_whose_third_party_fails_says_how(terminal, app, hall, simulator, mode, tile,
                                                    service, values) -> None:
    third_party(simulator, app.state.convenience, service, mode)
    got = lookup(terminal, hall[tile], **values)
    assert (got.third_party, got.found, got.rows) == (mode, False, [])


def test_violations_are_sample_data_with_the_plate_masked(terminal, hall) -> None:
    got = lookup(terminal, hall["违章查询"], plate="京A12345", vin_tail="A12345")
    assert got.found and got.sample
    assert got.summary == "京A1**45 有 1 条未处理的违法记录"
    assert "京A12345" not in got.model_dump_json()


def test_an_enterprise_by_credit_code_with_its_representative_masked(terminal, hall) -> None:
    got = lookup(terminal, hall["企业信息"], keyword="91350100M000100Y43")
    rows = {row.label: row.value for row in got.rows}
    assert rows["企业名称"] == "北京示例科技有限公司" and rows["法定代表人"] == "王*明"


@pytest.mark.parametrize("tile,values", [
    ("违章查询", {"plate": "京I12345", "vin_tail": "A12345"}),  # no I on a plate
    ("违章查询", {"plate": "京A12345"}),  # the vehicle's part missing
    ("企业信息", {"keyword": "91350100M000100Y44"}),  # check digit wrong (GB 32100)
    ("快递查询", {"company": "nowhere", "number": "YT1234567890123"}),
    ("快递查询", {"company": "yuantong", "number": "YT1<script>"}),
])
def test_a_malformed_query_is_refused_before_any_third_party(terminal, hall, simulator, tile,
                                                              values) -> None:
    answer = terminal.post(f"{API}/{hall[tile].tile_id}/lookup", json={"values": values})
    assert answer.status_code == 422
    assert sum(simulator.asked.values()) == 0


def test_an_oversized_query_is_refused(terminal, hall) -> None:
    answer = terminal.post(f"{API}/{hall['企业信息'].tile_id}/lookup",
                           json={"values": {"keyword": "企" * 3000}})
    assert answer.status_code in (413, 422)


def test_a_print_tile_s_document_is_a_pdf_with_its_text(terminal, hall) -> None:
    answer = terminal.get(f"{API}/{hall['办事指南'].tile_id}/document")
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/pdf"
    with pdfplumber.open(io.BytesIO(answer.content)) as pdf:
        text = pdf.pages[0].extract_text()
        coloured = [r for r in pdf.pages[0].rects if r.get("non_stroking_color") not in
                    (None, (0,), (1,), [0], [1], (0, 0, 0), (1, 1, 1))]
    assert "大厅办事指南" in text and "不动产登记" in text
    assert coloured, "the title band is in colour"


def test_a_tile_served_only_by_its_kind_s_route(terminal, hall) -> None:
    assert terminal.get(f"{API}/{hall['快递查询'].tile_id}/feed").status_code == 404
    assert terminal.get(f"{API}/{hall['天气预报'].tile_id}/document").status_code == 404


def test_without_third_parties_configured_feeds_and_lookups_say_down(terminal, app, hall):
    from central.convenience.desk import ConvenienceDesk

    app.state.convenience = ConvenienceDesk()
    assert feed(terminal, hall["天气预报"]).third_party == "down"
    assert lookup(terminal, hall["企业信息"], keyword="北京示例科技有限公司").third_party == "down"


@pytest.mark.parametrize("place", ["https://169.254.169.254/latest/meta-data", "https://[::1]/x",
                                   "https://localhost/feed.xml", "http://example.gov.cn/rss",
                                   "file:///etc/passwd"])
def test_a_news_feed_is_read_only_from_a_public_https_address(place) -> None:
    from central.convenience.news import RssNews

    assert not RssNews().allowed(place)
    assert RssNews().allowed("https://www.gov.cn/rss/notices.xml")


def test_the_platform_s_third_parties_come_from_its_environment() -> None:
    from central.convenience.desk import KUAIDI100_URL, ThirdParties

    assert ThirdParties.from_environ({}) == ThirdParties()
    parties = ThirdParties.from_environ({
        "CENTRAL_QWEATHER_URL": "https://abc.qweatherapi.com", "CENTRAL_QWEATHER_KEY": "k",
        "CENTRAL_KUAIDI100_CUSTOMER": "C", "CENTRAL_KUAIDI100_KEY": "K",
        "CENTRAL_NEWS_PREFIXES": "https://www.gov.cn/ https://example.gov.cn/rss/"})
    assert (parties.weather_url, parties.express_url) == ("https://abc.qweatherapi.com",
                                                          KUAIDI100_URL)
    assert parties.news_prefixes == ("https://www.gov.cn/", "https://example.gov.cn/rss/")
    assert not parties.sample and parties.reference_url is None


def test_a_nonsense_answer_is_logged_without_its_values(terminal, hall, simulator, caplog,
                                                        monkeypatch) -> None:
    """A third party's answer of the wrong shape may still carry someone's name and number:
    the platform's log says which fields were wrong, never what they held."""
    monkeypatch.setitem(NONSENSE, "express", json.dumps(
        {"state": "3", "data": [{"time": "2026-12-07 10:00:00",
                                 "context": {"收件人": "张三", "电话": "13812345678"}}]},
        ensure_ascii=False).encode())
    simulator.set("express", "nonsense")
    with caplog.at_level(logging.WARNING):
        got = lookup(terminal, hall["快递查询"], company="yuantong", number="YT1234567890123")
    assert got.third_party == "nonsense"
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "快递100" in logged, "the fault is logged"
    assert "张三" not in logged and "13812345678" not in logged
