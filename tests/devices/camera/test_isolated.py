"""Work in a child process comes back, and work that overruns is abandoned, not waited for."""

from __future__ import annotations

import time

import numpy as np

from devices.camera.isolated import IsolatedWorker


def slow_sum(image: np.ndarray, seconds: float) -> int:
    """Runs in the child."""
    time.sleep(seconds)
    return int(image.astype(np.int64).sum())


def test_a_result_comes_back_and_an_overrun_is_killed_and_replaced():
    worker = IsolatedWorker("tests.devices.camera.test_isolated:slow_sum", limit_s=0.5)
    image = np.arange(48 * 64, dtype=np.uint8).reshape(48, 64)
    try:
        assert worker.start()
        assert worker.call(image, 0.0) == int(image.astype(np.int64).sum())
        started = time.monotonic()
        assert worker.call(image, 30.0) is None  # stuck: abandoned at the limit
        assert time.monotonic() - started < 2.0
        assert worker.restarts == 1
        assert worker.call(image, 0.0) == int(image.astype(np.int64).sum())  # a fresh child
    finally:
        worker.stop()
