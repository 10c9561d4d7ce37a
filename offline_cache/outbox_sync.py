"""The sync worker: delivers outbox items to the platform, with backoff, until acknowledged.

The sender is supplied by the kiosk core (it knows the platform client); it answers with an
outcome rather than raising, so this module needs nothing of the network or its errors.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from offline_cache.outbox import Outbox, OutboxItem

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Delivered:
    result: str  # the platform's answer as JSON text (acceptance number …)


@dataclass(frozen=True)
class RetryLater:
    reason: str  # network down, timeout, 5xx: worth trying again


@dataclass(frozen=True)
class Refused:
    reason: str  # the platform will never take it (validation): keep for staff


SendOutcome = Delivered | RetryLater | Refused
Sender = Callable[[OutboxItem], SendOutcome]  # blocking; runs in a worker thread


def backoff(attempts: int, base_s: float = 5.0, cap_s: float = 600.0) -> float:
    """Seconds before the next attempt: doubling from `base_s`, capped, with 20 % jitter so a
    hall of kiosks coming back online does not hit the platform in step."""
    delay = min(cap_s, base_s * 2 ** max(attempts, 0))
    return delay * random.uniform(0.8, 1.0)


class OutboxSync:
    def __init__(self, outbox: Outbox, send: Sender, base_s: float = 5.0, cap_s: float = 600.0,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.outbox = outbox
        self._send = send
        self._base_s = base_s
        self._cap_s = cap_s
        self._clock = clock
        self._wake = asyncio.Event()
        self.on_delivered: Callable[[OutboxItem, str], None] = lambda item, result: None

    def wake(self) -> None:
        """Something was just put in the outbox: try now rather than at the next tick."""
        self._wake.set()

    async def deliver_due(self) -> int:
        """One pass over the due items; returns how many were delivered."""
        delivered = 0
        for item in await asyncio.to_thread(self.outbox.due):
            outcome = await asyncio.to_thread(self._send, item)
            match outcome:
                case Delivered(result):
                    await asyncio.to_thread(self.outbox.delivered, item.id, result)
                    delivered += 1
                    self.on_delivered(item, result)
                case RetryLater(reason):
                    at = self._clock() + timedelta(
                        seconds=backoff(item.attempts, self._base_s, self._cap_s))
                    await asyncio.to_thread(self.outbox.retry_later, item.id, reason, at)
                    log.info("outbox %s not delivered yet: %s", item.local_number, reason)
                    break  # the platform is likely down: leave the rest for later
                case Refused(reason):
                    await asyncio.to_thread(self.outbox.refused, item.id, reason)
                    log.error("outbox %s refused by the platform: %s", item.local_number, reason)
        return delivered

    async def run(self, tick_s: float = 5.0) -> None:
        """Deliver until cancelled; never raises."""
        while True:
            self._wake.clear()  # before the pass: a wake() during it triggers another pass
            try:
                await self.deliver_due()
            except Exception:
                log.exception("outbox sync pass failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), tick_s)
