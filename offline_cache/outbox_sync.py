"""The sync worker: delivers outbox items to the platform, with backoff, until acknowledged.

The sender is supplied by the kiosk core (it knows the platform client); it answers with an
outcome rather than raising, so this module needs nothing of the network or its errors.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from common.backoff import backoff
from offline_cache.outbox import Outbox, OutboxItem
from offline_cache.wakeup import Wakeup, end_if_cancelled

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


class OutboxSync:
    """Delivers the outbox in order, one pass at a time (a pass never runs twice at once, so
    an item is never in flight twice), in `run`'s loop or at once for a waiting citizen.

    An item the platform could not take waits `common.backoff.backoff(attempts, base_s, cap_s)`
    before its next attempt: doubling from `base_s`, capped at `cap_s`, with jitter."""

    def __init__(self, outbox: Outbox, send: Sender, base_s: float = 5.0, cap_s: float = 600.0,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.outbox = outbox
        self._send = send
        self._base_s = base_s
        self._cap_s = cap_s
        self._clock = clock
        self._wake = Wakeup()
        # a pass that ignores the oldest item's backoff is due: at start, and after wake()
        self._woken = True
        self._one_pass = asyncio.Lock()
        self._passes: set[asyncio.Task[int]] = set()  # started by try_now, kept till done
        self._next_pass: asyncio.Task[int] | None = None  # a try_now pass not started yet
        self._backlog = outbox.backlog()  # read here, off the loop; kept current by passes
        self.on_delivered: Callable[[OutboxItem, str], None] = lambda item, result: None

    def backlog(self) -> int:
        """Items waiting for the platform, as of the last put or pass: for the heartbeat,
        which is built on the event loop and must not wait for SQLite."""
        return self._backlog

    async def enqueue(self, kind: str, payload: object, *, held: bool = False,
                      item_id: str | None = None) -> OutboxItem:
        """Commit `payload`: on disk when this returns. Then `wake()`, or `try_now` to wait.
        `held`: not delivered until `release` (`Outbox.put`)."""
        item = await asyncio.to_thread(self.outbox.put, kind, payload, held=held,
                                       item_id=item_id)
        self._backlog += 1
        return item

    async def release(self, item_id: str, changes: dict[str, object] | None = None) -> bool:
        """A held item may go now, with `changes` to its payload (`Outbox.release`); the next
        pass, or a `try_now`, delivers it."""
        released = await asyncio.to_thread(self.outbox.release, item_id, changes)
        self.wake()
        return released

    def wake(self) -> None:
        """Something changed (an item was put, the network came back): try now, the oldest
        item included even if it is backing off, rather than at the next tick. Thread-safe."""
        self._woken = True
        self._wake.ring()

    async def try_now(self, item_id: str, wait_s: float) -> OutboxItem | None:
        """A pass now, waited for up to `wait_s`; then `item_id` as it stands (delivered with
        the platform's answer, still pending with the reason, or refused).

        The pass goes on after `wait_s` (and after a cancelled wait): stopping it between
        sending and recording would only mean sending the same item again. Callers arriving
        while a pass waits for its turn join it rather than queue one each: during an outage
        that hangs, each pass can take a few timeouts.
        """
        task = self._next_pass
        if task is None or task.done():
            task = self._next_pass = asyncio.ensure_future(self._forced_pass())
            self._passes.add(task)
            task.add_done_callback(self._pass_done)
        # asyncio.wait's limit cancels neither the pass nor this task (offline_cache.wakeup)
        await asyncio.wait((task,), timeout=wait_s)
        if not task.done():
            log.info("outbox pass still running after %.1f s", wait_s)
        # a failed pass is logged by _pass_done; the item is safe in the outbox either way
        return await asyncio.to_thread(self.outbox.get, item_id)

    def in_flight(self) -> list[asyncio.Task[int]]:
        """The passes `try_now` started that are still running (for a stopping kiosk)."""
        return [task for task in self._passes if not task.done()]

    async def _forced_pass(self) -> int:
        async with self._one_pass:
            self._next_pass = None  # started: what is put from now on needs a pass of its own
            return await self._deliver_all(ignore_backoff=True)

    def _pass_done(self, task: asyncio.Task[int]) -> None:
        self._passes.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("outbox sync pass failed", exc_info=task.exception())

    async def deliver_due(self, *, ignore_backoff: bool = False) -> int:
        """Deliver in order until the outbox is empty or an item must wait; returns how many
        were delivered."""
        async with self._one_pass:
            return await self._deliver_all(ignore_backoff=ignore_backoff)

    async def _deliver_all(self, *, ignore_backoff: bool) -> int:
        delivered = 0
        while items := await asyncio.to_thread(self.outbox.due, 10, ignore_backoff=ignore_backoff):
            sent, stop = await self._deliver(items)
            delivered += sent
            if stop:
                break
        self._backlog = await asyncio.to_thread(self.outbox.backlog)
        return delivered

    async def _deliver(self, items: list[OutboxItem]) -> tuple[int, bool]:
        """(delivered, stop): stop at the first item to retry, so none overtakes it."""
        delivered = 0
        for item in items:
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
                    return delivered, True  # the platform is likely down: the rest waits
                case Refused(reason):
                    await asyncio.to_thread(self.outbox.refused, item.id, reason)
                    log.error("outbox %s refused by the platform: %s", item.local_number, reason)
        return delivered, False

    async def run(self, tick_s: float = 5.0) -> None:
        """Deliver until cancelled; never raises otherwise."""
        self._wake.bind()
        while True:
            end_if_cancelled()
            self._wake.clear()  # before the pass: a wake() during it triggers another pass
            woken, self._woken = self._woken, False
            try:
                await self.deliver_due(ignore_backoff=woken)
            except Exception:
                log.exception("outbox sync pass failed")
            await self._wake.wait(tick_s)
