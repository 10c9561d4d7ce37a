"""The part every simulator shares: a health that tests and the simulator panel can steer.

Each family's own simulator builds on this, so a demo can pull out a reader or run a printer out
of paper without any hardware.
"""

from __future__ import annotations

from devices.health import Health, HealthReporter


class SimulatedDevice(HealthReporter):
    def set_health(self, health: Health) -> None:
        """Steer the simulator (tests, the panel): report `health` from now on."""
        self.report(health)
