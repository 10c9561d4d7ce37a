"""The kiosk's copies of 便民服务 answers (the tile list, each feed's last lines, each print
tile's document), by key, with when they were received: what the tiles show while the
platform is away. A damaged file is moved aside and a fresh store begun; a read that fails
is a copy not kept, never a kiosk that does not start."""

from __future__ import annotations

import logging
import sqlite3
import threading
from contextlib import closing
from datetime import datetime
from pathlib import Path

log = logging.getLogger(__name__)


class ConvenienceCopies:
    def __init__(self, db_path: Path) -> None:
        self.db_path = Path(db_path)
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        with self._lock:
            try:
                self._prepare()
            except sqlite3.DatabaseError as exc:
                aside = self.db_path.with_name(f"{self.db_path.name}.corrupt")
                log.error("convenience copies unreadable (%s): moved to %s", exc, aside)
                self.db_path.replace(aside)
                self._prepare()

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.db_path, timeout=5.0)

    def _prepare(self) -> None:
        with closing(self._connect()) as conn, conn:
            conn.execute("CREATE TABLE IF NOT EXISTS copies (key TEXT PRIMARY KEY,"
                         " saved_at TEXT NOT NULL, body BLOB NOT NULL)")

    def save(self, key: str, body: bytes, saved_at: datetime, *, replacing: str = "") -> None:
        """Keep `body` under `key`; other keys starting with `replacing` are dropped (an older
        version of the same document)."""
        if saved_at.tzinfo is None:
            raise ValueError("saved_at must carry a time zone")
        with self._lock:
            try:
                with closing(self._connect()) as conn, conn:
                    if replacing:
                        conn.execute("DELETE FROM copies WHERE substr(key, 1, ?) = ?",
                                     (len(replacing), replacing))
                    conn.execute("INSERT OR REPLACE INTO copies VALUES (?, ?, ?)",
                                 (key, saved_at.isoformat(), body))
            except sqlite3.Error as exc:
                log.error("convenience copy %s not kept: %s", key.split(":")[0], exc)

    def load(self, key: str) -> tuple[bytes, datetime] | None:
        with self._lock:
            try:
                with closing(self._connect()) as conn:
                    row = conn.execute("SELECT body, saved_at FROM copies WHERE key = ?",
                                       (key,)).fetchone()
            except sqlite3.Error as exc:
                log.error("convenience copies unreadable: %s", exc)
                return None
        if row is None:
            return None
        try:
            return bytes(row[0]), datetime.fromisoformat(row[1])
        except (TypeError, ValueError):
            return None
