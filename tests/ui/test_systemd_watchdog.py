"""The kiosk under systemd's watchdog, as systemd hears it on $NOTIFY_SOCKET: READY=1 once the
home screen is shown, WATCHDOG=1 pings from the GUI thread while it runs, none while that thread
is blocked (systemd would then restart the kiosk), the pings again once it is free, and
STOPPING=1 as it stops."""

from __future__ import annotations

import socket
import time

import pytest

from devices.registry import build_devices
from kiosk.settings import load_settings
from kiosk.terminal import Terminal
from tests.ui.conftest import StaticCatalog, running, shown_kiosk, until

WATCHDOG_USEC = 400_000  # pings every 0.2 s


@pytest.fixture
def systemd(tmp_path, monkeypatch):
    """The socket systemd would listen on, named to the kiosk as systemd names it."""
    address = str(tmp_path / "notify")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(address)
    sock.setblocking(False)
    monkeypatch.setenv("NOTIFY_SOCKET", address)
    monkeypatch.setenv("WATCHDOG_USEC", str(WATCHDOG_USEC))
    monkeypatch.delenv("WATCHDOG_PID", raising=False)
    yield sock
    sock.close()


@pytest.fixture
def kiosk(qapp, qtbot, seed_catalog, systemd):
    terminal = Terminal(load_settings(), build_devices(load_settings().devices),
                        StaticCatalog(seed_catalog))
    kiosk = shown_kiosk(qapp, qtbot, terminal)
    yield kiosk
    qapp.removeEventFilter(kiosk.activity)


def received(sock: socket.socket) -> list[str]:
    """Every message waiting on the socket, without waiting for more."""
    got = []
    while True:
        try:
            got.append(sock.recv(4096).decode())
        except BlockingIOError:
            return got


def test_ready_on_home_then_pings_that_a_blocked_gui_thread_stops(loop, kiosk, systemd):
    heard: list[str] = []

    def hear(what: str) -> bool:
        heard.extend(received(systemd))
        return any(what in message.split("\n") for message in heard)

    async def scenario() -> None:
        await until(lambda: hear("READY=1"), timeout_s=10.0)
        await until(lambda: hear("STATUS=Serving"), timeout_s=10.0)
        heard.clear()
        await until(lambda: hear("WATCHDOG=1"), timeout_s=10.0)
        # the GUI thread frozen for three ping intervals: not one ping in that time
        heard.extend(received(systemd))
        heard.clear()
        time.sleep(3 * WATCHDOG_USEC / 2 / 1_000_000)  # blocking, on the GUI thread
        assert [m for m in received(systemd) if "WATCHDOG=1" in m] == []
        await until(lambda: hear("WATCHDOG=1"), timeout_s=10.0)  # free again: pings again

    running(loop, kiosk, scenario)
    assert kiosk.ready
    assert "STOPPING=1" in "\n".join(received(systemd)).split("\n")  # as the kiosk stopped


def test_a_kiosk_without_a_catalog_is_ready_and_says_it_is_not_serving(qapp, qtbot, systemd,
                                                                         loop):
    """The platform down and nothing cached: the home says so to the person; systemd hears
    READY (or it would restart the kiosk every TimeoutStartSec, then reboot the terminal, for
    as long as the platform is down) and a STATUS that it is not serving."""
    no_catalog = StaticCatalog(None, online=False)  # type: ignore[arg-type]
    terminal = Terminal(load_settings(), build_devices(load_settings().devices), no_catalog)
    kiosk = shown_kiosk(qapp, qtbot, terminal)
    heard: list[str] = []

    def hear(what: str) -> bool:
        heard.extend(received(systemd))
        return any(what in message.split("\n") for message in heard)

    async def scenario() -> None:
        await until(lambda: hear("READY=1"), timeout_s=10.0)
        await until(lambda: hear("STATUS=Not serving: no catalog (platform unreachable, "
                                 "nothing cached yet)"), timeout_s=10.0)

    try:
        running(loop, kiosk, scenario)
        assert not any("STATUS=Serving" in m.split("\n") for m in heard)
    finally:
        qapp.removeEventFilter(kiosk.activity)


def test_ready_is_not_sent_before_home_is_shown(qapp, qtbot, seed_catalog, systemd):
    terminal = Terminal(load_settings(), build_devices(load_settings().devices),
                        StaticCatalog(seed_catalog))
    kiosk = shown_kiosk(qapp, qtbot, terminal)
    try:
        assert received(systemd) == ["STATUS=Starting: connecting to the platform"]
        assert not kiosk.ready
    finally:
        qapp.removeEventFilter(kiosk.activity)
