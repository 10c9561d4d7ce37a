"""The reference platform's own simple queue (取号): groups per hall, numbered tickets per
group per day, priority tickets served first.

    A001, A002 …     a group's tickets of the day, in the order taken
    AP001, AP002 …   its priority tickets (70+ from the ID card, or declared pregnancy or
                     disability, checked at the window): called before any regular ticket

People ahead of a waiting ticket: for a priority ticket, the group's priority tickets taken
before it and still waiting; for a regular one, every waiting priority ticket of the group and
the regular ones taken before it. A priority ticket taken later moves a regular ticket back, so
the status page counts again each time it is asked. The estimated wait is people ahead times
the group's minutes per person. Numbers restart each day of the hall (China time).

"Taken before" is by the time taken, then the order recorded: a ticket a terminal gave while
the platform was away (A501 …, from its lease: `central.queue_offline`) and reconciled later
takes its place by when it was taken, not when it arrived. The platform's own numbering skips
the leased blocks.

The groups are configuration, not data a terminal sends: `HALL_GROUPS` per hall, the demo's
for every hall without its own. A real hall's queue system (NovoSGA …) would replace this
module behind the same routes.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import cast

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from central.applications import KeyReused
from central.contract.queue import (
    DECLARED_REASONS,
    PriorityReason,
    QueueGroup,
    QueueGroups,
    Ticket,
    TicketRequest,
    TicketState,
)
from central.db import QueueLeaseRecord, QueueTicketRecord

CHINA = timezone(timedelta(hours=8))  # the hall's day: no daylight saving, a fixed offset
PRIORITY_MARK = "P"


@dataclass(frozen=True)
class GroupConfig:
    group_id: str  # its number prefix
    name: str
    window_area: str
    minutes_per_person: int


# the demo hall's groups (seeded for every hall that has none of its own)
DEMO_GROUPS = (
    GroupConfig("A", "社保医保", "一楼 A 区 1-4 号窗口", 6),
    GroupConfig("B", "户籍证照", "一楼 B 区 5-8 号窗口", 8),
    GroupConfig("C", "综合受理", "二楼 C 区 9-12 号窗口", 10),
)
HALL_GROUPS: Mapping[str, tuple[GroupConfig, ...]] = {}


class QueueRefused(Exception):
    """The request names what this hall's queue does not have (HTTP 422)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Taken:
    ticket: Ticket
    created: bool  # False: a repeat of an earlier Idempotency-Key


def groups_of(hall: str) -> tuple[GroupConfig, ...]:
    return HALL_GROUPS.get(hall, DEMO_GROUPS)


def hall_day(now: datetime) -> date:
    return now.astimezone(CHINA).date()


def groups(session: Session, hall: str, now: datetime) -> QueueGroups:
    return QueueGroups(groups=[
        QueueGroup(group_id=g.group_id, name=g.name, window_area=g.window_area,
                   waiting=_waiting(session, hall, hall_day(now), g.group_id))
        for g in groups_of(hall)])


def take_ticket(session: Session, *, hall: str, terminal_id: str, idempotency_key: str,
                request: TicketRequest, now: datetime, public_url: str) -> Taken:
    """A new ticket (the caller commits), or the one an earlier request with the key took."""
    group = _group(hall, request.group_id)
    for _attempt in range(3):
        earlier = session.scalars(select(QueueTicketRecord).where(
            QueueTicketRecord.terminal_id == terminal_id,
            QueueTicketRecord.idempotency_key == idempotency_key)).first()
        if earlier is not None:
            if (earlier.group_id, earlier.priority) != (request.group_id, request.priority):
                raise KeyReused("this Idempotency-Key came before with a different body")
            return Taken(ticket_of(session, earlier, public_url), created=False)
        record = _new_record(session, hall, group, request, terminal_id, idempotency_key, now)
        try:
            with session.begin_nested():
                session.add(record)
            return Taken(ticket_of(session, record, public_url), created=True)
        except IntegrityError:
            continue  # a twin took the number (or the key) first: count again
    raise RuntimeError("could not number the ticket")


def _group(hall: str, group_id: str) -> GroupConfig:
    group = next((g for g in groups_of(hall) if g.group_id == group_id), None)
    if group is None:
        raise QueueRefused("QUEUE_GROUP_UNKNOWN", f"no queue group {group_id} in this hall")
    return group


def _new_record(session: Session, hall: str, group: GroupConfig, request: TicketRequest,
                terminal_id: str, idempotency_key: str, now: datetime) -> QueueTicketRecord:
    day = hall_day(now)
    priority = request.priority is not None
    sequence = next_own_sequence(session, hall, day, group.group_id, priority)
    prefix = group.group_id + (PRIORITY_MARK if priority else "")
    return QueueTicketRecord(
        token=secrets.token_urlsafe(24), hall=hall, day=day, group_id=group.group_id,
        number=f"{prefix}{sequence:03d}", sequence=sequence, priority=request.priority,
        state="waiting", terminal_id=terminal_id, idempotency_key=idempotency_key,
        taken_at=now)


def own_sequences(session: Session, hall: str, day: date, group_id: str,
                  priority: bool) -> int:
    """The highest number the platform itself gave in a group and kind that day (0: none);
    the numbers terminals gave offline from their leases do not count."""
    return session.scalar(select(func.max(QueueTicketRecord.sequence)).where(
        QueueTicketRecord.hall == hall, QueueTicketRecord.day == day,
        QueueTicketRecord.group_id == group_id, QueueTicketRecord.lease_id.is_(None),
        QueueTicketRecord.priority.is_not(None) if priority
        else QueueTicketRecord.priority.is_(None))) or 0


def next_own_sequence(session: Session, hall: str, day: date, group_id: str,
                      priority: bool) -> int:
    """The next number of the platform's own: after its last, past every leased block."""
    sequence = 1 + own_sequences(session, hall, day, group_id, priority)
    blocks = session.execute(select(QueueLeaseRecord.first, QueueLeaseRecord.last).where(
        QueueLeaseRecord.hall == hall, QueueLeaseRecord.day == day,
        QueueLeaseRecord.group_id == group_id, QueueLeaseRecord.priority == priority,
        QueueLeaseRecord.last >= sequence).order_by(QueueLeaseRecord.first)).all()
    for first, last in blocks:
        if first <= sequence <= last:
            sequence = last + 1
    return sequence


def find(session: Session, token: str) -> QueueTicketRecord | None:
    return session.scalars(select(QueueTicketRecord).where(
        QueueTicketRecord.token == token)).first()


def ticket_of(session: Session, record: QueueTicketRecord, public_url: str) -> Ticket:
    group = _group(record.hall, record.group_id)
    ahead = people_ahead(session, record) if record.state == "waiting" else 0
    return Ticket(
        number=record.number, group_id=group.group_id, group_name=group.name,
        window_area=group.window_area,
        priority=cast("PriorityReason | None", record.priority),
        verify_at_window=record.priority in DECLARED_REASONS, people_ahead=ahead,
        wait_minutes=ahead * group.minutes_per_person,
        state=cast(TicketState, record.state),
        taken_at=record.taken_at, token=record.token,
        follow_url=f"{public_url}/queue/ticket/{record.token}",
        issued_offline=record.lease_id is not None)


def people_ahead(session: Session, record: QueueTicketRecord) -> int:
    """Waiting tickets of its group served before it (see the module's docstring)."""
    same_group = (QueueTicketRecord.hall == record.hall, QueueTicketRecord.day == record.day,
                  QueueTicketRecord.group_id == record.group_id,
                  QueueTicketRecord.state == "waiting", QueueTicketRecord.id != record.id)
    priority_ahead = QueueTicketRecord.priority.is_not(None)
    # taken before it: by the time taken (an offline ticket reconciled later is put where it
    # was taken), then the order recorded
    earlier = (QueueTicketRecord.taken_at < record.taken_at) | (
        (QueueTicketRecord.taken_at == record.taken_at) & (QueueTicketRecord.id < record.id))
    if record.priority is not None:
        ahead = priority_ahead & earlier
    else:
        ahead = priority_ahead | (QueueTicketRecord.priority.is_(None) & earlier)
    return session.scalar(select(func.count()).where(*same_group, ahead)) or 0


def call_next(session: Session, hall: str, group_id: str,
              now: datetime) -> QueueTicketRecord | None:
    """The group's next ticket called to a window (priority first, then in order); the caller
    commits. What a window's calling system does; here for the demo and the tests."""
    waiting = select(QueueTicketRecord).where(
        QueueTicketRecord.hall == hall, QueueTicketRecord.day == hall_day(now),
        QueueTicketRecord.group_id == group_id, QueueTicketRecord.state == "waiting")
    record = session.scalars(waiting.order_by(
        QueueTicketRecord.priority.is_(None), QueueTicketRecord.taken_at,
        QueueTicketRecord.id)).first()
    if record is not None:
        record.state = "called"
    return record


def _waiting(session: Session, hall: str, day: date, group_id: str) -> int:
    return session.scalar(select(func.count()).where(
        QueueTicketRecord.hall == hall, QueueTicketRecord.day == day,
        QueueTicketRecord.group_id == group_id,
        QueueTicketRecord.state == "waiting")) or 0
