"""A small SQLite store whose writes are on the disk when they return: one connection for the
store's life (see `Outbox._connect`), WAL, synchronous=FULL, one caller at a time. The payment
journal and the offline queue tickets are two; each says why it needs FULL."""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path


class DurableStore:
    def __init__(self, db_path: Path, schema: str) -> None:
        self._lock = threading.Lock()
        db_path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(db_path, timeout=10, isolation_level=None,
                                   check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.row_factory = sqlite3.Row
        with self._connect() as db:
            db.executescript(schema)

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """The store's connection in a transaction, one caller at a time."""
        with self._lock, self._db:
            yield self._db

    def close(self) -> None:
        with self._lock:
            self._db.close()
