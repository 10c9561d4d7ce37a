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

from typing import Literal

from pydantic import AwareDatetime, Field

from central.contract import ContractModel

GROUP_ID = r"^[A-Z]$"  # a group is its number prefix: A, B, C …
TICKET_TOKEN = r"^[A-Za-z0-9_-]{16,64}$"
MAX_GROUPS = 26
# 70+: from the verified ID card's birth date (the kiosk works it out); the others the person
# declares at the kiosk and shows at the window (需窗口核验)
PriorityReason = Literal["age_70", "pregnant", "disability"]
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
    number: str = Field(pattern=r"^[A-Z]P?\d{3,4}$")  # A001, AP001 (priority)
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
