"""Reconciliation (对账) against the sandbox gateway's daily statements, downloaded through the
real SDKs: the platform's payments made through the sandbox (`rig`), the day's statement
fetched the next morning, what does not match found once, raised once as an alert for the
terminal's hall, and resolved once.

Each test runs for one provider at a time (the platform reconciles the channel under test):
the sandbox's statements of a day hold both providers' movements (statements.py filters them
by day only), so the other provider's statement would show this one's trades as 长款.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from central.contract.payments import PaymentChannel
from central.db import (
    AlertRecord,
    PaymentAttemptRecord,
    PaymentFindingRecord,
    PaymentOrderRecord,
    PaymentRefundRecord,
    ReconciliationRun,
    StatementLineRecord,
)
from central.payments import numbers, orders
from central.payments.bills import BEIJING
from central.payments.provider import Statement
from central.payments.reconcile_daily import DailyReconciliation, ReconcileSchedule
from central.payments.reconciliation import Reconciler, Report, ResolveRefused, resolve
from central.payments.sandbox import ManualClock, PaymentGateway, SandboxServer, Script
from central.payments.sandbox.ledger import Refused
from central.payments.settings import sandbox_settings
from tests.central.conftest import TEST_TERMINAL
from tests.central.helpers import Clock as PlatformClock

from .conftest import START, Rig

CHANNELS = ["wechat", "alipay"]
DAY = START.date()  # 2026-03-02, the clock's first day
# a reverse told "retry" leaves the attempt to staff; paid orders no application names are not
# refunded within the days a test spans
ONE_TRY = [{"tick_s": 0, "max_tries": 1, "unclaimed_refund_after_s": 30 * 86400.0}]


def code(rig: Rig, channel: str, balance: int = 100_000, script: Script | None = None) -> str:
    if channel == "wechat":
        return rig.gateway.wechat_code(balance, script)
    return rig.gateway.alipay_code(balance, script)


def reconciler(rig: Rig, channel: str) -> Reconciler:
    state = rig.app.state
    return Reconciler(state.sessions, state.write_lock, state.clock,
                      {channel: rig.machine.providers[channel]})  # pyright: ignore[reportArgumentType]


def morning_after(rig: Rig, day: date, at: time = time(10, 30)) -> None:
    """Both clocks to `at` on the day after `day` (the statement of `day` is made by then)."""
    target = datetime.combine(day + timedelta(days=1), at, BEIJING)
    rig.advance((target - rig.gateway_clock.now()).total_seconds())


def paid_at_once(rig: Rig, channel: str) -> str:
    order = rig.order()
    assert rig.pay(order.order_id, code(rig, channel)).state == "paid"
    return order.order_id


def late_success(rig: Rig, channel: str) -> str:
    """A pay code still paying at the deadline, whose money lands with the reverse: the
    reverse is told "try again", and with one try the attempt is left to staff — the platform
    never learns of the money (its notification is never delivered)."""
    order = rig.order()
    assert rig.pay(order.order_id, code(rig, channel, script=Script.late_success())).state \
        == "paying"
    rig.advance(45)
    rig.run()
    (attempt,) = rig.attempts(order.order_id)
    assert attempt.state == "unresolved" and attempt.transaction_id is None
    assert rig.record(order.order_id).state == "unresolved"
    assert rig.net(attempt.out_trade_no) == 1500  # and the gateway kept the money
    return order.order_id


def marked_paid(rig: Rig, channel: str) -> str:
    """An order the platform holds paid that the gateway never charged."""
    order = rig.order()
    now = rig.clock()
    with rig.app.state.sessions() as session:
        record = session.get(PaymentOrderRecord, order.order_id)
        assert record is not None
        attempt = PaymentAttemptRecord(
            order_id=record.id, channel=channel, mode="code",
            out_trade_no=numbers.out_trade_no(record.id, 1), state="paid", created_at=now,
            deadline_at=now, checks=0, reverse_tries=0, note="",
            transaction_id="4200000000202603020000000001", paid_at=now, updated_at=now)
        session.add(attempt)
        session.flush()
        record.state, record.channel, record.paid_attempt_id = "paid", channel, attempt.id
        record.transaction_id, record.paid_at = attempt.transaction_id, now
        session.commit()
    return order.order_id


def refused_and_refunded(rig: Rig, channel: str) -> str:
    order_id = paid_at_once(rig, channel)
    with rig.app.state.sessions() as session:
        record = session.get(PaymentOrderRecord, order_id)
        assert record is not None
        assert orders.request_refund(session, record, "refused", rig.clock())
        session.commit()
    rig.run()
    assert rig.record(order_id).state == "refunded"
    return order_id


def findings(rig: Rig) -> list[PaymentFindingRecord]:
    with rig.app.state.sessions() as session:
        return list(session.scalars(select(PaymentFindingRecord)
                                    .order_by(PaymentFindingRecord.id)))


def alerts(rig: Rig) -> list[AlertRecord]:
    with rig.app.state.sessions() as session:
        return list(session.scalars(select(AlertRecord).where(
            AlertRecord.kind.like("payment_%")).order_by(AlertRecord.id)))


def by_order(rig: Rig) -> dict[str, str]:
    return {f.order_id or f.out_trade_no: f.kind for f in findings(rig)}


def resolve_one(rig: Rig, finding_id: int, action: str, note: str = "") -> int | None:
    with rig.app.state.sessions() as session:
        finding = session.get(PaymentFindingRecord, finding_id)
        assert finding is not None
        refund = resolve(session, finding, action, "admin", note,  # pyright: ignore[reportArgumentType]
                         rig.clock())
        session.commit()
        return refund.id if refund is not None else None


@pytest.mark.parametrize("rig_settings", ONE_TRY)
@pytest.mark.parametrize("channel", CHANNELS)
def test_long_and_short_are_found_once_and_resolved_once(rig: Rig, channel: str) -> None:
    kept = paid_at_once(rig, channel)
    refunded = refused_and_refunded(rig, channel)
    late = late_success(rig, channel)
    never_charged = marked_paid(rig, channel)

    morning_after(rig, DAY)
    report = reconciler(rig, channel).run(DAY, "test")
    assert report.complete and len(report.new_findings) == 2
    assert by_order(rig) == {late: "long", never_charged: "short"}
    long_, short = findings(rig)
    assert (long_.expected_fen, long_.statement_fen) == (0, 1500)
    assert (short.expected_fen, short.statement_fen) == (1500, 0)
    assert {long_.terminal_id, short.terminal_id} == {TEST_TERMINAL.id}
    raised = alerts(rig)
    assert sorted(a.kind for a in raised) == ["payment_long", "payment_short"]
    assert all(a.terminal_id == TEST_TERMINAL.id and a.resolved_at is None for a in raised)
    reference = rig.record(late).reference
    assert reference in long_.detail and "¥15.00" in long_.detail
    for order_id in (kept, refunded):
        assert order_id not in by_order(rig)

    again = reconciler(rig, channel).run(DAY, "test")  # nothing is found twice
    assert again.complete and again.new_findings == []
    assert len(findings(rig)) == 2 and len(alerts(rig)) == 2
    with rig.app.state.sessions() as session:  # the lines were kept once
        lines = list(session.scalars(select(StatementLineRecord)))
        assert len(lines) == len({(line.channel, line.line_key) for line in lines}) == 4
        runs = session.scalars(select(ReconciliationRun.outcome)).all()
        assert runs == ["done", "done"]

    refund_id = resolve_one(rig, long_.id, "refund", "群众来电，原路退回")
    assert refund_id is not None
    with pytest.raises(ResolveRefused):
        resolve_one(rig, long_.id, "settle")
    with pytest.raises(ResolveRefused):  # nothing came in: nothing to give back
        resolve_one(rig, short.id, "refund")
    assert resolve_one(rig, short.id, "settle", "支付机构确认未收款，窗口补缴") is None
    with pytest.raises(ResolveRefused):
        resolve_one(rig, short.id, "settle")
    rig.run()  # the payments' resolver gives the money back
    with rig.app.state.sessions() as session:
        refund = session.get(PaymentRefundRecord, refund_id)
        assert refund is not None and refund.state == "done"
        attempt = session.get(PaymentAttemptRecord, refund.attempt_id)
        assert attempt is not None and attempt.state == "refunded"
    assert rig.net(attempt.out_trade_no) == 0
    assert rig.record(late).state == "closed"
    long_, short = findings(rig)
    assert (long_.resolution, long_.resolved_by, long_.note) == ("refund", "admin",
                                                                  "群众来电，原路退回")
    assert (short.resolution, short.resolved_by) == ("settled", "admin")
    assert long_.resolved_at is not None and short.resolved_at is not None
    assert all(a.resolved_at is not None for a in alerts(rig))

    # the refund shows on the next day's statement: the platform's own, nothing new
    morning_after(rig, DAY + timedelta(days=1))
    following = reconciler(rig, channel).run(DAY + timedelta(days=1), "test")
    assert following.complete and following.new_findings == []
    assert reconciler(rig, channel).run(DAY, "test").new_findings == []


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_day_where_everything_matches_finds_nothing(rig: Rig, channel: str) -> None:
    paid_at_once(rig, channel)
    refused_and_refunded(rig, channel)
    reversed_again = rig.order()  # late success, reversed again: charged and given back
    assert rig.pay(reversed_again.order_id,
                   code(rig, channel, script=Script.late_success())).state == "paying"
    rig.advance(45)
    rig.run()
    rig.advance(3)
    rig.run()
    assert rig.record(reversed_again.order_id).state == "closed"
    extra = rig.order()  # a QR code shown, then a pay code handed over instead
    shown = rig.show_qr(extra.order_id, channel)
    assert rig.pay(extra.order_id, code(rig, channel)).state == "paid"
    if channel == "alipay":  # Alipay cannot close a code nobody scanned: paid, then refunded
        rig.gateway.tap_pay(shown.qr_content)
        rig.advance(30)
        rig.run()
        assert [a.state for a in rig.attempts(extra.order_id)] == ["refunded", "paid"]
    else:
        with pytest.raises(Refused):
            rig.gateway.tap_pay(shown.qr_content)
    morning_after(rig, DAY)
    report = reconciler(rig, channel).run(DAY, "test")
    assert report.complete and report.new_findings == [] and findings(rig) == []
    rig.check_ledger()


@pytest.mark.parametrize("channel", CHANNELS)
def test_an_amount_that_differs_and_an_attempt_left_without_money(rig: Rig,
                                                                   channel: str) -> None:
    changed = paid_at_once(rig, channel)
    with rig.app.state.sessions() as session:  # the gateway took 15.00; the order says 20.00
        record = session.get(PaymentOrderRecord, changed)
        assert record is not None
        record.amount_fen = 2000
        session.commit()
    stuck = rig.order()  # timed out and reversed, then left to staff: no money anywhere
    assert rig.pay(stuck.order_id, code(rig, channel, script=Script(paying_for=1))).state \
        == "paying"
    with rig.app.state.sessions() as session:
        (attempt,) = session.scalars(select(PaymentAttemptRecord).where(
            PaymentAttemptRecord.order_id == stuck.order_id)).all()
        attempt.state, attempt.note = "unresolved", "Retry SYSTEM_ERROR"
        session.commit()
    morning_after(rig, DAY)
    reconciler(rig, channel).run(DAY, "test")
    assert by_order(rig) == {changed: "amount", stuck.order_id: "unresolved"}
    amount, left = findings(rig)
    assert (amount.expected_fen, amount.statement_fen) == (2000, 1500)
    for finding in (amount, left):
        with pytest.raises(ResolveRefused):
            resolve_one(rig, finding.id, "refund")
        resolve_one(rig, finding.id, "settle", "已核实")
    assert reconciler(rig, channel).run(DAY, "test").new_findings == []


def test_money_for_a_trade_that_is_not_ours_is_a_long_without_a_hall(rig: Rig) -> None:
    elsewhere = rig.gateway.ledger.charge_code(  # another system on the same merchant account
        "wechat", "OTHER-SYSTEM-0001", 800, "别处的收费", rig.gateway.wechat_code())
    assert elsewhere.charge.state == "SUCCESS"
    morning_after(rig, DAY)
    reconciler(rig, "wechat").run(DAY, "test")
    (finding,) = findings(rig)
    assert (finding.kind, finding.terminal_id, finding.order_id, finding.statement_fen) == (
        "long", None, None, 800)
    assert alerts(rig) == []  # no terminal, no hall: the administrators' list only
    with pytest.raises(ResolveRefused):
        resolve_one(rig, finding.id, "refund")


def test_a_statement_not_made_yet_is_a_run_to_repeat(rig: Rig) -> None:
    paid_at_once(rig, "wechat")
    report = reconciler(rig, "wechat").run(DAY, "test")  # 10:00 the same day: none yet
    assert not report.complete
    (outcome,) = report.channels
    assert outcome.outcome == "unavailable"
    daily = DailyReconciliation(reconciler(rig, "wechat"), ReconcileSchedule(catch_up_days=2),
                                rig.clock)
    morning_after(rig, DAY, time(9, 30))  # before 10:00: the day before only
    assert daily.due() == {DAY - timedelta(days=1): ["wechat"]}
    morning_after(rig, DAY, time(10, 5))
    assert daily.due() == {DAY - timedelta(days=1): ["wechat"], DAY: ["wechat"]}
    reports = daily.run_due()
    assert [r.day for r in reports] == [DAY - timedelta(days=1), DAY]
    assert all(r.complete for r in reports) and reports[1].channels[0].lines == 1
    assert daily.due() == {}
    assert daily.seconds_to_wait() == ReconcileSchedule().retry_s


class Unreadable:
    channel: PaymentChannel = "wechat"

    def statement(self, day: date) -> Statement:
        return Statement("wechat", day, "交易时间,商户订单号\r\n`x,`y\r\n".encode(), "text/csv")


def test_an_unreadable_statement_is_recorded_not_matched(rig: Rig) -> None:
    state = rig.app.state
    run = Reconciler(state.sessions, state.write_lock, state.clock, {"wechat": Unreadable()})
    (outcome,) = run.run(DAY, "test").channels
    assert outcome.outcome == "unreadable" and "no column" in outcome.note
    with state.sessions() as session:
        (record,) = session.scalars(select(ReconciliationRun)).all()
        assert (record.outcome, record.started_by) == ("unreadable", "test")


@pytest.fixture
def scheduled(make_app: Callable[..., FastAPI], database_url: str, gateway: PaymentGateway,
              server: SandboxServer, clock: ManualClock) -> Iterator[Rig]:
    """A platform whose daily reconciliation runs by itself (at 10:30 the day after START)."""
    clock.advance(24.5 * 3600)
    platform_clock = PlatformClock(clock.now().astimezone(UTC))
    settings = dataclasses.replace(sandbox_settings(gateway, server, "http://testserver",
                                                    tick_s=0), alipay=None)
    app = make_app(database_url, clock=platform_clock, payments=settings,
                   reconciliation=ReconcileSchedule(catch_up_days=1))
    with TestClient(app) as client:
        yield Rig(app, client, gateway, platform_clock, clock)


def test_the_schedule_runs_in_the_platform(scheduled: Rig) -> None:
    import time as wall

    deadline = wall.monotonic() + 20
    runs: list[ReconciliationRun] = []
    while wall.monotonic() < deadline and not runs:
        with scheduled.app.state.sessions() as session:
            runs = list(session.scalars(select(ReconciliationRun)))
        wall.sleep(0.1)
    assert [(r.day, r.channel, r.outcome, r.started_by) for r in runs] == [
        (DAY, "wechat", "done", "schedule")]


def test_no_schedule_unless_asked(rig: Rig) -> None:
    assert Report(DAY, []).complete
    with rig.app.state.sessions() as session:
        assert session.scalars(select(ReconciliationRun)).all() == []


@pytest.mark.parametrize("rig_settings", ONE_TRY)
def test_a_long_whose_notification_comes_after_is_settled_not_refunded(rig: Rig) -> None:
    """Alipay notifies a pay-code payment too (WeChat Pay's 付款码支付 has no notify_url)."""
    late = late_success(rig, "alipay")
    morning_after(rig, DAY)
    reconciler(rig, "alipay").run(DAY, "test")
    (finding,) = findings(rig)
    assert finding.kind == "long"
    for answer in rig.deliver():  # the provider's notification, at last: the order is paid
        assert answer.status_code in (200, 204), answer.text
    assert rig.record(late).state == "paid"
    with pytest.raises(ResolveRefused, match="无需退款"):
        resolve_one(rig, finding.id, "refund")
    resolve_one(rig, finding.id, "settle", "通知迟到，已入账")
    assert rig.record(late).state == "paid" and rig.net(rig.attempts(late)[0].out_trade_no) \
        == 1500
