"""The console's payments (收费) and reconciliation findings (对账), tested at the API and the
pages: today's totals and failures of the viewer's halls only, findings of their halls only
(one with no hall for administrators alone), resolving for administrators only, once, money
as ¥ with two decimals, and nothing about the person."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from central.app import KnownTerminal
from central.db import AlertRecord, PaymentFindingRecord, PaymentRefundRecord, TerminalEvent
from central.payments.settings import PaymentSettings
from tests.central.helpers import Clock, console, make_user, register
from tests.central.payment_data import Seeded, seed, seed_elsewhere

EAST = KnownTerminal("EAST-01", "东城区政务服务中心", "east-terminal-key-0123456789")
WEST = KnownTerminal("WEST-01", "西城区政务服务中心", "west-terminal-key-0123456789")
API = "/console/api/payments"


@pytest.fixture
def app(make_app, database_url: str) -> FastAPI:
    clock = Clock(datetime.now(UTC).replace(microsecond=0))
    # no background resolver: a test looks at the refund it asks for
    app = make_app(database_url, clock=clock, payments=PaymentSettings(tick_s=0))
    for terminal in (EAST, WEST):
        register(app, terminal)
    make_user(app, "admin")
    make_user(app, "east", "hall-manager", EAST.hall)
    return app


@pytest.fixture
def seeded(app: FastAPI) -> dict[str, Seeded]:
    now = app.state.clock()
    made = {t.id: seed(app.state.sessions, t.id, now) for t in (EAST, WEST)}
    seed_elsewhere(app.state.sessions, now)
    return made


@pytest.fixture
def east(app: FastAPI) -> Iterator[TestClient]:
    with console(app, "east") as client:
        yield client


def csrf(client: TestClient) -> dict[str, str]:
    return {"X-CSRF-Token": client.csrf}  # type: ignore[attr-defined]


def test_todays_totals_are_the_viewers_halls(east: TestClient, admin: TestClient,
                                             seeded: dict[str, Seeded]) -> None:
    mine = east.get(API).json()
    assert (mine["paid_count"], mine["paid_fen"]) == (2, 3000)  # paid today, one refunded
    assert (mine["refunded_count"], mine["refunded_fen"]) == (1, 1500)
    assert mine["attempts"] == 4 and mine["unresolved_orders"] == 1
    assert mine["open_findings"] == 2
    assert {f["reason"]: (f["label"], f["count"]) for f in mine["failures"]} == {
        "NOT_ENOUGH": ("余额不足", 1), "timeout": ("超时撤销", 1)}
    assert east.get(API, params={"hall": WEST.hall}).json()["paid_count"] == 0  # not theirs
    everyone = admin.get(API).json()
    assert (everyone["paid_count"], everyone["open_findings"]) == (4, 5)
    west = admin.get(API, params={"hall": WEST.hall}).json()
    assert (west["paid_fen"], west["open_findings"]) == (3000, 2)
    assert admin.get(API, params={"terminal": EAST.id}).json()["attempts"] == 4


def test_findings_are_the_viewers_halls(east: TestClient, admin: TestClient,
                                        seeded: dict[str, Seeded]) -> None:
    mine = east.get(f"{API}/findings").json()
    assert sorted((f["kind"], f["terminal_id"]) for f in mine) == [
        ("long", EAST.id), ("short", EAST.id)]
    made = seeded[EAST.id]
    long_ = next(f for f in mine if f["kind"] == "long")
    assert long_["reference"] == made.references[made.late]
    assert (long_["expected_fen"], long_["statement_fen"]) == (0, 1500)
    assert long_["refundable"] is True and long_["hall"] == EAST.hall
    everyone = admin.get(f"{API}/findings").json()
    assert len(everyone) == 5
    (elsewhere,) = [f for f in everyone if f["terminal_id"] is None]
    assert (elsewhere["reference"], elsewhere["refundable"]) == ("ELSEWHERE-0001", False)
    assert len(admin.get(f"{API}/findings", params={"hall": EAST.hall}).json()) == 2


def test_only_an_administrator_resolves_and_only_once(app: FastAPI, east: TestClient,
                                                      admin: TestClient,
                                                      seeded: dict[str, Seeded]) -> None:
    findings = {(f["terminal_id"], f["kind"]): f for f in admin.get(f"{API}/findings").json()}
    east_long, west_short = findings[(EAST.id, "long")], findings[(WEST.id, "short")]
    url = f"{API}/findings/{{}}/resolve"
    refund = {"action": "refund", "note": "原路退回"}
    answer = east.post(url.format(east_long["id"]), json=refund, headers=csrf(east))
    assert (answer.status_code, answer.json()["code"]) == (403, "ADMINISTRATOR_ONLY")
    assert east.post(url.format(west_short["id"]), json=refund,
                     headers=csrf(east)).status_code == 404  # another hall's: not found
    assert admin.post(url.format(east_long["id"]), json=refund).status_code == 403  # no CSRF

    answer = admin.post(url.format(east_long["id"]), json=refund, headers=csrf(admin))
    assert answer.status_code == 200, answer.text
    resolved = answer.json()
    assert (resolved["resolution"], resolved["resolved_by"], resolved["note"]) == (
        "refund", "admin", "原路退回")
    assert (resolved["refund_state"], resolved["refund_label"]) == ("pending", "退款处理中")
    again = admin.post(url.format(east_long["id"]), json={"action": "settle"},
                       headers=csrf(admin))
    assert (again.status_code, again.json()["code"]) == (409, "FINDING_NOT_RESOLVABLE")
    nothing_came = admin.post(url.format(west_short["id"]), json=refund, headers=csrf(admin))
    assert nothing_came.status_code == 409  # a 短款 has no money to give back
    settled = admin.post(url.format(west_short["id"]),
                         json={"action": "settle", "note": "  支付机构确认\n未收款  "},
                         headers=csrf(admin)).json()
    assert (settled["resolution"], settled["note"]) == ("settled", "支付机构确认 未收款")
    for wrong in ({"action": "delete"}, {"action": "settle", "note": "x" * 201}, {}):
        assert admin.post(url.format(west_short["id"]), json=wrong,
                          headers=csrf(admin)).status_code == 422
    assert admin.post(url.format(2**63), json=refund, headers=csrf(admin)).status_code == 404

    with app.state.sessions() as session:
        finding = session.get(PaymentFindingRecord, east_long["id"])
        assert finding is not None and finding.refund_id is not None
        refund_record = session.get(PaymentRefundRecord, finding.refund_id)
        assert refund_record is not None
        assert (refund_record.state, refund_record.amount_fen, refund_record.reason) == (
            "pending", 1500, "reconciled")
        alert = session.get(AlertRecord, finding.alert_id)
        assert alert is not None and alert.resolved_at is not None and alert.acked_by == "admin"
        events = session.scalars(select(TerminalEvent.detail).where(
            TerminalEvent.terminal_id == EAST.id, TerminalEvent.kind == "payment")).all()
        assert events == ["长款已原路退款（admin）：原路退回"]
    assert [f["kind"] for f in east.get(f"{API}/findings").json()] == ["short"]
    assert len(east.get(f"{API}/findings", params={"all": "true"}).json()) == 2


def test_the_alerts_carry_the_findings(east: TestClient, seeded: dict[str, Seeded]) -> None:
    alerts = east.get("/console/api/alerts").json()
    kinds = sorted((a["kind"], a["kind_label"]) for a in alerts if a["kind"].startswith("pay"))
    assert kinds == [("payment_long", "收费长款"), ("payment_short", "收费短款")]
    made = seeded[EAST.id]
    assert any(made.references[made.late] in a["detail"] for a in alerts)


def test_pages_show_money_and_no_person(east: TestClient, admin: TestClient,
                                        seeded: dict[str, Seeded]) -> None:
    page = east.get("/console/payments")
    assert page.status_code == 200
    assert "¥30.00" in page.text and "¥15.00" in page.text and "收费对账" in page.text
    assert "data-resolve" not in page.text and "待系统管理员处理" in page.text
    made = seeded[EAST.id]
    assert made.references[made.late] in page.text
    assert seeded[WEST.id].references[seeded[WEST.id].late] not in page.text
    for personal in ("L-0001", "h" * 16, "张三"):
        assert personal not in page.text
    assert 'data-resolve="refund"' in admin.get("/console/payments").text
    terminal = east.get(f"/console/terminals/{EAST.id}")
    assert 'id="terminal-payments"' in terminal.text and "余额不足" in terminal.text
    assert made.references[made.never_charged] in terminal.text
    finding = east.get(f"{API}/findings").json()[0]
    refused = east.post(f"/console/payments/findings/{finding['id']}/resolve",
                        data={"action": "settle", "csrf_token": east.csrf},  # type: ignore[attr-defined]
                        follow_redirects=False)
    assert refused.status_code == 403 and "只能由系统管理员处理" in refused.text
    done = admin.post(f"/console/payments/findings/{finding['id']}/resolve",
                      data={"action": "settle", "note": "已核实",
                            "csrf_token": admin.csrf},  # type: ignore[attr-defined]
                      follow_redirects=False)
    assert (done.status_code, done.headers["location"]) == (303, "/console/payments")
    again = admin.post(f"/console/payments/findings/{finding['id']}/resolve",
                       data={"action": "settle", "csrf_token": admin.csrf},  # type: ignore[attr-defined]
                       follow_redirects=False)
    assert again.status_code == 409 and "该问题已处理" in again.text
