"""Browser tests of the console: Playwright drives Debian's Chromium (/usr/bin/chromium; it
cannot download a browser of its own here) against the platform on loopback, while simulated
terminals send real signed heartbeats.

Playwright's synchronous API runs on a thread of its own (`OnThread` forwards every call):
its event loop does not survive Qt's loop (qasync) running on the same thread, and the
maintenance test runs the real kiosk on Qt's loop. Skipped, saying what is missing, when
Chromium or the playwright package is not installed.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from central.app import KnownTerminal
from central.console.users import add_user
from central.server import EmbeddedPlatform
from devices.registry import Devices, build_devices
from kiosk.platform_client import PlatformClient, TerminalCredentials
from kiosk.settings import load_settings
from kiosk.telemetry import Telemetry

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu",
                  "--disable-background-networking", "--disable-component-update",
                  "--no-first-run", "--disable-dev-shm-usage"]
PASSWORD = "console password 1"
HEARTBEAT_S = 0.3  # the simulated terminals beat fast, so "3 missed" takes about a second

EAST = KnownTerminal("EAST-01", "东城区政务服务中心", "east-terminal-key-0123456789")
EAST2 = KnownTerminal("EAST-02", "东城区政务服务中心", "east-2-terminal-key-0123456789")
WEST = KnownTerminal("WEST-01", "西城区政务服务中心", "west-terminal-key-0123456789")


_PLAIN = (str, int, float, bool, bytes, type(None), list, dict, tuple)
_playwright_thread = ThreadPoolExecutor(1, thread_name_prefix="playwright")


def on_playwright_thread(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    return _playwright_thread.submit(function, *args, **kwargs).result()


class OnThread:
    """A Playwright object whose attributes and methods are used on the Playwright thread."""

    def __init__(self, target: Any) -> None:
        object.__setattr__(self, "_target", target)

    def __getattr__(self, name: str) -> Any:
        value = on_playwright_thread(getattr, self._target, name)
        if not callable(value):
            return _wrap(value)

        def call(*args: Any, **kwargs: Any) -> Any:
            args = tuple(_unwrap(a) for a in args)
            kwargs = {key: _unwrap(v) for key, v in kwargs.items()}
            return _wrap(on_playwright_thread(value, *args, **kwargs))

        return call


def _wrap(value: Any) -> Any:
    return value if isinstance(value, _PLAIN) else OnThread(value)


def _unwrap(value: Any) -> Any:
    return object.__getattribute__(value, "_target") if isinstance(value, OnThread) else value


def expect(target: OnThread) -> OnThread:
    """playwright's `expect`, waiting on the Playwright thread."""
    from playwright.sync_api import expect as playwright_expect

    return OnThread(on_playwright_thread(playwright_expect, _unwrap(target)))


def launched_chromium() -> Iterator[Any]:
    """Chromium under Playwright while the generator runs: the session's `browser` fixture
    (tests/conftest.py), one for the whole session, shared with the phone of the kiosk's
    payment tests (Playwright's sync API runs one instance a thread). Skips, saying what is
    missing, without Chromium or the playwright package."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="the playwright package is not installed")

    def launch() -> tuple[Any, Any]:
        playwright = sync_api.sync_playwright().start()
        return playwright, playwright.chromium.launch(executable_path=CHROMIUM,
                                                      args=CHROMIUM_FLAGS)

    playwright, chromium = on_playwright_thread(launch)
    yield chromium
    on_playwright_thread(chromium.close)
    on_playwright_thread(playwright.stop)


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser profile; the URLs it requested are in `requested(page)`."""

    def open_page() -> Any:
        context = browser.new_context(locale="zh-CN", viewport={"width": 1440, "height": 900})
        context.set_default_timeout(10_000)
        page = context.new_page()
        page.requested = []
        page.on("request", lambda request: page.requested.append(request.url))
        return page

    raw = on_playwright_thread(open_page)
    yield OnThread(raw)
    on_playwright_thread(raw.context.close)


@pytest.fixture
def platform(tmp_path: Path) -> Iterator[EmbeddedPlatform]:
    server = EmbeddedPlatform(f"sqlite:///{tmp_path / 'central.sqlite3'}",
                              terminals=[EAST, EAST2, WEST], sweep_interval_s=0.2)
    server.start()
    server.app.state.live_seconds = 0.5
    with server.app.state.sessions() as session:
        now = datetime.now(UTC)
        add_user(session, "admin", PASSWORD, "administrator", None, now)
        add_user(session, "east", PASSWORD, "hall-manager", EAST.hall, now)
        session.commit()
    yield server
    server.stop()


class SimulatedTerminal:
    """A terminal's telemetry on simulated devices, beating in a thread of its own."""

    def __init__(self, platform: EmbeddedPlatform, terminal: KnownTerminal,
                 telemetry: Callable[[Telemetry], None] = lambda t: None) -> None:
        self.devices: Devices = build_devices(load_settings().devices)
        client = PlatformClient(platform.base_url, timeout_s=2.0, retries=0,
                                credentials=TerminalCredentials(terminal.id, terminal.key))
        self.telemetry = Telemetry(client, HEARTBEAT_S, self.devices.health_report)
        self.devices.on_health_change(lambda _family, _health: self.telemetry.poke())
        telemetry(self.telemetry)
        self._loop = asyncio.new_event_loop()
        self._task: asyncio.Future[None] | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._started = threading.Event()

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._task = asyncio.ensure_future(self.telemetry.run(), loop=self._loop)
        self._started.set()
        with contextlib.suppress(asyncio.CancelledError):
            self._loop.run_until_complete(self._task)

    def start(self) -> SimulatedTerminal:
        self._thread.start()
        self._started.wait()
        return self

    def stop(self) -> None:
        """The terminal goes silent (unplugged, crashed)."""
        if self._task is not None:
            self._loop.call_soon_threadsafe(self._task.cancel)
        self._thread.join(5)


@pytest.fixture
def terminals(platform: EmbeddedPlatform) -> Iterator[Callable[..., SimulatedTerminal]]:
    started: list[SimulatedTerminal] = []

    def start(terminal: KnownTerminal) -> SimulatedTerminal:
        simulated = SimulatedTerminal(platform, terminal).start()
        started.append(simulated)
        return simulated

    yield start
    for simulated in started:
        simulated.stop()


def log_in(page: Any, platform: EmbeddedPlatform, username: str = "admin") -> None:
    page.goto(f"{platform.console_url}/")
    assert "/console/login" in page.url
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{platform.console_url}/")


def only_loopback(page: Any) -> None:
    """Every request the page made went to the platform itself: no CDN, no network."""
    requested = on_playwright_thread(lambda: list(_unwrap(page).requested))
    assert requested
    for url in requested:
        assert url.startswith(("http://127.0.0.1:", "data:")), url
