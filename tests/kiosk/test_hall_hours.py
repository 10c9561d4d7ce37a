"""Hall hours (kiosk.hall_hours) in the running kiosk, without Qt: the attract loop on an
untouched home, the screen off out of hours and lit by a touch, the nightly restart after the
person at the screen, and the console's 始终开放 / 立即闭厅 through the real platform.

The clock is stepped by the test; every wait is for an event (a screen change, a file written
by the keeper, a flow starting), never for time.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest

from central.console.views import CommandRequest, issue_command
from central.db import TerminalRecord
from central.server import EmbeddedPlatform
from common.i18n import Text, tr
from kiosk.backlight import Backlight
from kiosk.hall_hours import HallHours, next_daily
from kiosk.platform_client import PlatformClient, TerminalCredentials
from kiosk.runtime import KioskRuntime
from kiosk.settings import HoursSettings, Settings, load_settings
from kiosk.systemd_notify import status_line
from kiosk.telemetry import RESTART_EXIT_CODE, Telemetry
from kiosk.terminal import Terminal
from offline_cache.wakeup import Wakeup
from tests.kiosk.test_runtime import (
    WAIT_S,
    Changes,
    Devices,
    HallPlatform,
    Person,
    RecordingScreen,
    StaticCatalog,
    scenario,
)
from tests.kiosk.test_telemetry import ADMIN, TERMINAL

MONDAY = datetime(2026, 12, 7)  # a Monday
WEEKDAYS_9_TO_5 = {day: "08:30-17:30" for day in ("mon", "tue", "wed", "thu", "fri")}


class SteppedClock:
    """The hall's clock, moved by the test: a wait ends when the clock passes its end, and
    each one begun tells the test's waiters to look again."""

    def __init__(self, start: datetime, changes: Changes | None = None) -> None:
        self._now = start
        self._changes = changes
        self._waits: list[tuple[datetime, asyncio.Future[None]]] = []

    def now(self) -> datetime:
        return self._now

    async def wait(self, wake: Wakeup, seconds: float) -> bool:
        if self._changes is not None:  # the keeper has done a pass: its decisions are seen
            self._changes.changed()
        passed = asyncio.get_running_loop().create_future()
        self._waits.append((self._now + timedelta(seconds=seconds), passed))
        rung = asyncio.ensure_future(wake.wait(24 * 3600.0))  # only a ring ends this one
        try:
            await asyncio.wait({passed, rung}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            rung.cancel()
            self._waits = [(end, f) for end, f in self._waits if f is not passed]
        return wake.rung

    def advance(self, **delta: float) -> None:
        self._now += timedelta(**delta)
        for end, passed in self._waits:
            if end <= self._now and not passed.done():
                passed.set_result(None)


class HallScreenRecording(RecordingScreen):
    """The runtime's screen and the keeper's: the attract loop and the closed screen too."""

    def show_attract(self, on: bool) -> None:
        self._record("attract", on)

    def show_closed(self, hours: Text | None) -> None:
        self.paused = True
        self._record("closed", hours)

    def end_closed(self) -> None:
        self._record("closed ends")


def settings_for(backlight: Path, attract_after_s: float = 0, **hours: object) -> Settings:
    settings = load_settings()
    return settings.model_copy(update={
        "hours": HoursSettings.model_validate({"backlight": str(backlight), **hours}),
        "ui": settings.ui.model_copy(update={"attract_after_s": attract_after_s}),
    })


class Kiosk:
    """One terminal at the stepped time: its screen, the person at it, the platform."""

    def __init__(self, settings: Settings, start: datetime, client: object = None) -> None:
        self.changes = Changes()
        self.screen = HallScreenRecording(self.changes)
        self.person = Person(self.changes)
        self.platform = HallPlatform()
        self.clock = SteppedClock(start, self.changes)
        self.telemetry = Telemetry(client or self.platform, 3600,  # type: ignore[arg-type]
                                   Devices().health_report)  # type: ignore[arg-type]
        terminal = Terminal(settings, Devices(), StaticCatalog(),  # type: ignore[arg-type]
                            telemetry=self.telemetry)
        self.runtime = KioskRuntime(terminal, self.screen, self.person.serve,
                                    hall_screen=self.screen, clock=self.clock)
        self.runtime.idle.timeout_s = 3600  # nobody is asked "继续办理？" here
        self.run: asyncio.Task[None] | None = None

    async def __aenter__(self) -> Kiosk:
        self.run = asyncio.create_task(self.runtime.run())
        return self

    async def __aexit__(self, *_exc: object) -> None:
        assert self.run is not None
        self.run.cancel()
        await asyncio.gather(self.run, return_exceptions=True)

    async def until(self, condition: object, what: str) -> None:
        await self.changes.until(condition, what)  # type: ignore[arg-type]

    async def shows(self, what: str, value: object) -> None:
        await self.until(lambda: self.screen.shown[-1:] == [(what, value)],
                         f"{what} {value!r} shown")

    async def person_arrives(self, number: int) -> None:
        await self.until(lambda: len(self.person.sessions) >= number, f"session {number}")


def bl_power(root: Path) -> str:
    return (root / "panel" / "bl_power").read_text()


@pytest.fixture
def backlight(tmp_path: Path) -> Path:
    panel = tmp_path / "backlight" / "panel"
    panel.mkdir(parents=True)
    (panel / "bl_power").write_text("0")
    return tmp_path / "backlight"


# -- the timetable ---------------------------------------------------------------------------

def test_the_timetable_reads_days_holidays_and_the_next_opening() -> None:
    hours = HallHours.from_settings(HoursSettings.model_validate(
        {**WEEKDAYS_9_TO_5, "holidays": ["2026-12-08"]}))
    assert hours.is_open(MONDAY.replace(hour=8, minute=30))
    assert not hours.is_open(MONDAY.replace(hour=17, minute=30))
    assert hours.next_opening(MONDAY.replace(hour=18)) == datetime(2026, 12, 9, 8, 30), \
        "Tuesday is a holiday"
    assert hours.closed_text(MONDAY.replace(hour=18), None) == tr(
        "当前非服务时间，服务时间：今日 {range}，下次开放：{next}", range="08:30-17:30",
        next=tr("{month}月{day}日 {time}", month=12, day=9, time="08:30"))
    assert HallHours.from_settings(HoursSettings()).is_open(MONDAY), "no hours: always open"
    assert next_daily(MONDAY.replace(hour=4), time(3, 30)) == datetime(2026, 12, 8, 3, 30)


# -- the attract loop ------------------------------------------------------------------------

@scenario
async def test_the_attract_loop_comes_after_the_wiped_session_and_goes_at_a_touch() -> None:
    settings = settings_for(Path("/nonexistent"), attract_after_s=300)
    async with Kiosk(settings, MONDAY.replace(hour=10)) as kiosk:
        await kiosk.person_arrives(1)
        kiosk.runtime.touched()
        kiosk.person.finish()
        await kiosk.person_arrives(2)
        kiosk.clock.advance(seconds=300)
        await kiosk.shows("attract", True)
        first = kiosk.person.sessions[0]
        assert first.get("name") is None, "the person's data was wiped before"
        assert kiosk.screen.shown.index(("home", None)) < kiosk.screen.shown.index(
            ("attract", True))

        kiosk.runtime.touched()
        await kiosk.shows("attract", False)
        assert len(kiosk.person.sessions) == 2, "the touch goes on on the same home"


# -- out of hours ----------------------------------------------------------------------------

def test_out_of_hours_screen_off_touch_lights_it_with_the_hours(backlight: Path) -> None:
    async def run() -> None:
        settings = settings_for(backlight, **WEEKDAYS_9_TO_5)
        async with Kiosk(settings, MONDAY.replace(hour=17)) as kiosk:
            await kiosk.person_arrives(1)
            kiosk.clock.advance(minutes=30)
            await kiosk.shows("closed", None)
            assert bl_power(backlight) == "4", "the backlight is off"
            await kiosk.telemetry.send_once()
            assert kiosk.platform.service_state == "closed"

            kiosk.runtime.touched()
            hours = tr("当前非服务时间，服务时间：今日 {range}，下次开放：{next}",
                       range="08:30-17:30", next=tr("明天 {time}", time="08:30"))
            await kiosk.shows("closed", hours)
            assert bl_power(backlight) == "0"
            assert len(kiosk.person.sessions) == 1, "a touch on the closed screen serves nobody"

            kiosk.clock.advance(seconds=60)
            await kiosk.shows("closed", None)
            assert bl_power(backlight) == "4"

            kiosk.clock.advance(hours=15)  # Tuesday 08:30
            await kiosk.person_arrives(2)
            assert ("closed ends", None) in kiosk.screen.shown
            assert bl_power(backlight) == "0"
            await kiosk.telemetry.send_once()
            assert kiosk.platform.service_state == "serving"

    asyncio.run(run())


# -- the nightly restart ---------------------------------------------------------------------

@scenario
async def test_the_nightly_restart_waits_for_the_person_to_leave() -> None:
    settings = settings_for(Path("/nonexistent"), nightly_restart="03:30")
    async with Kiosk(settings, MONDAY.replace(hour=3)) as kiosk:
        await kiosk.person_arrives(1)
        kiosk.runtime.touched()
        kiosk.clock.advance(minutes=30)
        await kiosk.until(lambda: kiosk.runtime.service_state() == "pausing",
                          "the restart waits for the person")
        assert kiosk.run is not None and not kiosk.run.done()

        kiosk.person.finish()
        await asyncio.wait({kiosk.run}, timeout=WAIT_S)
        assert kiosk.run.done() and kiosk.runtime.exit_code == RESTART_EXIT_CODE
        assert kiosk.person.cancelled == 0, "the person finished"
        assert len(kiosk.person.sessions) == 1


# -- the console's override through the platform ----------------------------------------------

@pytest.fixture
def platform(tmp_path: Path):
    server = EmbeddedPlatform(f"sqlite:///{tmp_path}/central.db", terminals=[TERMINAL],
                              sweep_interval_s=0)
    server.start()
    yield server
    server.stop()


def console(platform: EmbeddedPlatform, kind: str) -> None:
    with platform.app.state.sessions() as session:
        record = session.get(TerminalRecord, TERMINAL.id)
        issue_command(session, ADMIN, record, CommandRequest(kind=kind),  # type: ignore[arg-type]
                      datetime.now(UTC))
        session.commit()


def service_state(platform: EmbeddedPlatform) -> str | None:
    with platform.app.state.sessions() as session:
        record = session.get(TerminalRecord, TERMINAL.id)
        assert record is not None
        return record.service_state


def test_the_console_closes_and_opens_a_terminal_across_a_restart(platform, backlight) -> None:
    settings = settings_for(backlight, **WEEKDAYS_9_TO_5)

    def client() -> PlatformClient:
        return PlatformClient(platform.base_url, timeout_s=5.0, retries=0,
                              credentials=TerminalCredentials(TERMINAL.id, TERMINAL.key))

    async def closed_now() -> None:
        async with Kiosk(settings, MONDAY.replace(hour=10), client()) as kiosk:
            await kiosk.person_arrives(1)
            await kiosk.telemetry.send_once()
            console(platform, "hours_closed")
            await kiosk.telemetry.send_once()
            await kiosk.shows("closed", None)
            await kiosk.telemetry.send_once()
            assert service_state(platform) == "closed"

    async def after_a_restart_still_closed_then_always_open() -> None:
        async with Kiosk(settings, MONDAY.replace(hour=10), client()) as kiosk:
            await kiosk.person_arrives(1)
            await kiosk.telemetry.send_once()  # the first answer gives the override
            await kiosk.shows("closed", None)
            assert bl_power(backlight) == "4"

            console(platform, "hours_open")
            kiosk.clock.advance(hours=10)  # 20:00, out of hours: open all the same
            await kiosk.telemetry.send_once()
            await kiosk.person_arrives(2)
            assert bl_power(backlight) == "0"
            await kiosk.telemetry.send_once()
            assert service_state(platform) == "serving"

            console(platform, "hours_scheduled")
            await kiosk.telemetry.send_once()
            await kiosk.shows("closed", None)

    asyncio.run(closed_now())
    asyncio.run(after_a_restart_still_closed_then_always_open())


def test_systemctl_status_says_closed() -> None:
    assert status_line("closed", True).startswith("Closed: outside the hall's hours")


def test_the_backlight_is_switched_and_a_refused_write_is_logged_once(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / "panel").mkdir()
    (tmp_path / "panel" / "bl_power").write_text("0\n")
    (tmp_path / "not-a-panel").mkdir()
    light = Backlight(tmp_path)
    light.set_power(False)
    assert (tmp_path / "panel" / "bl_power").read_text() == "4"
    light.set_power(True)
    assert (tmp_path / "panel" / "bl_power").read_text() == "0"

    (tmp_path / "panel" / "bl_power").unlink()
    (tmp_path / "panel" / "bl_power").mkdir()  # refused whoever runs the test (root too)
    light.set_power(False)
    light.set_power(False)
    assert len([r for r in caplog.records if "not switched off" in r.message]) == 1
