"""The port through which flows use the hall's 便民服务 tiles, with the platform's models
(`central.contract.convenience`).

Implemented by `kiosk.convenience_service.PlatformConvenienceService`, which keeps the tile
list, each feed's last answer and each print tile's document on disk: with the platform away
the tiles, the feeds (with their age) and the documents still serve (`Kept.offline`); a lookup
needs the network. Every method raises `ServiceUnavailable` when it can give nothing, never an
HTTP client's exception.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Generic, Protocol, TypeVar

from central.contract.convenience import FeedAnswer, LookupAnswer, Tile
from common.citizen_services import ServiceUnavailable

__all__ = ["ConvenienceService", "Kept", "ServiceUnavailable"]

T = TypeVar("T")


@dataclass(frozen=True)
class Kept(Generic[T]):
    """An answer of the platform, and whether it is the kiosk's copy of an earlier one."""

    value: T
    saved_at: datetime  # when the kiosk got it from the platform (aware)
    offline: bool = False  # the platform could not be asked just now


class ConvenienceService(Protocol):
    async def tiles(self) -> Kept[list[Tile]]:
        """This hall's tiles in order."""
        ...

    async def feed(self, tile: Tile) -> Kept[FeedAnswer]:
        """A feed tile's lines (the platform's copy, with when its third party gave them)."""
        ...

    async def lookup(self, tile: Tile, values: dict[str, str]) -> LookupAnswer:
        """A lookup tile's answer; the platform must be reachable."""
        ...

    async def document(self, tile: Tile) -> bytes:
        """A print tile's PDF, the kiosk's copy when it has the tile's current one."""
        ...
