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
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from flows.browse import browse_catalog
from flows.steps import HomeStep
from kiosk.i18n import tr
from kiosk.session import IdleWatch, serve_sessions
from kiosk.terminal import Terminal
from ui.shell import ActivityFilter, Shell
from ui.simulator_panel import SimulatorPanel
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
    """The running kiosk: shell, idle watch and the session loop, wired to a terminal."""

    def __init__(self, terminal: Terminal, app: QApplication) -> None:
        settings = terminal.settings
        self.terminal = terminal
        self.window = KioskWindow(settings.terminal.hall)
        self.shell = Shell(app, self.window, settings.terminal.language)
        ui = settings.ui
        self.idle = IdleWatch(ui.idle_timeout_s, ui.idle_countdown_s, self.shell.ask_to_continue)
        self.shell.on_elder_mode = lambda elder: setattr(
            self.idle, "timeout_s", ui.elder_idle_timeout_s if elder else ui.idle_timeout_s)
        self.activity = ActivityFilter(self.idle.touch)
        app.installEventFilter(self.activity)
        terminal.catalog.subscribe(lambda: self.shell.show_catalog_status(terminal.catalog.status))
        self.shell.show_catalog_status(None)
        self.panel = SimulatorPanel(terminal.devices) if ui.simulator_panel else None

    async def run(self) -> None:
        catalog = self.terminal.catalog
        # the first contact may take a few timeouts when the platform is unreachable
        self.shell.show(HomeStep((), unavailable=tr("正在连接政务服务平台，请稍候…")))
        await catalog.start()
        self.shell.show_catalog_status(catalog.status)
        platform = self.terminal.settings.platform
        refresh = asyncio.ensure_future(
            catalog.run_refresh_loop(platform.refresh_interval_s, platform.offline_retry_s))
        self.terminal.devices.start(asyncio.get_running_loop())
        try:
            await serve_sessions(lambda session: browse_catalog(self.shell, catalog), self.idle,
                                 self.shell.end_session)
        finally:
            self.terminal.devices.stop()
            refresh.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await refresh


def run(terminal: Terminal, windowed: bool) -> int:
    app = application()
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
    with loop:
        task = loop.create_task(kiosk.run())
        app.aboutToQuit.connect(task.cancel)
        with contextlib.suppress(asyncio.CancelledError):
            loop.run_until_complete(task)
    return 0
