"""Every long-running loop of the kiosk ends when cancelled, whatever the moment.

A stopping kiosk (maintenance, restart, update, SIGTERM) cancels its loops and waits for them;
one that swallows the cancellation keeps the kiosk from ever stopping. Each loop here is
cancelled at 500 seeded moments (tests/cancel_fuzz.py): at random, in the instant its own
timer fires, as it is woken, and mid-pass. Its outside world (the platform, the outbox, the
person) is a quick stand-in that answers a little differently each time.
"""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime
from types import SimpleNamespace

from central.contract import HeartbeatAnswer
from central.contract.payments import PaymentOrder
from kiosk.payments import Payments
from kiosk.platform_client import PlatformError, PlatformErrorKind
from kiosk.session import IdleWatch, serve_sessions
from kiosk.snapshot_source import SnapshotSource
from kiosk.telemetry import Telemetry
from offline_cache.catalog_snapshot import CatalogSnapshots
from offline_cache.outbox_sync import Delivered, OutboxSync, Refused, RetryLater
from offline_cache.payment_journal import Attempt
from tests.cancel_fuzz import Loop, cancel_at_random_moments

OFFLINE = PlatformError(PlatformErrorKind.OFFLINE, "the network is cut")


class QuickOutbox:
    """An outbox that always has an item or none due, as the dice say; nothing is stored."""

    def __init__(self, rnd: random.Random) -> None:
        self._rnd = rnd

    def backlog(self) -> int:
        return self._rnd.randrange(3)

    def due(self, limit: int, *, ignore_backoff: bool = False) -> list[SimpleNamespace]:
        if self._rnd.random() < 0.5:
            return []
        return [SimpleNamespace(id="1", attempts=self._rnd.randrange(4), local_number="L1")]

    def delivered(self, item_id: str, result: str) -> None: ...

    def retry_later(self, item_id: str, reason: str, at: datetime) -> None: ...

    def refused(self, item_id: str, reason: str) -> None: ...


def test_the_outbox_sync_loop_always_stops() -> None:
    def outbox_sync(rnd: random.Random) -> Loop:
        outcomes = (Delivered("{}"), RetryLater("offline"), Refused("invalid"))
        sync = OutboxSync(QuickOutbox(rnd), lambda item: rnd.choice(outcomes),  # type: ignore[arg-type]
                          base_s=0.2, cap_s=1.0)
        return Loop(sync.run(tick_s=0.5), wake=sync.wake)

    assert cancel_at_random_moments(outbox_sync) == []


def test_the_heartbeat_loop_always_stops() -> None:
    def heartbeats(rnd: random.Random) -> Loop:
        def send_heartbeat(heartbeat: object) -> HeartbeatAnswer:
            if rnd.random() < 0.3:
                raise OFFLINE
            return HeartbeatAnswer(received_at=datetime.now(UTC), maintenance=False)

        beats = Telemetry(SimpleNamespace(send_heartbeat=send_heartbeat),  # type: ignore[arg-type]
                          0.5, dict)
        return Loop(beats.run(), wake=beats.poke)

    assert cancel_at_random_moments(heartbeats) == []


def test_the_catalog_and_knowledge_refresh_loop_always_stops(tmp_path) -> None:
    snapshots = CatalogSnapshots(tmp_path / "catalog.sqlite3")

    def refresh(rnd: random.Random) -> Loop:
        def fetch(etag: str | None) -> tuple[None, str | None]:
            if rnd.random() < 0.5:
                raise OFFLINE
            return None, etag  # a 304 with nothing served yet: offline too

        source = SnapshotSource("catalog", fetch, snapshots)
        return Loop(source.run_refresh_loop(0.5, retry_s=0.3))

    assert cancel_at_random_moments(refresh) == []


def test_the_session_loop_always_stops() -> None:
    def sessions(rnd: random.Random) -> Loop:
        async def ask_to_continue(countdown_s: float) -> bool:
            await asyncio.sleep(rnd.choice((0, countdown_s)))
            return rnd.random() < 0.5

        async def citizen(session: object) -> None:  # a visit that ends, or one that waits
            await asyncio.sleep(rnd.choice((0, 0.2, 30.0)))

        idle = IdleWatch(0.3, 0.2, ask_to_continue)
        return Loop(serve_sessions(citizen, idle), wake=idle.touch)

    assert cancel_at_random_moments(sessions) == []


class QuickPayments:
    """The settler's world: a held application or none, attempts in any state, a platform that
    answers any state or not at all."""

    def __init__(self, rnd: random.Random) -> None:
        self._rnd = rnd

    # the outbox
    def items(self, state: object = None) -> list[SimpleNamespace]:
        return [SimpleNamespace(id="1", local_number="L1")] if self._rnd.random() < 0.7 else []

    def release(self, item_id: str, changes: object = None) -> bool:
        return True

    def backlog(self) -> int:
        return 1

    # the journal
    def attempts(self, local_number: str) -> list[Attempt]:
        state = self._rnd.choice(("started", "unpaid", "paying", "paid", "unresolved"))
        order = None if state == "started" else "PO20261123000001"
        return [Attempt("k", local_number, "SS-022", datetime.now(UTC), order, state, None)]

    def settle(self, *args: object) -> None: ...

    def unsettled(self) -> list[Attempt]:
        return []

    def forget_settled(self, older_than: object) -> int:
        return 0

    def answered(self, order_id: str, state: str) -> None: ...

    # the platform
    def _order(self, *args: object) -> PaymentOrder:
        if self._rnd.random() < 0.3:
            raise OFFLINE
        return PaymentOrder(order_id="PO20261123000001", service_id="SS-022", item="工本费",
                            amount_fen=1000, notice_code="1", reference="1",
                            state=self._rnd.choice(("unpaid", "paying", "paid", "closed")))

    cancel_payment = payment = _order


def test_the_payment_settler_loop_always_stops() -> None:
    def settler(rnd: random.Random) -> Loop:
        world = QuickPayments(rnd)
        sync = OutboxSync(world, lambda item: Delivered("{}"))  # type: ignore[arg-type]
        payments = Payments(world, world, sync)  # type: ignore[arg-type]
        return Loop(payments.run(tick_s=0.5), wake=payments.wake)

    assert cancel_at_random_moments(settler, trials=200) == []


def test_the_fuzz_finds_a_loop_that_swallows_a_cancellation() -> None:
    # Python 3.11's wait_for: when the awaited thing finished as the cancel landed, the result
    # won and the cancellation was dropped. A loop built on that never ends; so must the fuzz say.
    def swallowing(rnd: random.Random) -> Loop:
        event = asyncio.Event()

        async def run() -> None:
            while True:
                try:
                    await event.wait()
                except asyncio.CancelledError:
                    if not event.is_set():
                        raise
                event.clear()

        return Loop(run(), wake=event.set)

    assert cancel_at_random_moments(swallowing) != []
