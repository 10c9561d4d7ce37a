"""The last few knowledge snapshots fetched from the platform, kept in SQLite.

The kiosk answers questions offline from the newest one, as it serves the catalog from
`catalog_snapshot`, and with the same rules (`snapshot_store`).
"""

from __future__ import annotations

from pathlib import Path

from central.contract import KnowledgeSnapshot
from offline_cache.snapshot_store import SnapshotStore


class KnowledgeSnapshots(SnapshotStore[KnowledgeSnapshot]):
    """SQLite store of the newest `keep` knowledge snapshots."""

    def __init__(self, db_path: Path, keep: int = 2) -> None:
        super().__init__(db_path, keep, model=KnowledgeSnapshot, table="knowledge_snapshot",
                         json_column="snapshot_json", what="knowledge")
