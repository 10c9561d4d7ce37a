"""The last few service catalogs fetched from the platform, kept in SQLite.

When the platform cannot be reached at start-up the kiosk serves the newest snapshot and says
when it was fetched; how a damaged store is survived is `snapshot_store`'s.
"""

from __future__ import annotations

from pathlib import Path

from central.contract import Catalog
from offline_cache.snapshot_store import SnapshotStore


class CatalogSnapshots(SnapshotStore[Catalog]):
    """SQLite store of the newest `keep` catalogs."""

    def __init__(self, db_path: Path, keep: int = 3) -> None:
        super().__init__(db_path, keep, model=Catalog, table="catalog_snapshot",
                         json_column="catalog_json", what="catalog")
