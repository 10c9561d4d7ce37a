"""EmbeddedPlatform over real loopback HTTP: start, stop, restart on the same port, faults."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator

import pydantic
import pytest
import requests

from central.contract import Catalog, ErrorBody
from central.faults import FaultInjector
from central.server import EmbeddedPlatform, PlatformStartError
from tests.central.conftest import SIGNED, TEST_TERMINAL

TIMEOUT = 5  # seconds, for every request: a hung test is worse than a failed one


@pytest.fixture
def faulty(sqlite_url: str) -> Iterator[EmbeddedPlatform]:
    platform = EmbeddedPlatform(sqlite_url, faults=True, slow_seconds=0.5,
                                terminals=[TEST_TERMINAL])
    platform.start()
    yield platform
    platform.stop()


def get_catalog(platform: EmbeddedPlatform, timeout: float = TIMEOUT) -> requests.Response:
    return requests.get(f"{platform.base_url}/catalog", timeout=timeout, auth=SIGNED)


def test_start_stop_and_restart_on_the_same_port(database_url: str) -> None:
    platform = EmbeddedPlatform(database_url, terminals=[TEST_TERMINAL])
    platform.start()
    try:
        port = platform.port
        assert port > 0
        assert platform.base_url == f"http://127.0.0.1:{port}/api/v1"
        session = requests.Session()  # keep-alive, as the kiosk's client does
        session.auth = SIGNED
        first = session.get(f"{platform.base_url}/catalog", timeout=TIMEOUT)
        assert first.status_code == 200
        assert len(Catalog.model_validate(first.json()).services) == 40

        platform.stop()
        assert not platform.running
        with pytest.raises(requests.ConnectionError):
            session.get(f"{platform.base_url}/health", timeout=TIMEOUT)

        platform.start()
        assert platform.port == port
        again = session.get(f"{platform.base_url}/catalog",
                            headers={"If-None-Match": first.headers["ETag"]}, timeout=TIMEOUT)
        assert again.status_code == 304  # same database, same version
    finally:
        platform.stop()


def test_context_manager_and_stop_twice(sqlite_url: str) -> None:
    with EmbeddedPlatform(sqlite_url) as platform:
        assert requests.get(f"{platform.base_url}/health", timeout=TIMEOUT).json()["status"] == "ok"
    platform.stop()  # already stopped: nothing happens
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{platform.base_url}/health", timeout=TIMEOUT)


def test_second_start_while_running_is_refused(sqlite_url: str) -> None:
    with EmbeddedPlatform(sqlite_url) as platform, pytest.raises(RuntimeError):
        platform.start()


def test_busy_port_gives_a_clear_error(sqlite_url: str) -> None:
    with socket.create_server(("127.0.0.1", 0)) as squatter:
        port = squatter.getsockname()[1]
        platform = EmbeddedPlatform(sqlite_url, port=port)
        with pytest.raises(PlatformStartError, match=f"cannot listen on 127.0.0.1:{port}"):
            platform.start()
        assert not platform.running


def test_faults_are_off_by_default(sqlite_url: str) -> None:
    with EmbeddedPlatform(sqlite_url) as platform, pytest.raises(RuntimeError, match="faults=True"):
        platform.set_fault("http500")


def test_http500_fault_answers_error_body(faulty: EmbeddedPlatform) -> None:
    faulty.set_fault("http500")
    response = get_catalog(faulty)
    assert response.status_code == 500
    assert ErrorBody.model_validate(response.json()).code == "INTERNAL"
    # outside /api/v1 the platform keeps working, so /docs stays usable in a demo
    assert requests.get(f"http://127.0.0.1:{faulty.port}/openapi.json", timeout=TIMEOUT).ok


def test_malformed_json_fault(faulty: EmbeddedPlatform) -> None:
    faulty.set_fault("malformed_json")
    response = get_catalog(faulty)
    assert response.status_code == 200
    with pytest.raises(requests.JSONDecodeError):
        response.json()


def test_unexpected_json_fault(faulty: EmbeddedPlatform) -> None:
    faulty.set_fault("unexpected_json")
    response = get_catalog(faulty)
    assert response.status_code == 200
    with pytest.raises(pydantic.ValidationError):
        Catalog.model_validate(response.json())


def test_slow_fault_delays_answers(faulty: EmbeddedPlatform) -> None:
    faulty.set_fault("slow", slow_seconds=0.4)
    with pytest.raises(requests.Timeout):
        get_catalog(faulty, timeout=0.1)
    started = time.monotonic()
    assert get_catalog(faulty).status_code == 200
    assert time.monotonic() - started >= 0.4


def test_fault_cleared_and_kept_across_restart(faulty: EmbeddedPlatform) -> None:
    faulty.set_fault("http500")
    faulty.stop()
    faulty.start()
    assert get_catalog(faulty).status_code == 500
    faulty.set_fault(None)
    assert get_catalog(faulty).status_code == 200


def test_unknown_fault_is_refused(faulty: EmbeddedPlatform) -> None:
    with pytest.raises(ValueError, match="unknown fault"):
        faulty.set_fault("earthquake")  # type: ignore[arg-type]


def test_stop_does_not_wait_for_a_slow_answer(faulty: EmbeddedPlatform,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    delaying = threading.Event()  # the request is in the server, held back by the fault
    delay = FaultInjector._delay

    async def noticed_delay(injector: FaultInjector) -> None:
        delaying.set()
        await delay(injector)

    monkeypatch.setattr(FaultInjector, "_delay", noticed_delay)
    faulty.set_fault("slow", slow_seconds=30)
    caller = threading.Thread(target=_call_ignoring_errors, args=(faulty,), daemon=True)
    caller.start()
    assert delaying.wait(30), "the request never reached the server"
    started = time.monotonic()
    faulty.stop()
    assert time.monotonic() - started < 3
    caller.join(TIMEOUT)


def _call_ignoring_errors(platform: EmbeddedPlatform) -> None:
    with contextlib.suppress(requests.RequestException):
        get_catalog(platform)
