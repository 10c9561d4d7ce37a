"""The queue port (`common.queue_service`) over the platform's queue routes, each call in a
worker thread.

With `offline` (the platform's own demo queue, `kiosk.offline_queue`): when the platform cannot
be asked (the network, a timeout, a 5xx), the groups last heard of are offered and the ticket is
numbered here from this terminal's lease, so it can never be a number the platform or another
kiosk gives; it is reconciled when the platform is back. Without it (a hall's own queue system,
or no lease for today) the port's error goes up and the flow sends the person to the service
desk. A refusal (4xx) is an answer, never a reason to number here.

For `AWAY_S` after the platform could not be asked (or until the offline queue's loop reaches
it again), the next person's groups and ticket come from here at once: a platform that hangs
would otherwise hold each of them through the client's timeouts and retries (some 15 s a call).
Both clocks are `time.monotonic`. The ticket is reconciled all the same.
"""

from __future__ import annotations

import asyncio
import re
import time

from central.contract.queue import TICKET_TOKEN, PriorityReason, QueueGroup, Ticket, TicketRequest
from kiosk.offline_queue import OfflineQueue, cannot_ask
from kiosk.platform_client import PlatformClient, PlatformError, PlatformErrorKind

AWAY_S = 60.0


class PlatformQueueService:
    def __init__(self, client: PlatformClient, offline: OfflineQueue | None = None) -> None:
        self._client = client
        self._offline = offline
        self._away_at: float | None = None  # when the platform last could not be asked

    def _recently_away(self) -> bool:
        """The platform could not be asked less than AWAY_S ago, and has not answered the
        offline queue's loop since."""
        return (self._offline is not None and self._away_at is not None
                and self._offline.answered_at < self._away_at
                and time.monotonic() - self._away_at < AWAY_S)

    async def groups(self) -> list[QueueGroup]:
        if self._offline is not None and self._recently_away():
            kept = await asyncio.to_thread(self._offline.cached_groups)
            if kept is not None:
                return kept
        try:
            groups = await asyncio.to_thread(self._client.queue_groups)
        except PlatformError as exc:
            if self._offline is None or not cannot_ask(exc):
                raise
            self._away_at = time.monotonic()
            kept = await asyncio.to_thread(self._offline.cached_groups)
            if kept is None:
                raise
            return kept
        self._away_at = None
        if self._offline is not None:
            await asyncio.to_thread(self._offline.note_groups, groups)
        return groups

    async def take_ticket(self, group_id: str, priority: PriorityReason | None,
                          idempotency_key: str) -> Ticket:
        request = TicketRequest(group_id=group_id, priority=priority)
        if self._offline is not None and self._recently_away():
            ticket = await asyncio.to_thread(self._offline.issue, group_id, priority,
                                             idempotency_key)
            if ticket is not None:
                return ticket
        try:
            taken = await asyncio.to_thread(self._client.take_ticket, request, idempotency_key)
        except PlatformError as exc:
            if self._offline is None or not cannot_ask(exc):
                raise
            self._away_at = time.monotonic()
            # the key is the request's: asked again, the same number (offline_tickets)
            ticket = await asyncio.to_thread(self._offline.issue, group_id, priority,
                                             idempotency_key)
            if ticket is None:
                raise
            return ticket
        self._away_at = None
        return taken

    async def ticket(self, token: str) -> Ticket | None:
        if not re.fullmatch(TICKET_TOKEN, token):
            raise PlatformError(PlatformErrorKind.UNEXPECTED, "not a ticket token")
        return await asyncio.to_thread(self._client.queue_ticket, token)
