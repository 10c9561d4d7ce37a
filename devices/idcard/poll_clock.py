"""The clock the reader's polls keep time by: the system's, or one a test moves.

Only the pacing of polls (every 0.3 s, reopening the port every second) follows it; how long
the reader waits for the bytes of an answer is real time, always.
"""

from __future__ import annotations

import threading
import time
from typing import Protocol


class PollClock(Protocol):
    def now(self) -> float: ...

    def wait(self, stop: threading.Event, seconds: float) -> bool:
        """Wait `seconds` or until `stop` is set; True when stopped."""
        ...


class SystemClock:
    def now(self) -> float:
        return time.monotonic()

    def wait(self, stop: threading.Event, seconds: float) -> bool:
        return stop.wait(max(0.0, seconds))


SYSTEM_CLOCK = SystemClock()
