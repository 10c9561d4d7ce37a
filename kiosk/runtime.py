"""The running kiosk without its window: the background loops, one person after another, and
the platform's maintenance and restart commands.

Qt-free, so it is tested with a fake screen (tests/kiosk/test_runtime.py); the Qt shell
(`ui.app`) builds the window, implements `Screen` and gives the runtime the flow that serves one
person. Maintenance and a restart wait until the person at the screen has finished (their
session ended); an untouched kiosk pauses or restarts at once. A notice goes straight to the
screen.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from typing import Any, Protocol

from common.i18n import Text, tr
from devices.health import Health
from kiosk.hall_hours import SYSTEM_HALL_CLOCK, HallClock, HallScreen, NoHallScreen, hall_keeper
from kiosk.knowledge import KnowledgeBase
from kiosk.knowledge.source import KnowledgeSource
from kiosk.readiness import DeviceHold, Readiness
from kiosk.session import CitizenSession, IdleWatch, serve_sessions
from kiosk.snapshot_source import SnapshotStatus
from kiosk.stopping import stop_tasks
from kiosk.telemetry import RESTART_EXIT_CODE, CommandHandlers, ServiceState
from kiosk.terminal import Terminal

log = logging.getLogger(__name__)

# serves the person of a session until they are done (the flow returns) or gone (cancelled)
ServePerson = Callable[[CitizenSession], Awaitable[None]]


class Screen(Protocol):
    """What the runtime asks of the screen; the Qt shell implements it, tests fake it."""

    @property
    def paused(self) -> bool:
        """暂停服务 is shown."""
        ...

    def show_unavailable(self, text: Text, /) -> None:
        """Home without services, saying why (while the platform is first contacted)."""
        ...

    def show_catalog_status(self, status: SnapshotStatus | None, /) -> None: ...

    def show_maintenance(self, paused: bool, reason: Text | None = None, /) -> None:
        """暂停服务 while `paused`: for maintenance, or with `reason` (for staff) while a
        required device has failed."""
        ...

    def show_notice(self, text: str | None, /) -> None: ...

    async def ask_to_continue(self, seconds: float, /) -> bool:
        """"继续办理？" for `seconds`; True when the person tapped to continue."""
        ...

    def end_session(self, session: CitizenSession, /) -> None:
        """The person has gone: back home, nothing of theirs left on screen."""
        ...


class KioskRuntime:
    """A terminal at work: its loops, its sessions, and what the platform asks of it."""

    def __init__(self, terminal: Terminal, screen: Screen, serve_person: ServePerson, *,
                 hall_screen: HallScreen | None = None,
                 clock: HallClock = SYSTEM_HALL_CLOCK) -> None:
        """`hall_screen`: the attract loop and the closed screen (kiosk.hall_hours)."""
        self.terminal = terminal
        self._screen = screen
        self._serve = serve_person
        ui = terminal.settings.ui
        self.idle = IdleWatch(ui.idle_timeout_s, ui.idle_countdown_s, screen.ask_to_continue)
        self.exit_code = 0
        self._someone_here = False  # touched since this session began
        self._maintenance = False
        self._restart = False
        self._staff = False  # staff at the screen (the maintenance menu): nobody is served
        self._hold: DeviceHold | None = None  # a required device failed the self-test
        self._changed = asyncio.Event()  # maintenance or restart asked for
        # hall hours: closed pauses as maintenance does, the nightly restart is a restart
        self.hall = hall_keeper(terminal.settings, hall_screen or NoHallScreen(), clock,
                                on_change=self._held_changed, restart=self._request_restart)
        self._run_task: asyncio.Task[None] | None = None
        self.on_stopping: Callable[[], None] = lambda: None  # as `run` begins to stop
        self.left_running: list[asyncio.Future[Any]] = []  # tasks that did not stop in time
        self.telemetry = terminal.telemetry
        if self.telemetry is not None:
            self.telemetry.handlers = CommandHandlers(
                set_maintenance=self._set_maintenance, show_notice=screen.show_notice,
                refresh_catalog=terminal.catalog.refresh, restart=self._request_restart,
                set_hours_override=self.hall.set_override)
            if terminal.readiness is not None:
                self.telemetry.handlers.send_readiness = terminal.readiness.send
            self.telemetry.service_state = self._service_state
        if terminal.updates is not None:  # a release installed: restart once nobody is here
            terminal.updates.on_installed = self._request_restart
        terminal.catalog.subscribe(lambda: screen.show_catalog_status(terminal.catalog.status))
        screen.show_catalog_status(None)

    async def run(self) -> None:
        """Until cancelled; then everything it started is stopped (bounded, `kiosk.stopping`)."""
        catalog = self.terminal.catalog
        self._run_task = asyncio.current_task()
        loops: list[asyncio.Task[None]] = []  # all stopped in `finally`, even during start-up
        refreshes: set[asyncio.Future[None]] = set()

        def start(name: str, work: Coroutine[object, object, None]) -> None:
            loops.append(asyncio.create_task(work, name=name))

        readiness = self.terminal.readiness
        # beside the first contact, which may take a few timeouts: both before serving
        self_test = (asyncio.ensure_future(readiness.self_test())
                     if readiness is not None else None)
        try:
            if self.telemetry is not None:
                start("heartbeats", self.telemetry.run())
                loops[-1].add_done_callback(_log_failure)
            # the first contact may take a few timeouts when the platform is unreachable
            self._screen.show_unavailable(tr("正在连接政务服务平台，请稍候…"))
            await catalog.start()
            self._screen.show_catalog_status(catalog.status)
            platform = self.terminal.settings.platform
            start("catalog-refresh", catalog.run_refresh_loop(platform.refresh_interval_s,
                                                              platform.offline_retry_s))
            if (outbox := self.terminal.outbox_sync) is not None:
                start("outbox-sync", outbox.run())
            if (payments := self.terminal.payments) is not None:  # a crash's, then the left
                start("payments", payments.run())
            if (knowledge := self.terminal.knowledge) is not None:  # search and 语音提问
                start("knowledge", self._keep_knowledge(knowledge))
            if (staff_events := self.terminal.staff_events) is not None:  # for the manager
                start("staff-events", staff_events.run())
            if (offline_queue := self.terminal.offline_queue) is not None:  # 取号 offline
                start("offline-queue", offline_queue.run())
            # the simulator panel's "cut the network" shows in the top bar at once, not at
            # the next refresh (the outbox is woken by the terminal itself)
            self.terminal.network.on_change(
                lambda _cut: refreshes.add(asyncio.ensure_future(catalog.refresh())))
            if readiness is not None and self_test is not None:
                # before the devices start: the self-test opens and closes their ports itself
                self._hold_for_devices(readiness, await self_test, start)
            self.terminal.devices.start(asyncio.get_running_loop())
            start("hall-hours", self.hall.run())
            await serve_sessions(self._serve_person, self.idle, self._session_ended)
        finally:
            self.on_stopping()
            self.terminal.devices.stop()
            # and what the loops started: a delivery pass a citizen started goes on after
            # their wait (outbox_sync); at a stop it is cancelled too, and an item sent but not
            # yet marked is sent again later under the same Idempotency-Key (answered once)
            # bounded: what has not stopped in time is logged and left (kiosk.stopping)
            started = [*loops, *refreshes, *self._in_flight()]
            self.left_running = await stop_tasks(
                started if self_test is None else [self_test, *started])

    def _hold_for_devices(self, readiness: Readiness, healths: Mapping[str, Health],
                          start: Callable[[str, Coroutine[object, object, None]], None]) -> None:
        """暂停服务 while a required device that failed the self-test has not recovered."""
        hold = DeviceHold(self.terminal.devices, readiness.required, self._held_changed)
        if hold.update(healths):
            self._hold = hold
            start("device-hold", self._hold_until_ready(hold, readiness))

    async def _hold_until_ready(self, hold: DeviceHold, readiness: Readiness) -> None:
        await hold.run()
        await readiness.send()  # the console sees the terminal ready, not the failed report

    def _held_changed(self) -> None:
        self._changed.set()
        if self.telemetry is not None:
            self.telemetry.poke()  # the console hears the devices' state now

    def _device_fault(self) -> Text | None:
        """Why a required device holds the kiosk; None: none does."""
        return self._hold.reason if self._hold is not None else None

    def paused_for(self) -> str:
        """Why the kiosk pauses, for technicians (`systemctl status`); English."""
        if self._device_fault() is not None:
            return "a required device failed its check (see the console's readiness report)"
        if self._staff:
            return "staff at the screen (maintenance menu)"
        return "maintenance set from the console"

    def _pause_asked(self) -> bool:
        return (self._maintenance or self._staff or self._device_fault() is not None
                or self.hall.closed)

    def _closed_shown(self) -> bool:
        """Out of hours the screen is off, over maintenance and a device fault; staff at the
        screen see their menu."""
        return self.hall.closed and not self._staff

    def _in_flight(self) -> list[asyncio.Future[Any]]:
        """What the loops started on the side; a source that cannot say is logged, and the
        rest are stopped all the same."""
        tasks: list[asyncio.Future[Any]] = []
        for source in (self.terminal.outbox_sync, self.terminal.knowledge, self.telemetry,
                       self.terminal.staff_events):
            if source is None:
                continue
            try:
                tasks += source.in_flight()
            except Exception:
                log.exception("could not list what %s has running", type(source).__name__)
        return tasks

    # -- the person in front of the screen ---------------------------------------------------

    def touched(self) -> None:
        """Any input: someone is here (a tap on 暂停服务 starts no session)."""
        self.silence()
        self.hall.touched()  # the attract loop ends; a dark screen shows the hours
        if self._screen.paused:
            return
        self._someone_here = True
        self.idle.touch()

    def silence(self) -> None:
        """Stop speaking: the screen changed or the person tapped."""
        speech = self.terminal.devices.by_family.get("speech")
        if (speaker := getattr(speech, "speaker", None)) is not None:
            speaker.stop()

    def set_elder_mode(self, elder: bool) -> None:
        """长辈模式 gives the person longer before "继续办理？"."""
        ui = self.terminal.settings.ui
        self.idle.timeout_s = ui.elder_idle_timeout_s if elder else ui.idle_timeout_s

    def knowledge(self) -> KnowledgeBase | None:
        """The knowledge base being served; None until one has loaded."""
        source = self.terminal.knowledge
        return source.knowledge if source is not None else None

    def hot_searches(self) -> list[str]:
        source = self.terminal.knowledge
        return [hot.name for hot in source.hot] if source is not None else []

    def count_ask(self, service_id: str) -> None:
        """A person chose this service after asking (for the hot list; never the question)."""
        if (source := self.terminal.knowledge) is not None:
            source.count_ask(service_id)

    async def _keep_knowledge(self, knowledge: KnowledgeSource) -> None:
        """Fetched (or the saved snapshot) once the catalog is there, then kept fresh."""
        try:
            await knowledge.start()
            await knowledge.run_refresh_loop(self.terminal.settings.platform.refresh_interval_s)
        except Exception:  # browsing goes on; search says it is unavailable
            log.exception("the knowledge base could not be served")

    # -- maintenance and restart, after the current person ------------------------------------

    def _set_maintenance(self, on: bool) -> None:
        self._maintenance = on
        self._changed.set()

    def _request_restart(self) -> None:
        self._restart = True
        self._changed.set()

    def request_restart(self) -> None:
        """Restart the app (exit status 75) once nobody is served; staff's 重启程序."""
        self._request_restart()

    def staff_pause(self, on: bool) -> None:
        """Staff at the screen (the maintenance menu): whoever's session it was ends now (the
        person there is staff), 暂停服务 until `staff_pause(False)`."""
        self._staff = on
        self._changed.set()

    def exit(self, code: int) -> None:
        """Stop the kiosk; `run`'s caller ends the process with `code`."""
        self.exit_code = code
        if self._run_task is not None:
            self._run_task.cancel()

    def service_state(self) -> ServiceState:
        """As the console sees it: serving, pausing (maintenance or restart asked) or paused."""
        return self._service_state()

    def _service_state(self) -> ServiceState:
        if self._screen.paused:
            return "closed" if self._closed_shown() else "paused"
        return ("pausing" if self._maintenance or self._restart or self._staff or self.hall.closed
                else "serving")

    async def _serve_person(self, session: CitizenSession) -> None:
        self._someone_here = False
        await self._pause_while_asked()
        self.hall.home_shown()
        flow = asyncio.current_task()
        assert flow is not None
        # nobody has touched the screen yet: pausing now takes nothing from anyone
        watch = asyncio.ensure_future(self._until(
            lambda: self._staff
            or ((self._pause_asked() or self._restart) and not self._someone_here)))
        watch.add_done_callback(lambda done: done.cancelled() or flow.cancel("pause"))
        try:
            await self._serve(session)
        except asyncio.CancelledError:
            if not watch.done() or watch.cancelled() or flow.cancelling() > 1:
                raise  # the session's own end, not the pause
            flow.uncancel()  # the session ends here; the next one shows 暂停服务
        finally:
            watch.cancel()

    async def _pause_while_asked(self) -> None:
        paused = False
        while self._pause_asked() and not self._restart:
            reason = self._device_fault()  # shown rather than maintenance's own words
            closed = self._closed_shown()
            if closed:
                log.info("out of hall hours: the screen is off")
                self.hall.darken(True)  # in place of 暂停服务
            else:
                log.info("maintenance: 暂停服务 shown (%s)", self.paused_for())
                self.hall.darken(False)
                self._screen.show_maintenance(True, reason)
            if self.telemetry is not None and not paused:
                self.telemetry.poke()  # the console hears "paused" now, not in 30 s
            paused = True
            # until it ends, or another reason is to be shown
            await self._until(lambda shown=(reason, closed): not self._pause_asked()
                              or self._restart
                              or (self._device_fault(), self._closed_shown()) != shown)
        if paused:
            self.hall.darken(False)
            self._screen.show_maintenance(False)
        if self._restart:
            log.info("restarting the kiosk as the platform asked")
            self.exit_code = RESTART_EXIT_CODE
            if self._run_task is not None:
                self._run_task.cancel()  # `run` returns; the caller ends with the exit code
            await asyncio.Event().wait()  # cancelled as the kiosk stops

    async def _until(self, condition: Callable[[], bool]) -> None:
        while not condition():
            self._changed.clear()
            await self._changed.wait()

    def _session_ended(self, session: CitizenSession) -> None:
        if self._someone_here and self.telemetry is not None:
            self.telemetry.count("sessions")
        self._screen.end_session(session)


def _log_failure(task: asyncio.Future[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("the heartbeat loop stopped", exc_info=task.exception())
