"""How the kiosk's background loops wait: for a wake-up call or a time limit, never for ever.

The outbox sync and the heartbeats wait like this between passes; anything may wake them early
from any thread (an item was put, the network came back, a device's health changed). It lives
here, at the bottom, because the outbox is the lowest layer that has such a loop.

Why not `asyncio.timeout` or `wait_for`: both end the wait by cancelling the waiting task itself.
On Python 3.11 a cancellation from outside (the kiosk stopping) that lands together with theirs
can be taken for the time running out, and a loop that carries on after a timeout then never
ends; a stopping kiosk hung that way. Here the limit is `asyncio.wait`'s, which cancels nothing,
so the only cancellation a loop can meet is the one from outside. `end_if_cancelled` makes a
cancellation that code inside a pass swallowed end the loop all the same.
"""

from __future__ import annotations

import asyncio
import contextlib


class Wakeup:
    """A loop's wake-up call: `ring()` from any thread, `wait(limit)` on the loop."""

    def __init__(self) -> None:
        self._event = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None

    def bind(self) -> None:
        """Rings from other threads go to the running loop from now on (call in the loop)."""
        self._loop = asyncio.get_running_loop()

    def ring(self) -> None:
        """Wake the loop now; before it waits, the ring is kept for its first wait."""
        loop = self._loop
        if loop is None or _running_loop() is loop:
            self._event.set()
        elif not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # closed just now: nobody to wake
                loop.call_soon_threadsafe(self._event.set)

    def clear(self) -> None:
        """Forget rings so far: call before a pass, so a ring during it triggers another."""
        self._event.clear()

    @property
    def rung(self) -> bool:
        return self._event.is_set()

    async def wait(self, limit_s: float) -> bool:
        """True when rung (already, or within `limit_s`); False when the time ran out."""
        if self._event.is_set():
            return True
        waiter = asyncio.ensure_future(self._event.wait())
        try:
            await asyncio.wait((waiter,), timeout=limit_s)
        finally:
            waiter.cancel()
        return self._event.is_set()


def end_if_cancelled() -> None:
    """Raise CancelledError if this task was asked to stop and something swallowed it.

    A loop calls this before each pass: a cancellation that a library caught (3.11's
    `wait_for` does when its inner call finishes as the cancel lands) still stops it.
    """
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:  # a worker thread
        return None
