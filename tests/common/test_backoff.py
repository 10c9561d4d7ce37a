"""One retry rule: doubling from a base, capped, jittered downwards; for any number of tries."""

from __future__ import annotations

import random

import pytest

from common.backoff import backoff


def lowest(low: float, high: float) -> float:
    return low


def highest(low: float, high: float) -> float:
    return high


def test_the_delay_doubles_from_the_base_up_to_the_cap():
    assert [backoff(n, 5.0, 60.0, highest) for n in range(6)] == [5, 10, 20, 40, 60, 60]
    assert backoff(-1, 5.0, 60.0, highest) == 5, "a negative count is the first attempt"


def test_the_jitter_only_shortens_the_delay_by_at_most_a_fifth():
    assert [backoff(n, 0.5, 600.0, lowest) for n in range(3)] == pytest.approx([0.4, 0.8, 1.6])
    random.seed(8)
    delays = [backoff(3, 5.0, 600.0) for _ in range(200)]
    assert all(32 <= delay <= 40 for delay in delays)
    assert len(set(delays)) > 100, "kiosks coming back together do not retry in step"


def test_any_number_of_attempts_gives_the_cap():
    # an item failing for weeks: 2**1100 seconds is no float, the cap still applies
    assert backoff(1100, 5.0, 600.0, highest) == 600
    assert backoff(10**6, 0.5, 4.0, lowest) == pytest.approx(3.2)
