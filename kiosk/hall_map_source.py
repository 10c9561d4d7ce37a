"""The hall map port (`common.hall_map`) over the platform's hall-map routes, with the last
copy kept on disk (`offline_cache.hall_map_copy`) for when the platform cannot be reached.

The plan is fetched only when its digest changed, checked against that digest, and scaled down
here, in a worker thread, to at most `SHOWN_SIDE` pixels a side: the screen then decodes a
small PNG, never a 4096-pixel one on the GUI thread.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from PIL import Image

from central.contract.hall_map import HallMap
from common.citizen_services import ServiceUnavailable
from common.hall_map import HallMapView
from kiosk.platform_client import PlatformClient, PlatformError, PlatformErrorKind
from offline_cache.hall_map_copy import HallMapCopy, HallMapFolder

log = logging.getLogger(__name__)
SHOWN_SIDE = 1600  # a kiosk screen is 1920 wide; the plan takes part of it


class PlatformHallMap:
    def __init__(self, client: PlatformClient, folder: Path,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._client = client
        self._folder = HallMapFolder(folder)
        self._clock = clock

    async def current(self) -> HallMapView | None:
        return await asyncio.to_thread(self._current)

    def _current(self) -> HallMapView | None:
        copy = self._folder.load()
        try:
            fresh = self._client.hall_map()
            if copy is not None and copy.map.image_sha256 == fresh.image_sha256:
                png = copy.png
            else:
                png = _shown(self._client.hall_map_image(), fresh)
            copy = HallMapCopy(fresh, png, self._clock())
            self._folder.save(copy)
            return HallMapView(copy.map, copy.png, copy.fetched_at, from_copy=False)
        except ServiceUnavailable as exc:
            log.info("hall map from the platform: %s", exc)
        except OSError as exc:  # the copy could not be written: shown anyway, next time again
            log.warning("hall map copy not saved: %s", type(exc).__name__)
            return HallMapView(copy.map, copy.png, copy.fetched_at, from_copy=False) \
                if copy is not None else None
        if copy is None:
            return None
        return HallMapView(copy.map, copy.png, copy.fetched_at, from_copy=True)


def _shown(png: bytes, map_: HallMap) -> bytes:
    """The plan checked against the map's digest and scaled to at most SHOWN_SIDE a side."""
    if hashlib.sha256(png).hexdigest() != map_.image_sha256:
        raise PlatformError(PlatformErrorKind.UNEXPECTED, "hall map: the plan is not the map's")
    try:
        image = Image.open(io.BytesIO(png), formats=("PNG",))
        if image.size != (map_.width, map_.height):
            raise ValueError("size")
        image.thumbnail((SHOWN_SIDE, SHOWN_SIDE))
        out = io.BytesIO()
        image.convert("RGB").save(out, format="PNG")
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise PlatformError(PlatformErrorKind.MALFORMED,
                            f"hall map: the plan does not decode ({type(exc).__name__})") from exc
    return out.getvalue()
