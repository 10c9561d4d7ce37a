"""Qt tests run offscreen with asyncio on Qt's event loop, as the kiosk does."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from datetime import UTC, datetime

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if os.environ["QT_QPA_PLATFORM"] == "offscreen":
    # the offscreen screen is 800x800 unless told: taps beyond it on a 1920x1080 kiosk window
    # would be dropped
    os.environ["QT_QPA_PLATFORM"] = (
        f"offscreen:configfile={os.path.join(os.path.dirname(__file__), 'kiosk_screen.json')}")

import pytest
import qasync
from PySide6.QtWidgets import QPushButton, QWidget

from central.contract import Catalog
from kiosk.catalog_source import CatalogStatus
from ui.gui_gc import GuiThreadCollector


class StaticCatalog:
    """A catalog source that has the seed catalog and never changes (no network in UI tests)."""

    def __init__(self, catalog: Catalog, online: bool = True) -> None:
        self.catalog = catalog
        self.status = CatalogStatus(online=online, updated_at=datetime(2026, 11, 23, 8, 30,
                                                                      tzinfo=UTC))

    def subscribe(self, callback: Callable[[], None]) -> Callable[[], None]:
        return lambda: None

    async def start(self) -> None:
        return None

    async def run_refresh_loop(self, interval_s: float, retry_s: float) -> None:
        await asyncio.Event().wait()


@pytest.fixture
def loop(qapp):
    event_loop = qasync.QEventLoop(qapp, already_running=False)
    asyncio.set_event_loop(event_loop)
    collector = GuiThreadCollector()  # as the kiosk runs: no widget freed in a worker thread
    yield event_loop
    collector.stop()
    event_loop.close()
    asyncio.set_event_loop(None)


async def until(condition: Callable[[], object], timeout_s: float = 5.0) -> None:
    """Wait, letting Qt and asyncio run, until `condition()` holds."""
    deadline = asyncio.get_running_loop().time() + timeout_s
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("the screen never got there")
        await asyncio.sleep(0.01)


def buttons(widget: QWidget) -> dict[str, QPushButton]:
    """The visible buttons under `widget`, by their text."""
    return {b.text(): b for b in widget.findChildren(QPushButton) if b.isVisible()}


def texts(widget: QWidget) -> str:
    from PySide6.QtWidgets import QLabel

    return "\n".join(label.text() for label in widget.findChildren(QLabel) if label.isVisible())
