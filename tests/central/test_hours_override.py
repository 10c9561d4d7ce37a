"""The hall manager's override of a terminal's hall hours (always open, closed now), kept as
state the platform gives in every heartbeat answer, and a closed terminal seen as closed."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.central.conftest import TEST_TERMINAL
from tests.central.helpers import send_heartbeat

COMMANDS = f"/console/api/terminals/{TEST_TERMINAL.id}/commands"


def command(admin: TestClient, kind: str) -> None:
    response = admin.post(COMMANDS, json={"kind": kind}, headers={"X-CSRF-Token": admin.csrf})
    assert response.status_code == 201, response.text


def test_the_override_is_given_in_every_answer_until_set_back(terminal, admin) -> None:
    assert send_heartbeat(terminal).hours_override is None
    command(admin, "hours_closed")
    first = send_heartbeat(terminal)
    assert first.hours_override == "closed"
    # acknowledged, and as a restarted kiosk would ask: still closed
    again = send_heartbeat(terminal, acknowledged=[c.id for c in first.commands], uptime_s=1)
    assert again.hours_override == "closed" and again.commands == []
    command(admin, "hours_open")
    assert send_heartbeat(terminal).hours_override == "open"
    command(admin, "hours_scheduled")
    assert send_heartbeat(terminal).hours_override is None


def test_a_closed_terminal_is_online_and_closed_not_offline(terminal, admin) -> None:
    send_heartbeat(terminal, service_state="closed")
    shown = admin.get(f"/console/api/terminals/{TEST_TERMINAL.id}").json()["terminal"]
    assert shown["status"] == "online"
    assert shown["service_state_label"] == "闭厅（非服务时间）"


def test_the_terminal_page_offers_the_override_and_shows_it(terminal, admin) -> None:
    send_heartbeat(terminal)
    command(admin, "hours_open")
    page = admin.get(f"/console/terminals/{TEST_TERMINAL.id}").text
    assert 'data-command="hours_closed"' in page and 'data-command="hours_scheduled"' in page
    assert '<span class="badge maintenance" id="hours-override">始终开放</span>' in page
