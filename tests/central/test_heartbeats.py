"""Heartbeats on the platform: status, device faults and their alerts, offline after 3 missed
heartbeats, a growing outbox, counts for the charts, and commands from issue to done."""

from __future__ import annotations

from fastapi.testclient import TestClient

from central.app import KnownTerminal
from tests.central.conftest import TEST_TERMINAL
from tests.central.helpers import send_heartbeat

PAPER_OUT = {"receipt_printer": ("error", "PAPER_OUT"), "idcard": ("ok", "OK")}


def view(admin: TestClient, terminal_id: str = TEST_TERMINAL.id) -> dict:
    response = admin.get(f"/console/api/terminals/{terminal_id}")
    assert response.status_code == 200
    return response.json()


def alerts(admin: TestClient, kind: str) -> list[dict]:
    return [a for a in admin.get("/console/api/alerts").json() if a["kind"] == kind]


def test_a_registered_terminal_is_never_seen_until_its_first_heartbeat(terminal, admin) -> None:
    assert view(admin)["terminal"]["status"] == "never"
    send_heartbeat(terminal)
    state = view(admin)
    assert state["terminal"]["status"] == "online"
    assert state["terminal"]["app_version"] == "0.1.0"
    kinds = [e["kind"] for e in state["events"]]
    assert "online" in kinds and kinds[-1] == "registered"


def test_a_device_fault_degrades_the_terminal_and_raises_an_alert(terminal, admin, clock) -> None:
    send_heartbeat(terminal)
    clock.advance(10)
    send_heartbeat(terminal, devices=PAPER_OUT)
    state = view(admin)["terminal"]
    assert state["status"] == "degraded"
    printer = next(d for d in state["devices"] if d["family"] == "receipt_printer")
    assert (printer["state"], printer["code"], printer["code_label"]) == ("error", "PAPER_OUT",
                                                                         "缺纸")
    [alert] = alerts(admin, "device_error")
    assert alert["code"] == "PAPER_OUT" and alert["resolved_at"] is None

    clock.advance(10)
    send_heartbeat(terminal, devices=PAPER_OUT)  # the same fault again: no second alert
    assert len(alerts(admin, "device_error")) == 1
    clock.advance(10)
    send_heartbeat(terminal)
    [alert] = alerts(admin, "device_error")
    assert alert["resolved_at"] is not None
    assert view(admin)["terminal"]["status"] == "online"
    history = view(admin)["events"]
    codes = [e["code"] for e in history if e["kind"] == "device" and e["family"] ==
             "receipt_printer"]
    assert codes == ["OK", "PAPER_OUT", "OK"]  # newest first


def test_a_degraded_device_shows_without_an_alert(terminal, admin) -> None:
    send_heartbeat(terminal, devices={"receipt_printer": ("degraded", "PAPER_LOW")})
    assert view(admin)["terminal"]["status"] == "degraded"
    assert alerts(admin, "device_error") == []


def test_three_missed_heartbeats_make_it_offline_and_the_next_one_online(
        app, terminal, admin, clock) -> None:
    send_heartbeat(terminal, interval_s=10)
    clock.advance(30)  # three heartbeats due, the third not yet late
    app.state.sweep()
    assert view(admin)["terminal"]["status"] == "online"
    assert alerts(admin, "terminal_offline") == []
    clock.advance(6)
    assert view(admin)["terminal"]["status"] == "offline"  # even before the sweeper ran
    app.state.sweep()
    app.state.sweep()  # a second sweep raises nothing more
    [alert] = alerts(admin, "terminal_offline")
    assert alert["resolved_at"] is None and "连续 3 次未收到心跳" in alert["detail"]

    clock.advance(60)
    send_heartbeat(terminal, interval_s=10)
    assert view(admin)["terminal"]["status"] == "online"
    [alert] = alerts(admin, "terminal_offline")
    assert alert["resolved_at"] is not None
    kinds = [e["kind"] for e in view(admin)["events"]]
    assert kinds.index("online") < kinds.index("offline")  # newest first


def test_a_growing_outbox_raises_an_alert_that_clears_when_it_drains(
        terminal, admin, clock) -> None:
    for backlog in (0, 2, 3, 5):
        send_heartbeat(terminal, outbox_backlog=backlog)
        clock.advance(10)
    [alert] = alerts(admin, "outbox_backlog")
    assert alert["resolved_at"] is None and "5" in alert["detail"]
    send_heartbeat(terminal, outbox_backlog=1)
    [alert] = alerts(admin, "outbox_backlog")
    assert alert["resolved_at"] is not None


def test_counts_are_summed_per_hour_for_the_charts(terminal, admin) -> None:
    send_heartbeat(terminal, counts={"sessions": 3, "services": 2, "prints": 1, "ratings": 1})
    send_heartbeat(terminal, counts={"sessions": 1, "services": 4})
    stats = admin.get("/console/api/stats").json()
    assert len(stats["hours"]) == 24
    assert (stats["sessions"][-1], stats["services"][-1], stats["prints"][-1],
            stats["ratings"][-1]) == (4, 6, 1, 1)
    assert sum(stats["services"]) == 6


def test_device_uptime_follows_the_time_spent_ok(terminal, admin, clock) -> None:
    send_heartbeat(terminal)
    clock.advance(3600 * 3)
    send_heartbeat(terminal, devices=PAPER_OUT)
    clock.advance(3600)
    uptime = {u["family"]: u["percent"] for u in admin.get("/console/api/stats").json()["uptime"]}
    assert uptime == {"receipt_printer": 75.0, "idcard": 100.0}


def test_commands_go_out_with_the_answer_until_acknowledged(terminal, admin) -> None:
    send_heartbeat(terminal)
    url = f"/console/api/terminals/{TEST_TERMINAL.id}/commands"
    headers = {"X-CSRF-Token": admin.csrf}
    for body in ({"kind": "maintenance_on"}, {"kind": "notice", "text": "今日16:00起系统升级"},
                 {"kind": "refresh_catalog"}):
        assert admin.post(url, json=body, headers=headers).status_code == 201

    answer = send_heartbeat(terminal)
    assert answer.maintenance is True and answer.notice == "今日16:00起系统升级"
    assert [c.kind for c in answer.commands] == ["maintenance_on", "notice", "refresh_catalog"]
    again = send_heartbeat(terminal)  # not acknowledged yet: sent again
    assert [c.id for c in again.commands] == [c.id for c in answer.commands]
    done = send_heartbeat(terminal, acknowledged=[c.id for c in answer.commands],
                          service_state="paused")
    assert done.commands == [] and done.maintenance is True
    commands = view(admin)["commands"]
    assert all(c["done_at"] for c in commands)
    assert view(admin)["terminal"]["service_state"] == "paused"

    admin.post(url, json={"kind": "maintenance_off"}, headers=headers)
    admin.post(url, json={"kind": "notice", "text": ""}, headers=headers)
    answer = send_heartbeat(terminal)
    assert answer.maintenance is False and answer.notice is None


def test_a_terminal_reports_only_for_itself(app, terminal, admin) -> None:
    other = KnownTerminal("OTHER-1", "测试大厅", "other-terminal-key-0123456789")
    from tests.central.helpers import register

    register(app, other)
    send_heartbeat(terminal, other, devices=PAPER_OUT)
    assert view(admin, "OTHER-1")["terminal"]["status"] == "degraded"
    assert view(admin)["terminal"]["status"] == "never"


def test_metrics_in_prometheus_text_format(app, terminal) -> None:
    send_heartbeat(terminal, devices=PAPER_OUT, outbox_backlog=4,
                   counts={"services": 2})
    response = terminal.get("/metrics", auth=None)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    text = response.text
    hall = TEST_TERMINAL.hall
    assert f'kiosk_terminals{{hall="{hall}",status="degraded"}} 1' in text
    assert f'kiosk_terminal_up{{terminal="TEST-0001",hall="{hall}"}} 1' in text
    assert (f'kiosk_device_ok{{terminal="TEST-0001",hall="{hall}",family="receipt_printer",'
            f'state="error",code="PAPER_OUT"}} 0') in text
    assert f'kiosk_terminal_outbox_backlog{{terminal="TEST-0001",hall="{hall}"}} 4' in text
    assert f'kiosk_alerts_open{{kind="device_error",hall="{hall}"}} 1' in text
    assert (f'kiosk_activity_total{{terminal="TEST-0001",hall="{hall}",kind="services"}} 2'
            in text)
    assert "kiosk_heartbeats_received_total 1" in text
    for line in text.splitlines():  # every line a comment or `name{labels} value`
        assert line.startswith("# ") or line.rsplit(" ", 1)[1].replace(".", "").isdigit()


def test_metrics_can_require_a_token(make_app, sqlite_url: str) -> None:
    app = make_app(sqlite_url, metrics_token="scrape-token")
    with TestClient(app) as client:
        assert client.get("/metrics").status_code == 401
        ok = client.get("/metrics", headers={"Authorization": "Bearer scrape-token"})
        assert ok.status_code == 200
