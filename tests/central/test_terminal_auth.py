"""Only registered terminals get through, once per signed request, with a clock in step:
unsigned, mis-signed, replayed and stale requests are refused, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from central.app import KnownTerminal
from central.contract import HEADER_SIGNATURE, signed_headers
from central.db import NonceRecord
from tests.central.conftest import TEST_TERMINAL
from tests.central.helpers import HEARTBEATS, heartbeat_body

CATALOG = "/api/v1/catalog"
JSON = {"Content-Type": "application/json"}


def post(client: TestClient, headers: dict[str, str], body: bytes):
    return client.post(HEARTBEATS, content=body, headers={**JSON, **headers}, auth=None)


def signed(body: bytes = b"", method: str = "POST", path: str = HEARTBEATS,
           terminal: KnownTerminal = TEST_TERMINAL, **options: object) -> dict[str, str]:
    return signed_headers(terminal.id, terminal.key, method, path, body, **options)


def refused(response, code: str) -> None:
    assert response.status_code == 401, response.text
    assert response.json()["code"] == code


def test_a_signed_heartbeat_is_accepted(client: TestClient) -> None:
    body = heartbeat_body()
    response = post(client, signed(body), body)
    assert response.status_code == 200
    assert response.json()["maintenance"] is False


def test_unsigned_requests_are_refused(client: TestClient) -> None:
    refused(post(client, {}, heartbeat_body()), "SIGNATURE_MISSING")
    refused(client.get(CATALOG, auth=None), "SIGNATURE_MISSING")
    headers = signed(heartbeat_body())
    del headers[HEADER_SIGNATURE]
    refused(post(client, headers, heartbeat_body()), "SIGNATURE_MISSING")


def test_a_wrong_key_is_refused(client: TestClient) -> None:
    body = heartbeat_body()
    impostor = KnownTerminal(TEST_TERMINAL.id, TEST_TERMINAL.hall, "not-the-key-0123456789")
    refused(post(client, signed(body, terminal=impostor), body), "SIGNATURE_INVALID")


def test_a_changed_body_breaks_the_signature(client: TestClient) -> None:
    body = heartbeat_body(outbox_backlog=0)
    refused(post(client, signed(body), heartbeat_body(outbox_backlog=99)), "SIGNATURE_INVALID")


@pytest.mark.parametrize(("method", "path"), [("GET", HEARTBEATS), ("POST", CATALOG),
                                              ("POST", HEARTBEATS + "?x=1")])
def test_the_signature_covers_method_and_path(client: TestClient, method: str, path: str) -> None:
    body = heartbeat_body()
    refused(post(client, signed(body, method=method, path=path), body), "SIGNATURE_INVALID")


def test_a_replayed_request_is_refused(client: TestClient) -> None:
    body = heartbeat_body()
    headers = signed(body)
    assert post(client, headers, body).status_code == 200
    refused(post(client, headers, body), "NONCE_REPLAYED")
    # also for reads: a replayed catalog request is refused
    catalog_headers = signed(method="GET", path=CATALOG)
    assert client.get(CATALOG, headers=catalog_headers, auth=None).status_code == 200
    refused(client.get(CATALOG, headers=catalog_headers, auth=None), "NONCE_REPLAYED")


# the platform's clock stands still in these two: a busy machine taking a second between
# signing and checking must not turn 301 s into 300 s
@pytest.mark.parametrize("offset", [-301, 301, -3600])
def test_a_clock_more_than_five_minutes_off_is_refused(clocked_client: TestClient, clock,
                                                       offset: int) -> None:
    body = heartbeat_body()
    response = post(clocked_client, signed(body, now=clock().timestamp() + offset), body)
    refused(response, "TIMESTAMP_SKEWED")
    assert ("ahead of" if offset > 0 else "behind") in response.json()["message"]


@pytest.mark.parametrize("offset", [-290, 290])
def test_a_clock_a_little_off_is_accepted(clocked_client: TestClient, clock,
                                          offset: int) -> None:
    body = heartbeat_body()
    response = post(clocked_client, signed(body, now=clock().timestamp() + offset), body)
    assert response.status_code == 200


def test_an_unknown_terminal_is_refused(client: TestClient) -> None:
    # as a wrong signature: an outsider must not learn which terminal ids exist
    body = heartbeat_body()
    stranger = KnownTerminal("NOBODY-1", "外地", "some-key-0123456789abcdef")
    refused(post(client, signed(body, terminal=stranger), body), "SIGNATURE_INVALID")


def test_malformed_signature_headers_are_refused(client: TestClient) -> None:
    body = heartbeat_body()
    refused(post(client, signed(body, nonce="short"), body), "SIGNATURE_INVALID")
    headers = {**signed(body), "X-Timestamp": "soon"}
    refused(post(client, headers, body), "SIGNATURE_INVALID")


def test_a_signed_but_invalid_heartbeat_is_a_422(client: TestClient) -> None:
    body = b'{"app_version": "1"}'
    response = post(client, signed(body), body)
    assert response.status_code == 422
    assert response.json()["code"] == "VALIDATION_FAILED"


def test_old_nonces_are_forgotten_but_their_requests_stay_stale(client: TestClient) -> None:
    body = heartbeat_body()
    headers = signed(body)
    assert post(client, headers, body).status_code == 200
    app = client.app
    later = app.state.clock() + timedelta(minutes=11)
    app.state.clock = lambda: later
    app.state.sweep()
    with app.state.sessions() as session:
        assert session.scalar(select(func.count()).select_from(NonceRecord)) == 0
    refused(post(client, headers, body), "TIMESTAMP_SKEWED")
