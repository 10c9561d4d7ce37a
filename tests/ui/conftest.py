"""Qt tests run offscreen with asyncio on Qt's event loop, as the kiosk does."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TypeVar

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if os.environ["QT_QPA_PLATFORM"] == "offscreen":
    # the offscreen screen is 800x800 unless told: taps beyond it on a 1920x1080 kiosk window
    # would be dropped
    os.environ["QT_QPA_PLATFORM"] = (
        f"offscreen:configfile={os.path.join(os.path.dirname(__file__), 'kiosk_screen.json')}")

import pytest
import qasync
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QWidget

from central.contract import Catalog, HotService
from kiosk.catalog_source import CatalogStatus
from kiosk.terminal import Terminal
from tests.conftest import load_seed_catalog
from ui.app import Kiosk
from ui.gui_gc import GuiThreadCollector
from ui.screens.home import HomeScreen

T = TypeVar("T")
SCENARIO_LIMIT_S = 100.0  # under pytest-timeout's 120 s


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


class ServedKnowledge:
    """The knowledge source as the kiosk serves it, without a platform: the seed catalog's."""

    def __init__(self, knowledge, hot: list[HotService],
                 most_used: list[str] | None = None) -> None:
        self.knowledge = knowledge
        self.hot = hot
        self.most_used = most_used or []  # the hall's most used services (elder home)
        self.asked_for: list[str] = []

    async def start(self) -> None:
        return None

    async def run_refresh_loop(self, interval_s: float) -> None:
        await asyncio.Event().wait()

    def count_ask(self, service_id: str) -> None:
        self.asked_for.append(service_id)

    def in_flight(self) -> list[asyncio.Task[None]]:
        return []  # nothing runs on the side: no rebuilds, counts are only listed


@pytest.fixture(scope="module")
def knowledge_base():
    from kiosk.knowledge import KnowledgeBase

    return KnowledgeBase.from_catalog(load_seed_catalog())


def shown_kiosk(qapp, qtbot, terminal: Terminal) -> Kiosk:
    """The kiosk for `terminal`, its window shown at the kiosk screen's size. The fixture that
    made it removes `kiosk.activity` from `qapp` afterwards."""
    kiosk = Kiosk(terminal, qapp)
    qtbot.addWidget(kiosk.window)
    kiosk.window.resize(1920, 1080)
    kiosk.window.show()
    return kiosk


def while_running(loop, kiosk: Kiosk, scenario: Callable[[], Awaitable[T]]) -> T:
    """`scenario()`'s result, awaited while the kiosk runs; the kiosk stops after it."""

    async def main() -> T:
        task = asyncio.ensure_future(kiosk.runtime.run())
        try:
            return await scenario()
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    # pytest-timeout cannot interrupt Qt's event loop (its exception lands in a Qt or asyncio
    # callback and is swallowed): a scenario stuck on an event that never comes is cancelled
    # here instead, with every task's stack printed to say where it was waiting
    running_main = asyncio.ensure_future(main(), loop=loop)

    def stuck() -> None:
        for task in asyncio.all_tasks(loop):
            task.print_stack(limit=12, file=sys.stderr)
        running_main.cancel("the scenario was stuck")

    watchdog = loop.call_later(SCENARIO_LIMIT_S, stuck)
    try:
        return loop.run_until_complete(running_main)
    finally:
        watchdog.cancel()


def running(loop, kiosk: Kiosk, scenario: Callable[[], Awaitable[None]]) -> None:
    """Run the kiosk and, once it shows home, `scenario()`; the kiosk stops after it."""

    async def from_home() -> None:
        await until(lambda: isinstance(kiosk.window.current_screen, HomeScreen))
        await scenario()

    while_running(loop, kiosk, from_home)


def tap(qtbot, widget: QWidget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


@pytest.fixture
def platform(tmp_path):
    """The real platform on loopback (tests.kiosk.citizen_platform), for end-to-end tests."""
    from tests.kiosk.citizen_platform import start_platform

    server = start_platform(tmp_path)
    yield server
    server.stop()


@pytest.fixture
def loop(qapp):
    event_loop = qasync.QEventLoop(qapp, already_running=False)
    asyncio.set_event_loop(event_loop)
    collector = GuiThreadCollector()  # as the kiosk runs: no widget freed in a worker thread
    yield event_loop
    collector.stop()
    event_loop.close()
    asyncio.set_event_loop(None)


async def until(condition: Callable[[], object], timeout_s: float = 30.0) -> None:
    """Wait, letting Qt and asyncio run, until `condition()` holds. The deadline only bounds a
    failure (a busy machine makes a passing test slower, not red); the scenario's own limit,
    SCENARIO_LIMIT_S, bounds the whole."""
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
