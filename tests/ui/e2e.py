"""What the end-to-end UI tests share: the kiosk against the real platform on loopback with the
simulator panel beside it, and a finger that taps as a person does."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton, QScrollArea, QWidget

from central.server import EmbeddedPlatform
from kiosk.settings import load_settings
from kiosk.terminal import build_terminal
from tests.kiosk.citizen_platform import settings_for
from tests.ui.conftest import shown_kiosk, until
from ui.app import Kiosk
from ui.simulator_panel import SimulatorPanel

DEVICE_S = 60.0  # a card read, a live face with a blink, a still page: on a busy 2-core PC


def kiosk_at(qapp, qtbot, platform: EmbeddedPlatform, folder: Path) -> Kiosk:
    """The demo's devices (config/default.toml: every family simulated) at a test terminal of
    `platform`, with the simulator panel as `kiosk.test_panel`. The fixture that made it
    removes `kiosk.activity` from `qapp` afterwards."""
    test = settings_for(folder)
    settings = load_settings().model_copy(update={
        "terminal": test.terminal, "data": test.data, "platform": test.platform})
    terminal = build_terminal(settings, platform.base_url)
    kiosk = shown_kiosk(qapp, qtbot, terminal)
    # the live pictures without their detector processes: the flows' own capture detects, and
    # two more OpenCV processes would only slow a shared test machine
    kiosk.shell.live.detect = False
    # with the platform's payment sandbox, the panel plays the person's phone, as in the demo
    sandbox = platform.sandbox.base_url if platform.sandbox is not None else None
    panel = SimulatorPanel(terminal.devices, terminal.network, sandbox)
    qtbot.addWidget(panel)
    panel.show()
    kiosk.shell.screen_shown.append(panel.follow_screen)
    kiosk.test_panel = panel
    return kiosk


def tap(qtbot, widget: QWidget) -> None:
    """A finger on the widget; what lies in a kinetic scroll area is flicked into view first,
    and the scroller holds a press back a moment to tell a tap from a flick."""
    area = widget.parent()
    while area is not None and not isinstance(area, QScrollArea):
        area = area.parent()
    if area is not None:
        area.ensureWidgetVisible(widget)
        QApplication.processEvents()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def button_on(screen: QWidget, text: str) -> QPushButton:
    (found,) = [b for b in screen.findChildren(QPushButton) if b.text() == text and b.isVisible()]
    return found


def on(kiosk: Kiosk, kind: type) -> bool:
    return isinstance(kiosk.window.current_screen, kind)


async def tapped(qtbot, widget: QWidget) -> None:
    """A tap, and for a button its click, whenever the kinetic scroller lets the press go."""
    clicked = getattr(widget, "clicked", None)
    clicks: list[bool] = []

    def on_click(*_args) -> None:
        clicks.append(True)

    if clicked is not None:
        clicked.connect(on_click)
    tap(qtbot, widget)
    if clicked is None:
        await asyncio.sleep(0.4 if _in_scroll(widget) else 0.05)
        return
    await until(lambda: clicks)
    with contextlib.suppress(RuntimeError):  # the click may have taken its screen away
        clicked.disconnect(on_click)
    await asyncio.sleep(0)  # the flow takes its turn, as after a person's tap


def _in_scroll(widget: QWidget) -> bool:
    parent = widget.parent()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            return True
        parent = parent.parent()
    return False
