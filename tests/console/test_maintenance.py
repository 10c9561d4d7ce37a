"""From the console to the kiosk: a manager puts a terminal in maintenance in the browser, and
the kiosk running in this test shows 暂停服务; a notice appears in its top bar; and a person
already at the kiosk is allowed to finish first.

Each scenario runs whole on Qt's loop (qasync); the browser steps go to the Playwright thread
from a worker (`in_browser`), so the kiosk keeps beating while the browser works.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from central.console.users import Viewer
from central.console.views import CommandRequest, issue_command
from central.db import TerminalRecord
from central.server import EmbeddedPlatform
from kiosk.settings import DataSettings, load_settings
from kiosk.terminal import build_terminal
from tests.console.conftest import EAST, HEARTBEAT_S, expect, log_in
from tests.ui.conftest import buttons, loop, until  # noqa: F401 - the Qt event loop fixture
from ui.app import Kiosk
from ui.screens.home import HomeScreen
from ui.screens.maintenance import MaintenanceScreen


@pytest.fixture
def kiosk(qapp, qtbot, platform: EmbeddedPlatform, tmp_path: Path) -> Iterator[Kiosk]:
    """The real kiosk (shell, sessions, telemetry) for terminal EAST, offscreen."""
    settings = load_settings()
    # model_copy skips validation: a heartbeat interval shorter than an installer may set
    settings = settings.model_copy(update={
        "terminal": settings.terminal.model_copy(
            update={"id": EAST.id, "hall": EAST.hall, "key": EAST.key}),
        "data": DataSettings(dir=tmp_path / "kiosk"),
        "platform": settings.platform.model_copy(update={"heartbeat_interval_s": HEARTBEAT_S}),
        "ui": settings.ui.model_copy(update={"simulator_panel": False, "idle_timeout_s": 1.0,
                                             "idle_countdown_s": 1.0}),
    })
    kiosk = Kiosk(build_terminal(settings, platform.base_url), qapp)
    qtbot.addWidget(kiosk.window)
    kiosk.window.resize(1280, 800)
    kiosk.window.show()
    yield kiosk
    qapp.removeEventFilter(kiosk.activity)


def service_state(platform: EmbeddedPlatform) -> str | None:
    with platform.app.state.sessions() as session:
        return session.get(TerminalRecord, EAST.id).service_state


def run_kiosk(qt_loop: Any, kiosk: Kiosk, scenario: Callable[[], Awaitable[None]]) -> None:
    async def main() -> None:
        task = asyncio.ensure_future(kiosk.runtime.run())
        try:
            await until(lambda: isinstance(kiosk.window.current_screen, HomeScreen)
                        and kiosk.terminal.catalog.catalog is not None
                        and kiosk.runtime.telemetry.last_answer is not None, 10)
            await scenario()
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    qt_loop.run_until_complete(main())


async def in_browser(step: Callable[[], Any]) -> Any:
    return await asyncio.to_thread(step)


def test_maintenance_set_in_the_browser_pauses_the_kiosk(page: Any, platform, kiosk,
                                                         loop) -> None:  # noqa: F811
    def pause() -> None:
        log_in(page, platform, "east")
        page.goto(f"{platform.console_url}/terminals/{EAST.id}")
        page.get_by_role("button", name="暂停服务（维护）").click()
        expect(page.locator("#commands")).to_contain_text("暂停服务（维护）")

    def post_notice() -> None:
        expect(page.locator("#service-state")).to_contain_text("暂停服务")
        page.get_by_label("公告（显示在终端顶部，留空则清除）").fill("今日16:00起系统升级")
        page.get_by_role("button", name="发布公告").click()
        expect(page.locator("#notice")).to_have_text("今日16:00起系统升级")

    def resume() -> None:
        page.get_by_role("button", name="恢复服务").click()
        expect(page.locator("#commands")).to_contain_text("恢复服务")

    async def scenario() -> None:
        await in_browser(pause)
        await until(lambda: isinstance(kiosk.window.current_screen, MaintenanceScreen), 10)
        assert not kiosk.window.home_button.isEnabled()
        await until(lambda: service_state(platform) == "paused", 10)
        await in_browser(post_notice)
        await until(lambda: kiosk.window.notice_label.isVisible(), 10)
        assert kiosk.window.notice_label.text() == "公告：今日16:00起系统升级"
        await in_browser(resume)
        await until(lambda: isinstance(kiosk.window.current_screen, HomeScreen), 10)
        await until(lambda: service_state(platform) == "serving", 10)

    run_kiosk(loop, kiosk, scenario)


def test_the_person_at_the_kiosk_finishes_before_it_pauses(platform, kiosk, loop,  # noqa: F811
                                                          qtbot) -> None:
    async def scenario() -> None:
        await until(lambda: any("项" in text for text in buttons(kiosk.window.current_screen)), 10)
        tile = next(b for text, b in buttons(kiosk.window.current_screen).items() if "项" in text)
        qtbot.mouseClick(tile, Qt.MouseButton.LeftButton)  # someone starts using the kiosk
        with platform.app.state.sessions() as session:
            issue_command(session, Viewer(1, "admin", "administrator", None),
                          session.get(TerminalRecord, EAST.id),
                          CommandRequest(kind="maintenance_on"), datetime.now(UTC))
            session.commit()
        await until(lambda: service_state(platform) == "pausing", 10)
        assert not isinstance(kiosk.window.current_screen, MaintenanceScreen)
        # they walk away: idle timeout, the countdown unanswered, the session ends
        await until(lambda: isinstance(kiosk.window.current_screen, MaintenanceScreen), 10)
        await until(lambda: service_state(platform) == "paused", 10)

    run_kiosk(loop, kiosk, scenario)


def test_a_restart_command_ends_the_kiosk_with_the_restart_status(platform, kiosk,
                                                                 loop) -> None:  # noqa: F811
    from kiosk.telemetry import RESTART_EXIT_CODE

    async def scenario() -> None:
        with platform.app.state.sessions() as session:
            issue_command(session, Viewer(1, "admin", "administrator", None),
                          session.get(TerminalRecord, EAST.id),
                          CommandRequest(kind="restart"), datetime.now(UTC))
            session.commit()
        await until(lambda: kiosk.runtime.exit_code == RESTART_EXIT_CODE, 10)
        with platform.app.state.sessions() as session:
            from sqlalchemy import select

            from central.db import CommandRecord

            assert all(c.done_at for c in session.scalars(select(CommandRecord)))

    run_kiosk(loop, kiosk, scenario)
