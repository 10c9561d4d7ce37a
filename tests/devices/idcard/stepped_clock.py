"""A poll clock the test moves: minutes of polling pass in the time the exchanges take.

The reader waits on it between polls; `run_for` lets it go from wait to wait until the clock
has advanced by that much, and returns with the reader waiting again, so everything it did
meanwhile has happened (and its events have been published).
"""

from __future__ import annotations

import threading

from tests.devices.waiting import DEADLINE_S


class SteppedClock:
    def __init__(self) -> None:
        self._now = 1000.0
        self._changed = threading.Condition()
        self._waiting_until: float | None = None  # the reader's wake-up time while it waits
        self.waits = 0  # how many times the reader has waited (once a poll, once a reopen)

    def now(self) -> float:
        with self._changed:
            return self._now

    def wait(self, stop: threading.Event, seconds: float) -> bool:
        with self._changed:
            wake = self._now + max(0.0, seconds)
            self._waiting_until = wake
            self.waits += 1
            self._changed.notify_all()
            while self._now < wake and not stop.is_set():
                self._changed.wait(0.05)  # a stop is not notified: look at it now and then
            self._waiting_until = None
            self._changed.notify_all()
            return stop.is_set()

    def _reader_waiting(self) -> float:
        """Block (real time) until the reader waits; its wake-up time (the lock held)."""
        if not self._changed.wait_for(lambda: self._waiting_until is not None, DEADLINE_S):
            raise AssertionError(f"the reader did not come to wait within {DEADLINE_S} s")
        assert self._waiting_until is not None
        return self._waiting_until

    def run_for(self, seconds: float) -> None:
        """Let the reader poll for `seconds` of clock time."""
        with self._changed:
            target = self._now + seconds
            while True:
                wake = self._reader_waiting()
                if wake > target:
                    self._now = target
                    return
                self._now = wake
                waits = self.waits
                self._changed.notify_all()
                # the reader takes its turn: wait until it has come to its next wait
                if not self._changed.wait_for(lambda w=waits: self.waits > w, DEADLINE_S):
                    raise AssertionError(f"the reader did not wait again within {DEADLINE_S} s")
