"""Runs the kiosk: the Qt application, asyncio on Qt's event loop (qasync), and the window.

qasync was kept over PySide6.QtAsyncio after trying both (README, architecture): both ran
executors, cancellation and timeouts on the GUI loop, but QtAsyncio (PySide6 6.12) does not
implement asyncio servers and streams, which network printers and test peers need.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

import qasync
from PySide6.QtCore import QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from flows.ask import AskDesk
from flows.browse import browse_catalog
from flows.citizen import serve_citizen
from flows.context import FlowContext, FlowDevices
from flows.elder_home import ElderHome
from flows.steps import HomeStep, Step
from kiosk.hall_hours import SYSTEM_HALL_CLOCK, HallClock
from kiosk.runtime import KioskRuntime
from kiosk.session import CitizenSession
from kiosk.stopping import EXIT_DEADLINE_S, exit_after, on_stop_signals
from kiosk.systemd_notify import SystemdNotifier, status_line
from kiosk.terminal import Terminal
from ui import lockdown
from ui.fonts import kiosk_font_family
from ui.gui_gc import GuiThreadCollector
from ui.hall_covers import HallCovers
from ui.live_view import LiveCameras
from ui.read_aloud import ReadAloud
from ui.shell import ActivityFilter, Shell
from ui.simulator_panel import SimulatorPanel
from ui.spoken_language import BY_SETTING, SessionRecognizer, SessionSpeaker, SpokenLanguage
from ui.staff_exit import StaffExit
from ui.voice import VoiceQuestions
from ui.voice_typing import VoiceTyping
from ui.window import KioskWindow

log = logging.getLogger(__name__)

STATUS_EVERY_S = 2.0  # how soon `systemctl status` shows a change of service state


def application() -> QApplication:
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication), "the kiosk needs widgets: a QApplication, not a core one"
    font = kiosk_font_family()
    if font is None:
        log.warning("no CJK font found (install fonts-wqy-microhei): Chinese may show as boxes")
    else:
        app.setFont(QFont(font))
    return app


class Kiosk:
    """The kiosk on screen: the window and shell around a `KioskRuntime`, which runs the loops
    and the sessions; this class only builds the widgets and hands the runtime each person's
    flow."""

    def __init__(self, terminal: Terminal, app: QApplication, *,
                 payment_sandbox: str | None = None,
                 clock: HallClock = SYSTEM_HALL_CLOCK) -> None:
        """`payment_sandbox`: the address of the demo platform's payment gateway sandbox, for
        the simulator panel to play the person's phone with; `clock`: the hall hours' (a test
        steps it)."""
        settings = terminal.settings
        self.terminal = terminal
        self.window = KioskWindow(settings.terminal.hall)
        self.shell = Shell(app, self.window, settings.terminal.language)
        # the attract loop and the closed hall's screen (kiosk.hall_hours)
        self.covers = HallCovers(self.shell, self._attract_services)
        self.runtime = KioskRuntime(terminal, self.shell, self._serve_citizen,
                                    hall_screen=self.covers, clock=clock)
        self.shell.on_elder_mode = self._elder_mode
        self.session: CitizenSession | None = None  # the person in front of the screen
        self.shell.live = LiveCameras.of(terminal.devices.by_family)
        self.activity = ActivityFilter(self.runtime.touched)
        app.installEventFilter(self.activity)
        self.shell.on_screen_change = self.runtime.silence
        self.panel = (SimulatorPanel(terminal.devices, terminal.network, payment_sandbox)
                      if settings.ui.simulator_panel else None)
        if self.panel is not None:  # a QR code on screen: the panel gives its phone page
            self.shell.screen_shown.append(self.panel.follow_screen)
        # screens read aloud, 读给我听, and 语音提问 answered from the knowledge base
        speech = terminal.devices.by_family.get("speech")
        speaker, mandarin = getattr(speech, "speaker", None), getattr(speech, "voice", None)
        # 普通话 or 粤语: the hall's default, one tap in elder mode for the visit
        self.spoken = SpokenLanguage(self.shell, BY_SETTING[settings.ui.speech_language],
                                     mandarin, getattr(speech, "cantonese_voice", None))
        self.read_aloud = ReadAloud(
            self.shell, SessionSpeaker(speaker, self.spoken) if speaker is not None else None,
            self.runtime.touched)
        self.voice = VoiceQuestions(
            self.shell, SessionRecognizer(self.spoken) if mandarin is not None else None,
            self.runtime.knowledge, self.read_aloud.say)
        # 说话输入 beside every text field, through the same recognition
        self.voice_typing = VoiceTyping(self.shell, lambda: self.voice.voice,
                                        self.read_aloud.say)
        # the four corners in turn: the staff PIN pad, then the maintenance menu
        self.staff = StaffExit(self.window, lambda: self.shell.tokens, terminal, self.runtime)
        self.staff.install(app)
        self.systemd = SystemdNotifier.from_environ()
        self.ready = False  # READY=1 sent: the home screen has been shown
        self.pings = self._tell_systemd()

    # -- systemd (kiosk.systemd_notify): READY, the watchdog's pings, STATUS, STOPPING --------
    def _tell_systemd(self) -> QTimer | None:
        """The pings come from a timer on the GUI thread: a frozen GUI stops them and systemd
        restarts the kiosk (WatchdogSec= in deploy/kiosk.service)."""
        systemd = self.systemd
        if not systemd.enabled:
            return None
        systemd.status(status_line(self.runtime.service_state(), None))
        self.shell.screen_shown.append(self._screen_shown)
        self.runtime.on_stopping = systemd.stopping
        timer = QTimer(self.window)
        interval_s = systemd.ping_interval_s
        # without a watchdog the timer only keeps STATUS current
        timer.setInterval(int(1000 * min(interval_s or STATUS_EVERY_S, STATUS_EVERY_S)))
        timer.timeout.connect(self._ping)
        timer.start()
        return timer

    def _screen_shown(self, step: Step, _screen: object) -> None:
        # any home counts, the one still connecting too: the app is up and says what is going
        # on, and STATUS tells a technician whether it serves. Waiting for a catalog would let
        # a platform down for hours restart the kiosk every TimeoutStartSec and then reboot it.
        if not self.ready and isinstance(step, HomeStep):
            self.ready = True
            self.systemd.ready()
            if (updates := self.runtime.terminal.updates) is not None:
                updates.confirm_running()  # a new release's trial succeeded (kiosk.boot)
            self._ping()
        elif self.ready:  # a screen shown is when the state most often changes
            self._status()

    def _ping(self) -> None:
        if self.systemd.ping_interval_s is not None:
            self.systemd.watchdog()
        self._status()

    def _status(self) -> None:
        if self.ready:
            source = self.terminal.catalog
            status = source.status
            self.systemd.status(status_line(self.runtime.service_state(),
                                            status.online if status is not None else None,
                                            has_catalog=source.catalog is not None,
                                            paused_for=self.runtime.paused_for()))

    def _elder_mode(self, elder: bool) -> None:
        """长辈模式 switched: a longer idle time, and the flows told (they leave out what the
        person need not decide)."""
        self.runtime.set_elder_mode(elder)
        if self.session is not None:
            self.session.elder_mode = elder

    async def _serve_citizen(self, session: CitizenSession) -> None:
        terminal, runtime = self.terminal, self.runtime
        self.session = session
        session.elder_mode = self.shell.elder_mode
        desk = AskDesk(runtime.knowledge, runtime.hot_searches, session, runtime.count_ask)
        elder_home = ElderHome(tuple(terminal.settings.ui.elder_services), self._most_used)
        if terminal.services is None:  # no platform to apply to: the catalog only
            await browse_catalog(self.shell, terminal.catalog, ask=desk, elder_home=elder_home)
            return
        telemetry = terminal.telemetry
        await serve_citizen(FlowContext(
            ui=self.shell, catalog=terminal.catalog, services=terminal.services,
            devices=FlowDevices.from_families(terminal.devices.by_family), session=session,
            ask=desk, elder_home=elder_home, queue=terminal.queue,
            hall_map=terminal.hall_map, phone=terminal.phone,
            appointments=terminal.appointments, convenience=terminal.convenience,
            count=telemetry.count if telemetry is not None else lambda what: None))

    def _attract_services(self) -> list[str]:
        """The names the attract loop turns through: the hall's most used services."""
        catalog = self.terminal.catalog.catalog
        if catalog is None:
            return []
        return [tile.name for tile in ElderHome((), self._most_used).tiles(catalog)]

    def _most_used(self) -> list[str]:
        """This hall's most used services as the platform counts them (none without one)."""
        knowledge = self.terminal.knowledge
        return knowledge.most_used if knowledge is not None else []


def run(terminal: Terminal, windowed: bool, *, payment_sandbox: str | None = None) -> int:
    app = application()
    # worker threads (HTTP, devices, the embedded platform) must never free a widget
    collector = GuiThreadCollector(parent=app)  # noqa: F841 (lives with the app)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    kiosk = Kiosk(terminal, app, payment_sandbox=payment_sandbox)
    guard: lockdown.Lockdown | None = None
    if windowed or not terminal.settings.ui.fullscreen:
        kiosk.window.resize(1920 // 2 + 480, 1080 // 2 + 270)
        kiosk.window.show()
    else:
        guard = lockdown.install(app, kiosk.window)  # no pointer, no way out
        kiosk.window.showFullScreen()
    if kiosk.panel is not None:
        kiosk.panel.show()
    # from the moment it starts to stop, the process has EXIT_DEADLINE_S to end (systemd's
    # stop timeout would kill it without a word; this logs where it was stuck)
    runtime = kiosk.runtime
    tell_systemd = runtime.on_stopping  # STOPPING=1 (Kiosk._tell_systemd)

    def on_stopping() -> None:
        if guard is not None:
            guard.stop()
        tell_systemd()
        exit_after(EXIT_DEADLINE_S, lambda: runtime.exit_code)

    runtime.on_stopping = on_stopping
    with loop:
        task = loop.create_task(runtime.run())
        app.aboutToQuit.connect(task.cancel)

        def stop(_signum: int) -> None:
            task.cancel()

        restore_signals = on_stop_signals(loop, stop)
        try:
            with contextlib.suppress(asyncio.CancelledError):
                loop.run_until_complete(task)
        finally:
            restore_signals()
    return runtime.exit_code
