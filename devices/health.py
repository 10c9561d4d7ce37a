"""Health of a device, as the manager console and `selftest` report it.

One model for every family: a state (`ok | degraded | error | offline`) and a code a manager can
act on (`PAPER_OUT`, `NO_DEVICE` …). Expected faults are values, not exceptions.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum


class HealthState(StrEnum):
    OK = "ok"
    DEGRADED = "degraded"  # works, but needs attention soon (paper low)
    ERROR = "error"  # present but cannot serve (paper out, cover open)
    OFFLINE = "offline"  # not reachable at all (unplugged)


@dataclass(frozen=True)
class Health:
    state: HealthState
    code: str = "OK"
    detail: str = ""  # for staff; never personal data

    @property
    def ok(self) -> bool:
        return self.state is HealthState.OK


HEALTHY = Health(HealthState.OK)


@dataclass(frozen=True)
class Fault:
    """A fault a family can report; the simulator panel offers each one."""

    code: str
    state: HealthState
    label: str  # Simplified Chinese, marked for translation

    @property
    def health(self) -> Health:
        return Health(self.state, self.code)


HealthListener = Callable[[str, Health], None]


class HealthReporter:
    """Holds a device's current health and tells listeners when it changes.

    Drivers report from their worker threads, so listeners may be called on any thread: a
    listener that touches widgets must hand over to the GUI thread itself.
    """

    def __init__(self, family: str) -> None:
        self.family = family
        self._health = HEALTHY
        self._lock = threading.Lock()
        self._listeners: list[HealthListener] = []

    def health(self) -> Health:
        return self._health

    def on_health_change(self, listener: HealthListener) -> None:
        self._listeners.append(listener)

    def report(self, health: Health) -> None:
        with self._lock:
            if health == self._health:
                return
            self._health = health
        for listener in list(self._listeners):
            listener(self.family, health)
