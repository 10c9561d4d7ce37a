"""Waiting in device tests for something a worker thread does.

A deadline here only bounds a failure: it is generous, so a busy machine makes a passing test
slower, never a failing one. What must *not* happen is checked after counting what must (polls,
frames, requests), never after a fixed sleep.
"""

from __future__ import annotations

import time

DEADLINE_S = 30.0


def wait_until(condition, timeout=DEADLINE_S):
    """True as soon as `condition()` holds, False when `timeout` seconds pass first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return bool(condition())
