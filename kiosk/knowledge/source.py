"""The knowledge base the kiosk answers from right now, kept fresh like the catalog.

`KnowledgeSource` is a `SnapshotSource` like the catalog's: it fetches the platform's knowledge
snapshot at start and then with cheap conditional requests (an unchanged snapshot costs a 304),
saves each new one, and when the platform is unreachable answers from the newest saved
snapshot — or, with none, from the catalog's own names and aliases. The index is rebuilt in a
worker thread whenever the snapshot or the served catalog changes (building takes a second or
two: jieba's dictionary and the pinyin of every text), and swapped in whole, so a question never
meets half an index.

Pure asyncio, no Qt: in the app the loop is the Qt GUI loop, so blocking work (HTTP, SQLite,
building) runs off it. Asks are counted on the platform by service id only, never the words.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime

from central.contract import Catalog, HotService, KnowledgeSnapshot
from kiosk.catalog_source import CatalogSource
from kiosk.knowledge.base import KnowledgeBase
from kiosk.platform_client import PlatformClient, PlatformError
from kiosk.snapshot_source import SnapshotSource, utc_now
from offline_cache.knowledge_snapshot import KnowledgeSnapshots

log = logging.getLogger(__name__)


class KnowledgeSource(SnapshotSource[KnowledgeSnapshot]):
    """Owner of the knowledge base being served; see the module docstring."""

    def __init__(self, client: PlatformClient, snapshots: KnowledgeSnapshots,
                 catalog: CatalogSource, clock: Callable[[], datetime] = utc_now) -> None:
        super().__init__("knowledge", client.get_knowledge, snapshots, clock)
        self._client = client
        self._catalog = catalog
        self._knowledge: KnowledgeBase | None = None
        self._built_for: tuple[str, str | None] | None = None  # catalog and snapshot versions
        self._hot: list[HotService] = []
        self._most_used: list[str] = []
        self._building = asyncio.Lock()
        self._tasks: set[asyncio.Task[None]] = set()  # asks in flight, held until done
        catalog.subscribe(self._catalog_changed)

    @property
    def knowledge(self) -> KnowledgeBase | None:
        """The index to ask; None until the first catalog has been indexed."""
        return self._knowledge

    @property
    def hot(self) -> list[HotService]:
        """The most asked services (大家都在问), as the platform last said; empty offline."""
        return self._hot

    @property
    def most_used(self) -> list[str]:
        """The ids of the services this hall used most (长辈模式's home), as the platform last
        said; fetched with the hot list, kept while offline."""
        return self._most_used

    # subscribers hear when a new index or hot list is in place; start, refresh and
    # run_refresh_loop (one interval) also update the hot list and build the index

    def count_ask(self, service_id: str) -> None:
        """Tell the platform a citizen chose `service_id` after asking; fire and forget."""
        task = asyncio.ensure_future(self._send_count(service_id))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def in_flight(self) -> list[asyncio.Task[None]]:
        """Index rebuilds and ask counts still running (for a stopping kiosk)."""
        return [task for task in self._tasks if not task.done()]

    # -- plumbing --------------------------------------------------------------------------

    async def _update(self, *, conditional: bool) -> None:
        async with self._busy:
            await self._follow(conditional=conditional)
            if self._status.online:
                await self._update_hot()
                await self._update_most_used()
        await self._rebuild()

    def _summary(self, snapshot: KnowledgeSnapshot) -> str:
        return f"{len(snapshot.entries)} entries"

    async def _update_hot(self) -> None:
        try:
            hot = await asyncio.to_thread(self._client.hot_services)
        except PlatformError as exc:
            log.info("hot services unavailable (%s)", exc.health_code)
            return
        if hot != self._hot:
            self._hot = hot
            self._notify()

    async def _update_most_used(self) -> None:
        try:
            most_used = await asyncio.to_thread(self._client.most_used_services)
        except PlatformError as exc:  # the elder home keeps its last list or the default
            log.info("most used services unavailable (%s)", exc.health_code)
            return
        self._most_used = most_used

    async def _rebuild(self) -> None:
        async with self._building:
            catalog = self._catalog.catalog
            if catalog is None:
                return  # nothing to answer about yet; the catalog's arrival calls again
            snapshot = self._snapshot
            wanted = (catalog.version, snapshot.version if snapshot else None)
            if wanted == self._built_for:
                return
            try:
                knowledge = await asyncio.to_thread(_build, catalog, snapshot)
            except Exception:
                log.exception("building the knowledge index failed; keeping the old one")
                return
            self._knowledge, self._built_for = knowledge, wanted
        self._notify()

    def _catalog_changed(self) -> None:
        task = asyncio.ensure_future(self._rebuild())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _send_count(self, service_id: str) -> None:
        try:
            await asyncio.to_thread(self._client.count_ask, service_id)
        except PlatformError as exc:  # a lost count only makes the hot list a little off
            log.info("ask count not sent (%s)", exc.health_code)


def _build(catalog: Catalog, snapshot: KnowledgeSnapshot | None) -> KnowledgeBase:
    return KnowledgeBase.from_catalog(catalog, snapshot.entries if snapshot else ())
