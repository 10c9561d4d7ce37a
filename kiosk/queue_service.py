"""The queue port (`common.queue_service`) over the platform's queue routes, each call in a
worker thread. No local issuing: when the platform cannot be asked the flow says so and
sends the person to the service desk (a number issued here could collide with the hall's)."""

from __future__ import annotations

import asyncio
import re

from central.contract.queue import TICKET_TOKEN, PriorityReason, QueueGroup, Ticket, TicketRequest
from kiosk.platform_client import PlatformClient, PlatformError, PlatformErrorKind


class PlatformQueueService:
    def __init__(self, client: PlatformClient) -> None:
        self._client = client

    async def groups(self) -> list[QueueGroup]:
        return await asyncio.to_thread(self._client.queue_groups)

    async def take_ticket(self, group_id: str, priority: PriorityReason | None,
                          idempotency_key: str) -> Ticket:
        request = TicketRequest(group_id=group_id, priority=priority)
        return await asyncio.to_thread(self._client.take_ticket, request, idempotency_key)

    async def ticket(self, token: str) -> Ticket | None:
        if not re.fullmatch(TICKET_TOKEN, token):
            raise PlatformError(PlatformErrorKind.UNEXPECTED, "not a ticket token")
        return await asyncio.to_thread(self._client.queue_ticket, token)
