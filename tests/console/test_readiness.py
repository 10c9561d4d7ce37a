"""From the kiosk to the console: the readiness report the real kiosk (simulated devices, the
embedded platform) sends with its first heartbeat is shown on its terminal page, and
请求自检报告 in the browser brings a fresh one that shows what changed since; a required
device absent at start holds the kiosk in 暂停服务 with the reason, the console sees why, and
both recover when it is plugged in.

Each scenario runs whole on Qt's loop (qasync), the browser steps on the Playwright thread from
a worker (`in_browser`), as in test_maintenance.py.
"""

from __future__ import annotations

import asyncio
from typing import Any

from devices.health import Health, HealthState
from devices.simulated import SimulatedDevice
from tests.console.conftest import EAST, expect, log_in
from tests.console.test_maintenance import (  # noqa: F401 - the kiosk fixture
    in_browser,
    kiosk,
    run_kiosk,
    service_state,
)
from tests.ui.conftest import loop, texts, until  # noqa: F401 - the Qt event loop fixture
from ui.screens.home import HomeScreen
from ui.screens.maintenance import MaintenanceScreen


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


def test_a_required_device_failing_at_start_pauses_the_kiosk_and_the_console_sees_why(
        page: Any, platform, kiosk, loop) -> None:  # noqa: F811
    readiness = kiosk.terminal.readiness
    assert readiness is not None
    reader = kiosk.terminal.devices.by_family["idcard"]
    assert isinstance(reader, SimulatedDevice)
    reader.set_health(Health(HealthState.OFFLINE, "NO_DEVICE"))  # absent when the kiosk starts

    def not_ready_shown() -> None:
        log_in(page, platform, "east")
        page.goto(f"{platform.console_url}/terminals/{EAST.id}")
        expect(page.locator("#readiness-verdict")).to_have_attribute("data-ready", "false")
        row = page.locator("#readiness-devices tr[data-family='idcard']")
        expect(row).to_have_attribute("data-passed", "false")
        expect(row).to_contain_text("NO_DEVICE")
        expect(page.locator("#service-state")).to_contain_text("暂停服务")

    def ready_shown() -> None:
        expect(page.locator("#readiness-verdict")).to_have_attribute("data-ready", "true")

    async def main() -> None:
        task = asyncio.ensure_future(kiosk.runtime.run())
        try:
            await until(lambda: isinstance(kiosk.window.current_screen, MaintenanceScreen), 10)
            shown = texts(kiosk.window.current_screen)
            assert "本机设备故障，暂停办理业务。" in shown
            assert "故障设备：身份证阅读器：设备未连接或打不开" in shown
            await until(lambda: len(readiness.sent) == 1
                        and service_state(platform) == "paused", 10)
            await in_browser(not_ready_shown)

            reader.set_health(Health(HealthState.OK))  # plugged in again
            await until(lambda: isinstance(kiosk.window.current_screen, HomeScreen), 10)
            await until(lambda: len(readiness.sent) == 2, 10)
            await in_browser(ready_shown)
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    loop.run_until_complete(main())
