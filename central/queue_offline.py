"""取号 while the platform is away: the numbers a terminal may give on its own, and how the
tickets it gave join the day's queue when it is back (`central.contract.queue`'s leases).

Why leases: a number the kiosk made up could be one the hall's queue gives someone else. So
while it is online a terminal holds, per hall day, group and kind, a block of numbers granted
to it alone (A501-A550, AP501-AP550 for priority tickets); the platform's own numbering
(`central.queue.next_own_sequence`) skips every leased block, and blocks never overlap, so two
terminals offline at once never give the same number. Blocks start at 501 so a window reads
"A5xx" as a ticket taken at a kiosk offline; they follow each other (and the platform's own
numbers, if a busy day got that far). A terminal asks for today's and tomorrow's (a kiosk that
starts the next morning with the platform away still has numbers); it gets another block of a
kind once half of its last one has come back reconciled, at most `MAX_LEASES` of a kind a day.

Why the token prefix: the person's QR code must work before the ticket has reached the platform.
A lease names a random prefix; the kiosk makes each offline ticket's token as that prefix and
random characters, so the status page of a token not yet received, but of a known lease, says
"not yet received" instead of "no such ticket".

Reconciling: the ticket comes back with its number, token, day and the time it was taken (the
terminal's clock, kept inside its day and never after the moment it arrives). The number must be
in one of that terminal's leases of the day, group and kind, and the token start with that
lease's prefix: a terminal can give only its own numbers. It joins the queue where it was taken
(`central.queue.people_ahead` orders by the time taken); a ticket of a day already over is kept
as history (`gone`, never waiting). A repeat of the same Idempotency-Key with the same ticket is
the same answer; the same number or token with anything else is refused.
"""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from central.applications import KeyReused
from central.contract.queue import (
    LEASE_SIZE,
    MAX_LEASES,
    OFFLINE_FIRST,
    OfflineTicket,
    QueueLease,
    QueueLeases,
)
from central.db import QueueLeaseRecord, QueueTicketRecord
from central.queue import (
    CHINA,
    PRIORITY_MARK,
    QueueRefused,
    Taken,
    groups,
    groups_of,
    hall_day,
    own_sequences,
    ticket_of,
)

PREFIX_ALPHABET = string.ascii_letters + string.digits


def leases(session: Session, *, hall: str, terminal_id: str, day: date, now: datetime,
           public_url: str) -> QueueLeases:
    """The terminal's leases of `day` (today or tomorrow), a block granted for each group and
    kind that has none or has used half of its last; the caller commits."""
    today = hall_day(now)
    if day not in (today, today + timedelta(days=1)):
        raise QueueRefused("QUEUE_LEASE_DAY", "leases are for today or tomorrow only")
    for group in groups_of(hall):
        for priority in (False, True):
            _top_up(session, hall, terminal_id, day, group.group_id, priority, now)
    held = session.scalars(select(QueueLeaseRecord).where(
        QueueLeaseRecord.terminal_id == terminal_id, QueueLeaseRecord.hall == hall,
        QueueLeaseRecord.day == day).order_by(QueueLeaseRecord.id)).all()
    return QueueLeases(
        leases=[QueueLease(day=r.day, group_id=r.group_id, priority=r.priority, first=r.first,
                           last=r.last, token_prefix=r.token_prefix) for r in held],
        follow_base=f"{public_url}/queue/ticket/",
        groups=groups(session, hall, now).groups)


def _top_up(session: Session, hall: str, terminal_id: str, day: date, group_id: str,
            priority: bool, now: datetime) -> None:
    mine = session.scalars(select(QueueLeaseRecord).where(
        QueueLeaseRecord.terminal_id == terminal_id, QueueLeaseRecord.hall == hall,
        QueueLeaseRecord.day == day, QueueLeaseRecord.group_id == group_id,
        QueueLeaseRecord.priority == priority).order_by(QueueLeaseRecord.first)).all()
    if len(mine) >= MAX_LEASES:
        return
    if mine:
        used = session.scalar(select(func.count()).where(
            QueueTicketRecord.lease_id == mine[-1].id)) or 0
        if used < LEASE_SIZE // 2:
            return
    last_leased = session.scalar(select(func.max(QueueLeaseRecord.last)).where(
        QueueLeaseRecord.hall == hall, QueueLeaseRecord.day == day,
        QueueLeaseRecord.group_id == group_id, QueueLeaseRecord.priority == priority)) or 0
    first = max(OFFLINE_FIRST, last_leased + 1,
                own_sequences(session, hall, day, group_id, priority) + 1)
    last = min(first + LEASE_SIZE - 1, 9999)
    if first > last:
        return  # the day's numbers are used up: nothing more to lease
    session.add(QueueLeaseRecord(
        token_prefix="".join(secrets.choice(PREFIX_ALPHABET) for _ in range(12)), hall=hall,
        day=day, group_id=group_id, priority=priority, first=first, last=last,
        terminal_id=terminal_id, granted_at=now))
    session.flush()


def lease_of_token(session: Session, token: str) -> QueueLeaseRecord | None:
    """The lease an offline ticket's token names (its first 12 characters), if any."""
    if len(token) < 13 or token[12] != "-":
        return None
    return session.scalars(select(QueueLeaseRecord).where(
        QueueLeaseRecord.token_prefix == token[:12])).first()


@dataclass(frozen=True)
class _Numbered:
    lease: QueueLeaseRecord
    sequence: int


def reconcile(session: Session, *, hall: str, terminal_id: str, idempotency_key: str,
              offline: OfflineTicket, now: datetime, public_url: str) -> Taken:
    """The offline ticket in the day's queue (the caller commits), or what an earlier request
    with the key made of it."""
    earlier = session.scalars(select(QueueTicketRecord).where(
        QueueTicketRecord.terminal_id == terminal_id,
        QueueTicketRecord.idempotency_key == idempotency_key)).first()
    if earlier is not None:
        if (earlier.token, earlier.number, earlier.day) != (offline.token, offline.number,
                                                             offline.day):
            raise KeyReused("this Idempotency-Key came before with a different body")
        return Taken(ticket_of(session, earlier, public_url), created=False)
    numbered = _checked(session, hall, terminal_id, offline, now)
    taken = session.scalars(select(QueueTicketRecord.id).where(
        (QueueTicketRecord.token == offline.token)
        | ((QueueTicketRecord.hall == hall) & (QueueTicketRecord.day == offline.day)
           & (QueueTicketRecord.number == offline.number)))).first()
    if taken is not None:
        raise QueueRefused("QUEUE_NUMBER_TAKEN", "that number or token is already in the queue")
    record = QueueTicketRecord(
        token=offline.token, hall=hall, day=offline.day, group_id=offline.group_id,
        number=offline.number, sequence=numbered.sequence, priority=offline.priority,
        state="waiting" if offline.day >= hall_day(now) else "gone",
        terminal_id=terminal_id, idempotency_key=idempotency_key,
        taken_at=_within_day(offline.taken_at, offline.day, now), lease_id=numbered.lease.id)
    session.add(record)
    session.flush()
    return Taken(ticket_of(session, record, public_url), created=True)


def _checked(session: Session, hall: str, terminal_id: str, offline: OfflineTicket,
             now: datetime) -> _Numbered:
    """The lease and number of an offline ticket, or QueueRefused: a terminal gives only its
    own numbers, of its own leases, with their token prefix."""
    if not any(g.group_id == offline.group_id for g in groups_of(hall)):
        raise QueueRefused("QUEUE_GROUP_UNKNOWN", f"no queue group {offline.group_id}")
    if offline.day > hall_day(now) + timedelta(days=1):
        raise QueueRefused("QUEUE_OFFLINE_DAY", "a ticket of a day not yet leased")
    priority = offline.priority is not None
    prefix = offline.group_id + (PRIORITY_MARK if priority else "")
    digits = offline.number[len(prefix):]
    if not offline.number.startswith(prefix) or not digits.isdigit():
        raise QueueRefused("QUEUE_OFFLINE_NUMBER", "the number is not of the group and kind")
    sequence = int(digits)
    lease = lease_of_token(session, offline.token)
    if (lease is None or lease.terminal_id != terminal_id or lease.hall != hall
            or lease.day != offline.day or lease.group_id != offline.group_id
            or lease.priority != priority or not lease.first <= sequence <= lease.last
            or offline.number != f"{prefix}{sequence:03d}"):
        raise QueueRefused("QUEUE_OFFLINE_NUMBER", "the number is not one of this terminal's")
    return _Numbered(lease, sequence)


def _within_day(taken_at: datetime, day: date, now: datetime) -> datetime:
    """The terminal's time of taking, kept inside its hall day and never after `now`."""
    start = datetime.combine(day, time.min, tzinfo=CHINA)
    end = min(start + timedelta(days=1) - timedelta(microseconds=1), now)
    return min(max(taken_at, start), max(end, start))
