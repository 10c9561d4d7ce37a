"""非税 payment notices paid elsewhere: the 非税 collection system (财政非税收入收缴, which a
bank counter, a government app or online banking pays a 缴款码 through) tells the platform of
each payment: `POST /api/v1/nontax/payments` (`central.routes.nontax`).

The collector signs the exact body with HMAC-SHA256 under the key it shares with the platform
(`PaymentSettings.nontax_key`; without one every call is refused), hex, in `X-Nontax-Signature`.
Each payment comes once per the collector's transaction id: a repeat gets the first answer,
the same id with another body a 409.

- an unpaid order (nothing being charged at the kiosk) is paid by it: channel `nontax`, the
  collector's transaction id, its time; the e-receipt is issued as for any paid order;
- an amount other than the order's is refused (422), recorded nowhere: the collector must not
  have taken it;
- an order not waiting for it (paid at the kiosk already, being charged there, closed,
  refunded, left to staff) keeps nothing twice: the payment is recorded `extra` and raised as
  an alert (收费非税重复) for the hall of the order's terminal. An alert, not a refund record:
  the money is in the 非税 account, not at a payment provider, so the platform's refund path
  (the provider's refund API) cannot give it back; staff return it through the 非税 system's
  退付, as they resolve reconciliation's findings.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Literal

from pydantic import Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from central.contract import ContractModel
from central.db import AlertRecord, NontaxPaymentRecord, PaymentOrderRecord
from central.errors import Refused
from central.payments import orders

log = logging.getLogger(__name__)

HEADER_SIGNATURE = "X-Nontax-Signature"
ALERT_KIND = "payment_nontax_extra"


class NontaxPayment(ContractModel):
    notice_code: str = Field(pattern=r"^[0-9]{20}$")
    amount_fen: int = Field(ge=1, le=100_000_000)
    paid_at: datetime
    transaction_id: str = Field(pattern=r"^[0-9A-Za-z_-]{1,64}$")  # the collector's
    channel: str = Field(min_length=1, max_length=40)  # as the collector names it: 工商银行柜面


class NontaxAnswer(ContractModel):
    transaction_id: str
    outcome: Literal["paid", "extra"]  # extra: recorded, left to staff
    reference: str  # the order's, for the collector's records


def signature(key: bytes, body: bytes) -> str:
    return hmac.new(key, body, hashlib.sha256).hexdigest()


def check_signature(key: bytes | None, body: bytes, given: str | None) -> None:
    if key is None:
        raise Refused(403, "the 非税 collection system is not configured here",
                      code="NONTAX_NOT_CONFIGURED")
    if not given or not hmac.compare_digest(signature(key, body).encode("ascii"),
                                            given.strip().lower().encode("utf-8")):
        raise Refused(401, "the signature does not verify", code="SIGNATURE_INVALID")


def receive(session: Session, payment: NontaxPayment, body_sha256: str,
            now: datetime, issue_receipt: Callable[[Session, PaymentOrderRecord], None]
            ) -> tuple[NontaxAnswer, str | None]:
    """Record `payment` (the caller commits); the answer and the order it paid (None: none)."""
    earlier = session.scalars(select(NontaxPaymentRecord).where(
        NontaxPaymentRecord.transaction_id == payment.transaction_id)).first()
    if earlier is not None:
        if earlier.request_sha256 != body_sha256:
            raise Refused(409, "this transaction id came before with another body",
                          code="TRANSACTION_REUSED")
        order = session.get(PaymentOrderRecord, earlier.order_id)
        return NontaxAnswer(transaction_id=earlier.transaction_id,
                            outcome="paid" if earlier.outcome == "paid" else "extra",
                            reference=order.reference if order else ""), None
    order = session.scalars(select(PaymentOrderRecord).where(
        PaymentOrderRecord.notice_code == payment.notice_code)).first()
    if order is None:
        raise Refused(404, "no order has this notice code", code="NOTICE_UNKNOWN")
    if payment.amount_fen != order.amount_fen:
        raise Refused(422, f"the notice is for {order.amount_fen} fen",
                      code="AMOUNT_MISMATCH")
    record = NontaxPaymentRecord(
        transaction_id=payment.transaction_id, request_sha256=body_sha256,
        notice_code=payment.notice_code, order_id=order.id, amount_fen=payment.amount_fen,
        paid_at=payment.paid_at, channel_name=payment.channel, received_at=now,
        outcome="paid")
    paid_now = order.state == "unpaid" and order.cancelled_at is None
    if paid_now:
        order.state, order.failure, order.channel = "paid", None, "nontax"
        order.transaction_id, order.paid_at, order.updated_at = \
            payment.transaction_id, payment.paid_at, now
        issue_receipt(session, order)
        orders.journal(session, order.id, "paid", f"nontax {payment.transaction_id} "
                       f"({payment.channel})", now)
        log.info("payment order %s paid by its notice code (%s)", order.id, payment.channel)
    else:
        record.outcome = "extra"
        alert = AlertRecord(
            terminal_id=order.terminal_id, kind=ALERT_KIND,
            detail=(f"缴费编号{order.reference}的缴款码已在{payment.channel}缴纳"
                    f"{payment.amount_fen / 100:.2f}元（交易号{payment.transaction_id}），"
                    f"而该订单状态为{order.state}：请经非税系统退付，避免重复收费")[:500],
            raised_at=now)
        session.add(alert)
        session.flush()
        record.alert_id = alert.id
        orders.journal(session, order.id, "nontax extra",
                       f"{payment.transaction_id} while the order is {order.state}", now)
        log.warning("payment order %s: a notice payment %s while %s: left to staff",
                    order.id, payment.transaction_id, order.state)
    session.add(record)
    session.flush()
    return NontaxAnswer(transaction_id=payment.transaction_id,
                        outcome="paid" if paid_now else "extra",
                        reference=order.reference), order.id if paid_now else None
