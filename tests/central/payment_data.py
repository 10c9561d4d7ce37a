"""Payments and reconciliation findings written straight into a platform's database, for the
console's tests (the payments themselves, through the sandbox, are tested in
tests/central/payments/).

`seed(sessions, terminal_id, now)` gives one terminal, for yesterday (China's day): an order
paid and on the statement (matched), a late success the platform never learned of (长款) and
an order paid without its money (短款), reconciled from a statement of WeChat Pay lines; and
for today: an order paid, one paid and refunded, a pay code refused for its balance and one
reversed at its deadline.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy.orm import Session, sessionmaker

from central.contract.payments import PaymentChannel, PaymentOrderRequest
from central.db import PaymentAttemptRecord, PaymentOrderRecord, PaymentRefundRecord
from central.payments import bills, numbers, orders, reconciliation

AMOUNT = 1500  # SS-018 往来港澳通行证签注费


@dataclass(frozen=True)
class Seeded:
    terminal_id: str
    matched: str  # order ids
    late: str
    never_charged: str
    paid_today: str
    refunded_today: str
    references: dict[str, str]  # order id → reference


def order(session: Session, terminal_id: str, now: datetime) -> PaymentOrderRecord:
    request = PaymentOrderRequest(service_id="SS-018", verification_id="v-1",
                                  local_number="L-0001")
    record, _ = orders.create(session, terminal_id=terminal_id,
                              idempotency_key=secrets.token_hex(12), request=request,
                              holder_key_of="h" * 64, region="110000", now=now)
    return record


def attempt(session: Session, record: PaymentOrderRecord, state: str, at: datetime, *,
            channel: PaymentChannel = "wechat", number: int = 1,
            transaction_id: str | None = None, failure: str | None = None,
            ending: str | None = None) -> PaymentAttemptRecord:
    made = PaymentAttemptRecord(
        order_id=record.id, channel=channel, mode="code",
        out_trade_no=numbers.out_trade_no(record.id, number), state=state, failure=failure,
        ending=ending, note="", created_at=at, deadline_at=at + timedelta(seconds=45),
        checks=0, reverse_tries=0, transaction_id=transaction_id,
        paid_at=at if transaction_id else None, updated_at=at)
    session.add(made)
    session.flush()
    return made


def paid(record: PaymentOrderRecord, made: PaymentAttemptRecord, at: datetime) -> None:
    """Paid by `made`, and named by an application (never refunded as unclaimed)."""
    record.state, record.channel, record.paid_attempt_id = "paid", made.channel, made.id
    record.transaction_id, record.paid_at = made.transaction_id, at
    record.application_number = f"SL{secrets.token_hex(6).upper()}"


def transaction() -> str:
    return "4200" + "".join(secrets.choice("0123456789") for _ in range(24))


def seed(sessions: sessionmaker[Session], terminal_id: str, now: datetime) -> Seeded:
    today = reconciliation.china_day(now)
    yesterday = datetime.combine(today - timedelta(days=1), time(12, 0), bills.BEIJING)
    with sessions() as session:
        matched = order(session, terminal_id, yesterday)
        made = attempt(session, matched, "paid", yesterday, transaction_id=transaction())
        paid(matched, made, yesterday)
        lines = [bills.Line("wechat", "charge", made.out_trade_no, made.transaction_id or "",
                            AMOUNT, yesterday)]
        late = order(session, terminal_id, yesterday)
        late.state = "unresolved"
        made = attempt(session, late, "unresolved", yesterday)
        lines.append(bills.Line("wechat", "charge", made.out_trade_no, transaction(), AMOUNT,
                                yesterday + timedelta(seconds=50)))
        never = order(session, terminal_id, yesterday)
        paid(never, attempt(session, never, "paid", yesterday, transaction_id=transaction()),
             yesterday)

        paid_today = order(session, terminal_id, now)
        paid(paid_today, attempt(session, paid_today, "paid", now,
                                 transaction_id=transaction()), now)
        refunded = order(session, terminal_id, now)
        made = attempt(session, refunded, "refunded", now, transaction_id=transaction())
        paid(refunded, made, now)
        refunded.state, refunded.refunded_at = "refunded", now
        session.add(PaymentRefundRecord(
            order_id=refunded.id, attempt_id=made.id,
            out_refund_no=numbers.out_refund_no(made.out_trade_no), amount_fen=AMOUNT,
            reason="refused", state="done", requested_at=now, tries=1, refund_id="5000",
            done_at=now, note=""))
        refused = order(session, terminal_id, now)
        attempt(session, refused, "failed", now, failure="NOT_ENOUGH")
        timed_out = order(session, terminal_id, now)
        timed_out.state, timed_out.failure = "closed", "TIMED_OUT"
        attempt(session, timed_out, "closed", now, ending="timeout")

        reconciliation.keep(session, yesterday.date(), lines)
        session.flush()
        reconciliation.match(session, "wechat", yesterday.date(), now)
        references = {o.id: o.reference for o in (matched, late, never, paid_today, refunded)}
        session.commit()
        return Seeded(terminal_id, matched.id, late.id, never.id, paid_today.id, refunded.id,
                      references)


def seed_elsewhere(sessions: sessionmaker[Session], now: datetime) -> None:
    """Money on yesterday's statement for a trade that is not the platform's (no hall)."""
    today = reconciliation.china_day(now)
    yesterday = datetime.combine(today - timedelta(days=1), time(13, 0), bills.BEIJING)
    with sessions() as session:
        reconciliation.keep(session, yesterday.date(), [
            bills.Line("wechat", "charge", "ELSEWHERE-0001", transaction(), 800, yesterday)])
        session.flush()
        reconciliation.match(session, "wechat", yesterday.date(), now)
        session.commit()
