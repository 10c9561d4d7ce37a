"""取号 (queue tickets) between a terminal and the platform's queue (`central.queue`).

    GET  /api/v1/queue/groups              the groups this terminal's hall queues for
    POST /api/v1/queue/tickets             take a ticket (Idempotency-Key): `TicketRequest`
    GET  /api/v1/queue/tickets/{token}     a ticket's status, signed
    GET  /queue/ticket/{token}             the same for the person's phone: HTML, public

A ticket carries no personal data: the group, a number such as A001 (P001 for a priority ticket
of group A is `A` + `P`: "AP001"), the window area, and why it is a priority ticket (a category,
never a name or a birth date). What a terminal sends is untrusted: bounded and shaped here.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Literal

from pydantic import AwareDatetime, Field, model_validator

from central.contract import ContractModel

GROUP_ID = r"^[A-Z]$"  # a group is its number prefix: A, B, C …
TICKET_TOKEN = r"^[A-Za-z0-9_-]{16,64}$"
MAX_GROUPS = 26
# 70+: from the verified ID card's birth date (the kiosk works it out); the others the person
# declares at the kiosk and shows at the window (需窗口核验)
PriorityReason = Literal["age_70", "pregnant", "disability", "appointment"]
# "appointment": a ticket issued at 签到 for a booked appointment (central.appointments)
DECLARED_REASONS: frozenset[str] = frozenset({"pregnant", "disability"})
TicketState = Literal["waiting", "called", "served", "gone"]


class QueueGroup(ContractModel):
    group_id: str = Field(pattern=GROUP_ID)
    name: str = Field(min_length=1, max_length=40)
    window_area: str = Field(min_length=1, max_length=40)  # 一楼 A 区 1-4 号窗口
    waiting: int = Field(ge=0, le=100_000)  # people waiting in it now


class QueueGroups(ContractModel):
    groups: list[QueueGroup] = Field(max_length=MAX_GROUPS)


class TicketRequest(ContractModel):
    group_id: str = Field(pattern=GROUP_ID)
    priority: PriorityReason | None = None


class Ticket(ContractModel):
    number: str = Field(pattern=r"^[A-Z]P?\d{3,4}$")  # A001, AP001 (priority), A501 offline
    group_id: str = Field(pattern=GROUP_ID)
    group_name: str = Field(max_length=40)
    window_area: str = Field(max_length=40)
    priority: PriorityReason | None = None
    verify_at_window: bool = False  # a declared priority: shown at the window
    people_ahead: int = Field(ge=0, le=100_000)
    wait_minutes: int = Field(ge=0, le=100_000)
    state: TicketState = "waiting"
    taken_at: AwareDatetime
    token: str = Field(pattern=TICKET_TOKEN)
    follow_url: str = Field(max_length=300)  # the public status page: the slip's QR code
    # taken at a terminal while the platform was away, then reconciled (`OfflineTicket`)
    issued_offline: bool = False


# -- 取号 offline (central.queue_offline): numbers a terminal may give while the platform is away
#
#     POST /api/v1/queue/leases            the terminal's blocks of numbers for a day, granted
#                                          while online (`LeaseRequest` → `QueueLeases`)
#     POST /api/v1/queue/offline-tickets   one ticket it gave offline, reconciled (Idempotency-
#                                          Key): `OfflineTicket` → `Ticket`
#
# A lease is a block of a group's numbers of one day (A501-A550, or AP501-AP550 for priority)
# that the platform's own numbering skips, so two terminals offline at once never give the same
# number; an offline ticket's token starts with its lease's prefix, so the status page can say
# "not yet received" before the ticket arrives.
HALL_TZ = timezone(timedelta(hours=8))  # a hall's day is China's: no daylight saving


def hall_day(at: datetime) -> date:
    """The hall day of `at`: what a lease and an offline ticket are of, on both sides."""
    return at.astimezone(HALL_TZ).date()


OFFLINE_FIRST = 501  # leased numbers start here: A5xx reads as "taken at a kiosk, offline"
LEASE_SIZE = 50
MAX_LEASES = 4  # per terminal, day, group and kind: a bound on what one terminal can hold
LEASE_PREFIX = r"^[A-Za-z0-9]{12}$"
OFFLINE_TOKEN = r"^[A-Za-z0-9]{12}-[A-Za-z0-9_-]{24}$"  # the lease's prefix, then random
TICKET_NUMBER = r"^[A-Z]P?\d{3,4}$"


class LeaseRequest(ContractModel):
    day: date  # the hall's day: today or tomorrow (China time)


class QueueLease(ContractModel):
    day: date
    group_id: str = Field(pattern=GROUP_ID)
    priority: bool  # the block of priority numbers (AP501 …)
    first: int = Field(ge=OFFLINE_FIRST, le=9999)
    last: int = Field(ge=OFFLINE_FIRST, le=9999)
    token_prefix: str = Field(pattern=LEASE_PREFIX)

    @model_validator(mode="after")
    def _one_block(self) -> QueueLease:
        if not 0 <= self.last - self.first < LEASE_SIZE:
            raise ValueError("a lease is one block of at most LEASE_SIZE numbers")
        return self


class QueueLeases(ContractModel):
    leases: list[QueueLease] = Field(max_length=MAX_GROUPS * 2 * MAX_LEASES)
    # the status page of a ticket is follow_base + its token (the slip's QR code)
    follow_base: str = Field(min_length=1, max_length=240, pattern=r"^https?://\S+/$")
    groups: list[QueueGroup] = Field(max_length=MAX_GROUPS)  # with the waiting now


class OfflineTicket(ContractModel):
    """A ticket a terminal gave while the platform was away: its number must be one of the
    terminal's leases of that day, group and kind, its token start with that lease's prefix."""

    day: date
    group_id: str = Field(pattern=GROUP_ID)
    priority: PriorityReason | None = None
    number: str = Field(pattern=TICKET_NUMBER)
    token: str = Field(pattern=OFFLINE_TOKEN)
    taken_at: AwareDatetime  # the terminal's clock: the platform keeps it inside the day
