"""The last few knowledge snapshots fetched from the platform, kept in SQLite.

The kiosk answers questions offline from the newest one, as it serves the catalog from
`catalog_snapshot`, and with the same rules: a row that no longer reads as a snapshot is
skipped for an older one, and a file that is not a database (or is corrupt) is moved aside to
`<name>.corrupt-<timestamp>` and a fresh store begun. A damaged store never stops the kiosk.

Every call opens its own short connection under a lock, so any thread may call any method.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from pydantic import ValidationError

from central.contract import KnowledgeSnapshot

log = logging.getLogger(__name__)

T = TypeVar("T")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS knowledge_snapshot (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    version TEXT NOT NULL,
    etag TEXT,
    fetched_at TEXT NOT NULL,      -- ISO 8601 with UTC offset
    snapshot_json TEXT NOT NULL
)
"""
_DAMAGED = (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT)


@dataclass(frozen=True)
class StoredKnowledge:
    snapshot: KnowledgeSnapshot
    etag: str | None
    fetched_at: datetime  # when the platform last handed out (or confirmed) this snapshot


class KnowledgeSnapshots:
    """SQLite store of the newest `keep` knowledge snapshots."""

    def __init__(self, db_path: Path, keep: int = 2) -> None:
        if keep < 1:
            raise ValueError("keep must be at least 1")
        self.db_path = Path(db_path)
        self._keep = keep
        self._lock = threading.Lock()
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock:
            self._guarded(self._prepare)

    def save(self, snapshot: KnowledgeSnapshot, etag: str | None, fetched_at: datetime) -> None:
        """Store `snapshot` as the newest and drop all but the last `keep`, atomically."""
        if fetched_at.tzinfo is None:
            raise ValueError("fetched_at must carry a time zone")
        row = (snapshot.version, etag, fetched_at.isoformat(), snapshot.model_dump_json())

        def insert() -> None:
            with closing(self._connect()) as conn:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    conn.execute("INSERT INTO knowledge_snapshot"
                                 " (version, etag, fetched_at, snapshot_json) VALUES (?, ?, ?, ?)",
                                 row)
                    conn.execute("DELETE FROM knowledge_snapshot WHERE id NOT IN (SELECT id"
                                 " FROM knowledge_snapshot ORDER BY id DESC LIMIT ?)",
                                 (self._keep,))
                    conn.execute("COMMIT")
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise

        with self._lock:
            if self._guarded(insert) is _FRESH:
                insert()  # into the fresh store that replaced the damaged one

    def confirm(self, version: str, fetched_at: datetime) -> None:
        """Record that the platform confirmed (304) the newest snapshot is still current."""
        if fetched_at.tzinfo is None:
            raise ValueError("fetched_at must carry a time zone")

        def update() -> None:
            with closing(self._connect()) as conn:
                conn.execute("UPDATE knowledge_snapshot SET fetched_at = ? WHERE version = ?"
                             " AND id = (SELECT max(id) FROM knowledge_snapshot)",
                             (fetched_at.isoformat(), version))

        with self._lock:
            self._guarded(update)

    def latest(self) -> StoredKnowledge | None:
        """The newest readable snapshot, or None; never raises for a damaged store."""

        def read() -> StoredKnowledge | None:
            with closing(self._connect()) as conn:
                rows = conn.execute("SELECT id, etag, fetched_at, snapshot_json"
                                    " FROM knowledge_snapshot ORDER BY id DESC")
                for row in rows:
                    stored = _read_row(*row)
                    if stored is not None:
                        return stored
            return None

        with self._lock:
            try:
                found = self._guarded(read)
            except sqlite3.Error as exc:
                log.error("knowledge snapshot store unreadable, serving none: %s", exc)
                return None
        return found if isinstance(found, StoredKnowledge) else None

    # -- plumbing --------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.db_path, timeout=5.0, isolation_level=None)
        conn.execute("PRAGMA synchronous=NORMAL")  # a lost newest snapshot is fetched again
        return conn

    def _prepare(self) -> None:
        with closing(self._connect()) as conn:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute(_SCHEMA)

    def _guarded(self, action: Callable[[], T]) -> T | object:
        """Run `action`; on a damaged database start a fresh store and return _FRESH."""
        try:
            return action()
        except sqlite3.DatabaseError as exc:
            code = getattr(exc, "sqlite_errorcode", None)
            if code is None or (code & 0xFF) not in _DAMAGED:
                raise
            self._start_fresh(exc)
            return _FRESH

    def _start_fresh(self, exc: sqlite3.Error) -> None:
        """Move a damaged database (with its WAL and shared-memory files) aside; begin anew."""
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        target = self.db_path.with_name(f"{self.db_path.name}.corrupt-{stamp}")
        n = 1
        while target.exists():
            n += 1
            target = self.db_path.with_name(f"{self.db_path.name}.corrupt-{stamp}-{n}")
        log.error("knowledge snapshot store %s is damaged (%s); moved to %s, starting empty",
                  self.db_path, exc, target.name)
        for suffix in ("", "-wal", "-shm"):  # a leftover WAL would be replayed into the new one
            source = Path(f"{self.db_path}{suffix}")
            if source.exists():
                os.replace(source, Path(f"{target}{suffix}"))
        self._prepare()


_FRESH = object()  # what `_guarded` returns after replacing a damaged store


def _read_row(row_id: int, etag: str | None, fetched_at: str,
              snapshot_json: str) -> StoredKnowledge | None:
    try:
        when = datetime.fromisoformat(fetched_at)
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        return StoredKnowledge(KnowledgeSnapshot.model_validate_json(snapshot_json), etag, when)
    except (ValueError, TypeError, ValidationError) as exc:
        log.warning("knowledge snapshot %d unreadable (%s), trying an older one", row_id,
                    type(exc).__name__)  # only the type: rows hold data
        return None
