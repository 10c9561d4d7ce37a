"""Waiting for an order to change, for `GET /api/v1/payments/{id}?state=…&wait_s=N`: the route
awaits an event that whoever changes the order (a route, the resolver, a notification, all in
worker threads) sets, so a terminal learns of a payment at once without asking every second.
A change made by another process is seen when the wait ends."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import AsyncIterator


class Changes:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiting: dict[str, set[tuple[asyncio.AbstractEventLoop, asyncio.Event]]] = {}

    @contextlib.asynccontextmanager
    async def watching(self, order_id: str) -> AsyncIterator[asyncio.Event]:
        """An event set when `order_id` changes from now on (look at the order after entering,
        so no change falls between looking and waiting)."""
        waiter = (asyncio.get_running_loop(), asyncio.Event())
        with self._lock:
            self._waiting.setdefault(order_id, set()).add(waiter)
        try:
            yield waiter[1]
        finally:
            with self._lock:
                waiters = self._waiting.get(order_id)
                if waiters is not None:
                    waiters.discard(waiter)
                    if not waiters:
                        del self._waiting[order_id]

    def waiting(self, order_id: str) -> int:
        """How many requests wait for `order_id` to change now."""
        with self._lock:
            return len(self._waiting.get(order_id, ()))

    def changed(self, order_id: str) -> None:
        """From any thread: wake whoever waits for `order_id`."""
        with self._lock:
            waiters = list(self._waiting.get(order_id, ()))
        for loop, event in waiters:
            with contextlib.suppress(RuntimeError):  # its loop has closed: nobody waits
                loop.call_soon_threadsafe(event.set)
