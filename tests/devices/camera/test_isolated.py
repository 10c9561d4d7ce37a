"""Work in a child process comes back, and work that overruns is abandoned, not waited for."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import numpy as np
import pytest

from devices.camera.isolated import IsolatedWorker
from kiosk.settings import PROJECT_ROOT
from tests.devices.waiting import wait_until


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


# a kiosk process with a worker, ended the way kiosks end: stopped, restarted (exec), killed
PARENT = """
import os, signal, sys, numpy as np
from devices.camera.isolated import IsolatedWorker
worker = IsolatedWorker("tests.devices.camera.test_isolated:slow_sum", limit_s=10.0)
assert worker.start()
how = sys.argv[1]
if how == "busy":  # the parent goes while the child is working for it
    worker._conn.send(((4, 4), (1.0,)))
    worker._conn.send_bytes(bytes(16))
print(worker._process.pid, flush=True)
if how == "exec":
    os.execv(sys.executable, [sys.executable, "-c", "pass"])
if how == "sigint":  # Ctrl-C in a terminal: the whole process group (this parent ignores it)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.killpg(0, signal.SIGINT)
os.kill(os.getpid(), signal.SIGKILL)
"""


@pytest.mark.parametrize("how", ["exec", "killed", "busy", "sigint"])
def test_the_child_ends_quietly_when_its_parent_goes(how):
    # the parent's stderr pipe is the child's too: reading it to the end waits for both
    parent = subprocess.Popen([sys.executable, "-c", PARENT, how], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, cwd=PROJECT_ROOT,
                              start_new_session=True)
    out, err = parent.communicate(timeout=60)
    child = int(out.split()[0])
    assert wait_until(lambda: not _alive(child)), "the child outlived its parent"
    assert "Traceback" not in err, err


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
