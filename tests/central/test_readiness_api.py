"""Readiness reports on the platform: the contract refuses nonsense, the endpoint keeps the
latest report of each terminal (a late older one does not replace it), the terminal page shows
it, and the console's 请求自检报告 goes out as a `send_readiness` command."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import ValidationError

from central.contract.readiness import ReadinessReceived, ReadinessReport
from tests.central.conftest import TEST_TERMINAL, SignAsTerminal, signed_client
from tests.central.helpers import send_heartbeat

READINESS = "/api/v1/readiness"


def report(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "app_version": "0.1.0",
        "code_sha256": "ab" * 32,
        "code_files": 412,
        "clock_offset_s": -1.5,
        "disk_free_bytes": 20 * 2**30,
        "disk_total_bytes": 64 * 2**30,
        "devices": [
            {"family": "idcard", "driver": "simulator", "required": True, "state": "ok"},
            {"family": "receipt_printer", "driver": "escpos", "required": True,
             "state": "degraded", "code": "PAPER_LOW", "detail": "near end"},
        ],
        "paper": [{"family": "receipt_printer", "paper": "low"}],
        "ready": True,
        "reported_at": datetime.now(UTC).isoformat(),
    }
    body.update(changes)
    return body


# -- the contract -----------------------------------------------------------------------------

def test_a_plain_report_is_accepted() -> None:
    parsed = ReadinessReport.model_validate(report())
    assert [d.passed for d in parsed.devices] == [True, True]


@pytest.mark.parametrize("hostile", [
    {"app_version": "x" * 65},
    {"code_sha256": "AB" * 32},  # not lowercase hex
    {"code_sha256": "ab" * 33},
    {"devices": [{"family": f"f{i}", "driver": "simulator", "state": "ok"} for i in range(33)]},
    {"devices": [{"family": "idcard", "driver": "simulator", "state": "ok", "detail": "x" * 201}]},
    {"devices": [{"family": "idcard", "driver": "<script>", "state": "ok"}]},
    {"devices": [{"family": "idcard", "driver": "simulator", "state": "fine"}]},
    {"devices": [{"family": "idcard", "driver": "simulator", "state": "ok"}] * 2},
    {"paper": [{"family": "a4_printer", "paper": "ok"}]},  # not among the devices
    {"clock_offset_s": float("nan")},
    {"clock_offset_s": float("inf")},
    {"clock_offset_s": 1e12},
    {"disk_free_bytes": -1},
    {"disk_free_bytes": 2**61, "disk_total_bytes": 2**61},
    {"disk_free_bytes": 10, "disk_total_bytes": 5},
    {"reported_at": "2026-12-07T10:00:00"},  # no zone
])
def test_nonsense_is_refused(hostile: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        ReadinessReport.model_validate(report(**hostile))


def test_nan_in_json_is_refused() -> None:
    text = json.dumps(report(clock_offset_s=0.0)).replace('"clock_offset_s": 0.0',
                                                          '"clock_offset_s": NaN')
    with pytest.raises(ValidationError):
        ReadinessReport.model_validate_json(text)


# -- the endpoint and the console ---------------------------------------------------------------

@pytest.fixture
def terminal(app: FastAPI) -> Iterator[TestClient]:
    with signed_client(app) as client:
        client.auth = SignAsTerminal(clock=app.state.clock)
        yield client


def send(terminal: TestClient, body: dict[str, Any]) -> ReadinessReceived:
    response = terminal.post(READINESS, content=json.dumps(body),
                             headers={"Content-Type": "application/json"})
    assert response.status_code == 200, response.text
    return ReadinessReceived.model_validate_json(response.content)


def page(admin: TestClient) -> str:
    response = admin.get(f"/console/terminals/{TEST_TERMINAL.id}")
    assert response.status_code == 200
    return response.text


def test_the_latest_report_is_kept_and_shown(terminal, admin, clock) -> None:
    assert "终端尚未上报自检报告" in page(admin)
    first = datetime.now(UTC)
    assert send(terminal, report(reported_at=first.isoformat())).kept
    clock.advance(60)
    later = report(reported_at=(first + timedelta(seconds=60)).isoformat(), app_version="0.2.0",
                   code_sha256="cd" * 32)
    assert send(terminal, later).kept
    shown = page(admin)
    assert "0.2.0" in shown and "cdcdcdcdcdcd" in shown and "abababababab" not in shown
    assert "-1.5 秒" in shown and "20.0 / 64.0 GiB" in shown and "纸将尽" in shown


def test_an_older_report_arriving_late_does_not_replace_a_newer_one(terminal, admin) -> None:
    now = datetime.now(UTC)
    assert send(terminal, report(reported_at=now.isoformat(), app_version="0.2.0")).kept
    late = send(terminal, report(reported_at=(now - timedelta(minutes=5)).isoformat(),
                                 app_version="0.1.0"))
    assert not late.kept
    assert "0.2.0" in page(admin)


def test_a_refused_report_is_answered_422_and_keeps_nothing(terminal, admin) -> None:
    response = terminal.post(READINESS, content=json.dumps(report(code_files=-1)),
                             headers={"Content-Type": "application/json"})
    assert response.status_code == 422
    assert "终端尚未上报自检报告" in page(admin)


def test_an_unsigned_report_is_refused(app) -> None:
    with TestClient(app) as anonymous:
        response = anonymous.post(READINESS, content=json.dumps(report()),
                                  headers={"Content-Type": "application/json"})
    assert response.status_code == 401


def test_request_readiness_goes_out_as_a_command(terminal, admin) -> None:
    send_heartbeat(terminal)
    url = f"/console/api/terminals/{TEST_TERMINAL.id}/commands"
    assert admin.post(url, json={"kind": "send_readiness"},
                      headers={"X-CSRF-Token": admin.csrf}).status_code == 201
    assert [c.kind for c in send_heartbeat(terminal).commands] == ["send_readiness"]
    assert "请求自检报告" in page(admin)


def test_markup_in_a_detail_is_shown_as_text(terminal, admin) -> None:
    hostile = report(devices=[{"family": "idcard", "driver": "simulator", "state": "error",
                               "code": "NO_DEVICE", "detail": "<img src=x onerror=alert(1)>"}],
                     paper=[])
    assert send(terminal, hostile).kept
    shown = page(admin)
    assert "<img src=x" not in shown and "&lt;img src=x onerror=alert(1)&gt;" in shown
