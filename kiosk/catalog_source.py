"""The service catalog the kiosk serves right now, and whether it comes fresh from the platform.

`CatalogSource` is a `SnapshotSource` (platform first, the newest saved snapshot when offline,
refreshes with ETag) that also tells the UI how fresh the catalog is: when the platform is
unreachable the kiosk says when the served catalog was fetched ("离线服务 · 数据更新于 HH:MM").

Subscribers hear about a new catalog, going on- or offline and a different kind of fault, not
about `status.updated_at` moving forward on each unchanged poll.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from central.contract import Catalog
from kiosk.platform_client import PlatformClient
from kiosk.snapshot_source import SnapshotSource, SnapshotStatus, utc_now
from offline_cache.catalog_snapshot import CatalogSnapshots

CatalogStatus = SnapshotStatus  # the name the UI and the flows know it by


def offline_banner_time(status: CatalogStatus, now: datetime | None = None) -> str:
    """When the served data was fetched, in local time, for "离线服务 · 数据更新于 …".

    "HH:MM" for today; older data also names the day ("5月3日 14:30"), since a bare time would
    make yesterday's data look fresh. Empty when there is no data.
    """
    if status.updated_at is None:
        return ""
    when = status.updated_at.astimezone()
    today = (now or utc_now()).astimezone().date()
    if when.date() == today:
        return f"{when:%H:%M}"
    if when.year == today.year:
        return f"{when.month}月{when.day}日 {when:%H:%M}"
    return f"{when.year}年{when.month}月{when.day}日 {when:%H:%M}"


class CatalogSource(SnapshotSource[Catalog]):
    """Owner of the catalog being served; see the module docstring."""

    def __init__(
        self,
        client: PlatformClient,
        snapshots: CatalogSnapshots,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        super().__init__("catalog", lambda etag: _get_catalog(client, etag), snapshots, clock)

    @property
    def catalog(self) -> Catalog | None:
        return self._snapshot

    async def _update(self, *, conditional: bool) -> None:
        async with self._busy:
            before = self._notable()
            await self._follow(conditional=conditional)
            if self._notable() != before:
                self._notify()

    def _summary(self, snapshot: Catalog) -> str:
        return f"{len(snapshot.services)} services"

    def _notable(self) -> tuple[object, ...]:
        """What subscribers are told about: the catalog version, online, the kind of fault."""
        error = self._status.error
        return (
            self._snapshot.version if self._snapshot else None,
            self._status.online,
            error.kind if error else None,
            error.status if error else None,
        )


def _get_catalog(client: PlatformClient, etag: str | None) -> tuple[Catalog | None, str | None]:
    fetch = client.get_catalog(etag)
    return fetch.catalog, fetch.etag
