"""The platform client against the real central platform on loopback, and against a tiny HTTP
server where the platform cannot be made to misbehave the way a network does."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from central.app import KnownTerminal
from central.contract import Catalog
from central.server import EmbeddedPlatform
from kiosk.platform_client import (
    PlatformClient,
    PlatformError,
    PlatformErrorKind,
    TerminalCredentials,
    _Answer,
    _RetryPolicy,
    _with_retries,
)

TERMINAL = KnownTerminal("KIOSK-TEST", "测试大厅", "kiosk-test-key-0123456789")
CREDENTIALS = TerminalCredentials(TERMINAL.id, TERMINAL.key)


@pytest.fixture
def platform(tmp_path: Path) -> Iterator[EmbeddedPlatform]:
    server = EmbeddedPlatform(f"sqlite:///{tmp_path}/central.db", faults=True,
                              terminals=[TERMINAL], slow_seconds=2.0)
    server.start()
    yield server
    server.stop()


def _client(base_url: str, **kwargs: float) -> PlatformClient:
    options = {"timeout_s": 2.0, "retries": 2, "backoff_s": 0.01, **kwargs}
    return PlatformClient(base_url, **options, credentials=CREDENTIALS)


def _fails(client: PlatformClient, etag: str | None = None) -> PlatformError:
    with pytest.raises(PlatformError) as caught:
        client.get_catalog(etag)
    return caught.value


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# -- the real platform ----------------------------------------------------------------------


def test_the_catalog_arrives_whole(platform: EmbeddedPlatform) -> None:
    fetch = _client(platform.base_url).get_catalog()
    assert not fetch.not_modified
    assert fetch.catalog is not None and len(fetch.catalog.services) == 40
    assert fetch.catalog.service("SS-001") is not None
    assert fetch.etag == f'"{fetch.catalog.version}"'


def test_an_unchanged_catalog_costs_only_a_304(platform: EmbeddedPlatform) -> None:
    client = _client(platform.base_url)
    first = client.get_catalog()
    again = client.get_catalog(first.etag)
    assert again.not_modified and again.catalog is None
    assert again.etag == first.etag


def test_a_platform_failure_reads_as_a_server_error(platform: EmbeddedPlatform) -> None:
    platform.set_fault("http500")
    error = _fails(_client(platform.base_url))
    assert error.kind is PlatformErrorKind.SERVER_ERROR and error.status == 500
    assert error.health_code == "PLATFORM_ERROR"
    assert error.user_message == "政务服务平台暂时出现故障，请稍后再试或联系工作人员。"
    assert "INTERNAL" in error.detail  # the platform's ErrorBody code, for the log


def test_a_body_that_is_not_json_is_malformed(platform: EmbeddedPlatform) -> None:
    platform.set_fault("malformed_json")
    error = _fails(_client(platform.base_url))
    assert error.kind is PlatformErrorKind.MALFORMED
    assert error.health_code == "PLATFORM_BAD_RESPONSE"
    assert error.user_message == "政务服务平台返回了无法识别的数据，已通知工作人员。"


def test_json_of_the_wrong_shape_is_unexpected(platform: EmbeddedPlatform) -> None:
    platform.set_fault("unexpected_json")
    error = _fails(_client(platform.base_url))
    assert error.kind is PlatformErrorKind.UNEXPECTED
    assert error.health_code == "PLATFORM_BAD_RESPONSE"
    assert "not a Catalog" in error.detail
    assert "[1, 2, 3]" not in error.detail  # where it went wrong, never the values


def test_nothing_listening_is_unreachable_and_quick() -> None:
    started = time.monotonic()
    error = _fails(_client(f"http://127.0.0.1:{_free_port()}/api/v1"))
    assert error.kind is PlatformErrorKind.UNREACHABLE and error.status is None
    assert error.health_code == "PLATFORM_UNREACHABLE"
    assert error.user_message == "暂时连不上政务服务平台，请稍后再试或联系工作人员。"
    assert "refused" in error.detail
    assert time.monotonic() - started < 2.0  # three attempts, no waiting on timeouts


def test_a_slow_platform_times_out(platform: EmbeddedPlatform) -> None:
    platform.set_fault("slow", slow_seconds=3.0)
    started = time.monotonic()
    error = _fails(_client(platform.base_url, timeout_s=0.3, retries=0))
    assert error.kind is PlatformErrorKind.TIMEOUT
    assert error.health_code == "PLATFORM_TIMEOUT"
    assert time.monotonic() - started < 2.0


# -- a scripted server, for what the platform does not do ------------------------------------


@dataclass
class Reply:
    status: int
    body: bytes = b""
    content_type: str = "application/json"
    trickle_s: float = 0.0  # pause between bytes of the body


class ScriptedServer:
    """Answers each request with the next scripted reply (the last one repeats), counting."""

    def __init__(self, replies: list[Reply]) -> None:
        self.replies = replies
        self.requests: list[str] = []
        script = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                script.requests.append(self.path)
                n = len(script.requests) - 1
                reply = script.replies[min(n, len(script.replies) - 1)]
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                if not reply.trickle_s:
                    self.wfile.write(reply.body)
                    return
                # the kiosk gives up on a trickle, as it should: the write then meets a closed
                # socket, which is the case under test, not a fault of the script
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    for byte in reply.body:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        time.sleep(reply.trickle_s)

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}/api/v1"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def scripted() -> Iterator[list[ScriptedServer]]:
    servers: list[ScriptedServer] = []
    yield servers
    for server in servers:
        server.close()


def _serve(scripted: list[ScriptedServer], *replies: Reply) -> ScriptedServer:
    server = ScriptedServer(list(replies))
    scripted.append(server)
    return server


def test_a_read_is_retried_with_backoff_after_gateway_errors(
    scripted: list[ScriptedServer], seed_catalog: Catalog
) -> None:
    body = seed_catalog.model_dump_json().encode()
    server = _serve(scripted, Reply(503), Reply(502), Reply(200, body))
    started = time.monotonic()
    fetch = _client(server.base_url, backoff_s=0.1).get_catalog()
    assert fetch.catalog == seed_catalog
    assert server.requests == ["/api/v1/catalog"] * 3
    # waited 0.1 s, then twice that, each less up to a fifth (common.backoff: jitter)
    assert time.monotonic() - started >= 0.8 * (0.1 + 0.2)


def test_retries_give_up_with_the_last_gateway_error(scripted: list[ScriptedServer]) -> None:
    server = _serve(scripted, Reply(504, b"<html>Gateway Timeout</html>", "text/html"))
    error = _fails(_client(server.base_url, retries=2))
    assert len(server.requests) == 3
    assert error.kind is PlatformErrorKind.SERVER_ERROR and error.status == 504
    assert "text/html" in error.detail and "<html>" not in error.detail


def test_a_refusal_is_not_retried(scripted: list[ScriptedServer]) -> None:
    server = _serve(scripted, Reply(404, b'{"code": "NOT_FOUND", "message": "no such route"}'))
    error = _fails(_client(server.base_url))
    assert len(server.requests) == 1
    assert error.kind is PlatformErrorKind.CLIENT_ERROR and error.status == 404
    assert error.detail.endswith("HTTP 404, NOT_FOUND: no such route")


def test_an_html_page_with_200_is_malformed(scripted: list[ScriptedServer]) -> None:
    server = _serve(scripted, Reply(200, b"<html><body>Portal login</body></html>", "text/html"))
    error = _fails(_client(server.base_url))
    assert error.kind is PlatformErrorKind.MALFORMED
    assert len(server.requests) == 1


def test_a_body_that_trickles_in_is_cut_off(scripted: list[ScriptedServer]) -> None:
    # every byte arrives well within the read timeout (1 s), the whole (8 s) never does
    server = _serve(scripted, Reply(200, b"x" * 400, trickle_s=0.02))
    started = time.monotonic()
    error = _fails(_client(server.base_url, timeout_s=1.0, retries=0))
    assert error.kind is PlatformErrorKind.TIMEOUT
    assert error.detail.endswith("body still arriving")  # cut off whole, not one read
    assert time.monotonic() - started < 5  # at the 2 s deadline, long before the body is in


def test_personal_data_in_an_error_message_stays_out_of_the_detail(
    scripted: list[ScriptedServer],
) -> None:
    said = b'{"code": "CONFLICT", "message": "mobile 13812345678 already used"}'
    error = _fails(_client(_serve(scripted, Reply(409, said)).base_url))
    assert "13812345678" not in error.detail and "138****5678" in error.detail


# -- the retry rule itself --------------------------------------------------------------------


def test_a_request_that_is_not_repeatable_is_tried_once() -> None:
    calls: list[int] = []

    def attempt() -> _Answer:
        calls.append(1)
        raise PlatformError(PlatformErrorKind.UNREACHABLE, "down")

    with pytest.raises(PlatformError):
        _with_retries(attempt, _RetryPolicy(3, 0.0), repeatable=False, what="POST /x")
    assert len(calls) == 1
    with pytest.raises(PlatformError):
        _with_retries(attempt, _RetryPolicy(3, 0.0), repeatable=True, what="GET /x")
    assert len(calls) == 1 + 4
