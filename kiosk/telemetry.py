"""Heartbeats from the terminal to the platform, and the commands that come back with them.

Every `interval_s` (and soon after a device's health changes) the terminal tells the platform
its app version, uptime, each device's health and code, whether the platform was reachable,
the outbox backlog, and how many sessions, services, prints and ratings happened since the
last heartbeat that arrived. Never anything about a person: only counts.

The answer carries the state the manager wants (maintenance on or off, a notice or none, the
hall hours overridden or not) and commands (refresh the catalog, restart, send the readiness
report). They are applied through `CommandHandlers`, which the shell supplies; each command is
acknowledged in the next heartbeat, and one that comes again before its acknowledgement arrived
is not carried out twice. The readiness report also goes with the first heartbeat that arrives.

Pure asyncio, no Qt: the HTTP call runs in a worker thread, everything else on the event loop
(the GUI loop in the app), so the handlers may touch widgets.
"""

from __future__ import annotations

import asyncio
import importlib.metadata
import inspect
import logging
import threading
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal, get_args

from central.contract import (
    ActivityCounts,
    DeviceReport,
    Heartbeat,
    HeartbeatAnswer,
    HoursOverride,
    ServiceState,
)
from devices.health import Health
from kiosk.clock_offset import FAMILY as CLOCK_FAMILY
from kiosk.clock_offset import ClockOffset
from kiosk.platform_client import PlatformClient, PlatformError
from kiosk.updates import Updater
from offline_cache.wakeup import Wakeup, end_if_cancelled

log = logging.getLogger(__name__)

Activity = Literal["sessions", "services", "prints", "ratings"]  # what the console counts
COUNTERS: tuple[Activity, ...] = get_args(Activity)
# the kiosk's exit status when the platform asked for a restart (EX_TEMPFAIL): main.py starts
# it again; under systemd, RestartForceExitStatus=75 does the same
RESTART_EXIT_CODE = 75
EARLY_SEND_DELAY_S = 0.5  # after a health change: wait for the burst to settle
_HANDLED_MEMORY = 200


def app_version() -> str:
    """A release's VERSION (`central.releases`), else the installed package's version."""
    try:
        return (Path(__file__).resolve().parents[1] / "VERSION").read_text("ascii").strip()
    except (OSError, UnicodeDecodeError):  # a checkout, not a release
        pass
    try:
        return importlib.metadata.version("gov-kiosk")
    except importlib.metadata.PackageNotFoundError:
        return "dev"


def _ignore(*_args: object) -> None:
    return None


async def _delivered() -> bool:
    return True


def _code(health: Health | None) -> tuple[str, str] | None:
    return None if health is None else (health.state.value, health.code)


@dataclass
class CommandHandlers:
    """What the terminal does when the platform asks; all called on the event loop."""

    set_maintenance: Callable[[bool], None] = _ignore
    show_notice: Callable[[str | None], None] = _ignore
    refresh_catalog: Callable[[], Awaitable[None] | None] = _ignore
    restart: Callable[[], None] = _ignore
    # the readiness report (kiosk.readiness): True once it reached the platform
    send_readiness: Callable[[], Awaitable[bool]] = _delivered
    # 始终开放 / 立即闭厅 / the hall's hours (kiosk.hall_hours)
    set_hours_override: Callable[[HoursOverride | None], None] = _ignore


class Telemetry:
    def __init__(
        self,
        client: PlatformClient,
        interval_s: float,
        device_health: Callable[[], Mapping[str, Health]],
        *,
        network_online: Callable[[], bool] = lambda: True,
        catalog_version: Callable[[], str | None] = lambda: None,
        outbox_backlog: Callable[[], int] = lambda: 0,
        version: str | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.interval_s = interval_s
        self.handlers = CommandHandlers()
        self.updates: Updater | None = None  # remote update: reports and targets
        # what the kiosk is doing about maintenance; the shell replaces this
        self.service_state: Callable[[], ServiceState] = lambda: "serving"
        self._client = client
        self._device_health = device_health
        self._network_online = network_online
        self._catalog_version = catalog_version
        self._outbox_backlog = outbox_backlog
        self._version = version or app_version()
        self._clock = clock
        self._started = clock()
        self._counts: dict[Activity, int] = dict.fromkeys(COUNTERS, 0)
        self._counts_lock = threading.Lock()
        self._acknowledge: list[int] = []
        self._handled: list[int] = []
        self._failed = 0
        self._maintenance: bool | None = None  # as last applied; None before the first answer
        self._notice: str | None = None
        self._notice_applied = False
        self._hours_override: HoursOverride | None = None  # as last applied
        self._wake = Wakeup()
        self.last_answer: HeartbeatAnswer | None = None
        self._tasks: set[asyncio.Future[None]] = set()
        # the readiness report goes with the first heartbeat that arrives, and again with the
        # next one that arrives after it failed to
        self._readiness_due = True
        # the client measures the terminal's clock against the platform's on every answer;
        # it is reported beside the devices as family "clock" (CLOCK_SKEWED when far off)
        offset = getattr(client, "clock", None)
        self._clock_offset = offset if isinstance(offset, ClockOffset) else None

    # -- what the kiosk tells it -----------------------------------------------------------

    def count(self, what: Activity, n: int = 1) -> None:
        """One more session, service, print or rating; safe from any thread."""
        if what not in self._counts:
            raise ValueError(f"unknown counter {what!r}; expected one of {COUNTERS}")
        with self._counts_lock:
            self._counts[what] += n

    def poke(self) -> None:
        """Send a heartbeat soon (a device's health changed); safe from any thread."""
        self._wake.ring()

    def in_flight(self) -> list[asyncio.Future[None]]:
        """What heartbeats and commands started that is still running (catalog refreshes,
        readiness reports), for a stopping kiosk."""
        return [task for task in self._tasks if not task.done()]

    # -- the loop --------------------------------------------------------------------------

    async def run(self) -> None:
        """Send heartbeats until cancelled; never raises otherwise."""
        self._wake.bind()
        while True:
            end_if_cancelled()
            # cleared before the heartbeat is built: a change during the send is not lost
            self._wake.clear()
            try:
                await self.send_once()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("heartbeat failed unexpectedly")
            if await self._wake.wait(self.interval_s):  # how: offline_cache.wakeup
                await asyncio.sleep(EARLY_SEND_DELAY_S)

    async def send_once(self) -> HeartbeatAnswer | None:
        """One heartbeat; the answer applied. None when it did not reach the platform."""
        with self._counts_lock:
            counts = dict(self._counts)
        acknowledged = list(self._acknowledge)
        clock = self._clock_health()
        heartbeat = self._heartbeat(counts, acknowledged, clock)
        try:
            answer = await asyncio.to_thread(self._client.send_heartbeat, heartbeat)
        except PlatformError as exc:
            self._failed += 1
            if self._failed == 1 or self._failed % 20 == 0:
                log.warning("heartbeat not delivered (%s, %d in a row): %s", exc.health_code,
                            self._failed, exc.detail)
            return None
        if _code(self._clock_health()) != _code(clock):  # the answer measured a change:
            self._wake.ring()  # the console hears of it soon, not an interval later
        if self._failed:
            log.info("heartbeats arrive again after %d lost", self._failed)
        self._failed = 0
        with self._counts_lock:  # what happened while the heartbeat was on its way stays
            for key, sent in counts.items():
                self._counts[key] -= sent
        self._acknowledge = [i for i in self._acknowledge if i not in acknowledged]
        self.last_answer = answer
        if self._readiness_due:
            self._readiness_due = False
            self._start(self._send_readiness())
        await self._apply(answer)
        return answer

    async def _send_readiness(self) -> None:
        if not await self.handlers.send_readiness():
            self._readiness_due = True

    def _start(self, work: Awaitable[None]) -> None:
        """Work a heartbeat started; a stopping kiosk stops it too (`in_flight`)."""
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _clock_health(self) -> Health | None:
        return self._clock_offset.health() if self._clock_offset is not None else None

    def _heartbeat(self, counts: dict[Activity, int], acknowledged: list[int],
                   clock: Health | None = None) -> Heartbeat:
        healths = dict(self._device_health())
        if clock is not None:
            healths[CLOCK_FAMILY] = clock
        devices = [
            DeviceReport(family=family, state=health.state.value, code=health.code,
                         detail=health.detail[:200])
            for family, health in healths.items()
        ]
        return Heartbeat(
            app_version=self._version,
            sent_at=datetime.now(UTC),
            uptime_s=max(0.0, self._clock() - self._started),
            interval_s=self.interval_s,
            network="online" if self._network_online() else "offline",
            failed_heartbeats=self._failed,
            catalog_version=self._catalog_version(),
            devices=devices,
            outbox_backlog=max(0, self._outbox_backlog()),
            counts=ActivityCounts(**counts),
            service_state=self.service_state(),
            acknowledged=acknowledged,
            update=self.updates.report() if self.updates is not None else None,
        )

    async def _apply(self, answer: HeartbeatAnswer) -> None:
        if answer.maintenance != self._maintenance:
            self._maintenance = answer.maintenance
            log.info("maintenance %s by the platform", "on" if answer.maintenance else "off")
            self.handlers.set_maintenance(answer.maintenance)
        if answer.hours_override != self._hours_override:
            self._hours_override = answer.hours_override
            self.handlers.set_hours_override(answer.hours_override)
        notice = answer.notice or None
        if notice != self._notice or not self._notice_applied:
            self._notice, self._notice_applied = notice, True
            self.handlers.show_notice(notice)
        restart = None
        for command in answer.commands:
            if command.id in self._handled:
                continue
            self._handled = [*self._handled, command.id][-_HANDLED_MEMORY:]
            log.info("command %d from the platform: %s", command.id, command.kind)
            if command.kind == "refresh_catalog":
                outcome = self.handlers.refresh_catalog()
                if inspect.isawaitable(outcome):
                    self._start(outcome)
            elif command.kind == "send_readiness":
                self._start(self._send_readiness())
            elif command.kind == "restart":
                restart = command.id
                continue  # acknowledged below, before the restart
            # maintenance, the notice and the hours override were applied from the state above
            self._acknowledge.append(command.id)
        if self.updates is not None:
            self.updates.want(answer.target_version)
        if restart is not None:
            await self._restart(restart)

    async def _restart(self, command_id: int) -> None:
        """Acknowledge first, so the restarted kiosk is not told to restart again."""
        self._acknowledge.append(command_id)
        if await self.send_once() is None:
            # not acknowledged: the platform sends it again, and it is carried out then
            self._handled.remove(command_id)
            self._acknowledge.remove(command_id)
            return
        self.handlers.restart()
