"""Throttling: at most so many events per key (a client address, a user name, a terminal) in
any window of time, remembered in this process only."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable

MAX_KEYS = 10_000  # keys remembered; the oldest go first


class SlidingWindow:
    """At most `limit` events per key in any `window_s` seconds."""

    def __init__(self, limit: int, window_s: float, *, max_keys: int = MAX_KEYS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.window_s = window_s
        self.max_keys = max_keys
        self.clock = clock
        self._events: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def hit(self, key: str) -> float | None:
        """Count an event for `key`; None when allowed, else the seconds until one would be."""
        now = self.clock()
        with self._lock:
            events = self._events.get(key)
            if events is None:
                self._forget_old(now)
                events = self._events[key] = deque()
            while events and events[0] <= now - self.window_s:
                events.popleft()
            if len(events) >= self.limit:
                return max(events[0] + self.window_s - now, 0.001)
            events.append(now)
            self._events.move_to_end(key)
            return None

    def refund(self, key: str) -> None:
        """Take back the latest event of `key` (it turned out not to count)."""
        with self._lock:
            events = self._events.get(key)
            if events:
                events.pop()

    def _forget_old(self, now: float) -> None:
        if len(self._events) < self.max_keys:
            return
        for key in [k for k, ev in self._events.items() if not ev or ev[-1] <= now - self.window_s]:
            del self._events[key]
        while len(self._events) >= self.max_keys:
            self._events.popitem(last=False)
