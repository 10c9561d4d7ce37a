"""From the kiosk to the console: the readiness report the real kiosk (simulated devices, the
embedded platform) sends with its first heartbeat is shown on its terminal page, and
请求自检报告 in the browser brings a fresh one that shows what changed since.

Each scenario runs whole on Qt's loop (qasync), the browser steps on the Playwright thread from
a worker (`in_browser`), as in test_maintenance.py.
"""

from __future__ import annotations

from typing import Any

from devices.health import Health, HealthState
from devices.simulated import SimulatedDevice
from tests.console.conftest import EAST, expect, log_in
from tests.console.test_maintenance import in_browser, kiosk, run_kiosk  # noqa: F401 - fixture
from tests.ui.conftest import loop, until  # noqa: F401 - the Qt event loop fixture


def test_the_report_reaches_the_console_and_a_fresh_one_comes_on_request(
        page: Any, platform, kiosk, loop) -> None:  # noqa: F811
    readiness = kiosk.terminal.readiness
    assert readiness is not None

    def first_report_shown() -> None:
        sent = readiness.sent[-1]
        log_in(page, platform, "east")
        page.goto(f"{platform.console_url}/terminals/{EAST.id}")
        expect(page.locator("#readiness-code")).to_have_text(sent.code_sha256[:12])
        expect(page.locator("#readiness-version")).to_have_text(sent.app_version)
        expect(page.locator("#readiness-verdict")).to_have_attribute("data-ready", "true")
        for family in ("idcard", "receipt_printer", "a4_printer"):
            row = page.locator(f"#readiness-devices tr[data-family='{family}']")
            expect(row).to_have_attribute("data-passed", "true")
        expect(page.locator("#readiness-devices tr[data-family='idcard']")).to_contain_text("是")
        expect(page.locator("#readiness-paper [data-family='a4_printer']")).to_have_attribute(
            "data-paper", "ok")
        expect(page.locator("#readiness-clock")).to_contain_text("秒")
        expect(page.locator("#readiness-disk")).to_contain_text("GiB")

    def request_report() -> None:
        page.get_by_role("button", name="请求自检报告").click()
        expect(page.locator("#commands")).to_contain_text("请求自检报告")

    def fresh_report_shown() -> None:
        paper = page.locator("#readiness-paper [data-family='a4_printer']")
        expect(paper).to_have_attribute("data-paper", "out")
        expect(paper).to_contain_text("缺纸")
        row = page.locator("#readiness-devices tr[data-family='a4_printer']")
        expect(row).to_have_attribute("data-passed", "false")
        expect(row).to_contain_text("PAPER_OUT")
        # an optional printer: the kiosk still serves
        expect(page.locator("#readiness-verdict")).to_have_attribute("data-ready", "true")

    async def scenario() -> None:
        await until(lambda: len(readiness.sent) == 1, 10)  # with the first heartbeat
        await in_browser(first_report_shown)
        a4 = kiosk.terminal.devices.by_family["a4_printer"]
        assert isinstance(a4, SimulatedDevice)
        a4.set_health(Health(HealthState.ERROR, "PAPER_OUT"))
        await in_browser(request_report)
        await until(lambda: len(readiness.sent) == 2, 10)
        assert readiness.sent[-1].paper[-1].paper == "out"
        await in_browser(fresh_report_shown)

    run_kiosk(loop, kiosk, scenario)
