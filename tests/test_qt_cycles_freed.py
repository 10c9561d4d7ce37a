"""A Qt test leaves no Qt object for Python's cyclic collector to free on some other thread.

Widgets in reference cycles outlive the test that made them; the collector then frees them in
whichever thread allocates next (a render in `asyncio.to_thread`, a device's thread), and a Qt
object destroyed there corrupts Qt: the next kiosk built on the main thread segfaulted. The
hook in tests/conftest.py frees a Qt test's cycles on the main thread when the test ends.

Two tests run in a child pytest with that conftest: the first leaves a screen in a cycle, the
second, which is no Qt test, looks for it among what the collector would free.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

TWO_TESTS = """
import gc

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget
from shiboken6 import Shiboken


class Screen(QWidget):
    def __init__(self):
        super().__init__()
        self.timer = QTimer(self)
        self.timer.start(60_000)
        self.itself = self  # a screen and the lambdas its buttons call, in short


def test_a_screen_is_left_in_a_reference_cycle(qapp):
    screen = Screen()  # a screen the window has moved on from, say
    gc.collect()  # it lives on to the oldest generation, which is rarely collected: a kiosk's does


def test_no_qt_object_is_left_for_the_collector():
    gc.set_debug(gc.DEBUG_SAVEALL)  # what a collection would free, kept to be looked at
    try:
        gc.collect()
        left = [type(o).__name__ for o in gc.garbage if isinstance(o, Shiboken.Object)]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert left == []
"""


def test_a_qt_tests_cycles_are_freed_on_the_main_thread_when_it_ends(tmp_path):
    tests = tmp_path / "test_two.py"
    tests.write_text(textwrap.dedent(TWO_TESTS), encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
         "-p", "tests.conftest", "--rootdir", str(ROOT), "-c", str(ROOT / "pyproject.toml"),
         str(tests)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=100)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
