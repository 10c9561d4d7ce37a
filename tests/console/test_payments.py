"""收费对账 in a real browser, as a hall manager (sees their hall's payments and findings, cannot
resolve them) and as an administrator (gives a 长款's money back, marks a 短款 settled, each
with a note, each once)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tests.central.payment_data import seed, seed_elsewhere
from tests.console.conftest import EAST, WEST, expect, log_in, only_loopback


def finding(page: Any, kind: str, terminal_id: str) -> Any:
    return page.locator(f"#findings tr[data-kind='{kind}']").filter(has_text=terminal_id)


def test_a_hall_manager_sees_their_halls_payments_but_resolves_nothing(page, platform) -> None:
    now = datetime.now(UTC)
    east = seed(platform.app.state.sessions, EAST.id, now)
    west = seed(platform.app.state.sessions, WEST.id, now)
    log_in(page, platform, "east")
    page.get_by_role("link", name="收费对账").click()
    expect(page.get_by_role("heading", name="收费对账")).to_be_visible()
    expect(page.locator("#paid-total")).to_have_text("¥30.00")
    expect(page.locator("#paid-count")).to_have_text("2")
    expect(page.locator("#refunded-total")).to_have_text("¥15.00")
    expect(page.locator("#open-findings")).to_have_text("2")
    expect(page.locator("#failures tr[data-reason='NOT_ENOUGH']")).to_contain_text("余额不足")
    expect(page.locator("#findings tr[data-finding]")).to_have_count(2)
    long_ = finding(page, "long", EAST.id)
    expect(long_).to_contain_text(east.references[east.late])
    expect(long_.locator("[data-statement]")).to_have_text("¥15.00")
    expect(long_).to_contain_text("待系统管理员处理")
    expect(page.locator("[data-resolve]")).to_have_count(0)
    assert west.references[west.late] not in page.content()
    assert "L-0001" not in page.content()  # the application's number: never shown

    page.get_by_role("link", name=EAST.id).first.click()
    payments = page.locator("#terminal-payments")
    expect(payments).to_contain_text("今日收款 2 笔 ¥30.00")
    expect(payments.locator("#terminal-failures")).to_contain_text("超时撤销")
    expect(payments.locator("#terminal-findings tr[data-finding]")).to_have_count(2)
    only_loopback(page)


def test_an_administrator_refunds_a_long_and_settles_a_short(page, platform) -> None:
    now = datetime.now(UTC)
    east = seed(platform.app.state.sessions, EAST.id, now)
    seed(platform.app.state.sessions, WEST.id, now)
    seed_elsewhere(platform.app.state.sessions, now)
    log_in(page, platform)
    page.goto(f"{platform.console_url}/payments")
    expect(page.locator("#findings tr[data-finding]")).to_have_count(5)
    expect(page.locator("#open-findings")).to_have_text("5")
    elsewhere = page.locator("#findings tr[data-kind='long']").filter(has_text="ELSEWHERE-0001")
    expect(elsewhere.locator("[data-resolve='refund']")).to_have_count(0)  # not ours to refund

    long_ = finding(page, "long", EAST.id)
    long_.get_by_label("处理说明").fill("群众来电，原路退回")
    long_.get_by_role("button", name="原路退款 ¥15.00").click()
    page.wait_for_url(f"{platform.console_url}/payments")
    expect(page.locator("#open-findings")).to_have_text("4")
    expect(finding(page, "long", EAST.id)).to_have_count(0)  # only open ones are listed

    short = finding(page, "short", EAST.id)
    expect(short.locator("[data-resolve='refund']")).to_have_count(0)  # no money came
    short.get_by_label("处理说明").fill("支付机构确认未收款，已通知窗口补缴")
    short.get_by_role("button", name="标记已处理").click()
    page.wait_for_url(f"{platform.console_url}/payments")
    expect(page.locator("#open-findings")).to_have_text("3")

    page.get_by_label("包括已处理").check()  # the filter submits itself
    long_ = finding(page, "long", EAST.id)
    expect(long_.locator(".resolution")).to_contain_text("已原路退款")
    expect(long_.locator("[data-refund]")).to_have_text("退款处理中")
    expect(long_.locator(".resolution")).to_contain_text("admin")
    expect(long_.locator(".note")).to_have_text("群众来电，原路退回")
    expect(finding(page, "short", EAST.id).locator(".resolution")).to_contain_text("已标记处理")
    assert east.references[east.late] in page.content()

    page.goto(f"{platform.console_url}/alerts?all=true")
    expect(page.locator("tr").filter(has_text=east.references[east.late])).to_contain_text(
        "已恢复")
    only_loopback(page)
