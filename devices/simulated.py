"""The part every simulator shares: a health that tests and the simulator panel can steer.

Each family's own simulator (added with its device issue) builds on this, so a demo can pull
out a reader or run a printer out of paper without any hardware.
"""

from __future__ import annotations

from collections.abc import Callable

from devices.health import HEALTHY, Health

HealthListener = Callable[[str, Health], None]


class SimulatedDevice:
    def __init__(self, family: str) -> None:
        self.family = family
        self._health = HEALTHY
        self._listeners: list[HealthListener] = []

    def health(self) -> Health:
        return self._health

    def on_health_change(self, listener: HealthListener) -> None:
        self._listeners.append(listener)

    def set_health(self, health: Health) -> None:
        """Steer the simulator (tests, the panel): report `health` from now on."""
        if health == self._health:
            return
        self._health = health
        for listener in list(self._listeners):
            listener(self.family, health)
