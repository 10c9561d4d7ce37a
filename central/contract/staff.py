"""What a terminal tells the platform about staff at its screen (the hidden staff exit).

- `POST /api/v1/terminal-events` (`StaffEvents`, with an Idempotency-Key) → `StaffEventsRecorded`

Each attempt at the maintenance PIN is one event: a wrong PIN, the PIN pad locked (by the third
wrong PIN in a row, or tapped open while locked), the right PIN (the maintenance menu opened).
The hall manager sees them in the terminal's event list. Never the PIN, nor any digit of it:
only what happened, how many wrong in a row, and how long the pad stays locked.

A terminal queues its events while the platform cannot be reached and sends them later, so
`occurred_at` is when it happened on the terminal, not when it arrived; each event's `id` is
the terminal's own, and the platform records an id once however often it is sent.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from central.contract import ContractModel

StaffEventKind = Literal["staff_pin_wrong", "staff_pin_locked", "staff_exit"]
STAFF_EVENT_ID_PATTERN = r"^[0-9a-f]{32}$"
MAX_STAFF_EVENTS = 50  # in one request; a terminal sends what it queued in batches this size
MAX_LOCK_S = 24 * 3600


class StaffEvent(ContractModel):
    id: str = Field(pattern=STAFF_EVENT_ID_PATTERN)  # the terminal's uuid4 hex
    kind: StaffEventKind
    occurred_at: datetime
    # wrong PINs in a row so far, this one included (0 for staff_exit)
    failures: int = Field(default=0, ge=0, le=1000)
    # staff_pin_locked: seconds the pad stays locked from `occurred_at`
    locked_s: int = Field(default=0, ge=0, le=MAX_LOCK_S)


class StaffEvents(ContractModel):
    events: list[StaffEvent] = Field(min_length=1, max_length=MAX_STAFF_EVENTS)


class StaffEventsRecorded(ContractModel):
    """How many of the events were new (the rest had been recorded before)."""

    recorded: int
