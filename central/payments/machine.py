"""The payment state machines, run by the platform (never the terminal): what a terminal's
request starts, what the resolver (`central.payments.resolver`) and the providers'
notifications move on, and the rules that keep a person from paying twice or losing money.

被扫 (a pay code the terminal's scanner read), one attempt:

    paying ──paid──────────────────────────────────────────────▶ paid
      │ ├──a definite no (NOT_ENOUGH, CODE_INVALID, DECLINED…)──▶ failed
      │ └──undecided (USERPAYING, SYSTEMERROR, no answer): query every `query_interval_s`
      ▼ still undecided at the deadline (`pay_deadline_s` from the pay call), or the person gave up
    reversing ──reverse (WeChat Pay: not before `wechat_reverse_after_s` after the charge;
      │          sent again while the provider says "retry", at most `max_tries`)──▶ unresolved
      ▼ the provider says it reversed
    confirming ──query: closed, reversed, unknown──▶ closed (order: closed, TIMED_OUT)
                 query: still open (the reverse did nothing)──▶ reversing again
                 query: paid (the reverse did nothing, and the money was taken)──▶ the money rule

主扫 (a QR code the terminal shows): creating ──precreate──▶ open ──paid (a notification or a
query)──▶ paid; open ──expired, replaced or the person gave up──▶ closing ──close──▶ closed (a
close the provider could not confirm, as Alipay's of a code nobody scanned, is watched a while
longer: money paid for it is refunded).

**The money rule**: money that arrives for an attempt (a pay answer, a query, a notification,
the query that confirms a reverse) pays the order if the order is still waiting for it
(unpaid, paying or unresolved: the person has been told nothing final) and nothing paid it
before; any other money, a second attempt's or any that arrives after the person was told the
order is closed, is refunded at once, automatically, and journaled. So a reverse that claims
success but did nothing is caught by its confirming query: at the deadline the terminal is
still being told `paying`, so the money pays the order (the person paid and is still there;
refunding would only have them pay again); after a cancel the terminal was told `closed`, so
the money is given back.

Every transition is committed before the provider is asked (the intent) and after it answered
(the outcome), so a platform killed in between loses nothing: the resolver finds the attempt
`paying` (or `reversing`, a refund `pending`) and asks the provider again. The pay code itself
is kept in memory only, for sending the same charge again after a system error; it is never
written down (a restarted platform queries, and reverses what is still open). Calls to the
providers are made outside any transaction and without the database's write lock, one order at
a time (an in-process lock per order).
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from pydantic import ValidationError
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, sessionmaker

from central.contract.payments import (
    PaymentChannel,
    PaymentFailure,
    PaymentOrder,
    PaymentOrderRequest,
    PaymentQr,
)
from central.db import (
    PaymentAttemptRecord,
    PaymentOrderRecord,
    PaymentRefundRecord,
    PaymentRequestRecord,
    TerminalRecord,
)
from central.errors import Refused
from central.payments import nontax, numbers, orders
from central.payments.changes import Changes
from central.payments.nontax import NontaxAnswer, NontaxPayment
from central.payments.provider import (
    Charge,
    ChargeOutcome,
    Closed,
    CloseRefused,
    Ended,
    Failed,
    NotFound,
    Paid,
    PaymentProvider,
    Pending,
    QrCreated,
    QueryOutcome,
    RefundDone,
    Reversed,
)
from central.payments.provider import (
    Refused as ProviderRefused,
)
from central.payments.settings import PaymentSettings

log = logging.getLogger(__name__)

OPEN_STATES = ("paying", "reversing", "confirming", "creating", "open", "closing")
WAITING = ("unpaid", "paying", "unresolved")  # an order the person has been told nothing final
Ending = Literal["timeout", "cancel", "replaced", "expired"]
STEPS_PER_PASS = 4  # deadline → reverse → confirm in one pass of the resolver


@dataclass(frozen=True)
class _Attempt:
    """An attempt's values, read under its order's lock, for asking the provider."""

    id: int
    order_id: str
    channel: PaymentChannel
    mode: str
    out_trade_no: str
    state: str
    created_at: datetime
    deadline_at: datetime
    next_check_at: datetime | None
    watch_until: datetime | None
    reverse_tries: int
    charge: Charge


class PaymentMachine:
    """The platform's payments: the terminals' requests, the steps the resolver takes, the
    providers' notifications. One per platform (`PlatformState.payments`)."""

    def __init__(self, settings: PaymentSettings, *, sessions: sessionmaker[Session],
                 write_lock: AbstractContextManager[object], clock: Callable[[], datetime],
                 providers: Mapping[PaymentChannel, PaymentProvider] | None = None,
                 issue_receipt: Callable[[Session, PaymentOrderRecord], None] | None = None
                 ) -> None:
        self.settings = settings
        # the 财政电子票据 of an order just paid (`central.payments.einvoice`), in its commit
        self.issue_receipt = issue_receipt or (lambda _session, _order: None)
        self.providers = dict(providers if providers is not None else settings.providers())
        self.sessions = sessions
        self._write_lock = write_lock
        self.clock = clock
        self.changes = Changes()
        self.wake: Callable[[], None] = lambda: None  # the resolver's, once it runs
        self._guard = threading.Lock()
        self._locks: weakref.WeakValueDictionary[str, threading.RLock] = (
            weakref.WeakValueDictionary())
        self._codes: dict[int, str] = {}  # attempt id → pay code, while it may be sent again

    # --- plumbing -----------------------------------------------------------------------------

    @contextmanager
    def _writing(self, session: Session) -> Iterator[Session]:
        """As `PlatformState.writing`: in turn with the platform's other writes."""
        with self._write_lock:
            try:
                yield session
            except BaseException:
                session.rollback()
                raise
            session.commit()

    @contextmanager
    def _order_lock(self, order_id: str) -> Iterator[None]:
        with self._guard:
            lock = self._locks.get(order_id)
            if lock is None:
                lock = self._locks[order_id] = threading.RLock()
        with lock:
            yield

    @contextmanager
    def _apply(self, attempt_id: int
               ) -> Iterator[tuple[Session, PaymentOrderRecord, PaymentAttemptRecord]]:
        """The attempt and its order, to change and commit (under the order's lock)."""
        with self.sessions() as session, self._writing(session):
            attempt = session.get(PaymentAttemptRecord, attempt_id)
            assert attempt is not None
            order = session.get(PaymentOrderRecord, attempt.order_id)
            assert order is not None
            yield session, order, attempt

    def _read(self, attempt_id: int) -> _Attempt | None:
        with self.sessions() as session:
            attempt = session.get(PaymentAttemptRecord, attempt_id)
            if attempt is None:
                return None
            order = session.get(PaymentOrderRecord, attempt.order_id)
            assert order is not None
            terminal = session.get(TerminalRecord, order.terminal_id)
            hall = terminal.hall if terminal is not None else ""
            return _Attempt(attempt.id, attempt.order_id, attempt.channel, attempt.mode,
                            attempt.out_trade_no, attempt.state, attempt.created_at,
                            attempt.deadline_at, attempt.next_check_at, attempt.watch_until,
                            attempt.reverse_tries,
                            Charge(attempt.out_trade_no, order.amount_fen, order.item,
                                   order.terminal_id, hall[:32]))

    def _provider(self, channel: PaymentChannel) -> PaymentProvider:
        provider = self.providers.get(channel)
        if provider is None:
            raise RuntimeError(f"an attempt of {channel}, which is not configured")
        return provider

    def _view(self, order_id: str) -> PaymentOrder:
        with self.sessions() as session:
            order = session.get(PaymentOrderRecord, order_id)
            assert order is not None
            return orders.view(order)

    def _changed(self, order_id: str) -> None:
        self.changes.changed(order_id)

    # --- what terminals ask -------------------------------------------------------------------

    def create_order(self, session: Session, *, terminal_id: str, idempotency_key: str,
                     request: PaymentOrderRequest) -> tuple[PaymentOrder, bool]:
        now = self.clock()
        holder = orders.holder_key(session, request.verification_id, terminal_id, now)
        with self._writing(session):
            order, created = orders.create(
                session, terminal_id=terminal_id, idempotency_key=idempotency_key,
                request=request, holder_key_of=holder, region=self.settings.notice_region,
                now=now)
            return orders.view(order), created

    def order(self, order_id: str, terminal_id: str) -> PaymentOrder:
        with self.sessions() as session:
            return orders.view(orders.of_terminal(session, order_id, terminal_id))

    def pay_code(self, order_id: str, terminal_id: str, idempotency_key: str,
                 auth_code: str) -> PaymentOrder:
        """被扫: charge the pay code; the order as it then stands (`paying` while undecided)."""
        request_digest = orders.digest("pay-code", order_id, auth_code)
        with self._order_lock(order_id):
            with self.sessions() as session:
                order = orders.of_terminal(session, order_id, terminal_id)
                found, _ = self._earlier(session, terminal_id, idempotency_key, "pay-code",
                                         request_digest, order_id)
                if found:
                    return orders.view(order)  # a repeat: as it stands, never charged again
                _refuse_unless_payable(order)
                qr = self._open_attempt(session, order_id, "qr")
            if qr is not None:  # closed first, so the person cannot pay both
                self._end_qr(qr, "replaced")
            now = self.clock()
            channel = numbers.channel_of(auth_code)
            with self.sessions() as session, self._writing(session):
                order = orders.of_terminal(session, order_id, terminal_id)
                request = PaymentRequestRecord(
                    terminal_id=terminal_id, idempotency_key=idempotency_key, kind="pay-code",
                    request_sha256=request_digest, order_id=order_id, created_at=now)
                if qr is not None and order.state == "paid":
                    session.add(request)  # the QR code was paid just before: not charged
                    return orders.view(order)
                _refuse_unless_payable(order)
                session.add(request)
                if channel is None or channel not in self.providers:
                    failure: PaymentFailure = "CODE_INVALID" if channel is None \
                        else "PROVIDER_ERROR"
                    order.failure, order.updated_at = failure, now
                    orders.journal(session, order_id, "not charged",
                                   f"{failure}: a pay code of "
                                   f"{channel or 'no provider'} taken here", now)
                    return orders.view(order)
                attempt = self._new_attempt(session, order, channel, "code", now,
                                            now + timedelta(seconds=self.settings.pay_deadline_s))
                request.attempt_id = attempt.id
                order.state, order.failure, order.channel = "paying", None, channel
                attempt_id = attempt.id
            self._codes[attempt_id] = auth_code
            self._changed(order_id)
            snapshot = self._read(attempt_id)
            assert snapshot is not None
            outcome = self._provider(channel).pay_with_code(
                snapshot.charge, auth_code, self.settings.notify_url(channel))
            with self._apply(attempt_id) as (session, order, attempt):
                self._charged(session, order, attempt, outcome, self.clock())
                answer = orders.view(order)
        self._changed(order_id)
        return answer

    def qr(self, order_id: str, terminal_id: str, idempotency_key: str,
           channel: PaymentChannel) -> PaymentQr:
        """主扫: the QR code to show for `channel` (the one on screen, or a new one)."""
        request_digest = orders.digest("qr", order_id, channel)
        with self._order_lock(order_id):
            with self.sessions() as session:
                orders.of_terminal(session, order_id, terminal_id)
                found, earlier = self._earlier(session, terminal_id, idempotency_key, "qr",
                                               request_digest, order_id)
                shown = self._open_attempt(session, order_id, "qr")
            if found:  # a repeat: the same QR code, whatever became of it
                if earlier is None:
                    raise Refused(503, "that request made no QR code", code="PROVIDER_ERROR")
                return self._qr_answer(earlier)
            if channel not in self.providers:
                raise Refused(503, f"{channel} is not taken here", code="CHANNEL_UNAVAILABLE")
            if shown is not None and (shown.channel != channel
                                      or shown.deadline_at <= self.clock()):
                self._end_qr(shown, "replaced")
                shown = None
            attempt_id = self._open_qr(order_id, terminal_id, idempotency_key, request_digest,
                                       channel, shown)
            return self._qr_answer(attempt_id)

    def cancel(self, order_id: str, terminal_id: str) -> PaymentOrder:
        """The person gave up: an open QR code is closed, an undecided charge reversed in due
        time; the order is closed, unless it was paid just before (then it says so)."""
        with self._order_lock(order_id):
            with self.sessions() as session:
                order = orders.of_terminal(session, order_id, terminal_id)
                if order.state not in ("unpaid", "paying"):
                    return orders.view(order)
                opened = [self._snapshot_of(session, a) for a in self._open_attempts(
                    session, order_id)]
            for attempt in opened:  # asked first: paid just before the person gave up?
                if attempt.mode == "qr":
                    self._end_qr(attempt, "cancel")
                elif attempt.state == "paying":
                    self._observe_charge(attempt)
            now = self.clock()
            with self.sessions() as session, self._writing(session):
                order = orders.of_terminal(session, order_id, terminal_id)
                if order.state in ("unpaid", "paying"):
                    order.state, order.failure = "closed", None
                    order.cancelled_at = order.updated_at = now
                    orders.journal(session, order_id, "cancelled", "the person gave up", now)
                    for attempt in self._open_attempts(session, order_id):
                        if attempt.state == "paying":
                            self._to_reverse(session, attempt, "cancel", now)
                answer = orders.view(order)
        self._changed(order_id)
        self.wake()
        return answer

    def _earlier(self, session: Session, terminal_id: str, idempotency_key: str, kind: str,
                 request_digest: str, order_id: str) -> tuple[bool, int | None]:
        """Whether a request came before with this key, and the attempt it made (None: none);
        409 when it had another body."""
        earlier = session.get(PaymentRequestRecord, (terminal_id, idempotency_key))
        if earlier is None:
            return False, None
        if earlier.kind != kind or earlier.order_id != order_id \
                or earlier.request_sha256 != request_digest:
            raise Refused(409, "this Idempotency-Key came before with a different request",
                          code="IDEMPOTENCY_KEY_REUSED")
        return True, earlier.attempt_id

    def _open_attempts(self, session: Session, order_id: str) -> list[PaymentAttemptRecord]:
        return list(session.scalars(select(PaymentAttemptRecord).where(
            PaymentAttemptRecord.order_id == order_id,
            PaymentAttemptRecord.state.in_(OPEN_STATES)).order_by(PaymentAttemptRecord.id)))

    def _open_attempt(self, session: Session, order_id: str, mode: str) -> _Attempt | None:
        """The order's attempt of `mode` still being made or shown (a QR code)."""
        for attempt in self._open_attempts(session, order_id):
            if attempt.mode == mode and attempt.state in ("creating", "open"):
                return self._snapshot_of(session, attempt)
        return None

    def _snapshot_of(self, session: Session, attempt: PaymentAttemptRecord) -> _Attempt:
        snapshot = self._read(attempt.id)
        assert snapshot is not None
        return snapshot

    def _new_attempt(self, session: Session, order: PaymentOrderRecord,
                     channel: PaymentChannel, mode: Literal["code", "qr"], now: datetime,
                     deadline: datetime) -> PaymentAttemptRecord:
        count = len(session.scalars(select(PaymentAttemptRecord.id).where(
            PaymentAttemptRecord.order_id == order.id)).all())
        attempt = PaymentAttemptRecord(
            order_id=order.id, channel=channel, mode=mode,
            out_trade_no=numbers.out_trade_no(order.id, count + 1),
            state="paying" if mode == "code" else "creating", created_at=now,
            deadline_at=deadline,
            next_check_at=now + timedelta(seconds=self.settings.query_interval_s),
            checks=0, reverse_tries=0, note="", updated_at=now)
        session.add(attempt)
        session.flush()
        order.updated_at = now
        orders.journal(session, order.id, f"{mode} {attempt.state}",
                       f"{attempt.out_trade_no} at {channel}", now, attempt.id)
        return attempt

    # --- 主扫: making the QR code --------------------------------------------------------------

    def _open_qr(self, order_id: str, terminal_id: str, idempotency_key: str,
                 request_digest: str, channel: PaymentChannel, shown: _Attempt | None) -> int:
        now = self.clock()
        with self.sessions() as session, self._writing(session):
            order = orders.of_terminal(session, order_id, terminal_id)
            _refuse_unless_payable(order)
            request = PaymentRequestRecord(
                terminal_id=terminal_id, idempotency_key=idempotency_key, kind="qr",
                request_sha256=request_digest, order_id=order_id, created_at=now)
            session.add(request)
            if shown is not None:  # the one on screen already, for the same channel
                request.attempt_id = shown.id
                return shown.id
            expires = now + timedelta(seconds=self.settings.qr_lifetime_s)
            attempt = self._new_attempt(session, order, channel, "qr", now, expires)
            order.failure, order.channel = None, channel
            request.attempt_id = attempt_id = attempt.id
        self._precreate(attempt_id, tries=self.settings.precreate_tries)
        return attempt_id

    def _precreate(self, attempt_id: int, tries: int) -> None:
        snapshot = self._read(attempt_id)
        if snapshot is None or snapshot.state != "creating":
            return
        provider = self._provider(snapshot.channel)
        outcome = Pending("not asked")
        for _ in range(max(1, tries)):  # a lost answer: the same trade, asked again
            outcome = provider.precreate(
                snapshot.charge, snapshot.deadline_at,
                (snapshot.deadline_at - snapshot.created_at).total_seconds(),
                self.settings.notify_url(snapshot.channel))
            if not isinstance(outcome, Pending):
                break
        now = self.clock()
        with self._apply(attempt_id) as (session, order, attempt):
            attempt.note, attempt.updated_at = _note(outcome), now
            if isinstance(outcome, QrCreated):
                attempt.state, attempt.qr_content = "open", outcome.qr_content
                attempt.next_check_at = now + timedelta(seconds=self.settings.query_interval_s)
                orders.journal(session, order.id, "qr shown", attempt.out_trade_no, now,
                               attempt.id)
            elif isinstance(outcome, Failed):
                attempt.state, attempt.failure, attempt.next_check_at = "failed", \
                    outcome.failure, None
                if order.state == "unpaid":
                    order.failure, order.updated_at = outcome.failure, now
                orders.journal(session, order.id, "qr failed", outcome.note, now, attempt.id)
            else:  # still not known: asked again by the resolver until it expires
                attempt.next_check_at = now + timedelta(seconds=self.settings.retry_s)

    def _qr_answer(self, attempt_id: int) -> PaymentQr:
        with self.sessions() as session:
            attempt = session.get(PaymentAttemptRecord, attempt_id)
            assert attempt is not None
            state, qr_content = attempt.state, attempt.qr_content
        if state == "creating" and qr_content is None:
            self._precreate(attempt_id, tries=1)  # a repeat of the request: try again
        with self.sessions() as session:
            attempt = session.get(PaymentAttemptRecord, attempt_id)
            order = session.get(PaymentOrderRecord, attempt.order_id) if attempt else None
            assert attempt is not None and order is not None
            if attempt.qr_content is None:
                if attempt.state == "failed":
                    raise Refused(503, "the provider made no QR code", code="PROVIDER_ERROR")
                raise Refused(503, "the provider has not answered: send the same request "
                                   "again", code="PROVIDER_UNAVAILABLE",
                              headers={"Retry-After": "3"})
            return PaymentQr(order=orders.view(order), qr_content=attempt.qr_content,
                             expires_at=attempt.deadline_at)

    # --- the steps ----------------------------------------------------------------------------

    def step(self, attempt_id: int) -> None:
        """Move the attempt on as far as it goes now (a few transitions at most)."""
        snapshot = self._read(attempt_id)
        if snapshot is None:
            return
        order_id = snapshot.order_id
        with self._order_lock(order_id):
            for _ in range(STEPS_PER_PASS):
                snapshot = self._read(attempt_id)
                if snapshot is None or not self._due(snapshot):
                    break
                self._step_once(snapshot)
        self._changed(order_id)

    def _due(self, attempt: _Attempt) -> bool:
        now = self.clock()
        if attempt.state == "closed":
            return attempt.watch_until is not None and attempt.next_check_at is not None \
                and attempt.next_check_at <= now
        return attempt.state in OPEN_STATES and (
            attempt.next_check_at is None or attempt.next_check_at <= now)

    def _step_once(self, attempt: _Attempt) -> None:
        if attempt.state == "paying":
            self._step_paying(attempt)
        elif attempt.state == "reversing":
            self._step_reversing(attempt)
        elif attempt.state == "confirming":
            self._step_confirming(attempt)
        elif attempt.state == "creating":
            self._step_creating(attempt)
        elif attempt.state == "open":
            self._step_open(attempt)
        elif attempt.state == "closing":
            self._step_closing(attempt)
        elif attempt.state == "closed":
            self._step_watching(attempt)

    def _step_paying(self, attempt: _Attempt) -> None:
        provider = self._provider(attempt.channel)
        outcome: QueryOutcome | ChargeOutcome = provider.query(attempt.out_trade_no)
        code = self._codes.get(attempt.id)
        if isinstance(outcome, NotFound) and code is not None \
                and self.clock() < attempt.deadline_at:
            # the charge never reached the provider (a system error, a lost request): the
            # same charge again, as the providers say ("请用相同参数再次调用")
            outcome = provider.pay_with_code(attempt.charge, code,
                                             self.settings.notify_url(attempt.channel))
        now = self.clock()
        with self._apply(attempt.id) as (session, order, record):
            if record.state != "paying":
                return
            record.checks += 1
            if isinstance(outcome, Ended):
                outcome = Failed(outcome.failure, outcome.note)
            if isinstance(outcome, NotFound):
                outcome = Pending(outcome.note)
            self._charged(session, order, record, outcome, now)

    def _charged(self, session: Session, order: PaymentOrderRecord,
                 attempt: PaymentAttemptRecord, outcome: ChargeOutcome, now: datetime) -> None:
        """A pay-code attempt's answer (to the pay call or a query), applied."""
        attempt.note, attempt.updated_at = _note(outcome), now
        if isinstance(outcome, Paid):
            self._money(session, order, attempt, outcome, now)
        elif isinstance(outcome, Failed):
            attempt.state, attempt.failure, attempt.next_check_at = "failed", \
                outcome.failure, None
            orders.journal(session, order.id, "failed", f"{outcome.failure}: {outcome.note}",
                           now, attempt.id)
            if order.state == "paying":
                order.state, order.failure, order.updated_at = "unpaid", outcome.failure, now
        elif now >= attempt.deadline_at:
            self._to_reverse(session, attempt, "timeout", now)
        else:
            attempt.next_check_at = min(
                now + timedelta(seconds=self.settings.query_interval_s), attempt.deadline_at)
        if attempt.state != "paying":
            self._codes.pop(attempt.id, None)

    def _to_reverse(self, session: Session, attempt: PaymentAttemptRecord, ending: Ending,
                    now: datetime) -> None:
        earliest = now
        if attempt.channel == "wechat":
            earliest = max(now, attempt.created_at + timedelta(
                seconds=self.settings.wechat_reverse_after_s))
        attempt.state, attempt.ending = "reversing", ending
        attempt.next_check_at, attempt.updated_at = earliest, now
        self._codes.pop(attempt.id, None)
        orders.journal(session, attempt.order_id, "reversing", ending, now, attempt.id)

    def _step_reversing(self, attempt: _Attempt) -> None:
        with self._apply(attempt.id) as (_session, _order, record):  # the intent, first
            record.reverse_tries += 1
            record.next_check_at = self.clock() + timedelta(seconds=self.settings.retry_s)
        outcome = self._provider(attempt.channel).reverse(attempt.out_trade_no)
        now = self.clock()
        with self._apply(attempt.id) as (session, order, record):
            if record.state != "reversing":
                return
            record.note, record.updated_at = _note(outcome), now
            if isinstance(outcome, Reversed | NotFound):
                record.state, record.next_check_at = "confirming", now
                orders.journal(session, order.id, "reversed", _note(outcome), now, record.id)
            elif record.reverse_tries >= self.settings.max_tries:
                self._unresolved(session, order, record, f"reverse: {_note(outcome)}", now)
            else:  # Retry, or a refusal that may pass
                record.next_check_at = now + timedelta(seconds=self.settings.retry_s)

    def _step_confirming(self, attempt: _Attempt) -> None:
        outcome = self._provider(attempt.channel).query(attempt.out_trade_no)
        now = self.clock()
        with self._apply(attempt.id) as (session, order, record):
            if record.state != "confirming":
                return
            record.checks += 1
            record.note, record.updated_at = _note(outcome), now
            if isinstance(outcome, Paid):  # the reverse did nothing, and the money was taken
                orders.journal(session, order.id, "reverse undone",
                               "the query after the reverse found it paid", now, record.id)
                self._money(session, order, record, outcome, now)
            elif isinstance(outcome, Ended | NotFound):
                record.state, record.next_check_at = "closed", None
                orders.journal(session, order.id, "closed", "reversed, not charged", now,
                               record.id)
                if order.state == "paying":
                    order.state, order.failure, order.updated_at = "closed", "TIMED_OUT", now
            elif record.reverse_tries >= self.settings.max_tries:
                self._unresolved(session, order, record, "still open after the reverses", now)
            else:  # still open after the provider said it reversed: reverse again
                record.state = "reversing"
                record.next_check_at = now + timedelta(seconds=self.settings.retry_s)
                orders.journal(session, order.id, "reverse again", _note(outcome), now,
                               record.id)

    def _unresolved(self, session: Session, order: PaymentOrderRecord,
                    attempt: PaymentAttemptRecord, why: str, now: datetime) -> None:
        attempt.state, attempt.next_check_at = "unresolved", None
        orders.journal(session, order.id, "unresolved", why, now, attempt.id)
        log.warning("payment %s (%s) unresolved: %s; staff reconcile it", order.id,
                    attempt.out_trade_no, why)
        if order.state not in ("paid", "refunded"):
            order.state, order.updated_at = "unresolved", now

    def _observe_charge(self, attempt: _Attempt) -> None:
        """One query of an undecided pay-code charge (the person is giving up)."""
        outcome = self._provider(attempt.channel).query(attempt.out_trade_no)
        now = self.clock()
        with self._apply(attempt.id) as (session, order, record):
            if record.state != "paying":
                return
            if isinstance(outcome, Paid):
                self._money(session, order, record, outcome, now)
            elif isinstance(outcome, Ended):
                self._charged(session, order, record, Failed(outcome.failure, outcome.note),
                              now)

    # --- 主扫 steps ---------------------------------------------------------------------------

    def _step_creating(self, attempt: _Attempt) -> None:
        if self.clock() >= attempt.deadline_at:
            with self._apply(attempt.id) as (session, _order, record):
                self._to_close(session, record, "expired", self.clock())
            return
        self._precreate(attempt.id, tries=1)

    def _step_open(self, attempt: _Attempt) -> None:
        outcome = self._provider(attempt.channel).query(attempt.out_trade_no)
        now = self.clock()
        with self._apply(attempt.id) as (session, order, record):
            if record.state != "open":
                return
            record.checks += 1
            record.note, record.updated_at = _note(outcome), now
            if isinstance(outcome, Paid):
                self._money(session, order, record, outcome, now)
            elif isinstance(outcome, Ended):
                record.state, record.next_check_at = "closed", None
                orders.journal(session, order.id, "closed", outcome.note, now, record.id)
                self._qr_ended(order, record, now)
            elif now >= record.deadline_at:
                self._to_close(session, record, "expired", now)
            else:
                record.next_check_at = min(
                    now + timedelta(seconds=self.settings.query_interval_s), record.deadline_at)

    def _to_close(self, session: Session, attempt: PaymentAttemptRecord, ending: Ending,
                  now: datetime) -> None:
        attempt.state, attempt.ending = "closing", ending
        attempt.next_check_at, attempt.updated_at = now, now
        orders.journal(session, attempt.order_id, "closing", ending, now, attempt.id)

    def _end_qr(self, attempt: _Attempt, ending: Ending) -> None:
        """Close a QR attempt now (it was replaced, or the person gave up)."""
        with self._apply(attempt.id) as (session, _order, record):
            if record.state not in ("creating", "open"):
                return
            self._to_close(session, record, ending, self.clock())
        snapshot = self._read(attempt.id)
        if snapshot is not None:
            self._step_closing(snapshot)

    def _step_closing(self, attempt: _Attempt) -> None:
        provider = self._provider(attempt.channel)
        outcome = provider.close(attempt.out_trade_no)
        query: QueryOutcome | None = None
        if isinstance(outcome, CloseRefused):  # paid, or ended otherwise: the query tells
            query = provider.query(attempt.out_trade_no)
        now = self.clock()
        with self._apply(attempt.id) as (session, order, record):
            if record.state != "closing":
                return
            record.note, record.updated_at = _note(query or outcome), now
            record.reverse_tries += 1
            if isinstance(query, Paid):
                self._money(session, order, record, query, now)
                return
            ended = isinstance(outcome, Closed) or isinstance(query, Ended)
            # not known to be closed (Alipay knows a code nobody scanned only once it is
            # scanned), or the provider would not say: asked about a while longer
            watch = not ended and (isinstance(outcome, NotFound)
                                   or record.reverse_tries >= self.settings.max_tries)
            if ended or watch:
                record.state, record.next_check_at = "closed", None
                if watch:
                    record.watch_until = now + timedelta(seconds=self.settings.watch_s)
                    record.next_check_at = now + timedelta(
                        seconds=self.settings.watch_interval_s)
                orders.journal(session, order.id, "closed", _note(query or outcome), now,
                               record.id)
                self._qr_ended(order, record, now)
            else:
                record.next_check_at = now + timedelta(seconds=self.settings.retry_s)

    @staticmethod
    def _qr_ended(order: PaymentOrderRecord, attempt: PaymentAttemptRecord,
                  now: datetime) -> None:
        if attempt.ending == "expired" and order.state == "unpaid":
            order.state, order.failure, order.updated_at = "closed", "TIMED_OUT", now

    def _step_watching(self, attempt: _Attempt) -> None:
        outcome = self._provider(attempt.channel).query(attempt.out_trade_no)
        now = self.clock()
        with self._apply(attempt.id) as (session, order, record):
            if record.state != "closed":
                return
            record.checks += 1
            if isinstance(outcome, Paid):
                self._money(session, order, record, outcome, now)
                return
            following = now + timedelta(seconds=self.settings.watch_interval_s)
            if isinstance(outcome, Ended) or record.watch_until is None \
                    or following >= record.watch_until:
                record.watch_until = record.next_check_at = None
            else:
                record.next_check_at = following

    # --- the money rule -----------------------------------------------------------------------

    def _money(self, session: Session, order: PaymentOrderRecord,
               attempt: PaymentAttemptRecord, paid: Paid, now: datetime) -> None:
        """Money arrived for `attempt`: it pays the order if the order is still waiting for
        it; any other money is refunded (see the module's docstring)."""
        attempt.transaction_id, attempt.paid_at = paid.transaction_id, paid.paid_at or now
        attempt.watch_until, attempt.updated_at = None, now
        self._codes.pop(attempt.id, None)
        if order.state in WAITING and order.paid_attempt_id is None \
                and order.cancelled_at is None:
            attempt.state, attempt.next_check_at = "paid", None
            order.state, order.failure, order.channel = "paid", None, attempt.channel
            order.transaction_id, order.paid_at = paid.transaction_id, attempt.paid_at
            order.paid_attempt_id, order.updated_at = attempt.id, now
            self.issue_receipt(session, order)
            orders.journal(session, order.id, "paid", f"{attempt.out_trade_no} "
                           f"{paid.transaction_id}", now, attempt.id)
            log.info("payment order %s paid (%s)", order.id, attempt.channel)
            return
        orders.journal(session, order.id, "extra money",
                       f"{attempt.out_trade_no} {paid.transaction_id} while the order is "
                       f"{order.state}", now, attempt.id)
        log.warning("payment order %s: money for %s while %s: refunded", order.id,
                    attempt.out_trade_no, order.state)
        orders.add_refund(session, order, attempt, "extra", now)
        self.wake()

    # --- refunds ------------------------------------------------------------------------------

    def step_refund(self, refund_id: int) -> None:
        with self.sessions() as session:
            refund = session.get(PaymentRefundRecord, refund_id)
            if refund is None:
                return
            order_id = refund.order_id
        with self._order_lock(order_id):
            now = self.clock()
            with self.sessions() as session, self._writing(session):
                refund = session.get(PaymentRefundRecord, refund_id)
                attempt = session.get(PaymentAttemptRecord, refund.attempt_id) if refund else None
                if refund is None or attempt is None or refund.state != "pending" \
                        or (refund.next_check_at is not None and refund.next_check_at > now):
                    return
                refund.tries += 1  # the intent, first: a crash asks again, the same refund
                refund.next_check_at = now + timedelta(seconds=self.settings.refund_retry_s)
                channel, out_trade_no = attempt.channel, attempt.out_trade_no
                out_refund_no, amount, reason = refund.out_refund_no, refund.amount_fen, \
                    refund.reason
            outcome = self._provider(channel).refund(
                out_trade_no, out_refund_no, amount, amount,
                orders.REFUND_REASONS.get(reason, "退款"))
            now = self.clock()
            with self.sessions() as session, self._writing(session):
                refund = session.get(PaymentRefundRecord, refund_id)
                assert refund is not None
                attempt = session.get(PaymentAttemptRecord, refund.attempt_id)
                order = session.get(PaymentOrderRecord, refund.order_id)
                assert attempt is not None and order is not None
                refund.note = _note(outcome)
                if isinstance(outcome, RefundDone):
                    refund.state, refund.refund_id = "done", outcome.refund_id
                    refund.done_at, refund.next_check_at = now, None
                    attempt.state, attempt.updated_at = "refunded", now
                    if order.paid_attempt_id == attempt.id:
                        order.state, order.refunded_at, order.updated_at = "refunded", now, now
                    orders.journal(session, order.id, "refunded",
                                   f"{refund.reason}: {refund.amount_fen} fen of "
                                   f"{attempt.out_trade_no}", now, attempt.id)
                elif isinstance(outcome, ProviderRefused) \
                        or refund.tries >= self.settings.max_refund_tries:
                    refund.state, refund.next_check_at = "unresolved", None
                    orders.journal(session, order.id, "refund unresolved", refund.note, now,
                                   attempt.id)
                    log.warning("refund %s unresolved: %s; staff reconcile it",
                                refund.out_refund_no, refund.note)
        self._changed(order_id)

    def refund_unclaimed(self) -> int:
        """Paid orders no application named in time are refunded; how many were asked."""
        now = self.clock()
        before = now - timedelta(seconds=self.settings.unclaimed_refund_after_s)
        with self.sessions() as session:
            found = list(session.scalars(select(PaymentOrderRecord.id).where(
                PaymentOrderRecord.state == "paid",
                PaymentOrderRecord.application_number.is_(None),
                PaymentOrderRecord.refund_requested_at.is_(None),
                PaymentOrderRecord.paid_attempt_id.is_not(None),  # paid here, not elsewhere
                PaymentOrderRecord.paid_at <= before,
                # and by the platform's own clock: `paid_at` is the provider's time, and a
                # provider whose clock is off must not make a fresh payment look a day old
                PaymentOrderRecord.updated_at <= before)))
        asked = 0
        for order_id in found:
            with self._order_lock(order_id), self.sessions() as session, \
                    self._writing(session):
                order = session.get(PaymentOrderRecord, order_id)
                if order is not None and order.application_number is None \
                        and orders.request_refund(session, order, "unclaimed", now):
                    asked += 1
        return asked

    # --- the providers' notifications ---------------------------------------------------------

    def notified(self, channel: PaymentChannel, headers: Mapping[str, str],
                 body: bytes) -> bool:
        """A provider's notification: False when it does not verify (the provider sends it
        again); True once it is taken (the attempt is asked about, then moved on)."""
        provider = self.providers.get(channel)
        notice = provider.notification(headers, body) if provider is not None else None
        if notice is None:
            return False
        with self.sessions() as session:
            attempt = session.scalars(select(PaymentAttemptRecord).where(
                PaymentAttemptRecord.out_trade_no == notice.out_trade_no)).first()
            if attempt is None or attempt.channel != channel:
                log.warning("a %s notification about %s, which is not ours", channel,
                            notice.out_trade_no)
                return True
            attempt_id, state = attempt.id, attempt.state
            order = session.get(PaymentOrderRecord, attempt.order_id)
            if order is not None and notice.amount_fen not in (None, order.amount_fen):
                log.error("a %s notification about %s says %s fen, not %d", channel,
                          notice.out_trade_no, notice.amount_fen, order.amount_fen)
        if state in ("paid", "refunding", "refunded", "reversing", "confirming"):
            return True  # known, or the reverse and its query decide
        self.observe(attempt_id)
        return True

    def observe(self, attempt_id: int) -> None:
        """Ask the provider about an attempt now, whatever its state (a notification came)."""
        snapshot = self._read(attempt_id)
        if snapshot is None:
            return
        with self._order_lock(snapshot.order_id):
            snapshot = self._read(attempt_id)
            if snapshot is None:
                return
            if snapshot.state in ("paying", "open", "creating", "closing"):
                self._step_once(snapshot)
            elif snapshot.state in ("closed", "failed", "unresolved"):
                outcome = self._provider(snapshot.channel).query(snapshot.out_trade_no)
                if isinstance(outcome, Paid):
                    with self._apply(attempt_id) as (session, order, record):
                        if record.state == snapshot.state:
                            self._money(session, order, record, outcome, self.clock())
        self._changed(snapshot.order_id)

    # --- a notice code paid elsewhere (central.payments.nontax) --------------------------------

    def nontax_paid(self, body: bytes, signature: str | None) -> NontaxAnswer:
        """The 非税 collection system's word of a payment of a 缴款码 (see `nontax`)."""
        nontax.check_signature(self.settings.nontax_key, body, signature)
        try:
            payment = NontaxPayment.model_validate_json(body)
        except ValidationError as exc:
            raise Refused(422, f"not a payment notice: {exc.error_count()} problems",
                          code="NOT_A_PAYMENT") from None
        with self.sessions() as session, self._writing(session):
            answer, paid = nontax.receive(session, payment, orders.digest(body.hex()),
                                          self.clock(), self.issue_receipt)
        if paid is not None:
            self._changed(paid)
        return answer

    # --- the resolver's pass ------------------------------------------------------------------

    def run_due(self) -> int:
        """Every attempt and refund that is due, moved on; unclaimed orders refunded. How many
        were looked at (a test drives the machine with this and a clock it moves)."""
        now = self.clock()
        with self.sessions() as session:
            attempts = list(session.scalars(select(PaymentAttemptRecord.id).where(
                or_(PaymentAttemptRecord.state.in_(OPEN_STATES),
                    PaymentAttemptRecord.watch_until.is_not(None)),
                or_(PaymentAttemptRecord.next_check_at.is_(None),
                    PaymentAttemptRecord.next_check_at <= now)).order_by(
                PaymentAttemptRecord.id)))
        done = 0
        for attempt_id in attempts:
            try:
                self.step(attempt_id)
            except Exception:  # one attempt's trouble must not stop the others'
                log.exception("payment attempt %d: step failed", attempt_id)
            done += 1
        asked = self.refund_unclaimed()
        with self.sessions() as session:  # with those this pass asked for
            refunds = list(session.scalars(select(PaymentRefundRecord.id).where(
                PaymentRefundRecord.state == "pending",
                or_(PaymentRefundRecord.next_check_at.is_(None),
                    PaymentRefundRecord.next_check_at <= self.clock())).order_by(
                PaymentRefundRecord.id)))
        for refund_id in refunds:
            try:
                self.step_refund(refund_id)
            except Exception:
                log.exception("payment refund %d: step failed", refund_id)
            done += 1
        return done + asked


def _refuse_unless_payable(order: PaymentOrderRecord) -> None:
    """409 unless another attempt may charge the order now."""
    refusals = {
        "paying": ("PAYMENT_IN_PROGRESS", "a payment of this order is being decided: ask how "
                                          "it stands (GET) or cancel it"),
        "paid": ("ORDER_PAID", "the order is paid"),
        "refunded": ("ORDER_REFUNDED", "the order was paid and refunded"),
        "closed": ("ORDER_CLOSED", "the order is closed: make a new one"),
        "unresolved": ("ORDER_UNRESOLVED", "the order's payment is left to staff"),
    }
    refusal = refusals.get(order.state)
    if refusal is not None:
        raise Refused(409, refusal[1], code=refusal[0])


def _note(outcome: object) -> str:
    """A provider's answer, for the journal and the attempt's `note`."""
    name = type(outcome).__name__
    detail = getattr(outcome, "note", None) or getattr(outcome, "transaction_id", None) or ""
    return f"{name} {detail}".strip()[:200]
