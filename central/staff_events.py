"""Staff at a terminal's screen (`central.contract.staff`), as events in its event list.

The terminal's event id is kept in the event's `code`, so an event sent again after a lost
answer is recorded once.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from central.contract.staff import StaffEvent
from central.db import TerminalEvent


def describe(event: StaffEvent) -> str:
    """The event as the hall manager reads it."""
    if event.kind == "staff_pin_wrong":
        return f"维护密码输错（连续第 {event.failures} 次）"
    if event.kind == "staff_pin_locked":
        if event.failures:
            return f"连续 {event.failures} 次输错维护密码，密码键盘锁定 {event.locked_s} 秒"
        return f"密码键盘锁定中有人打开，还剩 {event.locked_s} 秒"
    return "维护密码正确，工作人员进入维护菜单"


def record_staff_events(session: Session, terminal_id: str, events: list[StaffEvent],
                        now: datetime) -> int:
    """The events not recorded before, added to `session` (the caller commits); how many."""
    ids = [event.id for event in events]
    known = set(session.scalars(select(TerminalEvent.code).where(
        TerminalEvent.terminal_id == terminal_id, TerminalEvent.code.in_(ids))))
    new = 0
    for event in events:
        if event.id in known:
            continue
        known.add(event.id)
        at = event.occurred_at if event.occurred_at.tzinfo else event.occurred_at.replace(
            tzinfo=UTC)
        # a terminal's clock is trusted to within the signature's skew, never into the future
        session.add(TerminalEvent(terminal_id=terminal_id, at=min(at, now), kind=event.kind,
                                  code=event.id, detail=describe(event)))
        new += 1
    return new
