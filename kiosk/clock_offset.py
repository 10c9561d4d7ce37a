"""How far the terminal's clock is from the platform's, read from the answers' `Date` header.

Every signed request carries the terminal's time, and the platform refuses one more than
`central.contract.MAX_CLOCK_SKEW_S` (300 s) away from its own with TIMESTAMP_SKEWED: then
nothing works any more (no heartbeat, no application, no payment). The answers already say
what time the platform thinks it is: HTTP servers send a `Date` header in IMF-fixdate form,
to the second (RFC 9110 §6.6.1 / RFC 7231 §7.1.1.2: "Date: Sun, 06 Nov 1994 08:49:37 GMT").
Compared with the midpoint of the request's send and receive times (as NTP does with its
timestamps, RFC 5905 §8), that gives the offset to within the round trip plus one second. A
terminal whose clock has drifted (a dead CMOS battery, no NTP in the hall's network) is then
shown on the console as CLOCK_SKEWED long before its requests start being refused.
"""

from __future__ import annotations

import math
import threading
from email.utils import parsedate_to_datetime

from devices.health import HEALTHY, Health, HealthState

# Well below the platform's 300 s, so staff see the drift days before requests are refused
# (a drifting PC clock gains or loses seconds a day); above the header's 1 s resolution plus
# a slow round trip, so a correct clock is never reported.
CLOCK_SKEW_THRESHOLD_S = 5.0
# beyond this the header is not believed (a broken proxy, a date in another century): no
# clock is that far off while the platform still accepts its requests
MAX_BELIEVED_OFFSET_S = 7 * 24 * 3600.0
CLOCK_SKEWED = "CLOCK_SKEWED"
FAMILY = "clock"  # as the heartbeat reports it, beside the devices


def offset_from_date(date_header: str | None, sent_at: float, received_at: float) -> float | None:
    """Seconds the terminal's clock is ahead of the platform's (negative: behind).

    `sent_at` and `received_at` are the terminal's wall-clock times (`time.time()`) around the
    request; None for a missing, malformed or unbelievable header.
    """
    if not date_header or received_at < sent_at:
        return None
    try:
        platform_time = parsedate_to_datetime(date_header)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if platform_time.tzinfo is None:  # "-0000" or no zone: not an IMF-fixdate
        return None
    try:
        platform_s = platform_time.timestamp()
    except (OverflowError, OSError, ValueError):
        return None
    # the header is truncated to the second: its true time is on average half a second later
    offset = (sent_at + received_at) / 2 - (platform_s + 0.5)
    if not math.isfinite(offset) or abs(offset) > MAX_BELIEVED_OFFSET_S:
        return None
    return offset


class ClockOffset:
    """The last offset measured; safe to use from several threads."""

    def __init__(self, threshold_s: float = CLOCK_SKEW_THRESHOLD_S) -> None:
        self.threshold_s = threshold_s
        self._offset: float | None = None
        self._lock = threading.Lock()

    @property
    def offset_s(self) -> float | None:
        """None before the first answer with a readable `Date` header."""
        return self._offset

    def record(self, date_header: str | None, sent_at: float, received_at: float) -> None:
        offset = offset_from_date(date_header, sent_at, received_at)
        if offset is not None:
            with self._lock:
                self._offset = offset

    def health(self) -> Health | None:
        """CLOCK_SKEWED (degraded) beyond the threshold, OK within it, None before a measure."""
        offset = self._offset
        if offset is None:
            return None
        if abs(offset) <= self.threshold_s:
            return HEALTHY
        # positive: the terminal is ahead of the platform
        return Health(HealthState.DEGRADED, CLOCK_SKEWED, f"{offset:+.0f} s")
