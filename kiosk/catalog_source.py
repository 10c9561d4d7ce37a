"""The service catalog the kiosk serves right now, and whether it comes fresh from the platform.

`CatalogSource` fetches the catalog at start, keeps it fresh with cheap conditional requests
(an unchanged catalog costs a 304), saves each new one as a snapshot and, when the platform is
unreachable, serves the newest snapshot and says when it was fetched ("离线服务 · 数据更新于
HH:MM"). Pure asyncio, no Qt: in the app the event loop is the Qt GUI loop, so every blocking
call (HTTP, SQLite) runs in a worker thread and the loop never waits on the network.

`status.updated_at` is when the platform last handed out or confirmed (304) the served catalog;
subscribers hear about a new catalog, going on- or offline and a different kind of fault, not
about that time moving forward on each unchanged poll.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar

from central.contract import Catalog
from kiosk.platform_client import CatalogFetch, PlatformClient, PlatformError, PlatformErrorKind
from offline_cache.catalog_snapshot import CatalogSnapshots

log = logging.getLogger(__name__)

T = TypeVar("T")


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class CatalogStatus:
    online: bool
    updated_at: datetime | None  # when the served catalog was fetched or confirmed; None: none
    error: PlatformError | None = None  # why the platform is not being used, when offline


def offline_banner_time(status: CatalogStatus, now: datetime | None = None) -> str:
    """When the served data was fetched, in local time, for "离线服务 · 数据更新于 …".

    "HH:MM" for today; older data also names the day ("5月3日 14:30"), since a bare time would
    make yesterday's data look fresh. Empty when there is no data.
    """
    if status.updated_at is None:
        return ""
    when = status.updated_at.astimezone()
    today = (now or _utc_now()).astimezone().date()
    if when.date() == today:
        return f"{when:%H:%M}"
    if when.year == today.year:
        return f"{when.month}月{when.day}日 {when:%H:%M}"
    return f"{when.year}年{when.month}月{when.day}日 {when:%H:%M}"


class CatalogSource:
    """Owner of the catalog being served; see the module docstring."""

    def __init__(
        self,
        client: PlatformClient,
        snapshots: CatalogSnapshots,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        self._client = client
        self._snapshots = snapshots
        self._clock = clock
        self._catalog: Catalog | None = None
        self._etag: str | None = None
        self._status = CatalogStatus(online=False, updated_at=None)
        self._subscribers: list[Callable[[], None]] = []
        self._busy = asyncio.Lock()  # one fetch at a time: start, refresh and the loop may overlap

    @property
    def catalog(self) -> Catalog | None:
        return self._catalog

    @property
    def status(self) -> CatalogStatus:
        return self._status

    def subscribe(self, callback: Callable[[], None]) -> Callable[[], None]:
        """Call `callback` (on the event loop) when the catalog or the status changes."""
        self._subscribers.append(callback)

        def unsubscribe() -> None:
            if callback in self._subscribers:
                self._subscribers.remove(callback)

        return unsubscribe

    async def start(self) -> None:
        """Fetch the whole catalog once; fall back to the newest snapshot if that fails."""
        await self._update(conditional=False)

    async def refresh(self) -> None:
        """One attempt to bring the catalog up to date (a 304 when nothing changed)."""
        await self._update(conditional=True)

    async def run_refresh_loop(self, interval_s: float, retry_s: float) -> None:
        """Refresh every `interval_s` while online, every `retry_s` while offline; runs until
        cancelled and never raises otherwise."""
        while True:
            delay = interval_s if self._status.online else retry_s
            # up to 10% earlier, so a hall of kiosks restarted together does not poll in step
            await asyncio.sleep(delay * random.uniform(0.9, 1.0))
            try:
                await self.refresh()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("catalog refresh failed unexpectedly")

    # -- plumbing --------------------------------------------------------------------------

    async def _update(self, *, conditional: bool) -> None:
        async with self._busy:
            before = self._notable()
            etag = self._etag if conditional and self._catalog is not None else None
            try:
                fetch = await asyncio.to_thread(self._client.get_catalog, etag)
            except PlatformError as exc:
                await self._serve_offline(exc)
            except Exception as exc:  # the client promises PlatformError only; guard anyway
                log.exception("catalog fetch failed unexpectedly")
                await self._serve_offline(
                    PlatformError(PlatformErrorKind.UNEXPECTED, f"{type(exc).__name__}")
                )
            else:
                await self._serve_online(fetch)
            if self._notable() != before:
                self._notify()

    async def _serve_online(self, fetch: CatalogFetch) -> None:
        now = self._clock()
        current = self._catalog
        new = fetch.catalog
        if new is None or (current is not None and new.version == current.version):
            if current is None:  # a 304 to an unconditional request: not something to trust
                await self._serve_offline(
                    PlatformError(PlatformErrorKind.UNEXPECTED, "catalog: 304 without a catalog")
                )
                return
            self._etag = fetch.etag or self._etag
            await self._in_worker(self._snapshots.confirm, current.version, now)
        else:
            self._catalog = new
            self._etag = fetch.etag
            log.info("catalog %s fetched (%d services)", new.version, len(new.services))
            await self._in_worker(self._snapshots.save, new, fetch.etag, now)
        self._status = CatalogStatus(online=True, updated_at=now)

    async def _serve_offline(self, error: PlatformError) -> None:
        log.warning("platform unavailable (%s): %s", error.health_code, error.detail)
        updated_at = self._status.updated_at
        if self._catalog is None:
            snapshot = await self._in_worker(self._snapshots.latest)
            if snapshot is not None:
                self._catalog, self._etag = snapshot.snapshot, snapshot.etag
                updated_at = snapshot.fetched_at
                log.info("serving snapshot %s of %s", snapshot.snapshot.version, updated_at)
        self._status = CatalogStatus(online=False, updated_at=updated_at, error=error)

    @staticmethod
    async def _in_worker(call: Callable[..., T], *args: object) -> T | None:
        """Run a snapshot-store call off the loop; a failing store costs a log line only."""
        try:
            return await asyncio.to_thread(call, *args)
        except Exception:
            log.exception("catalog snapshot store failed")
            return None

    def _notable(self) -> tuple[object, ...]:
        """What subscribers are told about: the catalog version, online, the kind of fault."""
        error = self._status.error
        return (
            self._catalog.version if self._catalog else None,
            self._status.online,
            error.kind if error else None,
            error.status if error else None,
        )

    def _notify(self) -> None:
        for callback in list(self._subscribers):
            try:
                callback()
            except Exception:
                log.exception("catalog subscriber failed")
