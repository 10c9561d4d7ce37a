"""The terminal's clock against the platform's `Date` header: CLOCK_SKEWED on the console.

Against the real embedded platform on loopback; the kiosk's clock is shifted by injecting its
wall clock into the client (the signatures use it too), never by touching the system clock.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from central.app import KnownTerminal
from central.contract import HEADER_TIMESTAMP, Heartbeat, HeartbeatAnswer
from central.db import TerminalRecord
from central.server import EmbeddedPlatform
from devices.health import HealthState
from kiosk.clock_offset import CLOCK_SKEW_THRESHOLD_S, ClockOffset, offset_from_date
from kiosk.platform_client import PlatformClient, TerminalCredentials
from kiosk.telemetry import Telemetry
from tests.central.helpers import console, make_user

TERMINAL = KnownTerminal("CLOCK-01", "东城区政务服务中心", "clock-terminal-key-0123456789")
NOW = 1_780_000_000.0  # a whole second


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedPlatform]:
    path: Path = tmp_path_factory.mktemp("clock") / "central.sqlite3"
    server = EmbeddedPlatform(f"sqlite:///{path}", terminals=[TERMINAL])
    server.start()
    make_user(app_of(server), "admin")
    yield server
    server.stop()


def app_of(platform: EmbeddedPlatform) -> FastAPI:
    assert platform.app is not None  # started
    return platform.app


def beat_twice(platform: EmbeddedPlatform, shift_s: float) -> dict[str, dict[str, str]]:
    """Two heartbeats from a terminal whose clock is `shift_s` off: the first answer measures
    the offset, the second heartbeat reports it. What the platform stored is returned."""
    client = PlatformClient(platform.base_url, timeout_s=5.0, retries=0,
                            credentials=TerminalCredentials(TERMINAL.id, TERMINAL.key),
                            wall_clock=lambda: time.time() + shift_s)
    with client:
        telemetry = Telemetry(client, 3600.0, dict)

        async def beats() -> None:
            assert await telemetry.send_once() is not None
            assert await telemetry.send_once() is not None

        asyncio.run(beats())
    with app_of(platform).state.sessions() as session:
        record = session.get(TerminalRecord, TERMINAL.id)
        assert record is not None
        return dict(record.devices or {})


def test_a_clock_30_s_ahead_is_on_the_console(platform: EmbeddedPlatform) -> None:
    devices = beat_twice(platform, 30.0)
    assert devices["clock"]["state"] == "degraded"
    assert devices["clock"]["code"] == "CLOCK_SKEWED"
    seconds = int(devices["clock"]["detail"].removesuffix(" s"))
    assert 28 <= seconds <= 32  # within the header's second and the loopback round trip

    manager = console(app_of(platform), "admin")
    assert console_clock(manager) == ("degraded", "时钟偏差", devices["clock"]["detail"])
    live = manager.get(f"/console/terminals/{TERMINAL.id}/live").text  # the device table
    assert "时钟偏差（CLOCK_SKEWED）" in live
    assert devices["clock"]["detail"] in live

    # the clock is put right: the code is cleared
    devices = beat_twice(platform, 0.0)
    assert (devices["clock"]["state"], devices["clock"]["code"]) == ("ok", "OK")
    assert console_clock(manager)[:2] == ("ok", "正常")
    assert "CLOCK_SKEWED" not in manager.get(f"/console/terminals/{TERMINAL.id}/live").text


def console_clock(manager: TestClient) -> tuple[str, str, str]:
    """The clock's line in the console's terminal data: state, code label, detail."""
    terminal = manager.get(f"/console/api/terminals/{TERMINAL.id}").json()["terminal"]
    clock = next(d for d in terminal["devices"] if d["family"] == "clock")
    return clock["state"], clock["code_label"], clock["detail"]


def test_a_clock_within_the_threshold_is_no_fault(platform: EmbeddedPlatform) -> None:
    devices = beat_twice(platform, CLOCK_SKEW_THRESHOLD_S - 2)
    assert (devices["clock"]["state"], devices["clock"]["code"]) == ("ok", "OK")


@pytest.mark.parametrize("header", [None, "", "yesterday", "Sun, 99 Foo 1994 08:49:37 GMT",
                                    "Sun, 06 Nov 1994 08:49:37", "Sun, 06 Nov 99999 08:49:37 GMT",
                                    "Sun, 06 Nov 1994 08:49:37 GMT"])
def test_a_missing_malformed_or_absurd_date_measures_nothing(header: str | None) -> None:
    clock = ClockOffset()
    clock.record(header, NOW, NOW + 0.2)  # the last is 30 years off: not believed
    assert clock.offset_s is None
    assert clock.health() is None


class _BadDate(BaseHTTPRequestHandler):
    """A platform (or proxy) whose Date header is garbage; the heartbeat is answered."""

    def date_time_string(self, timestamp: float | None = None) -> str:
        return "Blursday, 32 Smarch 20x6 25:61:00 GMT"

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        body = HeartbeatAnswer(received_at=datetime.now(UTC), maintenance=False)
        data = body.model_dump_json().encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        return None


def test_a_malformed_date_header_is_ignored_by_the_client() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _BadDate)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        with PlatformClient(f"http://127.0.0.1:{server.server_port}/api/v1", retries=0,
                            wall_clock=lambda: time.time() + 30) as client:
            sent: list[Heartbeat] = []
            real_send = client.send_heartbeat

            def send(heartbeat: Heartbeat) -> HeartbeatAnswer:
                sent.append(heartbeat)
                return real_send(heartbeat)

            client.send_heartbeat = send  # type: ignore[method-assign]
            telemetry = Telemetry(client, 3600.0, dict)

            async def beats() -> None:
                assert await telemetry.send_once() is not None
                assert await telemetry.send_once() is not None

            asyncio.run(beats())
            assert client.clock.offset_s is None
            assert [d.family for h in sent for d in h.devices] == []  # no clock line at all
    finally:
        server.shutdown()
        server.server_close()


def test_the_offset_is_taken_at_the_midpoint_of_the_round_trip() -> None:
    # the platform stamped 12:00:00.x; the request took 4 s there and back
    header = formatdate(NOW, usegmt=True)
    assert offset_from_date(header, NOW - 2.0 + 0.5, NOW + 2.0 + 0.5) == pytest.approx(0.0)
    assert offset_from_date(header, NOW + 40, NOW + 42) == pytest.approx(40.5)
    assert offset_from_date(header, NOW - 10, NOW - 10) == pytest.approx(-10.5)
    clock = ClockOffset()
    clock.record(header, NOW + 40, NOW + 42)
    health = clock.health()
    assert health is not None and health.state is HealthState.DEGRADED
    assert (health.code, health.detail) == ("CLOCK_SKEWED", "+40 s")
    clock.record("garbage", NOW, NOW)  # a later bad header leaves the last good measure
    assert clock.offset_s == pytest.approx(40.5)


def test_without_a_clock_given_the_client_signs_with_the_contract_clock(monkeypatch) -> None:
    """No `wall_clock`: requests are signed with the time signed_headers itself reads, the
    clock bench/payments.py moves for a kiosk in a child process (it broke when the client
    read time.time() itself: the bench's kiosk was refused as 2 hours ahead)."""
    import central.contract

    class Moved:
        @staticmethod
        def time() -> float:
            return 1_800_000_000.0

    seen: list[str] = []

    class Recording(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.headers.get(HEADER_TIMESTAMP, ""))
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args: object) -> None:
            pass

    monkeypatch.setattr(central.contract, "time", Moved)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recording)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        credentials = TerminalCredentials("KIOSK-CLOCK", "kiosk-clock-key-0123456789")
        with PlatformClient(f"http://127.0.0.1:{server.server_port}/api/v1", retries=0,
                            credentials=credentials) as client, contextlib.suppress(Exception):
            client.get_catalog()
        assert seen == ["1800000000"]
    finally:
        server.shutdown()
        server.server_close()
