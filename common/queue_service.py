"""The port through which flows take a queue ticket (取号) in the hall, with the platform's
models (`central.contract.queue`).

Implemented by `kiosk.queue_service.PlatformQueueService` over the platform's own simple queue
(`central.queue`); a hall's own queue system would be another implementation. Every method
raises `ServiceUnavailable` when the queue cannot be asked, never an HTTP client's exception.
The platform's own queue may answer `take_ticket` while it is away with a ticket numbered at
the kiosk (`Ticket.issued_offline`, `kiosk.offline_queue`), which the flow shows as such.
"""

from __future__ import annotations

from typing import Protocol

from central.contract.queue import PriorityReason, QueueGroup, Ticket
from common.citizen_services import ServiceUnavailable

__all__ = ["QueueService", "ServiceUnavailable"]


class QueueService(Protocol):
    async def groups(self) -> list[QueueGroup]:
        """The groups of this hall one can queue for, with their window areas."""
        ...

    async def take_ticket(self, group_id: str, priority: PriorityReason | None,
                          idempotency_key: str) -> Ticket:
        """A ticket of `group_id`; `priority` None for a regular one. Asking again with the
        same key gets the same ticket (an answer lost on the way is never a second number)."""
        ...

    async def ticket(self, token: str) -> Ticket | None:
        """How a ticket stands now; None when the queue knows no such ticket."""
        ...
