"""The 便民服务 port (`common.convenience_service`) over the platform's convenience routes,
each call in a worker thread, with the kiosk's copies (`offline_cache.convenience_store`):
the tile list and each feed are kept whenever the platform gives them and served with their
time when it cannot; a print tile's document is fetched once per version of the tile."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from central.contract.convenience import FeedAnswer, HallTiles, LookupAnswer, LookupQuery, Tile
from common.citizen_services import ServiceUnavailable
from common.convenience_service import Kept
from kiosk.platform_client import PlatformClient
from offline_cache.convenience_store import ConvenienceCopies

TILES = "tiles"
M = TypeVar("M", bound=BaseModel)


class PlatformConvenienceService:
    def __init__(self, client: PlatformClient, copies: ConvenienceCopies,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._client, self._copies, self._clock = client, copies, clock

    async def tiles(self) -> Kept[list[Tile]]:
        kept = await self._kept(TILES, self._client.convenience_tiles, HallTiles)
        return Kept(kept.value.tiles, kept.saved_at, kept.offline)

    async def feed(self, tile: Tile) -> Kept[FeedAnswer]:
        def ask() -> FeedAnswer:
            return self._client.convenience_feed(tile.tile_id)

        kept = await self._kept(f"feed:{tile.tile_id}", ask, FeedAnswer)
        if kept.value.tile_id != tile.tile_id:
            raise ServiceUnavailable("another tile's feed", user_message="",
                                     health_code="PLATFORM_MALFORMED")
        return kept

    async def lookup(self, tile: Tile, values: dict[str, str]) -> LookupAnswer:
        query = LookupQuery(values=values)
        return await asyncio.to_thread(self._client.convenience_lookup, tile.tile_id, query)

    async def document(self, tile: Tile) -> bytes:
        prefix = f"document:{tile.tile_id}:"
        key = prefix + tile.updated_at.isoformat()
        copy = await asyncio.to_thread(self._copies.load, key)
        if copy is not None:
            return copy[0]
        pdf = await asyncio.to_thread(self._client.convenience_document, tile.tile_id)
        await asyncio.to_thread(self._copies.save, key, pdf, self._clock(), replacing=prefix)
        return pdf

    async def _kept(self, key: str, ask: Callable[[], M], model: type[M]) -> Kept[M]:
        try:
            answer = await asyncio.to_thread(ask)
        except ServiceUnavailable:
            copy = await asyncio.to_thread(self._copies.load, key)
            if copy is None:
                raise
            try:
                return Kept(model.model_validate_json(copy[0]), copy[1], offline=True)
            except ValidationError:
                raise ServiceUnavailable("kept copy unreadable", user_message="",
                                         health_code="CACHE_DAMAGED") from None
        now = self._clock()
        await asyncio.to_thread(self._copies.save, key, answer.model_dump_json().encode(), now)
        return Kept(answer, now)
