"""The last few versions of something the platform publishes, kept in SQLite.

The catalog (`catalog_snapshot`) and the knowledge base (`knowledge_snapshot`) are kept the same
way, so the kiosk can serve the newest one when the platform cannot be reached and say when it
was fetched. A damaged store must never keep the kiosk from starting: a row that no longer
reads as a snapshot is skipped (an older one is served instead), and a file that is not a
database (or is corrupt) is moved aside to `<name>.corrupt-<timestamp>` and a fresh store begun.

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
from typing import Generic, TypeVar

from pydantic import BaseModel, ValidationError

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)  # a contract model with a `version`
T = TypeVar("T")

_DAMAGED = (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT)
_FRESH = object()  # what `_guarded` returns after replacing a damaged store


@dataclass(frozen=True)
class StoredSnapshot(Generic[M]):
    snapshot: M
    etag: str | None
    fetched_at: datetime  # when the platform last handed out (or confirmed) this snapshot


class SnapshotStore(Generic[M]):
    """SQLite store of the newest `keep` snapshots of `model`, one table of its own.

    `table` and `json_column` name what is on disk already; `what` names the data in the log.
    """

    def __init__(self, db_path: Path, keep: int, *, model: type[M], table: str,
                 json_column: str, what: str) -> None:
        if keep < 1:
            raise ValueError("keep must be at least 1")
        self.db_path = Path(db_path)
        self._keep = keep
        self._model = model
        self._table = table
        self._json = json_column
        self._what = what
        self._lock = threading.Lock()
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock:
            self._guarded(self._prepare)

    def save(self, snapshot: M, etag: str | None, fetched_at: datetime) -> None:
        """Store `snapshot` as the newest and drop all but the last `keep`, atomically."""
        if fetched_at.tzinfo is None:
            raise ValueError("fetched_at must carry a time zone")
        version: str = getattr(snapshot, "version")  # noqa: B009 - M has no common base for it
        row = (version, etag, fetched_at.isoformat(), snapshot.model_dump_json())

        def insert() -> None:
            with closing(self._connect()) as conn:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    conn.execute(f"INSERT INTO {self._table} (version, etag, fetched_at,"
                                 f" {self._json}) VALUES (?, ?, ?, ?)", row)
                    conn.execute(f"DELETE FROM {self._table} WHERE id NOT IN"
                                 f" (SELECT id FROM {self._table} ORDER BY id DESC LIMIT ?)",
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
                conn.execute(f"UPDATE {self._table} SET fetched_at = ? WHERE version = ?"
                             f" AND id = (SELECT max(id) FROM {self._table})",
                             (fetched_at.isoformat(), version))

        with self._lock:
            self._guarded(update)

    def latest(self) -> StoredSnapshot[M] | None:
        """The newest readable snapshot, or None; never raises for a damaged store."""

        def read() -> StoredSnapshot[M] | None:
            with closing(self._connect()) as conn:
                rows = conn.execute(f"SELECT id, etag, fetched_at, {self._json}"
                                    f" FROM {self._table} ORDER BY id DESC")
                for row in rows:
                    stored = self._read_row(*row)
                    if stored is not None:
                        return stored
            return None

        with self._lock:
            try:
                found = self._guarded(read)
            except sqlite3.Error as exc:
                log.error("%s snapshot store unreadable, serving none: %s", self._what, exc)
                return None
        return found if isinstance(found, StoredSnapshot) else None

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
            conn.execute(f"""
                CREATE TABLE IF NOT EXISTS {self._table} (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    version TEXT NOT NULL,
                    etag TEXT,
                    fetched_at TEXT NOT NULL,      -- ISO 8601 with UTC offset
                    {self._json} TEXT NOT NULL
                )""")

    def _guarded(self, action: Callable[[], T]) -> T | object:
        """Run `action`; on a damaged database start a fresh store and return _FRESH."""
        try:
            return action()
        except sqlite3.DatabaseError as exc:
            code = getattr(exc, "sqlite_errorcode", None)
            # extended codes carry the base code in the low byte
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
        log.error("%s snapshot store %s is damaged (%s); moved to %s, starting empty",
                  self._what, self.db_path, exc, target.name)
        for suffix in ("", "-wal", "-shm"):  # a leftover WAL would be replayed into the new one
            source = Path(f"{self.db_path}{suffix}")
            if source.exists():
                os.replace(source, Path(f"{target}{suffix}"))
        self._prepare()

    def _read_row(self, row_id: int, etag: str | None, fetched_at: str,
                  snapshot_json: str) -> StoredSnapshot[M] | None:
        try:
            when = datetime.fromisoformat(fetched_at)
            if when.tzinfo is None:
                when = when.replace(tzinfo=UTC)
            return StoredSnapshot(self._model.model_validate_json(snapshot_json), etag, when)
        except (ValueError, TypeError, ValidationError) as exc:
            # ValidationError is a ValueError; named for the reader. Only the type: rows hold data
            log.warning("%s snapshot %d unreadable (%s), trying an older one", self._what,
                        row_id, type(exc).__name__)
            return None

