"""The Qt binding keeps Python's reference counts: a kiosk runs for weeks on timers and signals.

PySide6 6.12.0 on Python 3.11 drops one reference to `None` every time Qt calls a Python
override that returns nothing (qasync runs every asyncio callback from `timerEvent`), and one
to `True`/`False` on every signal emitted from a worker thread. On 3.11 those objects are not
immortal: once their count reaches zero the interpreter aborts with "deallocating None". The
demo kiosk got there within minutes of timers; 6.11.3 keeps the counts. pyproject.toml pins the
binding below 6.12 for that; this test fails on a binding that loses them again.

Each check runs in a child process, so a binding that crashes fails this test, not the run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

TICKS = 3000

TIMERS = f"""
import asyncio, sys
import qasync
from PySide6.QtCore import QCoreApplication

app = QCoreApplication([])
loop = qasync.QEventLoop(app)

async def ticks():
    before = sys.getrefcount(None)
    for _ in range({TICKS}):
        await asyncio.sleep(0)  # one asyncio callback, run from qasync's timerEvent
    return before - sys.getrefcount(None)

with loop:
    print(loop.run_until_complete(ticks()))
"""

THREAD_SIGNALS = f"""
import sys, threading
from PySide6.QtCore import QCoreApplication, QObject, Signal

app = QCoreApplication([])

class Relay(QObject):
    ping = Signal(object, object)

relay = Relay()
received = []
def arrived(callback, args):
    received.append(1)
    if len(received) == {TICKS}:
        app.quit()
relay.ping.connect(arrived)
before = sys.getrefcount(True) + sys.getrefcount(False)
worker = threading.Thread(target=lambda: [relay.ping.emit(print, ()) for _ in range({TICKS})])
worker.start()
app.exec()
worker.join()
print(before - sys.getrefcount(True) - sys.getrefcount(False))
"""


def references_lost(program: str) -> int:
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(program)], capture_output=True,
                          text=True, timeout=60,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, f"the Qt program crashed:\n{done.stderr[-2000:]}"
    return int(done.stdout.strip().splitlines()[-1])


def test_asyncio_callbacks_on_qt_keep_the_reference_count_of_none() -> None:
    # a few references come and go with the program itself; one per tick is the defect
    assert references_lost(TIMERS) < TICKS // 10


def test_signals_from_worker_threads_keep_the_reference_counts_of_true_and_false() -> None:
    assert references_lost(THREAD_SIGNALS) < TICKS // 10
