"""The console's rules, tested at the API: login with argon2 hashes and lock-out, secure
cookies, CSRF, and a hall manager who sees and commands only their own hall's terminals."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from central.app import KnownTerminal
from central.db import CommandRecord, ConsoleUser
from tests.central.conftest import TEST_TERMINAL
from tests.central.helpers import (
    PASSWORD,
    Clock,
    console,
    log_in,
    make_user,
    register,
    send_heartbeat,
)

EAST = KnownTerminal("EAST-01", "东城区政务服务中心", "east-terminal-key-0123456789")
WEST = KnownTerminal("WEST-01", "西城区政务服务中心", "west-terminal-key-0123456789")
PAPER_OUT = {"receipt_printer": ("error", "PAPER_OUT")}


@pytest.fixture
def app(make_app, database_url: str, clock: Clock) -> Iterator[FastAPI]:
    app = make_app(database_url, clock=clock)
    for terminal in (EAST, WEST):
        register(app, terminal)
    make_user(app, "admin")
    make_user(app, "east", "hall-manager", EAST.hall)
    with TestClient(app) as client:
        for terminal in (EAST, WEST):
            send_heartbeat(client, terminal, devices=PAPER_OUT)
    return app


@pytest.fixture
def east(app: FastAPI) -> Iterator[TestClient]:
    with console(app, "east") as client:
        yield client


def csrf(client: TestClient) -> dict[str, str]:
    return {"X-CSRF-Token": client.csrf}  # type: ignore[attr-defined]


# -- hall scoping ----------------------------------------------------------------------------

def test_a_hall_manager_lists_only_their_hall(east: TestClient, admin: TestClient) -> None:
    assert [t["id"] for t in east.get("/console/api/terminals").json()] == [EAST.id]
    assert east.get("/console/api/terminals", params={"hall": WEST.hall}).json() == []
    assert {t["id"] for t in admin.get("/console/api/terminals").json()} == {
        EAST.id, WEST.id, TEST_TERMINAL.id}
    by_hall = admin.get("/console/api/terminals", params={"hall": WEST.hall}).json()
    assert [t["id"] for t in by_hall] == [WEST.id]


def test_a_hall_manager_cannot_see_another_halls_terminal(east: TestClient) -> None:
    assert east.get(f"/console/api/terminals/{EAST.id}").status_code == 200
    response = east.get(f"/console/api/terminals/{WEST.id}")
    assert response.status_code == 404  # not 403: its existence is not revealed
    assert east.get(f"/console/terminals/{WEST.id}").status_code == 404
    assert east.get(f"/console/terminals/{WEST.id}/live").status_code == 404
    assert WEST.id not in east.get("/console/terminals/table").text
    assert WEST.id not in east.get("/console/").text


def test_a_hall_manager_cannot_command_another_halls_terminal(app, east: TestClient) -> None:
    url = f"/console/api/terminals/{WEST.id}/commands"
    assert east.post(url, json={"kind": "maintenance_on"}, headers=csrf(east)).status_code == 404
    form = east.post(f"/console/terminals/{WEST.id}/commands", follow_redirects=False,
                     data={"kind": "restart", "csrf_token": east.csrf})  # type: ignore[attr-defined]
    assert form.status_code == 404
    with app.state.sessions() as session:
        assert session.scalar(select(func.count()).select_from(CommandRecord)) == 0
    with TestClient(app) as terminal:
        assert send_heartbeat(terminal, WEST).maintenance is False
    own = east.post(f"/console/api/terminals/{EAST.id}/commands", json={"kind": "restart"},
                    headers=csrf(east))
    assert own.status_code == 201 and own.json()["issued_by"] == "east"


def test_a_hall_manager_sees_and_acknowledges_only_their_halls_alerts(
        east: TestClient, admin: TestClient) -> None:
    mine = east.get("/console/api/alerts").json()
    assert {a["terminal_id"] for a in mine} == {EAST.id}
    west_alert = next(a for a in admin.get("/console/api/alerts").json()
                      if a["terminal_id"] == WEST.id)
    refused = east.post(f"/console/api/alerts/{west_alert['id']}/ack", headers=csrf(east))
    assert refused.status_code == 404
    assert east.post(f"/console/alerts/{west_alert['id']}/ack", headers=csrf(east),
                     follow_redirects=False).status_code == 404
    acked = east.post(f"/console/api/alerts/{mine[0]['id']}/ack", headers=csrf(east))
    assert acked.status_code == 200 and acked.json()["acked_by"] == "east"
    assert east.get("/console/api/alerts", params={"unacknowledged": True}).json() == []
    still_open = admin.get("/console/api/alerts", params={"unacknowledged": True}).json()
    assert [a["terminal_id"] for a in still_open] == [WEST.id]


def test_a_hall_managers_charts_count_only_their_hall(app, east: TestClient,
                                                      admin: TestClient) -> None:
    with TestClient(app) as terminal:
        send_heartbeat(terminal, EAST, counts={"services": 2})
        send_heartbeat(terminal, WEST, counts={"services": 5})
    assert sum(east.get("/console/api/stats").json()["services"]) == 2
    west = east.get("/console/api/stats", params={"hall": WEST.hall}).json()
    assert sum(west["services"]) == 0  # asking for another hall gives nothing of it
    assert sum(admin.get("/console/api/stats").json()["services"]) == 7


# -- login -----------------------------------------------------------------------------------

def test_passwords_are_stored_as_argon2id_hashes(app) -> None:
    with app.state.sessions() as session:
        stored = session.scalars(select(ConsoleUser.password_hash)).all()
    assert all(h.startswith("$argon2id$") and PASSWORD not in h for h in stored)


def test_a_wrong_password_is_refused_without_saying_which_part(app) -> None:
    with TestClient(app) as client:
        wrong = log_in(client, "east", "not the password")
        unknown = log_in(client, "nobody", "not the password")
        assert wrong.status_code == unknown.status_code == 401
        assert "用户名或密码错误" in wrong.text and "用户名或密码错误" in unknown.text
        assert client.get("/console/api/me").status_code == 401


def test_repeated_failures_lock_the_account_for_a_while(app, clock: Clock) -> None:
    with TestClient(app) as client:
        for _ in range(5):
            assert log_in(client, "east", "guess").status_code == 401
        # locked: even the right password is refused, in the words of a wrong one (a locked
        # account answering otherwise would tell a stranger the name exists)
        locked = log_in(client, "east")
        assert locked.status_code == 401 and "用户名或密码错误" in locked.text
        clock.advance(16 * 60)
        assert log_in(client, "east").status_code == 303


def test_a_success_resets_the_failure_count(app) -> None:
    with TestClient(app) as client:
        for _ in range(4):
            log_in(client, "east", "guess")
        assert log_in(client, "east").status_code == 303
    with TestClient(app) as client:
        for _ in range(4):
            assert log_in(client, "east", "guess").status_code == 401


def test_the_session_cookie_is_httponly_strict_and_secure_over_https(app) -> None:
    with TestClient(app, base_url="http://testserver") as plain:
        cookie = log_in(plain, "east").headers["set-cookie"]
        assert "console_session=" in cookie and "HttpOnly" in cookie
        assert "SameSite=strict" in cookie and "Path=/console" in cookie
        assert "Secure" not in cookie
    with TestClient(app, base_url="https://testserver") as tls:
        cookie = log_in(tls, "east").headers["set-cookie"]
        assert "Secure" in cookie and "HttpOnly" in cookie


def test_the_login_form_needs_its_csrf_token(app) -> None:
    with TestClient(app) as client:
        client.get("/console/login")
        forged = client.post("/console/login", follow_redirects=False, data={
            "username": "east", "password": PASSWORD, "csrf_token": "made-up-token-xxxxxxxx"})
        assert forged.status_code == 403


def test_logging_out_ends_the_session(east: TestClient) -> None:
    response = east.post("/console/logout", data={"csrf_token": east.csrf},  # type: ignore[attr-defined]
                         follow_redirects=False)
    assert response.status_code == 303
    assert east.get("/console/api/me").status_code == 401


def test_pages_send_a_visitor_to_the_login(app) -> None:
    with TestClient(app) as client:
        response = client.get("/console/terminals", follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"] == "/console/login?next=/console/terminals"
        assert client.get("/console/api/terminals").status_code == 401


def test_login_never_redirects_off_the_console(app) -> None:
    with TestClient(app) as client:
        token = client.get("/console/login").text.split('name="csrf_token" value="')[1][:32]
        token = client.cookies.get("console_login_csrf")
        response = client.post("/console/login", follow_redirects=False, data={
            "username": "east", "password": PASSWORD, "csrf_token": token,
            "next": "https://evil.example/"})
        assert response.headers["location"] == "/console/"


# -- CSRF and headers ------------------------------------------------------------------------

def test_state_changes_need_the_csrf_token(east: TestClient) -> None:
    url = f"/console/api/terminals/{EAST.id}/commands"
    assert east.post(url, json={"kind": "restart"}).status_code == 403
    assert east.post(url, json={"kind": "restart"},
                     headers={"X-CSRF-Token": "wrong"}).status_code == 403
    form = east.post(f"/console/terminals/{EAST.id}/commands", data={"kind": "restart"},
                     follow_redirects=False)
    assert form.status_code == 403
    cross_site = east.post(url, json={"kind": "restart"},
                           headers={**csrf(east), "Origin": "https://evil.example"})
    assert cross_site.status_code == 403
    assert east.post(url, json={"kind": "restart"}, headers=csrf(east)).status_code == 201


def test_the_form_route_accepts_the_token_as_a_field(east: TestClient) -> None:
    response = east.post(f"/console/terminals/{EAST.id}/commands", follow_redirects=False,
                         data={"kind": "maintenance_on", "csrf_token": east.csrf})  # type: ignore[attr-defined]
    assert response.status_code == 303
    assert east.get(f"/console/api/terminals/{EAST.id}").json()["terminal"]["maintenance"]


def test_console_pages_carry_security_headers(east: TestClient) -> None:
    response = east.get("/console/")
    assert response.status_code == 200
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["cache-control"] == "no-store"


def test_every_page_renders_and_loads_no_script_from_elsewhere(east: TestClient) -> None:
    for page in ("/console/", "/console/terminals", f"/console/terminals/{EAST.id}",
                 "/console/alerts", "/console/alerts?all=true", "/console/terminals/table"):
        response = east.get(page)
        assert response.status_code == 200, page
        assert "http://" not in response.text and "https://" not in response.text
    assert 'src="/console/static/vendor/echarts/' in east.get("/console/").text


def test_the_vendored_scripts_are_served(east: TestClient) -> None:
    for path in ("vendor/echarts/echarts.common.min.js", "vendor/htmx/htmx.min.js",
                 "console.js", "console.css"):
        assert east.get(f"/console/static/{path}").status_code == 200, path
