"""Reconciliation (对账): each provider's daily statement matched against the platform's orders,
attempts and refunds; what does not match is recorded as a finding, once, and raised as a
console alert for the hall of the terminal that made the order, until an administrator
resolves it (the money given back, or marked settled, with a note).

A run for a day (China's day: both providers' statements are cut at 00:00 Beijing time) asks
each provider for its statement through the provider port (`PaymentProvider.statement`, the
SDKs' 申请交易账单 / 查询对账单下载地址; offered from 09:00-10:00 the next day), reads it
(`central.payments.bills`), keeps its lines (so a second run adds nothing, and a trade's lines
of several days add up), then matches, per trade (`out_trade_no`, one per attempt):

- **长款** (`long`, money kept at the provider, no paid order for it): the statement holds a
  payment for a trade whose money the platform never learned of (the attempt has no
  transaction id: a success that came with or after the reverse, a lost answer and a lost
  notification), or a trade that is not the platform's at all, and what was paid is not all
  given back by the lines kept so far (a reversal of the same day gives it back).
- **短款** (`short`, a paid order without its money): the platform holds an order paid by an
  attempt (money it was told of) for which no statement kept holds a payment; or one whose
  money the provider gave back (a refund or reversal line) while the platform asked for no
  refund of it.
- **金额不符** (`amount`): the provider took another amount than the order's.
- **未决** (`unresolved`): an attempt or a refund the state machine left to staff
  (`unresolved`) without money of it in the statements (with money, it is a 长款).

Which trades a day's run looks at: payments on the statement, and orders the platform holds
paid, from `MARGIN` before the day's start to `MARGIN` before its end; the provider's time and
the platform's differ by seconds, and a charge made in the last minutes of a day may be
reversed or its money recorded just after midnight, so those are looked at with the next day's
statement. Refund lines are matched to the platform's refunds by `out_refund_no`; a refund the
platform made shows on the statement of the day it was accepted, which may be later than the
day of the payment, and is not a finding while the platform holds it.

Each finding has a key (kind, channel, trade): a run repeated for the same day, or the next
day's run looking at the same trade, finds it again and records nothing. An alert
(`AlertRecord`, kind `payment_<kind>`) is raised with it for the order's terminal; resolving
the finding resolves the alert. Nothing personal is written: the order's reference, the
channel, the amounts.

Resolving (`resolve`): `refund` gives a 长款's money back through the payments' own refund
path (`central.payments.orders.add_refund`: a refund record the resolver carries out, under
the attempt's `out_refund_no`, so asked twice it is one refund), or asks an unresolved refund
again; `settle` records that staff settled it otherwise. Either is final and records who,
when and why.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Literal, Protocol

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from central import labels
from central.contract.payments import PaymentChannel
from central.db import (
    AlertRecord,
    FindingKind,
    FindingResolution,
    PaymentAttemptRecord,
    PaymentFindingRecord,
    PaymentOrderRecord,
    PaymentRefundRecord,
    ReconciliationRun,
    StatementLineRecord,
    TerminalEvent,
)
from central.payments import bills, orders
from central.payments.fees import yuan
from central.payments.provider import Statement, StatementUnavailable

log = logging.getLogger(__name__)

BEIJING = bills.BEIJING
MARGIN = timedelta(minutes=10)  # see the module's docstring
REFUND_REASON = "reconciled"  # PaymentRefundRecord.reason of a refund staff asked for here
NOTE_MAX = 200
Action = Literal["refund", "settle"]


class StatementSource(Protocol):
    """What reconciliation needs of a provider (a `PaymentProvider` is one)."""

    @property
    def channel(self) -> PaymentChannel: ...

    def statement(self, day: date) -> Statement: ...


@dataclass(frozen=True)
class ChannelOutcome:
    channel: PaymentChannel
    outcome: Literal["done", "unavailable", "unreadable"]
    lines: int = 0
    findings: list[int] = field(default_factory=list)  # ids of the new findings
    note: str = ""


@dataclass(frozen=True)
class Report:
    day: date
    channels: list[ChannelOutcome]

    @property
    def complete(self) -> bool:
        return all(c.outcome == "done" for c in self.channels)

    @property
    def new_findings(self) -> list[int]:
        return [finding for c in self.channels for finding in c.findings]


def day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0), BEIJING)
    return start, start + timedelta(days=1)


def china_day(moment: datetime) -> date:
    return moment.astimezone(BEIJING).date()


class Reconciler:
    """Runs reconciliation for a day on a platform database (the app's schedule, the command
    line); `sources` are the configured providers."""

    def __init__(self, sessions: sessionmaker[Session], write_lock: AbstractContextManager[object],
                 clock: Callable[[], datetime],
                 sources: Mapping[PaymentChannel, StatementSource]) -> None:
        self.sessions = sessions
        self.write_lock = write_lock
        self.clock = clock
        self.sources: dict[PaymentChannel, StatementSource] = dict(sources)

    @contextmanager
    def _writing(self) -> Iterator[Session]:
        with self.sessions() as session, self.write_lock:
            try:
                yield session
            except BaseException:
                session.rollback()
                raise
            session.commit()

    def run(self, day: date, started_by: str,
            channels: Iterable[PaymentChannel] | None = None) -> Report:
        """Fetch, keep and match `day`'s statement of each channel (all configured ones
        unless `channels` says which); never raises for a provider's trouble, which is the
        channel's outcome."""
        asked = set(channels) if channels is not None else set(self.sources)
        return Report(day, [self._run_channel(day, source, started_by)
                            for channel, source in self.sources.items() if channel in asked])

    def _run_channel(self, day: date, source: StatementSource,
                     started_by: str) -> ChannelOutcome:
        channel, started = source.channel, self.clock()
        try:  # a call to the provider: outside any transaction
            statement = source.statement(day)
            lines = bills.read(channel, statement.data)
        except StatementUnavailable as exc:
            outcome = ChannelOutcome(channel, "unavailable", note=str(exc)[:300])
        except bills.UnreadableStatement as exc:
            outcome = ChannelOutcome(channel, "unreadable", note=str(exc)[:300])
        except Exception as exc:  # an SDK's own trouble: no statement now
            log.exception("reconciliation of %s %s: fetching the statement failed", channel,
                          day)
            outcome = ChannelOutcome(channel, "unavailable", note=type(exc).__name__)
        else:
            outcome = self._match(day, channel, lines, started, started_by)
            for finding_id in outcome.findings:
                log.warning("reconciliation of %s %s: finding %d", channel, day, finding_id)
            return outcome
        log.warning("reconciliation of %s %s: %s (%s)", channel, day, outcome.outcome,
                    outcome.note)
        with self._writing() as session:
            _record_run(session, day, outcome, started, self.clock(), started_by)
        return outcome

    def _match(self, day: date, channel: PaymentChannel, lines: list[bills.Line],
               started: datetime, started_by: str) -> ChannelOutcome:
        for tries_left in (1, 0):
            now = self.clock()
            try:
                with self._writing() as session:
                    keep(session, day, lines)
                    session.flush()
                    found = match(session, channel, day, now)
                    outcome = ChannelOutcome(channel, "done", len(lines),
                                             [f.id for f in found])
                    _record_run(session, day, outcome, started, now, started_by)
                return outcome
            except IntegrityError:  # another run (the schedule, the command) kept them first
                if not tries_left:
                    raise
        raise AssertionError("unreachable")

    def days_due(self, today: date, catch_up_days: int) -> dict[date, list[PaymentChannel]]:
        """The days before `today` (at most `catch_up_days` back) with a configured channel
        whose statement was not reconciled yet, and those channels."""
        first = today - timedelta(days=catch_up_days)
        with self.sessions() as session:
            done = set(session.execute(select(ReconciliationRun.day, ReconciliationRun.channel)
                                       .where(ReconciliationRun.outcome == "done",
                                              ReconciliationRun.day >= first)).all())
        due: dict[date, list[PaymentChannel]] = {}
        for back in range(catch_up_days, 0, -1):
            day = today - timedelta(days=back)
            missing: list[PaymentChannel] = []
            for channel in self.sources:
                if (day, channel) not in done:
                    missing.append(channel)
            if missing:
                due[day] = missing
        return due


def _record_run(session: Session, day: date, outcome: ChannelOutcome, started: datetime,
                now: datetime, started_by: str) -> None:
    session.add(ReconciliationRun(
        day=day, channel=outcome.channel, started_at=started, finished_at=now,
        outcome=outcome.outcome, lines=outcome.lines, findings=len(outcome.findings),
        note=outcome.note, started_by=started_by[:64]))


# -- keeping the lines -------------------------------------------------------------------------

def keep(session: Session, day: date, lines: Iterable[bills.Line]) -> int:
    """The statement's lines not kept yet, added; how many."""
    by_key: dict[tuple[str, str], bills.Line] = {}
    for line in lines:
        by_key.setdefault((line.channel, line.key), line)
    added = 0
    for channel in {c for c, _ in by_key}:
        keys = [k for c, k in by_key if c == channel]
        known: set[str] = set()
        for start in range(0, len(keys), 500):
            known.update(session.scalars(select(StatementLineRecord.line_key).where(
                StatementLineRecord.channel == channel,
                StatementLineRecord.line_key.in_(keys[start:start + 500]))))
        for key in keys:
            if key in known:
                continue
            line = by_key[(channel, key)]
            session.add(StatementLineRecord(
                channel=line.channel, day=day, kind=line.kind, line_key=key,
                out_trade_no=line.out_trade_no[:64], transaction_id=line.transaction_id[:64],
                out_refund_no=line.out_refund_no[:64], amount_fen=line.amount_fen, at=line.at))
            added += 1
    return added


# -- matching ------------------------------------------------------------------------------------

@dataclass
class _Trade:
    """What the kept statements say of one trade."""

    charges: list[int] = field(default_factory=list)
    returned: int = 0  # refunded and reversed
    refund_nos: set[str] = field(default_factory=set)

    @property
    def kept(self) -> int:
        return sum(self.charges) - self.returned


def _trades(session: Session, channel: PaymentChannel,
            out_trade_nos: Iterable[str]) -> dict[str, _Trade]:
    wanted = sorted(set(out_trade_nos))
    found: dict[str, _Trade] = {no: _Trade() for no in wanted}
    for start in range(0, len(wanted), 500):
        for line in session.scalars(select(StatementLineRecord).where(
                StatementLineRecord.channel == channel,
                StatementLineRecord.out_trade_no.in_(wanted[start:start + 500]))):
            trade = found[line.out_trade_no]
            if line.kind == "charge":
                trade.charges.append(line.amount_fen)
            else:
                trade.returned += line.amount_fen
                if line.kind == "refund":
                    trade.refund_nos.add(line.out_refund_no)
    return found


def match(session: Session, channel: PaymentChannel, day: date,
          now: datetime) -> list[PaymentFindingRecord]:
    """`day`'s findings for `channel` from the lines kept (see the module's docstring); the new
    ones are added to `session` with their alerts and returned."""
    start, end = day_bounds(day)
    window = (start - MARGIN, end - MARGIN)
    on_statement = set(session.scalars(select(StatementLineRecord.out_trade_no).where(
        StatementLineRecord.channel == channel, StatementLineRecord.kind == "charge",
        StatementLineRecord.at >= window[0], StatementLineRecord.at < window[1])))
    paid = list(session.execute(
        select(PaymentOrderRecord, PaymentAttemptRecord)
        .join(PaymentAttemptRecord,
              PaymentAttemptRecord.id == PaymentOrderRecord.paid_attempt_id)
        .where(PaymentAttemptRecord.channel == channel,
               PaymentOrderRecord.paid_at >= window[0],
               PaymentOrderRecord.paid_at < window[1])).all())
    trades = _trades(session, channel, on_statement | {a.out_trade_no for _, a in paid})
    attempts = _attempts(session, on_statement)
    new: list[PaymentFindingRecord] = []

    def add(finding: PaymentFindingRecord | None) -> None:
        if finding is not None:
            new.append(finding)

    for no in sorted(on_statement):
        trade, found = trades[no], attempts.get(no)
        if found is None or found[1].channel != channel:
            if trade.kept > 0:
                add(_finding(session, "long", channel, day, no, None, None, 0, trade.kept,
                             "对账单有收款，平台无此交易", now))
            continue
        order, attempt = found
        if attempt.transaction_id is None:
            if trade.kept > 0:
                state = labels.ATTEMPT_STATES.get(attempt.state, attempt.state)
                add(_finding(session, "long", channel, day, no, order, attempt, 0, trade.kept,
                             f"收款未入账（支付尝试{state}）", now))
            continue
        add(_check_known(session, channel, day, order, attempt, trade, now))
    for order, attempt in paid:
        trade = trades[attempt.out_trade_no]
        if not trade.charges:
            add(_finding(session, "short", channel, day, attempt.out_trade_no, order, attempt,
                         order.amount_fen, 0, "订单已支付，对账单无此收款", now))
        elif attempt.out_trade_no not in on_statement:
            add(_check_known(session, channel, day, order, attempt, trade, now))
    for finding in _unresolved(session, channel, day, window, trades, now):
        add(finding)
    return new


def _attempts(session: Session, out_trade_nos: Iterable[str]
              ) -> dict[str, tuple[PaymentOrderRecord, PaymentAttemptRecord]]:
    wanted = sorted(set(out_trade_nos))
    found = {}
    for start in range(0, len(wanted), 500):
        for order, attempt in session.execute(
                select(PaymentOrderRecord, PaymentAttemptRecord)
                .join(PaymentOrderRecord, PaymentOrderRecord.id == PaymentAttemptRecord.order_id)
                .where(PaymentAttemptRecord.out_trade_no.in_(wanted[start:start + 500]))
        ).all():
            found[attempt.out_trade_no] = (order, attempt)
    return found


def _check_known(session: Session, channel: PaymentChannel, day: date,
                 order: PaymentOrderRecord, attempt: PaymentAttemptRecord, trade: _Trade,
                 now: datetime) -> PaymentFindingRecord | None:
    """A trade whose money the platform was told of, against what the statements say."""
    odd = [amount for amount in trade.charges if amount != order.amount_fen]
    if odd:
        return _finding(session, "amount", channel, day, attempt.out_trade_no, order, attempt,
                        order.amount_fen, odd[0], "收款金额与订单金额不符", now)
    asked = session.scalar(select(func.count()).select_from(PaymentRefundRecord).where(
        PaymentRefundRecord.attempt_id == attempt.id))
    if trade.returned and not asked and order.paid_attempt_id == attempt.id \
            and order.state == "paid":
        return _finding(session, "short", channel, day, attempt.out_trade_no, order, attempt,
                        order.amount_fen, trade.kept, "款项已在支付机构退回，平台未登记退款",
                        now)
    return None


def _unresolved(session: Session, channel: PaymentChannel, day: date,
                window: tuple[datetime, datetime], trades: Mapping[str, _Trade],
                now: datetime) -> Iterator[PaymentFindingRecord]:
    left = list(session.execute(
        select(PaymentOrderRecord, PaymentAttemptRecord)
        .join(PaymentOrderRecord, PaymentOrderRecord.id == PaymentAttemptRecord.order_id)
        .where(PaymentAttemptRecord.channel == channel,
               PaymentAttemptRecord.state == "unresolved",
               PaymentAttemptRecord.created_at >= window[0],
               PaymentAttemptRecord.created_at < window[1])).all())
    kept = _trades(session, channel, [a.out_trade_no for _, a in left
                                      if a.out_trade_no not in trades])
    for order, attempt in left:
        trade = trades.get(attempt.out_trade_no) or kept[attempt.out_trade_no]
        if trade.kept > 0:
            continue  # money: a 长款, found from the statement's side
        finding = _finding(session, "unresolved", channel, day, attempt.out_trade_no, order,
                           attempt, order.amount_fen, 0,
                           f"支付尝试未决，对账单无收款：{attempt.note}"[:120], now)
        if finding is not None:
            yield finding
    refunds = session.execute(
        select(PaymentOrderRecord, PaymentAttemptRecord, PaymentRefundRecord)
        .join(PaymentAttemptRecord, PaymentAttemptRecord.id == PaymentRefundRecord.attempt_id)
        .join(PaymentOrderRecord, PaymentOrderRecord.id == PaymentRefundRecord.order_id)
        .where(PaymentAttemptRecord.channel == channel,
               PaymentRefundRecord.state == "unresolved",
               PaymentRefundRecord.requested_at >= window[0],
               PaymentRefundRecord.requested_at < window[1])).all()
    for order, attempt, refund in refunds:
        finding = _finding(session, "unresolved", channel, day, attempt.out_trade_no, order,
                           attempt, refund.amount_fen, None,
                           f"退款未完成：{refund.note}"[:120], now, key_of=refund.out_refund_no)
        if finding is not None:
            yield finding


def finding_key(kind: FindingKind, channel: PaymentChannel, number: str) -> str:
    return f"{kind}:{channel}:{number}"[:160]


def _finding(session: Session, kind: FindingKind, channel: PaymentChannel, day: date,
             out_trade_no: str, order: PaymentOrderRecord | None,
             attempt: PaymentAttemptRecord | None, expected: int | None,
             statement: int | None, what: str, now: datetime,
             key_of: str | None = None) -> PaymentFindingRecord | None:
    """A new finding and its alert; None when it was found before (its key)."""
    key = finding_key(kind, channel, key_of or out_trade_no)
    if session.scalar(select(PaymentFindingRecord.id).where(
            PaymentFindingRecord.key == key)) is not None:
        return None
    reference = order.reference if order is not None else out_trade_no
    amounts = []
    if expected is not None:
        amounts.append(f"平台 ¥{yuan(expected)}")
    if statement is not None:
        amounts.append(f"对账单 ¥{yuan(statement)}")
    detail = (f"{labels.FINDING_KINDS[kind]}：{labels.CHANNELS[channel]} {reference}，"
              f"{what}（{'，'.join(amounts)}；{day.isoformat()}）")[:300]
    finding = PaymentFindingRecord(
        key=key, kind=kind, day=day, channel=channel, out_trade_no=out_trade_no[:64],
        order_id=order.id if order is not None else None,
        attempt_id=attempt.id if attempt is not None else None,
        terminal_id=order.terminal_id if order is not None else None,
        expected_fen=expected, statement_fen=statement, detail=detail, found_at=now, note="")
    try:
        with session.begin_nested():  # another run (the schedule, the command) found it first
            session.add(finding)
            session.flush()
    except IntegrityError:
        return None
    if order is not None:
        alert = AlertRecord(terminal_id=order.terminal_id, kind=f"payment_{kind}",
                            raised_at=now, detail=detail)
        session.add(alert)
        session.flush()
        finding.alert_id = alert.id
        orders.journal(session, order.id, "reconciliation", detail, now,
                       attempt.id if attempt is not None else None)
    return finding


# -- resolving -----------------------------------------------------------------------------------

class ResolveRefused(Exception):
    """The finding cannot be resolved so (HTTP `status`, the message for staff)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def refundable(session: Session, finding: PaymentFindingRecord) -> bool:
    """Whether `resolve(..., "refund")` can give this finding's money back."""
    try:
        _refund_plan(session, finding)
    except ResolveRefused:
        return False
    return True


def _refund_plan(session: Session, finding: PaymentFindingRecord
                 ) -> tuple[PaymentOrderRecord, PaymentAttemptRecord, PaymentRefundRecord | None]:
    """The order and attempt whose money goes back, and the unresolved refund to ask again
    (None: a new refund)."""
    order = session.get(PaymentOrderRecord, finding.order_id) if finding.order_id else None
    attempt = session.get(PaymentAttemptRecord, finding.attempt_id) \
        if finding.attempt_id is not None else None
    if order is None or attempt is None:
        raise ResolveRefused(409, "这笔款项不是本平台的交易，无法原路退款，"
                                  "请与支付机构核实后标记处理")
    if finding.kind == "unresolved":
        refund = session.scalars(select(PaymentRefundRecord).where(
            PaymentRefundRecord.attempt_id == attempt.id,
            PaymentRefundRecord.state == "unresolved")).first()
        if refund is None:
            raise ResolveRefused(409, "未收到这笔款项，无需退款")
        return order, attempt, refund
    if finding.kind != "long":
        raise ResolveRefused(409, "只有长款可以原路退款")
    asked = session.scalar(select(func.count()).select_from(PaymentRefundRecord).where(
        PaymentRefundRecord.attempt_id == attempt.id))
    if asked or attempt.state in ("refunding", "refunded"):
        raise ResolveRefused(409, "这笔款项已在退款")
    if order.paid_attempt_id == attempt.id:  # the platform learned of the money since
        raise ResolveRefused(409, "平台已确认这笔收款并记入订单，无需退款，请标记处理")
    if finding.statement_fen != order.amount_fen:
        raise ResolveRefused(409, "收款金额与订单金额不同，请与支付机构核实后标记处理")
    return order, attempt, None


def resolve(session: Session, finding: PaymentFindingRecord, action: Action, by: str,
            note: str, now: datetime) -> PaymentRefundRecord | None:
    """Resolve an open finding (the caller commits, then wakes the payments' resolver when a
    refund is returned); `ResolveRefused` when it is resolved already or cannot be so."""
    if finding.resolved_at is not None:
        raise ResolveRefused(409, "该问题已处理")
    note = " ".join(note.split())[:NOTE_MAX]
    refund = None
    resolution: FindingResolution = "refund" if action == "refund" else "settled"
    if action == "refund":
        order, attempt, refund = _refund_plan(session, finding)
        if refund is not None:  # the same refund (out_refund_no), asked again
            refund.state, refund.tries, refund.next_check_at = "pending", 0, now
            orders.journal(session, order.id, "refund asked again",
                           f"reconciliation, by {by}", now, attempt.id)
        else:
            orders.add_refund(session, order, attempt, REFUND_REASON, now)
            if order.state == "unresolved" and order.paid_attempt_id is None:
                order.state, order.updated_at = "closed", now
                orders.journal(session, order.id, "closed", "its money refunded by staff", now,
                               attempt.id)
            session.flush()
            refund = session.scalars(select(PaymentRefundRecord).where(
                PaymentRefundRecord.attempt_id == attempt.id)
                .order_by(PaymentRefundRecord.id.desc())).first()
        finding.refund_id = refund.id if refund is not None else None
    finding.resolution = resolution
    finding.resolved_by, finding.resolved_at, finding.note = by[:64], now, note
    word = labels.FINDING_RESOLUTIONS[resolution]
    if finding.alert_id is not None:
        alert = session.get(AlertRecord, finding.alert_id)
        if alert is not None:
            alert.resolved_at = alert.resolved_at or now
            if alert.acked_at is None:
                alert.acked_at, alert.acked_by = now, by[:64]
    if finding.terminal_id is not None:
        session.add(TerminalEvent(
            terminal_id=finding.terminal_id, at=now, kind="payment",
            detail=f"{labels.FINDING_KINDS[finding.kind]}{word}（{by}）"
                   f"{'：' + note if note else ''}"[:500]))
    if finding.order_id is not None:
        orders.journal(session, finding.order_id, "reconciled", f"{finding.kind} "
                       f"{resolution} by {by}: {note}", now, finding.attempt_id)
    return refund


def open_findings(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(PaymentFindingRecord).where(
        PaymentFindingRecord.resolved_at.is_(None))) or 0

