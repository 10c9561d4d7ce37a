"""The "cut the network" switch: one switch every platform client of a terminal obeys.

For the demo's simulator panel and for tests. While cut, every request fails at once with
`PlatformError` OFFLINE, as a pulled cable would make it fail (only sooner: no timeout to wait
out), so the kiosk's offline paths run exactly as in a real outage: the catalog is served from
its snapshot, heartbeats are missed, applications wait in the outbox. On a real terminal
nobody cuts it and it costs one flag check per request.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)


class NetworkSwitch:
    """Thread-safe: clients check it from worker threads, the panel flips it from the GUI."""

    def __init__(self) -> None:
        self._cut = threading.Event()
        self._listeners: list[Callable[[bool], None]] = []

    @property
    def is_cut(self) -> bool:
        return self._cut.is_set()

    def cut(self) -> None:
        self._set(cut=True)

    def restore(self) -> None:
        self._set(cut=False)

    def on_change(self, listener: Callable[[bool], None]) -> None:
        """Call `listener(cut)` after every change, on the thread that flipped the switch."""
        self._listeners.append(listener)

    def _set(self, *, cut: bool) -> None:
        if cut == self.is_cut:
            return
        if cut:
            self._cut.set()
        else:
            self._cut.clear()
        log.warning("network %s (simulated)", "cut" if cut else "restored")
        for listener in list(self._listeners):
            try:
                listener(cut)
            except Exception:  # a listener's bug must not leave the switch half flipped
                log.exception("network switch listener failed")
