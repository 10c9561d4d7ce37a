"""The running kiosk without Qt (kiosk.runtime): one person after another, and what the hall
manager asks through the platform (pause, restart), as the person at the screen and the
manager's console see it.

The screen is a recording stand-in for the Qt shell; the platform answers heartbeats as the
console's settings say (maintenance on or off, a restart command), through the real
`Telemetry`; the person's flow is a stand-in that keeps their name and waits until told they are
done. Every wait is for an event (a screen change, a flow starting), never for time.
"""

from __future__ import annotations

import asyncio
import functools
import threading
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime

import pytest

from central.contract import Command, Heartbeat, HeartbeatAnswer
from common.i18n import Text
from kiosk.runtime import KioskRuntime
from kiosk.session import CitizenSession
from kiosk.settings import load_settings
from kiosk.snapshot_source import SnapshotStatus
from kiosk.telemetry import RESTART_EXIT_CODE, Telemetry
from kiosk.terminal import Terminal

WAIT_S = 30  # a generous bound on waiting for an event; nothing here waits for time itself


def scenario(test: Callable[[], Coroutine[object, object, None]]) -> Callable[[], None]:
    """The async scenario as a test, on an event loop of its own."""

    @functools.wraps(test)
    def run() -> None:
        asyncio.run(test())

    return run


class Changes:
    """Something to wait on: every recorded change wakes the waiters."""

    def __init__(self) -> None:
        self._changed = asyncio.Event()

    def changed(self) -> None:
        self._changed.set()

    async def until(self, condition: Callable[[], bool], what: str) -> None:
        async def wait() -> None:
            while not condition():
                self._changed.clear()
                await self._changed.wait()

        try:
            await asyncio.wait_for(wait(), WAIT_S)
        except TimeoutError:
            pytest.fail(f"never happened: {what}")


class RecordingScreen:
    """The screen as the person sees it: what is shown, in order."""

    def __init__(self, changes: Changes) -> None:
        self._changes = changes
        self.shown: list[tuple[str, object]] = []
        self.paused = False
        self.ended: list[CitizenSession] = []
        self.asked_to_continue: asyncio.Future[bool] | None = None

    def _record(self, what: str, value: object = None) -> None:
        self.shown.append((what, value))
        self._changes.changed()

    def show_unavailable(self, text: Text) -> None:
        self._record("unavailable", text.source)

    def show_catalog_status(self, status: SnapshotStatus | None) -> None:
        self._record("catalog status", None if status is None else status.online)

    def show_maintenance(self, paused: bool, reason: Text | None = None) -> None:
        self.paused = paused
        self._record("暂停服务" if paused else "暂停服务 ends", reason)

    def show_notice(self, text: str | None) -> None:
        self._record("notice", text)

    async def ask_to_continue(self, seconds: float) -> bool:
        self.asked_to_continue = asyncio.get_running_loop().create_future()
        self._record("继续办理？")
        try:
            return await self.asked_to_continue
        finally:
            self.asked_to_continue = None

    def end_session(self, session: CitizenSession) -> None:
        self.ended.append(session)
        self._record("home")


class Person:
    """A citizen's flow: keeps their name for the visit and goes on until told it is done."""

    def __init__(self, changes: Changes) -> None:
        self._changes = changes
        self.sessions: list[CitizenSession] = []
        self.cancelled = 0
        self._done: asyncio.Event | None = None

    async def serve(self, session: CitizenSession) -> None:
        self.sessions.append(session)
        session.keep("name", "张三")
        self._done = asyncio.Event()
        self._changes.changed()
        try:
            await self._done.wait()
        except asyncio.CancelledError:
            self.cancelled += 1
            raise

    def finish(self) -> None:
        assert self._done is not None
        self._done.set()


class HallPlatform:
    """The platform's side of heartbeats, as the manager's console sets it."""

    def __init__(self) -> None:
        self.maintenance = False
        self.commands: list[Command] = []
        self.heartbeats: list[Heartbeat] = []
        self._lock = threading.Lock()

    def send_heartbeat(self, heartbeat: Heartbeat) -> HeartbeatAnswer:  # a worker thread
        with self._lock:
            self.heartbeats.append(heartbeat)
            acknowledged = set(heartbeat.acknowledged)
            self.commands = [c for c in self.commands if c.id not in acknowledged]
            return HeartbeatAnswer(received_at=datetime.now(UTC), maintenance=self.maintenance,
                                   commands=list(self.commands))

    def restart(self) -> None:
        self.commands.append(Command(id=len(self.commands) + 1, kind="restart",
                                     issued_at=datetime.now(UTC)))

    @property
    def service_state(self) -> str:
        return self.heartbeats[-1].service_state


class StaticCatalog:
    def __init__(self) -> None:
        self.catalog = None
        self.status = SnapshotStatus(online=True, updated_at=datetime.now(UTC))

    def subscribe(self, callback: Callable[[], None]) -> Callable[[], None]:
        return lambda: None

    async def start(self) -> None:
        return None

    async def refresh(self) -> None:
        return None

    async def run_refresh_loop(self, interval_s: float, retry_s: float) -> None:
        await asyncio.Event().wait()


class Devices:
    def __init__(self) -> None:
        self.by_family: dict[str, object] = {}
        self.running = False

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        self.running = True

    def stop(self) -> None:
        self.running = False

    def health_report(self) -> dict[str, object]:
        return {}


class Hall:
    """One terminal in a hall, running: its screen, the person at it, the platform."""

    def __init__(self) -> None:
        self.changes = Changes()
        self.screen = RecordingScreen(self.changes)
        self.person = Person(self.changes)
        self.platform = HallPlatform()
        self.devices = Devices()
        # heartbeats are sent by the test (send_once), not waited for: an hour between beats
        self.telemetry = Telemetry(self.platform, 3600, self.devices.health_report)  # type: ignore[arg-type]
        terminal = Terminal(load_settings(), self.devices, StaticCatalog(),  # type: ignore[arg-type]
                            telemetry=self.telemetry)
        self.runtime = KioskRuntime(terminal, self.screen, self.person.serve)
        self.runtime.idle.timeout_s = 0  # "继续办理？" as soon as the person stops tapping
        self.run: asyncio.Task[None] | None = None

    async def __aenter__(self) -> Hall:
        self.run = asyncio.create_task(self.runtime.run())
        await self.person_arrives(1)
        return self

    async def __aexit__(self, *_exc: object) -> None:
        assert self.run is not None
        self.run.cancel()
        await asyncio.gather(self.run, return_exceptions=True)

    async def person_arrives(self, number: int) -> None:
        """The kiosk is ready for the `number`-th person (their flow has started)."""
        await self.changes.until(lambda: len(self.person.sessions) >= number,
                                 f"session {number} starts")

    async def heartbeat(self) -> None:
        await self.telemetry.send_once()

    def shown(self) -> list[str]:
        return [what for what, _value in self.screen.shown]


@scenario
async def test_home_says_it_is_connecting_until_the_catalog_is_there() -> None:
    async with Hall() as hall:
        assert hall.screen.shown[:3] == [
            ("catalog status", None),
            ("unavailable", "正在连接政务服务平台，请稍候…"),
            ("catalog status", True),
        ]
        assert hall.devices.running


@scenario
async def test_a_person_who_walks_away_is_asked_then_their_data_is_wiped() -> None:
    async with Hall() as hall:
        first = hall.person.sessions[0]
        hall.runtime.touched()
        await hall.changes.until(lambda: hall.screen.asked_to_continue is not None, "继续办理？")
        assert hall.screen.asked_to_continue is not None
        hall.screen.asked_to_continue.set_result(False)  # nobody tapped: they have gone

        await hall.person_arrives(2)
        assert hall.screen.ended == [first]
        assert first.get("name") is None, "the person's data is wiped as the session ends"
        assert hall.person.cancelled == 1, "their flow was stopped where it was"
        await hall.heartbeat()
        assert hall.platform.heartbeats[-1].counts.sessions == 1


@scenario
async def test_a_tap_on_continue_keeps_the_session() -> None:
    async with Hall() as hall:
        hall.runtime.touched()
        await hall.changes.until(lambda: hall.screen.asked_to_continue is not None, "继续办理？")
        assert hall.screen.asked_to_continue is not None
        hall.screen.asked_to_continue.set_result(True)
        await hall.changes.until(lambda: hall.shown().count("继续办理？") == 2, "asked again")
        assert hall.screen.ended == [] and hall.person.cancelled == 0
        assert hall.person.sessions[0].get("name") == "张三"


@scenario
async def test_a_pause_on_an_untouched_kiosk_shows_paused_at_once() -> None:
    async with Hall() as hall:
        hall.platform.maintenance = True
        await hall.heartbeat()

        await hall.changes.until(lambda: hall.screen.paused, "暂停服务")
        await hall.heartbeat()
        assert hall.platform.service_state == "paused", "the console hears it is paused"
        assert hall.platform.heartbeats[-1].counts.sessions == 0, "nobody was served"

        hall.platform.maintenance = False
        await hall.heartbeat()
        await hall.person_arrives(2)
        assert hall.shown()[-1] == "暂停服务 ends"
        await hall.heartbeat()
        assert hall.platform.service_state == "serving"


@scenario
async def test_a_pause_waits_for_the_person_at_the_screen() -> None:
    async with Hall() as hall:
        hall.runtime.touched()  # someone is filling in a form
        hall.platform.maintenance = True
        await hall.heartbeat()
        await hall.heartbeat()
        assert hall.platform.service_state == "pausing"
        assert not hall.screen.paused and hall.person.cancelled == 0, "not taken from them"

        hall.person.finish()  # they are done: their session ends, then the kiosk pauses
        await hall.changes.until(lambda: hall.screen.paused, "暂停服务")
        assert len(hall.screen.ended) == 1
        await hall.heartbeat()
        assert hall.platform.service_state == "paused"


@scenario
async def test_a_tap_on_the_paused_screen_starts_no_session() -> None:
    async with Hall() as hall:
        hall.platform.maintenance = True
        await hall.heartbeat()
        await hall.changes.until(lambda: hall.screen.paused, "暂停服务")
        hall.runtime.touched()
        hall.platform.maintenance = False
        await hall.heartbeat()
        await hall.person_arrives(2)
        await hall.heartbeat()
        assert hall.platform.heartbeats[-1].counts.sessions == 0
        assert "继续办理？" not in hall.shown()


@scenario
async def test_a_restart_waits_for_the_person_then_ends_with_the_restart_code() -> None:
    async with Hall() as hall:
        hall.runtime.touched()
        hall.platform.restart()
        await hall.heartbeat()
        assert hall.run is not None and not hall.run.done()
        await hall.heartbeat()
        assert hall.platform.service_state == "pausing"
        assert hall.platform.commands == [], "acknowledged before restarting"

        hall.person.finish()
        await asyncio.wait({hall.run}, timeout=WAIT_S)
        assert hall.run.done(), "the kiosk ends, to be started again"
        assert hall.runtime.exit_code == RESTART_EXIT_CODE
        assert hall.runtime.left_running == []
        assert not hall.devices.running, "the devices are stopped before the process ends"
        assert hall.person.cancelled == 0, "the person finished what they were doing"
        assert hall.screen.ended[0] is hall.person.sessions[0]
        assert len(hall.person.sessions) == 1, "nobody else was served before the restart"


@scenario
async def test_a_restart_of_an_untouched_kiosk_is_at_once() -> None:
    async with Hall() as hall:
        hall.platform.restart()
        await hall.heartbeat()
        assert hall.run is not None
        await asyncio.wait({hall.run}, timeout=WAIT_S)
        assert hall.run.done(), "the kiosk ends, to be started again"
        assert hall.runtime.exit_code == RESTART_EXIT_CODE
        assert not hall.devices.running


@scenario
async def test_elder_mode_gives_the_person_longer_before_continue() -> None:
    async with Hall() as hall:
        ui = hall.runtime.terminal.settings.ui
        hall.runtime.set_elder_mode(True)
        assert hall.runtime.idle.timeout_s == ui.elder_idle_timeout_s > ui.idle_timeout_s
        hall.runtime.set_elder_mode(False)
        assert hall.runtime.idle.timeout_s == ui.idle_timeout_s


@scenario
async def test_a_stopped_kiosk_stops_its_devices_and_leaves_nothing_running() -> None:
    hall = Hall()
    async with hall:
        pass
    assert hall.run is not None and hall.run.cancelled()
    assert not hall.devices.running and hall.runtime.left_running == []
    assert hall.person.cancelled == 1 and hall.person.sessions[0].get("name") is None
