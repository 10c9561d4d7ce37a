"""Python's cyclic garbage collector, run on the GUI thread only.

A collection runs in whichever thread happens to allocate when the counts pass their
thresholds: an HTTP call in `asyncio.to_thread`, a device worker, the embedded platform's
server. Qt objects that were part of a reference cycle (a screen and the lambdas its buttons
call) are then destroyed in that thread, and a widget destroyed outside the GUI thread crashes
the process (a segfault whose stack says "Garbage-collecting" in a worker). So automatic
collection is switched off and a timer on the GUI thread collects instead, generation by
generation with the interpreter's own thresholds.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 500


class GuiThreadCollector(QObject):
    def __init__(self, interval_ms: int = INTERVAL_MS, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.collect)
        self._timer.start()

    def collect(self) -> None:
        """What the automatic collector would have done by now, on this thread."""
        young, middle, old = gc.get_count()
        if young > self.thresholds[0]:
            gc.collect(0)
            if middle > self.thresholds[1]:
                gc.collect(1)
                if old > self.thresholds[2]:
                    gc.collect(2)

    def stop(self) -> None:
        """Back to automatic collection if it was on before (tests, shutdown): a caller that
        had switched it off itself (the tests' hook around every Qt test) keeps it off."""
        self._timer.stop()
        if self._was_enabled:
            gc.enable()
