"""Payment orders in the database, without the providers: making one for a terminal's verified
person (priced by `central.payments.fees`), what a terminal is told of it (`view`), the
journal, and what an application does with one (names it, has it refunded).

An order belongs to the terminal that asked for it, the service and the person (the keyed hash
of the ID number, from a verification of that terminal that is still valid, as for
certificates). It is made once per (terminal, Idempotency-Key): a repeat with the same body
gets the same order, with another body a 409.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from central.contract import Service
from central.contract.payments import PaymentOrder, PaymentOrderRequest
from central.db import (
    PaymentAttemptRecord,
    PaymentEventRecord,
    PaymentOrderRecord,
    PaymentRefundRecord,
    ServiceRecord,
)
from central.errors import Refused
from central.identity.verifications import current, find_verification
from central.payments import fees, numbers

log = logging.getLogger(__name__)

INSERT_ATTEMPTS = 5  # a random notice code or reference may collide
# why money went back, as the provider's refund note and the payer's bill say it
REFUND_REASONS = {
    "refused": "申请不予受理，费用原路退回",
    "unclaimed": "未办理相关业务，费用原路退回",
    "extra": "重复支付，多付款项自动退回",
}


def digest(*parts: str) -> str:
    """What a repeat with the same Idempotency-Key must match."""
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def journal(session: Session, order_id: str, what: str, detail: str, now: datetime,
            attempt_id: int | None = None) -> None:
    session.add(PaymentEventRecord(order_id=order_id, attempt_id=attempt_id, at=now,
                                   what=what[:32], detail=detail[:300]))


def create(session: Session, *, terminal_id: str, idempotency_key: str,
           request: PaymentOrderRequest, holder_key_of: str | None, region: str,
           now: datetime) -> tuple[PaymentOrderRecord, bool]:
    """The order (made, or the earlier one of this key) and whether it is new; the caller
    commits. `holder_key_of` is the verification's holder, None when it is not valid."""
    request_digest = digest(request.model_dump_json())
    earlier = session.scalars(select(PaymentOrderRecord).where(
        PaymentOrderRecord.terminal_id == terminal_id,
        PaymentOrderRecord.idempotency_key == idempotency_key)).first()
    if earlier is not None:
        if earlier.request_sha256 != request_digest:
            raise Refused(409, "this Idempotency-Key came before with a different body",
                          code="IDEMPOTENCY_KEY_REUSED")
        return earlier, False
    if holder_key_of is None:
        raise Refused(403, "the verification is unknown, expired or another terminal's: "
                           "verify the person again", code="VERIFICATION_INVALID")
    record = session.get(ServiceRecord, request.service_id)
    if record is None:
        raise Refused(422, f"no service {request.service_id} in the catalog",
                      code="SERVICE_UNKNOWN")
    try:
        price = fees.price(Service.model_validate(record.body), request.fee_option)
    except fees.NotPayable as exc:
        raise Refused(422, exc.message, code=exc.code) from None
    for _ in range(INSERT_ATTEMPTS):
        order = PaymentOrderRecord(
            id=numbers.new_order_id(), terminal_id=terminal_id, idempotency_key=idempotency_key,
            request_sha256=request_digest, service_id=request.service_id, item=price.item,
            fee_option=price.fee_option, local_number=request.local_number,
            holder_key=holder_key_of, amount_fen=price.amount_fen,
            notice_code=numbers.new_notice_code(region, now),
            reference=numbers.new_reference(now), state="unpaid", created_at=now,
            updated_at=now)
        try:
            with session.begin_nested():
                session.add(order)
                session.flush()
        except IntegrityError:
            continue  # a number was taken, or a twin request with the same key won
        journal(session, order.id, "created",
                f"{order.service_id} {order.amount_fen} fen, terminal {terminal_id}", now)
        log.info("payment order %s for %s: %d fen", order.id, order.service_id,
                 order.amount_fen)
        return order, True
    raise RuntimeError("could not record the payment order")


def holder_key(session: Session, verification_id: str, terminal_id: str,
               now: datetime) -> str | None:
    """The holder a verification of this terminal proves now; None when it proves none."""
    record = current(find_verification(session, verification_id, terminal_id), now)
    return record.holder_key if record is not None else None


def view(order: PaymentOrderRecord) -> PaymentOrder:
    """The order as a terminal is told it."""
    return PaymentOrder(
        order_id=order.id, service_id=order.service_id, item=order.item,
        amount_fen=order.amount_fen, state=order.state, notice_code=order.notice_code,
        reference=order.reference, channel=order.channel,
        transaction_masked=numbers.mask_transaction(order.transaction_id),
        paid_at=order.paid_at, e_receipt_number=order.e_receipt_number,
        e_receipt_url=order.e_receipt_url,
        failure=order.failure if order.state in ("unpaid", "closed") else None)


def of_terminal(session: Session, order_id: str, terminal_id: str) -> PaymentOrderRecord:
    """The terminal's own order; 404 for another terminal's, as for one that does not exist."""
    order = session.get(PaymentOrderRecord, order_id)
    if order is None or not hmac.compare_digest(order.terminal_id, terminal_id):
        raise Refused(404, "no such payment order")
    return order


# -- what an application does with its order (central.applications) -----------------------


class ClaimRefused(Exception):
    """The order an application names cannot pay for it (HTTP 422 with `code`)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def claim(session: Session, order_id: str, *, terminal_id: str, service_id: str,
          holder_key_of: str) -> PaymentOrderRecord:
    """The order an application names: this terminal's, for this service and person, named
    by no other application, and paid or still unpaid (the person chose to pay later by its
    缴款码: the order is linked all the same, and the application's receipt says so);
    `ClaimRefused` otherwise (being charged, closed, refunded, left to staff)."""
    order = session.get(PaymentOrderRecord, order_id)
    if order is None or order.terminal_id != terminal_id:
        raise ClaimRefused("PAYMENT_ORDER_UNKNOWN", "no such payment order from this terminal")
    if order.service_id != service_id:
        raise ClaimRefused("PAYMENT_ORDER_MISMATCH", "the payment order is for another service")
    if not hmac.compare_digest(order.holder_key, holder_key_of):
        raise ClaimRefused("PAYMENT_ORDER_MISMATCH", "the payment order is another person's")
    if order.application_number is not None:
        raise ClaimRefused("PAYMENT_ORDER_USED", "another application named this payment order")
    if order.state not in ("paid", "unpaid"):
        raise ClaimRefused("PAYMENT_ORDER_NOT_PAID",
                           f"the payment order is {order.state}, neither paid nor payable: "
                           "submit without it (the fee is then paid at a counter)")
    return order


def link(session: Session, order: PaymentOrderRecord, number: str, now: datetime) -> None:
    order.application_number = number
    order.updated_at = now
    journal(session, order.id, "claimed", f"application {number} ({order.state})", now)


def request_refund(session: Session, order: PaymentOrderRecord, reason: str,
                   now: datetime) -> bool:
    """Give a paid order's money back (the resolver asks the provider; the caller commits);
    False when it is not paid or its refund was asked for already."""
    if order.state != "paid" or order.paid_attempt_id is None \
            or order.refund_requested_at is not None:
        return False
    attempt = session.get(PaymentAttemptRecord, order.paid_attempt_id)
    if attempt is None:
        return False
    order.refund_requested_at, order.refund_reason, order.updated_at = now, reason, now
    add_refund(session, order, attempt, reason, now)
    return True


def add_refund(session: Session, order: PaymentOrderRecord, attempt: PaymentAttemptRecord,
               reason: str, now: datetime) -> None:
    """All of `attempt`'s money to go back (once: its out_refund_no is the attempt's)."""
    attempt.state, attempt.next_check_at, attempt.updated_at = "refunding", None, now
    session.add(PaymentRefundRecord(
        order_id=order.id, attempt_id=attempt.id,
        out_refund_no=numbers.out_refund_no(attempt.out_trade_no), amount_fen=order.amount_fen,
        reason=reason, state="pending", requested_at=now, next_check_at=now, tries=0,
        note=""))
    journal(session, order.id, "refund asked", f"{reason}: {order.amount_fen} fen of "
                                                f"{attempt.out_trade_no}", now, attempt.id)
    log.info("payment order %s: refund of %s asked (%s)", order.id, attempt.out_trade_no,
             reason)


def refund_for_application(session: Session, number: str, reason: str, now: datetime) -> bool:
    """The paid order of application `number` is refunded (不予受理)."""
    order = session.scalars(select(PaymentOrderRecord).where(
        PaymentOrderRecord.application_number == number)).first()
    return order is not None and request_refund(session, order, reason, now)
