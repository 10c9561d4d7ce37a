"""The hall manager's console in a real browser: logging in, terminals going offline, a printer
running out of paper, alerts acknowledged, charts drawn from the vendored ECharts."""

from __future__ import annotations

from typing import Any

from devices.health import Health, HealthState
from tests.console.conftest import EAST, EAST2, WEST, expect, log_in, only_loopback


def row(page: Any, terminal_id: str) -> Any:
    return page.locator(f"tr[data-terminal='{terminal_id}']")


def test_log_in_and_see_the_terminals(page, platform, terminals) -> None:
    terminals(EAST)
    log_in(page, platform)
    expect(page.get_by_role("heading", name="运行总览")).to_be_visible()
    page.get_by_role("link", name="终端列表").click()
    expect(row(page, EAST.id).locator("[data-status]")).to_have_text("在线")
    expect(row(page, WEST.id).locator("[data-status]")).to_have_text("未上线")
    only_loopback(page)


def test_a_wrong_password_keeps_the_console_closed(page, platform) -> None:
    page.goto(f"{platform.console_url}/login")
    page.get_by_label("用户名").fill("admin")
    page.get_by_label("密码").fill("not the password")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("alert")).to_have_text("用户名或密码错误。")
    page.goto(f"{platform.console_url}/terminals")
    assert "/console/login" in page.url


def test_a_terminal_turns_offline_when_its_heartbeats_stop(page, platform, terminals) -> None:
    east = terminals(EAST)
    log_in(page, platform)
    page.goto(f"{platform.console_url}/terminals")
    status = row(page, EAST.id).locator("[data-status]")
    expect(status).to_have_text("在线")
    east.stop()
    expect(status).to_have_text("离线")  # 3 missed heartbeats; htmx reloads the table
    page.get_by_role("link", name="告警").click()
    expect(page.locator("tr.open").filter(has_text=EAST.id)).to_contain_text("终端离线")


def test_paper_out_appears_when_the_simulated_printer_runs_out(page, platform,
                                                               terminals) -> None:
    east = terminals(EAST)
    log_in(page, platform)
    page.goto(f"{platform.console_url}/terminals")
    expect(row(page, EAST.id).locator("[data-status]")).to_have_text("在线")
    east.devices.by_family["receipt_printer"].set_health(
        Health(HealthState.ERROR, "PAPER_OUT"))
    fault = row(page, EAST.id).locator("[data-code='PAPER_OUT']")
    expect(fault).to_have_text("凭条打印机：缺纸（PAPER_OUT）")
    expect(row(page, EAST.id).locator("[data-status]")).to_have_text("降级")

    page.get_by_role("link", name=EAST.id).click()
    expect(page.locator("#devices tr[data-family='receipt_printer']")).to_contain_text("PAPER_OUT")
    page.get_by_role("link", name="告警").click()
    alert = page.locator("tr.open").filter(has_text="凭条打印机缺纸")
    alert.get_by_role("button", name="确认").click()  # htmx posts it with the CSRF header
    expect(page.locator("tr.acked").filter(has_text="凭条打印机缺纸")).to_contain_text("admin")


def test_a_hall_manager_sees_only_their_hall(page, platform, terminals) -> None:
    for terminal in (EAST, EAST2, WEST):
        terminals(terminal)
    log_in(page, platform, "east")
    page.goto(f"{platform.console_url}/terminals")
    expect(page.locator("tr[data-terminal]")).to_have_count(2)
    expect(row(page, WEST.id)).to_have_count(0)
    response = page.goto(f"{platform.console_url}/terminals/{WEST.id}")
    assert response.status == 404


def test_the_overview_draws_its_charts_without_any_cdn(page, platform, terminals) -> None:
    terminals(EAST).telemetry.count("services", 3)
    log_in(page, platform)
    page.reload()
    for name in ("services", "ratings", "uptime"):
        chart = page.locator(f"[data-chart='{name}']")
        expect(chart).to_have_attribute("data-drawn", "true")
        expect(chart.locator("canvas")).to_have_count(1)
    assert page.evaluate("typeof echarts.init") == "function"
    only_loopback(page)
