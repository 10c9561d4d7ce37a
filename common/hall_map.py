"""The port through which flows read the hall map (大厅导航), with the platform's models
(`central.contract.hall_map`).

Implemented by `kiosk.hall_map_source.PlatformHallMap`: the platform's map, or the kiosk's last
copy of it when the platform cannot be reached (so directions work offline), its age known.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from central.contract.hall_map import HallMap

__all__ = ["HallMapSource", "HallMapView"]


@dataclass(frozen=True)
class HallMapView:
    map: HallMap
    png: bytes = field(repr=False)  # the plan, scaled to at most `SHOWN_SIDE` px a side
    fetched_at: datetime  # when the platform last gave (or confirmed) it
    from_copy: bool  # the platform was not reached: the kiosk's last copy


class HallMapSource(Protocol):
    async def current(self) -> HallMapView | None:
        """The hall's map; None when the platform cannot be reached and there is no copy."""
        ...
