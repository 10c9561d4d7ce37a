"""Staff at the screen, told to the hall manager: each attempt at the maintenance PIN (wrong,
locked, right) goes to the platform (`POST /terminal-events`, `central.contract.staff`).

Recorded on the event loop without waiting; a loop of the runtime sends what is queued in a
worker thread, and keeps it (in `staff_events.json` in the data directory, so a restart keeps
it too) while the platform cannot be reached, trying again every `retry_s`. Each event has its
own id, so a batch sent again after a lost answer is recorded once.
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from pydantic import ValidationError

from central.contract.staff import MAX_STAFF_EVENTS, StaffEvent, StaffEventKind, StaffEvents
from common.atomic_file import replace_atomically
from kiosk.platform_client import PlatformClient, PlatformError
from offline_cache.wakeup import Wakeup, end_if_cancelled

log = logging.getLogger(__name__)

QUEUE_FILE = "staff_events.json"
MAX_QUEUED = 500  # the oldest go first: a terminal cut off for months keeps the latest


def _utc_now() -> datetime:
    return datetime.now(UTC)


class StaffEventLog:
    def __init__(self, client: PlatformClient, data_dir: Path, retry_s: float = 15.0,
                 clock: Callable[[], datetime] = _utc_now) -> None:
        self._client = client
        self._path = data_dir / QUEUE_FILE
        self.retry_s = retry_s
        self._clock = clock
        self._queue: list[StaffEvent] = self._load()
        self._wake = Wakeup()
        self.delivered = 0  # events the platform has acknowledged since the start

    @property
    def client(self) -> PlatformClient:
        """The platform client the events go by (the maintenance menu probes with it)."""
        return self._client

    @property
    def pending(self) -> int:
        return len(self._queue)

    def record(self, kind: StaffEventKind, failures: int = 0, locked_s: float = 0) -> None:
        """Queue one event and send it soon; never waits (call on the event loop)."""
        self._queue = [*self._queue, StaffEvent(
            id=uuid.uuid4().hex, kind=kind, occurred_at=self._clock(), failures=failures,
            locked_s=min(round(locked_s), 24 * 3600))][-MAX_QUEUED:]
        self._wake.ring()

    def wake(self) -> None:
        """Try now (the network is back); safe from any thread."""
        self._wake.ring()

    def in_flight(self) -> list[asyncio.Future[None]]:
        return []  # every send is awaited by `run` itself

    async def run(self) -> None:
        """Send what is queued until cancelled; never raises otherwise."""
        self._wake.bind()
        while True:
            end_if_cancelled()
            self._wake.clear()
            try:
                sent = await self.send_once()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("staff events could not be sent")
                sent = False
            if sent and self._queue:
                continue  # the next batch now
            await self._wake.wait(self.retry_s if self._queue else 24 * 3600.0)

    async def send_once(self) -> bool:
        """One batch, the queue saved first; True when the platform acknowledged it."""
        batch = self._queue[:MAX_STAFF_EVENTS]
        await asyncio.to_thread(self._save, list(self._queue))
        if not batch:
            return True
        try:
            # the first event's id is the batch's Idempotency-Key: the same batch, the same key
            await asyncio.to_thread(self._client.send_staff_events,
                                    StaffEvents(events=batch), batch[0].id)
        except PlatformError as exc:
            log.warning("staff events not delivered, %d queued (%s)", len(self._queue),
                        exc.health_code)
            return False
        sent = {event.id for event in batch}
        self._queue = [event for event in self._queue if event.id not in sent]
        self.delivered += len(batch)
        await asyncio.to_thread(self._save, list(self._queue))
        return True

    def _load(self) -> list[StaffEvent]:
        try:
            raw = json.loads(self._path.read_text(encoding="utf-8"))
            return [StaffEvent.model_validate(item) for item in raw][-MAX_QUEUED:]
        except FileNotFoundError:
            return []
        except (ValueError, TypeError, ValidationError):
            log.warning("the staff events queue %s was unreadable and is dropped", self._path)
            return []

    def _save(self, queue: list[StaffEvent]) -> None:
        replace_atomically(self._path, json.dumps(
            [event.model_dump(mode="json") for event in queue]).encode("utf-8"))
