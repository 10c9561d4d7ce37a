"""What stands in front of a console password check: a sliding-window throttle by client
address and by user name, and a cap on how many password hashes run at once.

An argon2id check takes 64 MiB and a fifth of a second of CPU: forty at once took 1.1 GB and
made `/api/v1/health` answer in 7 s. Here at most `slots` run at a time; the others wait on the
event loop (not on a worker thread, which health and heartbeats need) for up to `wait_s`, then
are refused with 503. The throttles refuse with 429 before any account is looked at, so their
answer says nothing about which user names exist; both count attempts, not failures, because
twelve guesses sent at once are all in flight before the first has failed.
"""

from __future__ import annotations

import asyncio
import math
import os
import threading
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass

from central.throttle import SlidingWindow

ADDRESS_LIMIT = 10  # login attempts per client address ...
NAME_LIMIT = 10  # ... and per user name (existing or not) ...
WINDOW_S = 60.0  # ... in any minute
HASH_WAIT_S = 2.0  # how long a login waits for a free hashing slot before a 503


def default_slots() -> int:
    """One hash per core, at most 4: a hash is 64 MiB and uses a core (argon2-cffi releases
    the GIL, so hashes run in parallel with the rest of the platform)."""
    return max(1, min(4, os.cpu_count() or 1))


class HashSlots:
    """At most `slots` password checks at a time, waited for without holding a thread.

    A threading semaphore polled from the event loop: it does not belong to any one event loop
    (a test client may start one per request) and the waiting costs no worker thread.
    """

    POLL_S = 0.01

    def __init__(self, slots: int) -> None:
        self.slots = slots
        self._free = threading.BoundedSemaphore(slots)

    @asynccontextmanager
    async def slot(self, wait_s: float) -> AsyncIterator[bool]:
        """Yields True holding a slot, or False when none came free within `wait_s`."""
        deadline = time.monotonic() + wait_s
        while not self._free.acquire(blocking=False):
            if time.monotonic() >= deadline:
                yield False
                return
            await asyncio.sleep(self.POLL_S)
        try:
            yield True
        finally:
            self._free.release()


@dataclass(frozen=True)
class Refusal:
    status: int  # 429 (throttled) or 503 (no hashing slot came free)
    message: str
    retry_after_s: int


class LoginGuard:
    """The throttles and the hashing cap of one platform (kept on `app.state.login_guard`)."""

    def __init__(self, *, slots: int | None = None, address_limit: int = ADDRESS_LIMIT,
                 name_limit: int = NAME_LIMIT, window_s: float = WINDOW_S,
                 hash_wait_s: float = HASH_WAIT_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.by_address = SlidingWindow(address_limit, window_s, clock=clock)
        self.by_name = SlidingWindow(name_limit, window_s, clock=clock)
        self.hashes = HashSlots(slots or default_slots())
        self.hash_wait_s = hash_wait_s

    def admit(self, address: str, username: str) -> Refusal | None:
        """Count an attempt; a refusal when the address or the name has had too many."""
        wait = self.by_address.hit(f"a:{address}")
        if wait is None:
            wait = self.by_name.hit(f"n:{username[:100]}")
            if wait is not None:
                self.by_address.refund(f"a:{address}")
        if wait is None:
            return None
        seconds = math.ceil(wait)
        return Refusal(429, f"登录尝试过于频繁，请 {seconds} 秒后再试。", seconds)

    def refund(self, address: str, username: str) -> None:
        """The attempt did not count (it succeeded, or was never checked)."""
        self.by_address.refund(f"a:{address}")
        self.by_name.refund(f"n:{username[:100]}")

    @staticmethod
    def busy() -> Refusal:
        return Refusal(503, "同时登录的人太多，请稍后再试。", 5)
