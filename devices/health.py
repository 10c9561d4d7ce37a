"""Health of a device, as the manager console and `selftest` report it.

One model for every family: a state (`ok | degraded | error | offline`) and a code a manager can
act on (`PAPER_OUT`, `NO_DEVICE` …). Expected faults are values, not exceptions.
"""

from __future__ import annotations

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
