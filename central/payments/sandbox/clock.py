"""The gateway's sense of time: the real clock, or one a test moves by hand.

Rules that are about time (a pay code lives a minute, WeChat Pay takes a reverse only some
seconds after the charge, notifications are retried later, a trade is finished after its
refund period) read this clock, so a test moves it instead of waiting. What the SDKs sign
(request timestamps) is checked against the machine's real time: the SDKs read it themselves.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta, timezone
from typing import Protocol

BEIJING = timezone(timedelta(hours=8), "Asia/Shanghai")  # both providers' dates and times


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class ManualClock:
    """A clock that stands still until `advance` moves it (thread-safe)."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime.now(UTC)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> datetime:
        with self._lock:
            self._now += timedelta(seconds=seconds)
            return self._now
