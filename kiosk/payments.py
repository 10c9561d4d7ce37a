"""Paying a fee at the kiosk, the terminal's side: the platform's payment calls with the journal
kept up to date, the applications held for their payment, and the settler that releases what a
flow could not.

The platform, never the kiosk, talks to the payment providers (`central.contract.payments`).
Nothing here can charge anyone twice or lose a payment:

- An application is committed to the outbox *held* before the person pays, and released once
  the payment is settled: naming the paid order, the unpaid one the person pays later by its
  缴款码 (the platform links them), or none (the platform accepts a fee-bearing application
  unpaid; the receipt tells how to pay later).
- Each attempt is journaled (`offline_cache.payment_journal`) before the platform hears of it,
  under the key the order request carries, and the order's id before the person is shown
  anything to pay with; each answer of the platform updates it. A pay code is journaled as
  `paying` before it is handed over: its outcome is the platform's to tell.
- A held application whose flow has gone (the person walked away, the platform stopped
  answering mid-payment, the kiosk crashed or lost power) is settled by `run`, at start and
  then in the background. The rule, for each of its attempts:

  - no order id: never shown, never paid;
  - `paid`, `closed`, `refunded`: as journaled, nothing to ask;
  - `unpaid`: nothing is being charged: cancelled, so a QR code nobody watches is closed (the
    cancel's answer counts: `paid` when the person paid just before);
  - `paying` (or not known): asked again, waiting for a change, until the platform has
    reversed or completed it; the person's walking away asks it to reverse (cancel);
  - `unresolved`: asked again; if still so, the platform's staff reconcile it.

  Once every attempt is known the application is released with the paid order, or without;
  while one is not, it stays held and is asked about again. A paid order is never followed by
  a request to pay again: the kiosk creates no new order while an earlier one may still be
  charged (`flows.payment`), and here only asks or cancels.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import TypeVar

from central.contract.payments import (
    PaymentChannel,
    PaymentOrder,
    PaymentOrderRequest,
    PaymentQr,
    PaymentState,
)
from common.citizen_services import ServiceUnavailable
from kiosk.platform_client import PlatformClient, PlatformError, PlatformErrorKind
from offline_cache.outbox import OutboxItem, OutboxState
from offline_cache.outbox_sync import OutboxSync
from offline_cache.payment_journal import Attempt, PaymentJournal
from offline_cache.wakeup import Wakeup, end_if_cancelled

log = logging.getLogger(__name__)

T = TypeVar("T")

PAYMENT_ORDER_KEY = "payment_order_id"  # the field of ApplicationSubmission that names it
SETTLER_WAIT_S = 10  # how long the settler lets the platform hold a question about a charge
KEEP_SETTLED = timedelta(days=30)  # settled attempts are kept this long, for staff
# known for good: the application can be released on these
_KNOWN: dict[str, PaymentState] = {"paid": "paid", "closed": "closed", "refunded": "refunded"}


class Payments:
    """The payment calls of the citizen services port, and the settler (`run`)."""

    def __init__(self, client: PlatformClient, journal: PaymentJournal, sync: OutboxSync,
                 wait_threads: int = 3) -> None:
        self._client = client
        self.journal = journal
        self._sync = sync
        # long polls get threads of their own, so a wait a person walked away from never
        # holds up the kiosk's other work (SQLite, the outbox) in the default executor
        self._waits = ThreadPoolExecutor(max_workers=wait_threads,
                                         thread_name_prefix="payment-wait")
        self._held: dict[str, str] = {}  # local number → outbox item id, of a flow's
        self._in_hand: set[str] = set()  # outbox item ids a flow is still paying for
        self._to_cancel: set[str] = set()  # orders the person walked away from
        self._wake = Wakeup()

    # -- the held application ---------------------------------------------------------------

    async def hold(self, kind: str, payload: dict[str, object]) -> OutboxItem:
        """Commit `payload` held, as the flow's: the settler leaves it alone until `release`
        or `leave`. Marked before it is put, so no pass can take it for a left one."""
        item_id = str(uuid.uuid4())
        self._in_hand.add(item_id)
        try:
            item = await self._sync.enqueue(kind, payload, held=True, item_id=item_id)
        except BaseException:
            self._in_hand.discard(item_id)  # put or not: the settler sees to it
            self._wake.ring()
            raise
        self._held[item.local_number] = item.id
        return item

    async def release(self, local_number: str, order_id: str | None) -> OutboxItem | None:
        """The held application goes, naming `order_id`; its attempts are settled."""
        item_id = self._held.get(local_number)
        if item_id is None:
            found = await asyncio.to_thread(self._sync.outbox.find, local_number)
            item_id = found.id if found is not None else None
        if item_id is None:
            log.error("no held application %s to release", local_number)
            return None
        await self._sync.release(item_id, {PAYMENT_ORDER_KEY: order_id} if order_id else None)
        # the journal calls an order paid only as the platform said it: a named unpaid order
        # (the person pays it later by its 缴款码) is settled unpaid
        attempts = await asyncio.to_thread(self.journal.attempts, local_number)
        paid = order_id if any(a.order_id == order_id and a.state == "paid"
                               for a in attempts) else None
        await asyncio.to_thread(self.journal.settle, local_number, paid)
        self._let_go(local_number)
        return await asyncio.to_thread(self._sync.outbox.get, item_id)

    def leave(self, local_number: str, cancel_order_id: str | None) -> None:
        """The flow is gone without releasing: the settler takes the application over."""
        if cancel_order_id is not None:
            self._to_cancel.add(cancel_order_id)
        self._let_go(local_number)
        self._wake.ring()

    def _let_go(self, local_number: str) -> None:
        item_id = self._held.pop(local_number, None)
        if item_id is not None:
            self._in_hand.discard(item_id)

    # -- the platform's payment calls, journaled ----------------------------------------------

    async def create(self, request: PaymentOrderRequest, idempotency_key: str) -> PaymentOrder:
        await asyncio.to_thread(self.journal.started, idempotency_key, request.local_number,
                                request.service_id)
        order = await asyncio.to_thread(self._client.create_payment, request, idempotency_key)
        if not await asyncio.to_thread(self.journal.ordered, idempotency_key, order.order_id,
                                       order.state):
            raise PlatformError(PlatformErrorKind.UNEXPECTED,
                                f"POST /payments: {order.order_id} answers another attempt")
        return order

    async def pay_with_code(self, order_id: str, auth_code: str) -> PaymentOrder:
        # from here its outcome is the platform's to tell: asked, never cancelled, after a crash
        await asyncio.to_thread(self.journal.answered, order_id, "paying")
        return await self._journaled(self._client.pay_with_code, order_id, auth_code,
                                     str(uuid.uuid4()))

    async def qr(self, order_id: str, channel: PaymentChannel) -> PaymentQr:
        qr = await asyncio.to_thread(self._client.payment_qr, order_id, channel,
                                     str(uuid.uuid4()))
        await asyncio.to_thread(self.journal.answered, order_id, qr.order.state)
        return qr

    async def wait(self, order_id: str, state: PaymentState, wait_s: float) -> PaymentOrder:
        loop = asyncio.get_running_loop()
        order = await loop.run_in_executor(self._waits, self._client.payment, order_id, state,
                                           wait_s)
        await asyncio.to_thread(self.journal.answered, order_id, order.state)
        return order

    async def cancel(self, order_id: str) -> PaymentOrder:
        return await self._journaled(self._client.cancel_payment, order_id, str(uuid.uuid4()))

    async def _journaled(self, call: Callable[..., PaymentOrder], order_id: str,
                         *args: str) -> PaymentOrder:
        order = await asyncio.to_thread(call, order_id, *args)
        await asyncio.to_thread(self.journal.answered, order_id, order.state)
        return order

    # -- the settler ------------------------------------------------------------------------

    def wake(self) -> None:
        """Settle now (the network came back). Thread-safe."""
        self._wake.ring()

    async def run(self, tick_s: float = 30.0) -> None:
        """Settle the held applications no flow is paying for: at once (after a restart, all
        of them), then whenever woken and every `tick_s`. Until cancelled; never raises else."""
        self._wake.bind()
        while True:
            end_if_cancelled()
            self._wake.clear()
            try:
                await self.settle_pass()
            except Exception:
                log.exception("payment settling pass failed")
            await self._wake.wait(tick_s)

    async def settle_pass(self) -> int:
        """One pass; returns how many held applications are still waiting on a payment."""
        held = await asyncio.to_thread(self._sync.outbox.items, OutboxState.HELD)
        waiting = 0
        for item in held:
            if item.id in self._in_hand:
                continue
            if not await self._settle(item):
                waiting += 1
        await self._tidy({item.local_number for item in held})
        return waiting

    async def _settle(self, item: OutboxItem) -> bool:
        """Release `item` if every attempt to pay for it is known; False while one is not."""
        attempts = await asyncio.to_thread(self.journal.attempts, item.local_number)
        paid: str | None = None
        unresolved: set[str] = set()
        known = True
        for attempt in attempts:
            if attempt.order_id is None:
                continue  # the platform's order was never shown to anyone: nothing paid
            state = await self._resolve(attempt)
            if state is None:
                known = False
            elif state == "paid":
                if paid is not None:
                    log.error("application %s has two paid orders: %s is named, %s is not",
                              item.local_number, paid, attempt.order_id)
                else:
                    paid = attempt.order_id
            elif state == "unresolved":
                unresolved.add(attempt.order_id)
        if not known:
            return False
        await self._sync.release(item.id, {PAYMENT_ORDER_KEY: paid} if paid else None)
        await asyncio.to_thread(self.journal.settle, item.local_number, paid,
                                frozenset(unresolved))
        log.info("held application %s released %s", item.local_number,
                 f"with paid order {paid}" if paid else "unpaid")
        if unresolved:
            log.warning("payment of %s unresolved at the platform (%s): staff reconcile it",
                        item.local_number, ", ".join(sorted(unresolved)))
        return True

    async def _resolve(self, attempt: Attempt) -> PaymentState | None:
        """What became of one attempt's order, asking the platform when the journal cannot
        tell; None: not known yet (still being charged, or the platform unreachable)."""
        order_id = attempt.order_id
        assert order_id is not None
        if attempt.state in _KNOWN:
            return _KNOWN[attempt.state]
        try:
            if attempt.state == "unpaid" or order_id in self._to_cancel:
                order = await self.cancel(order_id)
                self._to_cancel.discard(order_id)
            else:  # paying, unresolved, or what a crash left unknown
                state: PaymentState = "unresolved" if attempt.state == "unresolved" else "paying"
                order = await self.wait(order_id, state, SETTLER_WAIT_S)
        except ServiceUnavailable as exc:
            log.info("payment %s not known yet: %s", order_id, exc)
            return None
        if order.state in _KNOWN or order.state == "unresolved":
            return order.state
        return None  # unpaid (cancelled next pass) or still paying

    async def _tidy(self, held: set[str]) -> None:
        """Attempts of an application that left the hold unsettled (a crash between the
        release and the journal): settled as journaled. And old settled attempts go."""
        loose: dict[str, str | None] = {}
        for attempt in await asyncio.to_thread(self.journal.unsettled):
            if attempt.local_number in held or attempt.local_number in self._held:
                continue
            paid = attempt.order_id if attempt.state == "paid" else None
            loose[attempt.local_number] = loose.get(attempt.local_number) or paid
        for local_number, paid in loose.items():
            await asyncio.to_thread(self.journal.settle, local_number, paid)
        await asyncio.to_thread(self.journal.forget_settled, KEEP_SETTLED)

    def close(self) -> None:
        self._waits.shutdown(wait=False, cancel_futures=True)
