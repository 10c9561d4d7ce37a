"""Building blocks for the platform tests: heartbeats, console logins, a clock to move."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from central.app import KnownTerminal
from central.console.users import add_user
from central.contract import DeviceReport, Heartbeat, HeartbeatAnswer
from tests.central.conftest import TEST_TERMINAL, SignAsTerminal

PASSWORD = "correct horse battery"
HEARTBEATS = "/api/v1/heartbeats"
OK_DEVICES = {"receipt_printer": ("ok", "OK"), "idcard": ("ok", "OK")}


class Clock:
    """The platform's idea of now, moved by the test."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime.now(UTC).replace(microsecond=0)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def heartbeat_body(devices: dict[str, tuple[str, str]] | None = None, **fields: Any) -> bytes:
    reports = [DeviceReport(family=f, state=state, code=code)  # type: ignore[arg-type]
               for f, (state, code) in (OK_DEVICES if devices is None else devices).items()]
    values: dict[str, Any] = {"app_version": "0.1.0", "sent_at": datetime.now(UTC),
                              "uptime_s": 60.0, "interval_s": 10.0, "network": "online",
                              "devices": reports}
    values.update(fields)
    return Heartbeat(**values).model_dump_json().encode()


def send_heartbeat(client: TestClient, terminal: KnownTerminal = TEST_TERMINAL,
                   devices: dict[str, tuple[str, str]] | None = None,
                   **fields: Any) -> HeartbeatAnswer:
    response = client.post(HEARTBEATS, content=heartbeat_body(devices, **fields),
                           headers={"Content-Type": "application/json"},
                           auth=SignAsTerminal(terminal, client.app.state.clock))
    assert response.status_code == 200, response.text
    return HeartbeatAnswer.model_validate_json(response.content)


def make_user(app: FastAPI, username: str, role: str = "administrator",
              hall: str | None = None) -> None:
    with app.state.sessions() as session:
        add_user(session, username, PASSWORD, role, hall, app.state.clock())
        session.commit()


def login_form(client: TestClient) -> str:
    page = client.get("/console/login", auth=None)
    assert page.status_code == 200
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match
    return match.group(1)


def log_in(client: TestClient, username: str, password: str = PASSWORD) -> Any:
    token = login_form(client)
    return client.post("/console/login", auth=None, follow_redirects=False, data={
        "username": username, "password": password, "csrf_token": token, "next": "/console/"})


def console(app: FastAPI, username: str, base_url: str = "http://testserver") -> TestClient:
    """A browser-like client logged in as `username`, with its CSRF token in `.csrf`."""
    client = TestClient(app, base_url=base_url)
    response = log_in(client, username)
    assert response.status_code == 303, response.text
    client.csrf = client.get("/console/api/me").json()["csrf_token"]  # type: ignore[attr-defined]
    return client


def register(app: FastAPI, terminal: KnownTerminal) -> None:
    from central.terminals import ensure_terminal

    with app.state.sessions() as session:
        ensure_terminal(session, terminal.id, terminal.hall, terminal.key, app.state.clock())
        session.commit()
