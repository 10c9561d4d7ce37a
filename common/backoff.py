"""How long to wait before trying again: one rule for every retry of the kiosk.

The delay doubles from a base with each failed attempt, is capped, and is drawn at random from
its last fifth (80-100 %). The cap keeps a long outage from growing the wait without bound; the
jitter keeps a hall of kiosks that lost the platform together from coming back in step; and
jittering downwards never waits longer than the plain doubling would.
"""

from __future__ import annotations

import random
from collections.abc import Callable

JITTER = 0.2  # the share of the delay drawn at random
# doublings counted at most: any cap is reached long before, and 2**1024 is past a float
MAX_DOUBLINGS = 60


def backoff(attempt: int, base_s: float, cap_s: float,
            uniform: Callable[[float, float], float] = random.uniform) -> float:
    """Seconds to wait after failed attempt `attempt` (0 for the first): `base_s` doubled per
    attempt, at most `cap_s`, then 80-100 % of that. Any number of attempts is fine: an
    outbox item may fail for weeks."""
    delay = min(cap_s, base_s * 2 ** min(max(attempt, 0), MAX_DOUBLINGS))
    return delay * uniform(1.0 - JITTER, 1.0)
