"""Waiting in device tests for something a worker thread does."""

from __future__ import annotations

import time


def wait_until(condition, timeout=5.0):
    """True as soon as `condition()` holds, False when `timeout` seconds pass first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return False
