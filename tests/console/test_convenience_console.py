"""The console's 便民服务 page in a real browser: an administrator sets up any hall's tiles, a
hall manager only their own; what a manager types is shown back as text, a tile that is not
one is refused with the reason, and what a terminal of the hall then gets follows the page."""

from __future__ import annotations

from typing import Any

import requests

from central.contract.convenience import Tile
from central.convenience import tiles
from central.server import EmbeddedPlatform
from tests.console.conftest import EAST, WEST, expect, log_in, only_loopback

HOSTILE = "<b>x</b>&lt;"  # twelve characters: a title at its longest


def hall_tiles(platform: EmbeddedPlatform, hall: str) -> list[Tile]:
    with platform.app.state.sessions() as session:
        return tiles.tiles_of(session, hall)


def add(page: Any, kind: str, title: str, **fields: str) -> None:
    form = page.locator("#tile-form")
    form.locator("select[name='kind']").select_option(kind)
    form.locator("input[name='title']").fill(title)
    for name, value in fields.items():
        if name == "source":
            form.locator("select[name='source']").select_option(value)
        else:
            form.locator(f"[name='{name}']").fill(value)
    form.get_by_role("button", name="保存").click()


def test_an_administrator_sets_up_another_hall_s_tiles(page, platform) -> None:
    log_in(page, platform)
    page.get_by_role("link", name="便民服务").click()
    page.locator(".page-head select[name='hall']").select_option(WEST.hall)
    page.get_by_role("button", name="切换").click()
    expect(page.get_by_role("heading", name=f"便民服务 · {WEST.hall}")).to_be_visible()

    add(page, "deeplink", HOSTILE, url="https://zwfw.example.gov.cn/mini/a?b=1",
        away_text="请用手机扫码")
    add(page, "lookup", "快递查询", source="express", away_text="<i>请拨打客服电话</i>")
    add(page, "print", "办事指南", document_title="大厅办事指南",
        document_text="一楼：社保医保。\n二楼：不动产登记。")
    rows = page.locator("#tiles tr[data-tile]")
    expect(rows).to_have_count(3)
    # typed markup is text on the page, never markup
    expect(rows.nth(0).locator(".tile-title")).to_have_text(HOSTILE)
    expect(page.locator("#tiles b")).to_have_count(0)
    expect(page.locator("#tiles i")).to_have_count(0)

    rows.nth(0).get_by_role("button", name="下移").click()
    expect(page.locator("#tiles tr[data-tile] .tile-title").first).to_have_text("快递查询")
    page.locator("#tiles tr[data-kind='print']").get_by_role("button", name="删除").click()
    expect(page.locator("#tiles tr[data-tile]")).to_have_count(2)

    got = hall_tiles(platform, WEST.hall)
    assert [(t.kind, t.title) for t in got] == [("lookup", "快递查询"), ("deeplink", HOSTILE)]
    assert got[0].away_text == "<i>请拨打客服电话</i>"
    assert hall_tiles(platform, EAST.hall) == []  # the other hall untouched
    only_loopback(page)


def test_a_tile_that_is_not_one_is_refused_with_the_reason(page, platform) -> None:
    log_in(page, platform, "east")
    page.goto(f"{platform.console_url}/convenience")
    add(page, "deeplink", "社保手机办", url="http://plain.example.gov.cn/")  # not https
    expect(page.get_by_role("alert")).to_contain_text("url")
    # what was typed is kept, to correct
    expect(page.locator("#tile-form input[name='title']")).to_have_value("社保手机办")
    add(page, "feed", "天气", away_text="暂无")  # a feed without its source
    expect(page.get_by_role("alert")).to_contain_text("feed source")
    assert hall_tiles(platform, EAST.hall) == []


def test_a_hall_manager_sets_up_only_their_own_hall(page, platform) -> None:
    log_in(page, platform, "east")
    page.get_by_role("link", name="便民服务").click()
    expect(page.get_by_role("heading", name=f"便民服务 · {EAST.hall}")).to_be_visible()
    expect(page.locator(".page-head select[name='hall']")).to_have_count(0)
    add(page, "feed", "天气预报", source="weather", place="101010100",
        away_text="天气信息暂时无法获取")
    expect(page.locator("#tiles tr[data-tile]")).to_have_count(1)
    assert [t.title for t in hall_tiles(platform, EAST.hall)] == ["天气预报"]

    response = page.goto(f"{platform.console_url}/convenience?hall={WEST.hall}")
    assert response.status == 404
    # the form posted for another hall, with the manager's own valid CSRF token
    page.goto(f"{platform.console_url}/convenience")
    page.locator("#tile-form input[name='hall']").evaluate(
        f"input => input.value = '{WEST.hall}'")
    add(page, "deeplink", "不该出现", url="https://example.gov.cn/")
    expect(page.get_by_role("heading", name="未找到")).to_be_visible()
    assert hall_tiles(platform, WEST.hall) == []


def test_a_form_without_the_session_s_csrf_token_changes_nothing(page, platform) -> None:
    log_in(page, platform, "east")
    page.goto(f"{platform.console_url}/convenience")
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    answer = requests.post(f"{platform.console_url}/convenience/tiles", cookies=cookies,
                           timeout=10, data={"hall": EAST.hall, "kind": "deeplink",
                                             "title": "伪造", "url": "https://example.gov.cn/"})
    assert answer.status_code in (400, 403)
    assert hall_tiles(platform, EAST.hall) == []
