"""A terminal is untrusted: what one holding a kiosk's key sends is refused when it is not a
heartbeat, and nothing it sends can break the console for anyone else.

Each case was seen to do harm before: an infinite uptime made the terminal page answer 500, a
huge session count made the overview and the stats answer 500 (the sum overflowed), 1,200
faulty devices flooded the alert list, a family name carried markup into the console's chart
data, and a Unicode digit in X-Timestamp gave an unauthenticated 500.
"""

from __future__ import annotations

import http.client
import json

import pytest
import requests
from fastapi.testclient import TestClient

from central.app import KnownTerminal
from central.contract import HEADER_SIGNATURE, HEADER_TIMESTAMP, signed_headers
from central.db import AlertRecord, TerminalRecord
from central.server import EmbeddedPlatform
from tests.central.conftest import TEST_TERMINAL, SignAsTerminal
from tests.central.helpers import HEARTBEATS, heartbeat_body

OK = {"family": "receipt_printer", "state": "ok", "code": "OK", "detail": ""}


def post_raw(terminal: TestClient, changes: dict) -> int:
    """A signed heartbeat whose JSON is changed as an attacker would change it."""
    body = json.loads(heartbeat_body())
    body.update(changes)
    text = json.dumps(body, allow_nan=True).encode()  # Infinity is what Python's JSON writes
    response = terminal.post(HEARTBEATS, content=text,
                             headers={"Content-Type": "application/json"},
                             auth=SignAsTerminal(TEST_TERMINAL, terminal.app.state.clock))
    return response.status_code


def console_still_answers(admin: TestClient) -> None:
    for path in ("/console/", f"/console/terminals/{TEST_TERMINAL.id}", "/console/api/stats",
                 f"/console/api/terminals/{TEST_TERMINAL.id}", "/console/api/alerts"):
        assert admin.get(path).status_code == 200, path


HOSTILE = [
    {"uptime_s": float("inf")},
    {"uptime_s": float("nan")},
    {"interval_s": float("inf")},
    {"counts": {"sessions": 2**63 - 1}},
    {"counts": {"services": 10**30}},
    {"outbox_backlog": 2**63},
    {"failed_heartbeats": 2**64},
    {"acknowledged": [2**70]},
    {"acknowledged": list(range(5000))},
    {"devices": [{**OK, "family": f"printer_{i}", "state": "error", "code": "PAPER_OUT"}
                 for i in range(300)]},  # 1,200 do not fit in 64 kB (413)
    {"devices": [{**OK, "family": "</script><input hx-post=/console/x hx-trigger=load>"}]},
    {"devices": [{**OK, "family": " hx-trigger=load"}]},
    {"devices": [{**OK, "code": "OK\" name=kind value=maintenance_on>"}]},
    {"devices": [{**OK, "family": "x" * 500}]},
    {"catalog_version": "v" * 10_000},
]


@pytest.mark.parametrize("changes", HOSTILE, ids=lambda changes: next(iter(changes)))
def test_a_hostile_heartbeat_is_refused_and_the_console_still_answers(terminal, admin,
                                                                      changes) -> None:
    assert post_raw(terminal, {}) == 200  # the same heartbeat, unchanged, is taken
    assert post_raw(terminal, changes) == 422
    console_still_answers(admin)
    faults = [a for a in admin.get("/console/api/alerts").json() if a["kind"] != "offline"]
    assert faults == [], "nothing of the refused heartbeat was kept"


@pytest.mark.parametrize(("header", "value"), [
    (HEADER_TIMESTAMP, b"\xb2"),  # read as "²" (headers are Latin-1): str.isdigit() says digit
    (HEADER_SIGNATURE, b"\xe9" * 64),  # hmac.compare_digest raises on non-ASCII text
], ids=["timestamp", "signature"])
def test_a_non_ascii_signature_header_is_refused_as_unsigned(tmp_path, header, value) -> None:
    # sent over a real socket to the running platform, as an outsider would
    platform = EmbeddedPlatform(f"sqlite:///{tmp_path / 'central.db'}", terminals=[TEST_TERMINAL])
    with platform:
        body = heartbeat_body()
        headers = signed_headers(TEST_TERMINAL.id, TEST_TERMINAL.key, "POST", HEARTBEATS, body)
        connection = http.client.HTTPConnection("127.0.0.1", platform.port, timeout=10)
        connection.putrequest("POST", HEARTBEATS)
        for name, text in headers.items():
            connection.putheader(name, value if name == header else text)
        connection.putheader("Content-Type", "application/json")
        connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body)
        response = connection.getresponse()
        answer = response.read().decode()
        connection.close()
    assert response.status == 401, answer
    assert "Traceback" not in answer


def test_a_citizen_id_number_with_unicode_digits_is_refused_not_a_crash() -> None:
    from central.identity.id_number import birth_date
    from kiosk.id_number import check_id_number, has_valid_check_character

    superscript = "1101011990030700²1"  # inside the 17 digits the check digit is made of
    assert birth_date(superscript) is None
    assert not has_valid_check_character(superscript)
    assert check_id_number(superscript, today=__import__("datetime").date(2026, 12, 6)).errors


def test_counts_that_pile_up_stop_at_the_cap_and_the_sums_still_answer(app, terminal,
                                                                      admin) -> None:
    from central.db import HourlyActivity
    from central.heartbeats import HOURLY_COUNT_CAP

    assert post_raw(terminal, {"counts": {"sessions": 1}}) == 200
    with app.state.sessions() as session:  # as after a great many heartbeats at the maximum
        (row,) = session.query(HourlyActivity).all()
        row.sessions = HOURLY_COUNT_CAP - 5
        session.commit()
    assert post_raw(terminal, {"counts": {"sessions": 100_000}}) == 200
    with app.state.sessions() as session:
        assert session.query(HourlyActivity).one().sessions == HOURLY_COUNT_CAP
    console_still_answers(admin)


NEIGHBOUR = KnownTerminal("NEXT-0001", "另一个政务服务中心", "next-hall-key-0123456789abcdef")


def test_hostile_heartbeats_to_a_running_platform_change_nothing_elsewhere(tmp_path) -> None:
    platform = EmbeddedPlatform(f"sqlite:///{tmp_path / 'central.db'}",
                                terminals=[TEST_TERMINAL, NEIGHBOUR])
    with platform:
        url = platform.base_url.removesuffix("/api/v1")
        for changes in HOSTILE:
            body = json.loads(heartbeat_body())
            body.update(changes)
            text = json.dumps(body, allow_nan=True).encode()
            headers = signed_headers(TEST_TERMINAL.id, TEST_TERMINAL.key, "POST", HEARTBEATS,
                                     text)
            answer = requests.post(f"{url}{HEARTBEATS}", data=text, timeout=10,
                                   headers={**headers, "Content-Type": "application/json"})
            assert answer.status_code == 422, (next(iter(changes)), answer.text)
            requests.get(f"{platform.base_url}/health", timeout=1).raise_for_status()
        with platform.app.state.sessions() as session:
            neighbour = session.get(TerminalRecord, NEIGHBOUR.id)
            attacker = session.get(TerminalRecord, TEST_TERMINAL.id)
            assert (neighbour.maintenance, neighbour.last_seen_at) == (False, None)
            assert attacker.last_seen_at is None, "no hostile heartbeat was taken"
            assert session.query(AlertRecord).count() == 0
