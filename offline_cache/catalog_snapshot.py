"""The last few service catalogs fetched from the platform, kept in SQLite.

When the platform cannot be reached at start-up the kiosk serves the newest snapshot and says
when it was fetched. A damaged store must never keep the kiosk from starting: a row that no
longer reads as a catalog is skipped (an older one is served instead), and a file that is not a
database (or is corrupt) is moved aside to `<name>.corrupt-<timestamp>` and a fresh store begun.

Every call opens its own short connection under a lock, so any thread may call any method.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pydantic import ValidationError

from central.contract import Catalog

log = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS catalog_snapshot (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    version TEXT NOT NULL,
    etag TEXT,
    fetched_at TEXT NOT NULL,      -- ISO 8601 with UTC offset
    catalog_json TEXT NOT NULL
)
"""
_DAMAGED = (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT)


@dataclass(frozen=True)
class Snapshot:
    catalog: Catalog
    etag: str | None
    fetched_at: datetime  # when the platform last handed out (or confirmed) this catalog


def _is_damage(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    return code is not None and (code & 0xFF) in _DAMAGED  # extended codes carry the base low


class CatalogSnapshots:
    """SQLite store of the newest `keep` catalogs."""

    def __init__(self, db_path: Path, keep: int = 3) -> None:
        if keep < 1:
            raise ValueError("keep must be at least 1")
        self.db_path = Path(db_path)
        self._keep = keep
        self._lock = threading.Lock()
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock:
            try:
                self._prepare()
            except sqlite3.DatabaseError as exc:
                if not _is_damage(exc):
                    raise
                self._start_fresh(exc)

    # -- public ----------------------------------------------------------------------------

    def save(self, catalog: Catalog, etag: str | None, fetched_at: datetime) -> None:
        """Store `catalog` as the newest snapshot and drop all but the last `keep`, atomically."""
        if fetched_at.tzinfo is None:
            raise ValueError("fetched_at must carry a time zone")
        row = (catalog.version, etag, fetched_at.isoformat(), catalog.model_dump_json())
        with self._lock:
            try:
                self._insert(row)
            except sqlite3.DatabaseError as exc:
                if not _is_damage(exc):
                    raise
                self._start_fresh(exc)
                self._insert(row)

    def confirm(self, version: str, fetched_at: datetime) -> None:
        """Record that the platform confirmed (304) the newest snapshot is still current."""
        if fetched_at.tzinfo is None:
            raise ValueError("fetched_at must carry a time zone")
        with self._lock:
            try:
                with closing(self._connect()) as conn:
                    conn.execute(
                        "UPDATE catalog_snapshot SET fetched_at = ? WHERE version = ?"
                        " AND id = (SELECT max(id) FROM catalog_snapshot)",
                        (fetched_at.isoformat(), version),
                    )
            except sqlite3.DatabaseError as exc:
                if _is_damage(exc):
                    self._start_fresh(exc)
                else:
                    raise

    def latest(self) -> Snapshot | None:
        """The newest readable snapshot, or None; never raises for a damaged store."""
        with self._lock:
            try:
                with closing(self._connect()) as conn:
                    rows = conn.execute(
                        "SELECT id, etag, fetched_at, catalog_json FROM catalog_snapshot"
                        " ORDER BY id DESC"
                    )
                    for row_id, etag, fetched_at, catalog_json in rows:
                        snapshot = _read_row(row_id, etag, fetched_at, catalog_json)
                        if snapshot is not None:
                            return snapshot
                    return None
            except sqlite3.Error as exc:
                if _is_damage(exc):
                    self._start_fresh(exc)
                else:
                    log.error("catalog snapshot store unreadable, serving none: %s", exc)
                return None

    # -- plumbing --------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        # autocommit mode: transactions are opened explicitly where they matter
        conn = sqlite3.connect(self.db_path, timeout=5.0, isolation_level=None)
        # NORMAL is crash-safe in WAL mode; a power cut may lose the latest snapshot, which the
        # next fetch replaces anyway — not worth an fsync per commit (the outbox uses FULL)
        conn.execute("PRAGMA synchronous=NORMAL")
        return conn

    def _prepare(self) -> None:
        with closing(self._connect()) as conn:
            conn.execute("PRAGMA journal_mode=WAL")  # readers never wait for the refresh writer
            conn.execute(_SCHEMA)

    def _insert(self, row: tuple[str, str | None, str, str]) -> None:
        with closing(self._connect()) as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.execute(
                    "INSERT INTO catalog_snapshot (version, etag, fetched_at, catalog_json)"
                    " VALUES (?, ?, ?, ?)",
                    row,
                )
                conn.execute(
                    "DELETE FROM catalog_snapshot WHERE id NOT IN"
                    " (SELECT id FROM catalog_snapshot ORDER BY id DESC LIMIT ?)",
                    (self._keep,),
                )
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise

    def _start_fresh(self, exc: sqlite3.Error) -> None:
        """Move a damaged database (with its WAL and shared-memory files) aside; begin anew."""
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        target = self.db_path.with_name(f"{self.db_path.name}.corrupt-{stamp}")
        n = 1
        while target.exists():
            n += 1
            target = self.db_path.with_name(f"{self.db_path.name}.corrupt-{stamp}-{n}")
        log.error(
            "catalog snapshot store %s is damaged (%s); moved to %s, starting empty",
            self.db_path,
            exc,
            target.name,
        )
        # a leftover WAL would be replayed into the fresh database, so it moves along too
        for suffix in ("", "-wal", "-shm"):
            source = Path(f"{self.db_path}{suffix}")
            if source.exists():
                os.replace(source, Path(f"{target}{suffix}"))
        self._prepare()


def _read_row(row_id: int, etag: str | None, fetched_at: str, catalog_json: str) -> Snapshot | None:
    try:
        when = datetime.fromisoformat(fetched_at)
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        return Snapshot(Catalog.model_validate_json(catalog_json), etag, when)
    except (ValueError, TypeError, ValidationError) as exc:
        # ValidationError is a ValueError; named for the reader. Only the type: rows hold data
        log.warning(
            "catalog snapshot %d unreadable (%s), trying an older one", row_id, type(exc).__name__
        )
        return None
