"""Runs the kiosk: the Qt application, asyncio on Qt's event loop (qasync), and the window.

qasync was kept over PySide6.QtAsyncio after trying both (README, architecture): both ran
executors, cancellation and timeouts on the GUI loop, but QtAsyncio (PySide6 6.12) does not
implement asyncio servers and streams, which network printers and test peers need.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Coroutine
from types import SimpleNamespace

import qasync
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from flows.ask import AskDesk, Knowledge
from flows.browse import FlowStarts, browse_catalog
from flows.citizen import serve_citizen
from flows.context import FlowContext, FlowDevices
from flows.steps import HomeStep
from kiosk.i18n import tr
from kiosk.knowledge.source import KnowledgeSource
from kiosk.session import CitizenSession, IdleWatch, serve_sessions
from kiosk.stopping import EXIT_DEADLINE_S, exit_after, on_stop_signals, stop_tasks
from kiosk.telemetry import RESTART_EXIT_CODE, CommandHandlers
from kiosk.terminal import Terminal
from ui.gui_gc import GuiThreadCollector
from ui.live_view import LiveCameras
from ui.read_aloud import ReadAloud
from ui.shell import ActivityFilter, Shell
from ui.simulator_panel import SimulatorPanel
from ui.voice import VoiceQuestions
from ui.window import KioskWindow

log = logging.getLogger(__name__)

CJK_FONTS = ("WenQuanYi Micro Hei", "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei")


def application() -> QApplication:
    app = QApplication.instance() or QApplication([])
    families = set(QFontDatabase.families())
    font = next((name for name in CJK_FONTS if name in families), None)
    if font is None:
        log.warning("no CJK font found (install fonts-wqy-microhei): Chinese may show as boxes")
    else:
        app.setFont(QFont(font))
    return app


class Kiosk:
    """The running kiosk: shell, idle watch and the session loop, wired to a terminal.

    The platform's commands (`kiosk.telemetry`) come in here: maintenance and a restart wait
    until the person at the screen has finished (their session ended); an untouched kiosk
    pauses or restarts at once. A notice goes straight to the top bar.
    """

    def __init__(self, terminal: Terminal, app: QApplication) -> None:
        settings = terminal.settings
        self.terminal = terminal
        self.window = KioskWindow(settings.terminal.hall)
        self.shell = Shell(app, self.window, settings.terminal.language)
        ui = settings.ui
        self.idle = IdleWatch(ui.idle_timeout_s, ui.idle_countdown_s, self.shell.ask_to_continue)
        self.shell.on_elder_mode = lambda elder: setattr(
            self.idle, "timeout_s", ui.elder_idle_timeout_s if elder else ui.idle_timeout_s)
        self.shell.live = LiveCameras.of(terminal.devices.by_family)
        self.activity = ActivityFilter(self._touched)
        app.installEventFilter(self.activity)
        self.shell.on_screen_change = self.silence
        self.exit_code = 0
        self._someone_here = False  # touched since this session began
        self._maintenance = False
        self._restart = False
        self._changed = asyncio.Event()  # maintenance or restart asked for
        self._run_task: asyncio.Task[None] | None = None
        self.on_stopping: Callable[[], None] = lambda: None  # as `run` begins to stop
        self.left_running: list[asyncio.Future[object]] = []  # tasks that did not stop in time
        self.telemetry = terminal.telemetry
        if self.telemetry is not None:
            self.telemetry.handlers = CommandHandlers(
                set_maintenance=self._set_maintenance, show_notice=self.shell.show_notice,
                refresh_catalog=terminal.catalog.refresh, restart=self._request_restart)
            self.telemetry.service_state = self._service_state
        terminal.catalog.subscribe(lambda: self.shell.show_catalog_status(terminal.catalog.status))
        self.shell.show_catalog_status(None)
        self.panel = (SimulatorPanel(terminal.devices, terminal.network) if ui.simulator_panel
                      else None)
        # issue 8: screens read aloud, 读给我听, and 语音提问 answered from the knowledge base
        speech = terminal.devices.by_family.get("speech")
        self.read_aloud = ReadAloud(self.shell, getattr(speech, "speaker", None), self._touched)
        self.voice = VoiceQuestions(self.shell, getattr(speech, "voice", None), self.knowledge,
                                    self.read_aloud.say)

    async def run(self) -> None:
        catalog = self.terminal.catalog
        self._run_task = asyncio.current_task()
        loops: list[asyncio.Task[None]] = []  # all stopped in `finally`, even during start-up
        refreshes: set[asyncio.Future[None]] = set()

        def start(name: str, work: Coroutine[object, object, None]) -> None:
            loops.append(asyncio.create_task(work, name=name))

        try:
            if self.telemetry is not None:
                start("heartbeats", self.telemetry.run())
                loops[-1].add_done_callback(_log_failure)
            # the first contact may take a few timeouts when the platform is unreachable
            self.shell.show(HomeStep((), unavailable=tr("正在连接政务服务平台，请稍候…")))
            await catalog.start()
            self.shell.show_catalog_status(catalog.status)
            platform = self.terminal.settings.platform
            start("catalog-refresh", catalog.run_refresh_loop(platform.refresh_interval_s,
                                                              platform.offline_retry_s))
            if (outbox := self.terminal.outbox_sync) is not None:
                start("outbox-sync", outbox.run())
            if (knowledge := self.terminal.knowledge) is not None:  # search and 语音提问
                start("knowledge", self._keep_knowledge(knowledge))
            # the simulator panel's "cut the network" shows in the top bar at once, not at
            # the next refresh (the outbox is woken by the terminal itself)
            self.terminal.network.on_change(
                lambda _cut: refreshes.add(asyncio.ensure_future(catalog.refresh())))
            self.terminal.devices.start(asyncio.get_running_loop())
            await serve_sessions(self._serve_person, self.idle, self._session_ended)
        finally:
            self.on_stopping()
            self.terminal.devices.stop()
            # and what the loops started: a delivery pass a citizen started goes on after
            # their wait (outbox_sync); at a stop it is cancelled too, and an item sent but not
            # yet marked is sent again later under the same Idempotency-Key (answered once)
            # bounded: what has not stopped in time is logged and left (kiosk.stopping)
            self.left_running = await stop_tasks([*loops, *refreshes, *self._in_flight()])

    def _in_flight(self) -> list[asyncio.Future[object]]:
        """What the loops started on the side; a source that cannot say is logged, and the
        rest are stopped all the same."""
        tasks: list[asyncio.Future[object]] = []
        for source in (self.terminal.outbox_sync, self.terminal.knowledge, self.telemetry):
            if source is None:
                continue
            try:
                tasks += source.in_flight()
            except Exception:
                log.exception("could not list what %s has running", type(source).__name__)
        return tasks

    # -- maintenance and restart, after the current person --------------------------------

    def silence(self) -> None:
        """Stop speaking: the screen changed or the person tapped."""
        speech = self.terminal.devices.by_family.get("speech")
        if (speaker := getattr(speech, "speaker", None)) is not None:
            speaker.stop()

    def knowledge(self) -> Knowledge | None:
        """The knowledge base being served; None until one has loaded."""
        source = self.terminal.knowledge
        return source.knowledge if source is not None else None

    def hot_searches(self) -> list[str]:
        source = self.terminal.knowledge
        return [hot.name for hot in source.hot] if source is not None else []

    def _count_ask(self, service_id: str) -> None:
        if (source := self.terminal.knowledge) is not None:
            source.count_ask(service_id)

    async def _keep_knowledge(self, knowledge: KnowledgeSource) -> None:
        """Fetched (or the saved snapshot) once the catalog is there, then kept fresh."""
        try:
            await knowledge.start()
            await knowledge.run_refresh_loop(self.terminal.settings.platform.refresh_interval_s)
        except Exception:  # browsing goes on; search says it is unavailable
            log.exception("the knowledge base could not be served")

    def _touched(self) -> None:
        self.silence()
        if self.shell.paused:
            return  # a tap on 暂停服务 starts no session
        self._someone_here = True
        self.idle.touch()

    def _set_maintenance(self, on: bool) -> None:
        self._maintenance = on
        self._changed.set()

    def _request_restart(self) -> None:
        self._restart = True
        self._changed.set()

    def _service_state(self) -> str:
        if self.shell.paused:
            return "paused"
        return "pausing" if self._maintenance or self._restart else "serving"

    async def _serve_person(self, session: CitizenSession) -> None:
        self._someone_here = False
        await self._pause_while_asked()
        flow = asyncio.current_task()
        assert flow is not None
        # nobody has touched the screen yet: pausing now takes nothing from anyone
        watch = asyncio.ensure_future(self._until(
            lambda: (self._maintenance or self._restart) and not self._someone_here))
        watch.add_done_callback(lambda done: done.cancelled() or flow.cancel("pause"))
        try:
            await self._serve_citizen(session)
        except asyncio.CancelledError:
            if not watch.done() or watch.cancelled() or flow.cancelling() > 1:
                raise  # the session's own end, not the pause
            flow.uncancel()  # the session ends here; the next one shows 暂停服务
        finally:
            watch.cancel()

    async def _serve_citizen(self, session: CitizenSession) -> None:
        terminal = self.terminal
        desk = AskDesk(self.knowledge, self.hot_searches, session, self._count_ask)
        if terminal.services is None:  # no platform to apply to: the catalog only
            await browse_catalog(self.shell, terminal.catalog,
                                 FlowStarts(SimpleNamespace(ask=desk), {}))  # type: ignore[arg-type]
            return
        telemetry = terminal.telemetry
        await serve_citizen(FlowContext(
            ui=self.shell, catalog=terminal.catalog, services=terminal.services,
            devices=FlowDevices.from_families(terminal.devices.by_family), session=session,
            ask=desk,
            count=telemetry.count if telemetry is not None else lambda what: None))

    async def _pause_while_asked(self) -> None:
        if self._maintenance and not self._restart:
            log.info("maintenance: 暂停服务 shown")
            self.shell.show_maintenance(True)
            if self.telemetry is not None:
                self.telemetry.poke()  # the console hears "paused" now, not in 30 s
            await self._until(lambda: not self._maintenance or self._restart)
            self.shell.show_maintenance(False)
        if self._restart:
            log.info("restarting the kiosk as the platform asked")
            self.exit_code = RESTART_EXIT_CODE
            if self._run_task is not None:
                self._run_task.cancel()  # `run` below returns the exit code
            await asyncio.Event().wait()  # cancelled as the kiosk stops

    async def _until(self, condition: Callable[[], bool]) -> None:
        while not condition():
            self._changed.clear()
            await self._changed.wait()

    def _session_ended(self, session: CitizenSession) -> None:
        if self._someone_here and self.telemetry is not None:
            self.telemetry.count("sessions")
        self.shell.end_session(session)


def _log_failure(task: asyncio.Future[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("the heartbeat loop stopped", exc_info=task.exception())


def run(terminal: Terminal, windowed: bool) -> int:
    app = application()
    # worker threads (HTTP, devices, the embedded platform) must never free a widget
    collector = GuiThreadCollector(parent=app)  # noqa: F841 (lives with the app)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    kiosk = Kiosk(terminal, app)
    if windowed or not terminal.settings.ui.fullscreen:
        kiosk.window.resize(1920 // 2 + 480, 1080 // 2 + 270)
        kiosk.window.show()
    else:
        app.setOverrideCursor(Qt.CursorShape.BlankCursor)  # touch only: no pointer to follow
        kiosk.window.showFullScreen()
    if kiosk.panel is not None:
        kiosk.panel.show()
    # from the moment it starts to stop, the process has EXIT_DEADLINE_S to end (systemd's
    # stop timeout would kill it without a word; this logs where it was stuck)
    kiosk.on_stopping = lambda: exit_after(EXIT_DEADLINE_S, lambda: kiosk.exit_code)
    with loop:
        task = loop.create_task(kiosk.run())
        app.aboutToQuit.connect(task.cancel)
        restore_signals = on_stop_signals(loop, lambda _signum: task.cancel())
        try:
            with contextlib.suppress(asyncio.CancelledError):
                loop.run_until_complete(task)
        finally:
            restore_signals()
    return kiosk.exit_code
