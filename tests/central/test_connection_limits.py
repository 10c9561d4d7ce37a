"""Limits enforced before reading (issue 14, item 4), probed as the issue's reporter did: raw
sockets against a real platform on loopback.

A body is refused from its declared length or its signature headers before it is read, and
streaming stops at the route's limit; a request head is capped in size and in fields; a
client that never finishes its head or its body is closed; a client that goes away mid-body
is one line in the log. After each, /api/v1/health still answers within a second.
"""

from __future__ import annotations

import json
import logging
import socket
import time
from collections.abc import Iterator

import pytest
import requests
import uvicorn

import central.server
from central.connection_limits import LIMITS, ConnectionLimits, LimitedHttpTools, RequestLimits
from central.contract import signed_headers
from central.server import EmbeddedPlatform
from tests.central.conftest import TEST_TERMINAL
from tests.central.helpers import HEARTBEATS, heartbeat_body

HOST = "127.0.0.1"
WAIT = 5.0  # seconds for any one answer: a hung test is worse than a failed one
# short enough for a test to wait for, far from what a kiosk on a slow line needs
QUICK = ConnectionLimits(head_timeout_s=1.0, body_idle_timeout_s=1.0)


@pytest.fixture
def platform(sqlite_url: str) -> Iterator[EmbeddedPlatform]:
    platform = EmbeddedPlatform(sqlite_url, terminals=[TEST_TERMINAL], limits=QUICK)
    platform.start()
    yield platform
    platform.stop()


def health_answers_within_a_second(platform: EmbeddedPlatform) -> None:
    started = time.monotonic()
    response = requests.get(f"{platform.base_url}/health", timeout=1.0)
    assert response.status_code == 200
    assert time.monotonic() - started < 1.0


def connect(platform: EmbeddedPlatform) -> socket.socket:
    return socket.create_connection((HOST, platform.port), timeout=WAIT)


def head(method: str, path: str, headers: dict[str, str]) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}", *(f"{k}: {v}" for k, v in
                                                             headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def signed(path: str, body: bytes = b"", terminal_id: str = TEST_TERMINAL.id) -> dict[str, str]:
    """Signature headers as a terminal sends them (over `body`, which may not be what is
    sent: the platform must not need the body to refuse the request)."""
    return signed_headers(terminal_id, TEST_TERMINAL.key, "POST", path, body)


def answer(sock: socket.socket, within: float = WAIT) -> tuple[int, bytes]:
    """The status and what came with it (up to 64 kB) of the answer on `sock`; 0 when the
    server closed the connection without one."""
    received = b""
    deadline = time.monotonic() + within
    while len(received) < 65536 and time.monotonic() < deadline:
        sock.settimeout(max(0.01, deadline - time.monotonic()))
        try:
            data = sock.recv(65536)
        except TimeoutError:
            break
        except ConnectionResetError:
            break
        if not data:
            break
        received += data
        head_end = received.find(b"\r\n\r\n")
        if head_end >= 0:
            length = _content_length(received[:head_end])
            if length is not None and len(received) >= head_end + 4 + length:
                break
    if not received:
        return 0, b""
    assert received.startswith(b"HTTP/1.1 "), received[:80]
    return int(received[9:12]), received


def _content_length(head_bytes: bytes) -> int | None:
    for line in head_bytes.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value.strip())
    return None


def closed_within(sock: socket.socket, seconds: float) -> bool:
    """Whether the server closes `sock` within `seconds` (what it sends first is read)."""
    deadline = time.monotonic() + seconds
    for _ in range(10_000):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        sock.settimeout(remaining)
        try:
            if not sock.recv(65536):
                return True
        except TimeoutError:
            return False
        except ConnectionResetError:
            return True
    return False


def error_code(response: bytes) -> str:
    return json.loads(response.partition(b"\r\n\r\n")[2])["code"]


# --- bodies ---------------------------------------------------------------------------------

@pytest.mark.parametrize("path", [HEARTBEATS, "/api/v1/applications"])
def test_a_huge_declared_body_is_refused_before_it_is_read(platform: EmbeddedPlatform,
                                                           path: str) -> None:
    with connect(platform) as sock:
        sock.sendall(head("POST", path, {"Content-Type": "application/json",
                                         "Content-Length": str(200 * 1024 * 1024)}))
        sock.sendall(b"{" * 1000)  # all of the 200 MB that is ever sent
        status, response = answer(sock)
        assert status == 413, response[:200]
        assert error_code(response) == "PAYLOAD_TOO_LARGE"
        assert b"connection: close" in response.lower()
        assert closed_within(sock, WAIT)
    health_answers_within_a_second(platform)


def test_an_unsigned_chunked_body_is_refused_after_its_first_chunk(
        platform: EmbeddedPlatform) -> None:
    with connect(platform) as sock:
        # 32 MiB would be accepted for an application: the signature is checked first
        sock.sendall(head("POST", "/api/v1/applications", {"Content-Type": "application/json",
                                                          "Transfer-Encoding": "chunked"}))
        sock.sendall(b"1000\r\n" + b"x" * 0x1000 + b"\r\n")
        status, response = answer(sock)
        assert status == 401, response[:200]
        assert error_code(response) == "SIGNATURE_MISSING"
        assert closed_within(sock, WAIT)
    health_answers_within_a_second(platform)


@pytest.mark.parametrize("terminal_id", [TEST_TERMINAL.id, "NOBODY-0001"])
def test_a_stranger_waits_for_its_body_as_a_wrong_signature_does(
        platform: EmbeddedPlatform, terminal_id: str) -> None:
    # answering an unknown terminal id before its body would tell which ids exist
    with connect(platform) as sock:
        sock.sendall(head("POST", HEARTBEATS, {
            "Content-Type": "application/json", "Content-Length": "60000",
            **signed(HEARTBEATS, b"another body", terminal_id=terminal_id)}))
        sock.sendall(b" " * 100)
        assert answer(sock, within=0.5) == (0, b"")  # waiting for the rest
        sock.sendall(b" " * 59_900)
        status, response = answer(sock)
        assert status == 401, response[:200]
        assert error_code(response) == "SIGNATURE_INVALID"
    health_answers_within_a_second(platform)


def test_a_chunked_body_stops_being_read_at_the_limit(platform: EmbeddedPlatform) -> None:
    with connect(platform) as sock:
        sock.sendall(head("POST", HEARTBEATS, {"Content-Type": "application/json",
                                               "Transfer-Encoding": "chunked",
                                               **signed(HEARTBEATS)}))
        piece = b"2000\r\n" + b" " * 0x2000 + b"\r\n"  # 8 KiB each; the limit is 64 KiB
        for _ in range(9):  # 72 KiB, never the last chunk
            sock.sendall(piece)
        status, response = answer(sock)
        assert status == 413, response[:200]
        assert closed_within(sock, WAIT)
    health_answers_within_a_second(platform)


def test_a_signed_chunked_heartbeat_within_the_limit_is_taken(
        platform: EmbeddedPlatform) -> None:
    body = heartbeat_body()
    with connect(platform) as sock:
        sock.sendall(head("POST", HEARTBEATS, {"Content-Type": "application/json",
                                               "Transfer-Encoding": "chunked",
                                               **signed(HEARTBEATS, body)}))
        half = len(body) // 2
        for part in (body[:half], body[half:]):
            sock.sendall(b"%x\r\n" % len(part) + part + b"\r\n")
        sock.sendall(b"0\r\n\r\n")
        status, response = answer(sock)
        assert status == 200, response[:300]


# --- request heads --------------------------------------------------------------------------

def refused_or_closed(sock: socket.socket, parts: Iterator[bytes]) -> int:
    """Sends `parts` until the server stops taking them; its answer's status (0: closed)."""
    try:
        for part in parts:
            sock.sendall(part)
    except (BrokenPipeError, ConnectionResetError):
        pass
    status, _ = answer(sock)
    return status


def test_an_oversized_header_is_refused(platform: EmbeddedPlatform) -> None:
    def parts() -> Iterator[bytes]:
        yield b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: "
        for _ in range(64):  # up to 4 MiB, in 64 KiB pieces
            yield b"a" * 65536
        yield b"\r\n\r\n"

    with connect(platform) as sock:
        assert refused_or_closed(sock, parts()) in (431, 0)
    health_answers_within_a_second(platform)


def test_a_large_head_sent_in_one_piece_is_refused(platform: EmbeddedPlatform) -> None:
    with connect(platform) as sock:
        parts = iter([head("GET", "/api/v1/health", {"X-Big": "a" * 40_000})])
        assert refused_or_closed(sock, parts) in (431, 0)
    health_answers_within_a_second(platform)


@pytest.mark.parametrize("count", [150, 20_000])
def test_too_many_header_fields_are_refused(platform: EmbeddedPlatform, count: int) -> None:
    fields = {f"X-F{i}": "v" for i in range(count)}
    with connect(platform) as sock:
        status = refused_or_closed(sock, iter([head("GET", "/api/v1/health", fields)]))
        assert status in (431, 0)
        if count == 150:  # a small head: answered, not just dropped
            assert status == 431
    health_answers_within_a_second(platform)


def test_an_ordinary_head_is_served(platform: EmbeddedPlatform) -> None:
    with connect(platform) as sock:
        fields = {f"X-F{i}": "v" * 100 for i in range(40)}
        sock.sendall(head("GET", "/api/v1/health", fields))
        status, _ = answer(sock)
        assert status == 200


# --- slow clients ---------------------------------------------------------------------------

def test_connections_that_never_finish_their_head_are_closed(
        platform: EmbeddedPlatform) -> None:
    sockets = [connect(platform) for _ in range(40)]
    try:
        for i, sock in enumerate(sockets):
            if i % 4:  # and every fourth sends nothing at all
                sock.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        health_answers_within_a_second(platform)
        # the platform's head timeout is 1 s here; a generous bound
        deadline = time.monotonic() + 10 * QUICK.head_timeout_s
        for sock in sockets:
            assert closed_within(sock, max(0.1, deadline - time.monotonic()))
    finally:
        for sock in sockets:
            sock.close()
    health_answers_within_a_second(platform)


def test_a_body_that_stops_coming_is_timed_out(platform: EmbeddedPlatform) -> None:
    with connect(platform) as sock:
        sock.sendall(head("POST", HEARTBEATS, {"Content-Type": "application/json",
                                               "Content-Length": "1000",
                                               **signed(HEARTBEATS)}))
        sock.sendall(b"{" * 10)
        status, response = answer(sock, within=10 * QUICK.body_idle_timeout_s)
        assert status == 408, response[:200]
        assert closed_within(sock, WAIT)
    health_answers_within_a_second(platform)


def test_a_client_gone_mid_body_is_one_line_in_the_log(platform: EmbeddedPlatform,
                                                       caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    caplog.clear()
    with connect(platform) as sock:
        sock.sendall(head("POST", HEARTBEATS, {"Content-Type": "application/json",
                                               "Content-Length": "50000",
                                               **signed(HEARTBEATS)}))
        sock.sendall(b"{" * 1000)
        time.sleep(0.2)  # the platform is waiting for the rest
    deadline = time.monotonic() + WAIT
    while not caplog.records and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)  # anything else it would log about it
    records = list(caplog.records)
    assert len(records) == 1, [r.getMessage()[:200] for r in records]
    record = records[0]
    assert record.exc_info is None
    assert "\n" not in record.getMessage()
    assert "1000 of 50000" in record.getMessage()
    health_answers_within_a_second(platform)


# --- one configuration ----------------------------------------------------------------------

def test_serve_and_the_embedded_platform_share_the_configuration(
        sqlite_url: str, platform: EmbeddedPlatform, monkeypatch: pytest.MonkeyPatch) -> None:
    served: list[uvicorn.Config] = []

    class Server:
        started = True

        def __init__(self, config: uvicorn.Config) -> None:
            served.append(config)

        def run(self) -> None:
            pass

    monkeypatch.setattr(central.server.uvicorn, "Server", Server)
    # serve's uvicorn logging set up for the rest of the tests' process would hide their logs
    monkeypatch.setattr(uvicorn.Config, "configure_logging", lambda self: None)
    central.server.serve(sqlite_url, HOST, 0, development=True)
    (config,) = served
    assert isinstance(config.app, RequestLimits) and config.app.limits == LIMITS
    assert issubclass(config.http, LimitedHttpTools) and config.http.limits == LIMITS
    assert config.timeout_keep_alive == LIMITS.keep_alive_s

    assert platform._server is not None
    embedded = platform._server.config  # what the running platform was given
    assert isinstance(embedded.app, RequestLimits) and embedded.app.limits == QUICK
    assert issubclass(embedded.http, LimitedHttpTools) and embedded.http.limits == QUICK
