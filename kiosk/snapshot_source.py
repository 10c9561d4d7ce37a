"""Something the platform publishes as versioned snapshots, served by the kiosk right now.

The catalog (`catalog_source`) and the knowledge base (`knowledge.source`) are served the same
way: fetched at start, kept fresh with cheap conditional requests (an unchanged snapshot costs a
304), each new one saved to a `SnapshotStore`, and when the platform is unreachable the newest
saved one served with the time it was fetched. Pure asyncio, no Qt: in the app the event loop is
the Qt GUI loop, so every blocking call (HTTP, SQLite) runs in a worker thread.

`status.updated_at` is when the platform last handed out or confirmed (304) the served snapshot.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Generic, TypeVar

from pydantic import BaseModel

from kiosk.platform_client import PlatformError, PlatformErrorKind
from offline_cache.snapshot_store import SnapshotStore
from offline_cache.wakeup import end_if_cancelled

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)  # a contract model with a `version`
T = TypeVar("T")

# GET with an ETag (or None): (the new snapshot, its ETag), or (None, the ETag) for a 304
Fetch = Callable[[str | None], tuple[M | None, str | None]]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class SnapshotStatus:
    online: bool
    updated_at: datetime | None  # when the served snapshot was fetched or confirmed; None: none
    error: PlatformError | None = None  # why the platform is not being used, when offline


class SnapshotSource(Generic[M]):
    """Owner of one snapshot being served; subclasses say what an update does besides."""

    def __init__(self, what: str, fetch: Fetch[M], snapshots: SnapshotStore[M],
                 clock: Callable[[], datetime] = utc_now) -> None:
        self._what = what  # for the log: "catalog", "knowledge"
        self._fetch = fetch
        self._snapshots = snapshots
        self._clock = clock
        self._snapshot: M | None = None
        self._etag: str | None = None
        self._status = SnapshotStatus(online=False, updated_at=None)
        self._subscribers: list[Callable[[], None]] = []
        self._busy = asyncio.Lock()  # one fetch at a time: start, refresh and the loop may overlap

    @property
    def status(self) -> SnapshotStatus:
        return self._status

    def subscribe(self, callback: Callable[[], None]) -> Callable[[], None]:
        """Call `callback` (on the event loop) when what the subclass serves changes."""
        self._subscribers.append(callback)

        def unsubscribe() -> None:
            if callback in self._subscribers:
                self._subscribers.remove(callback)

        return unsubscribe

    async def start(self) -> None:
        """Fetch the whole snapshot once; fall back to the newest saved one if that fails."""
        await self._update(conditional=False)

    async def refresh(self) -> None:
        """One attempt to bring the snapshot up to date (a 304 when nothing changed)."""
        await self._update(conditional=True)

    async def run_refresh_loop(self, interval_s: float, retry_s: float | None = None) -> None:
        """Refresh every `interval_s` while online, every `retry_s` (if given) while offline;
        runs until cancelled and never raises otherwise."""
        while True:
            end_if_cancelled()
            delay = interval_s if self._status.online or retry_s is None else retry_s
            # up to 10% earlier, so a hall of kiosks restarted together does not poll in step
            await asyncio.sleep(delay * random.uniform(0.9, 1.0))
            try:
                await self.refresh()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("%s refresh failed unexpectedly", self._what)

    # -- for subclasses --------------------------------------------------------------------

    async def _update(self, *, conditional: bool) -> None:
        async with self._busy:
            await self._follow(conditional=conditional)

    async def _follow(self, *, conditional: bool) -> None:
        """Fetch, then serve online or offline; the caller holds `_busy`."""
        etag = self._etag if conditional and self._snapshot is not None else None
        try:
            fetched, etag = await asyncio.to_thread(self._fetch, etag)
        except PlatformError as exc:
            await self._serve_offline(exc)
        except Exception as exc:  # the client promises PlatformError only; guard anyway
            log.exception("%s fetch failed unexpectedly", self._what)
            await self._serve_offline(
                PlatformError(PlatformErrorKind.UNEXPECTED, f"{type(exc).__name__}"))
        else:
            await self._serve_online(fetched, etag)

    def _summary(self, snapshot: M) -> str:
        """A few words on a fetched snapshot for the log, e.g. "40 services"."""
        return ""

    def _notify(self) -> None:
        for callback in list(self._subscribers):
            try:
                callback()
            except Exception:
                log.exception("%s subscriber failed", self._what)

    # -- plumbing --------------------------------------------------------------------------

    async def _serve_online(self, new: M | None, etag: str | None) -> None:
        now = self._clock()
        current = self._snapshot
        if new is None or (current is not None and _version(new) == _version(current)):
            if current is None:  # a 304 to an unconditional request: not something to trust
                await self._serve_offline(PlatformError(
                    PlatformErrorKind.UNEXPECTED, f"{self._what}: 304 without a snapshot"))
                return
            self._etag = etag or self._etag
            await self._in_worker(self._snapshots.confirm, _version(current), now)
        else:
            self._snapshot, self._etag = new, etag
            log.info("%s %s fetched (%s)", self._what, _version(new), self._summary(new))
            await self._in_worker(self._snapshots.save, new, etag, now)
        self._status = SnapshotStatus(online=True, updated_at=now)

    async def _serve_offline(self, error: PlatformError) -> None:
        log.warning("%s from the platform unavailable (%s): %s", self._what, error.health_code,
                    error.detail)
        updated_at = self._status.updated_at
        if self._snapshot is None:
            stored = await self._in_worker(self._snapshots.latest)
            if stored is not None:
                self._snapshot, self._etag = stored.snapshot, stored.etag
                updated_at = stored.fetched_at
                log.info("serving %s snapshot %s of %s", self._what, _version(stored.snapshot),
                         updated_at)
        self._status = SnapshotStatus(online=False, updated_at=updated_at, error=error)

    async def _in_worker(self, call: Callable[..., T], *args: object) -> T | None:
        """Run a snapshot-store call off the loop; a failing store costs a log line only."""
        try:
            return await asyncio.to_thread(call, *args)
        except Exception:
            log.exception("%s snapshot store failed", self._what)
            return None


def _version(snapshot: BaseModel) -> str:
    version: str = getattr(snapshot, "version")  # noqa: B009 - M has no common base for it
    return version
