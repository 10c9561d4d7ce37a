"""The worker thread a driver watches its device from: started once, stopped on request.

Drivers own one each; `stop()` asks the loop to end (its `threading.Event`) and waits for it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)


class Worker:
    def __init__(self, name: str, join_s: float) -> None:
        self.name = name
        self.join_s = join_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, loop: Callable[[threading.Event], None]) -> None:
        """Run `loop(stop_event)` in a daemon thread, unless it already runs; idempotent."""
        if self.running:
            return
        self._stop = threading.Event()
        self._thread = threading.Thread(target=loop, args=(self._stop,), name=self.name,
                                        daemon=True)
        self._thread.start()

    def stop(self, interrupt: Callable[[], None] = lambda: None) -> None:
        """Ask the loop to end, then `interrupt()` what it may be blocked in (a read), then
        wait for it; in this order, so the interrupted loop sees that it is to stop."""
        self._stop.set()
        interrupt()
        if self._thread is not None:
            self._thread.join(timeout=self.join_s)
            if self._thread.is_alive():
                log.warning("%s did not stop within %.1f s", self.name, self.join_s)
            self._thread = None
