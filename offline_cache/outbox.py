"""The outbox: every write for the platform (applications, evaluations) is committed here first.

The kiosk tells a citizen "submitted" only after `put` has returned, i.e. after SQLite has the
row on disk (WAL, synchronous=FULL). The sync worker then delivers it with the row's id as the
Idempotency-Key, so a crash, a kill -9 or a flaky network between "sent" and "marked as sent"
means the same item is sent again and the platform answers with the same result: nothing lost,
nothing doubled. The personal payload is sealed (AES-GCM) and dropped once the platform has
acknowledged it; what stays is the id, the kind, the local number and the platform's answer.

An item may be put *held*: committed like any other, but not delivered until `release` (an
application for a fee the person is paying at the kiosk waits for the payment's outcome, then
goes with the paid order named, or without). Release changes the sealed payload and the state in
one transaction, and releasing an item twice changes nothing, so a release repeated after a crash
is harmless.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

from offline_cache.sealed import Sealer, SealError

SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox (
    id TEXT PRIMARY KEY,           -- also the Idempotency-Key sent to the platform
    kind TEXT NOT NULL,            -- application, evaluation …
    local_number TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    state TEXT NOT NULL,           -- pending, held, delivered, refused
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error TEXT NOT NULL DEFAULT '',
    payload BLOB,                  -- sealed; NULL once delivered
    result TEXT                    -- the platform's answer (JSON), e.g. the acceptance number
);
CREATE INDEX IF NOT EXISTS outbox_due ON outbox (state, next_attempt_at);
"""


class OutboxState(StrEnum):
    PENDING = "pending"
    HELD = "held"  # committed, not to be sent until released (waiting for a payment)
    DELIVERED = "delivered"
    REFUSED = "refused"  # the platform said no for good: kept for staff, never resent


@dataclass(frozen=True)
class OutboxItem:
    id: str
    kind: str
    local_number: str
    created_at: datetime
    state: OutboxState
    attempts: int
    last_error: str = ""
    result: str | None = None  # JSON text of the platform's answer
    payload: object = field(default=None, repr=False)  # opened only for sending


def _utc_now() -> datetime:
    return datetime.now(UTC)


class Outbox:
    def __init__(self, db_path: Path, sealer: Sealer, terminal_id: str,
                 clock: Callable[[], datetime] = _utc_now) -> None:
        self._path = db_path
        self._sealer = sealer
        self._terminal_id = terminal_id
        self._clock = clock
        self._lock = threading.Lock()
        db_path.parent.mkdir(parents=True, exist_ok=True)
        self._db = self._open()
        with self._lock, self._connect() as db:
            db.executescript(SCHEMA)

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """The outbox's one connection for one operation (callers hold the lock): committed,
        or rolled back on an exception so it is never left inside a transaction.

        One connection for the outbox's life, not one per operation: a connection that is not
        closed holds its two descriptors (the file and its WAL) until the cyclic collector runs
        (Python 3.11's statement cache refers back to it), which a kiosk runs only now and then
        on the GUI thread; closing each one instead checkpoints the WAL every time, which
        doubled the time of a `put`."""
        with self._db:
            yield self._db

    def _open(self) -> sqlite3.Connection:
        # used from worker threads, one at a time (self._lock)
        db = sqlite3.connect(self._path, timeout=10, isolation_level=None,
                             check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")
        # FULL: a row acknowledged to a citizen must survive a power cut, not just a crash
        db.execute("PRAGMA synchronous=FULL")
        # a dropped payload is overwritten with zeros, not left in a free page
        db.execute("PRAGMA secure_delete=ON")
        db.row_factory = sqlite3.Row
        return db

    def put(self, kind: str, payload: object, *, held: bool = False,
            item_id: str | None = None) -> OutboxItem:
        """Commit `payload` for delivery; when this returns, it is on disk. `held`: not
        delivered until `release`. `item_id` (a fresh UUID unless given) lets a caller know the
        item before it exists (the kiosk marks a held item as a flow's before it is put)."""
        item_id = item_id or str(uuid.uuid4())
        state = OutboxState.HELD if held else OutboxState.PENDING
        now = self._clock()
        sealed = self._sealer.seal(payload, bound_to=item_id)
        with self._lock, self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            # the day on the receipt is the hall's (the terminal's local time), not UTC
            day = now.astimezone().strftime("%Y%m%d")
            prefix = f"{self._terminal_id}-{day}-"
            (count,) = db.execute("SELECT COUNT(*) FROM outbox WHERE local_number LIKE ?",
                                  (prefix + "%",)).fetchone()
            local_number = f"{prefix}{count + 1:04d}"
            db.execute(
                "INSERT INTO outbox (id, kind, local_number, created_at, state, next_attempt_at,"
                " payload) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (item_id, kind, local_number, now.isoformat(), state, now.isoformat(), sealed))
            db.execute("COMMIT")
        return OutboxItem(item_id, kind, local_number, now, state, 0)

    def release(self, item_id: str, changes: dict[str, object] | None = None) -> bool:
        """A held item becomes pending, its payload updated with `changes` (a record's keys,
        resealed) in the same transaction. False when it is not held: released already (a
        repeat after a crash), or never held; nothing changes then."""
        with self._lock, self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            row = db.execute("SELECT payload FROM outbox WHERE id = ? AND state = ?",
                             (item_id, OutboxState.HELD)).fetchone()
            if row is None:
                db.execute("COMMIT")
                return False
            sealed = row["payload"]
            try:
                payload = self._sealer.open(sealed, bound_to=item_id) if changes else None
            except SealError:
                payload = None  # released as it is: `due` keeps it for staff, never sends it
            if changes and isinstance(payload, dict):
                sealed = self._sealer.seal({**payload, **changes}, bound_to=item_id)
            db.execute("UPDATE outbox SET state = ?, payload = ?, next_attempt_at = ?"
                       " WHERE id = ?",
                       (OutboxState.PENDING, sealed, self._clock().isoformat(), item_id))
            db.execute("COMMIT")
        return True

    def due(self, limit: int = 10, *, ignore_backoff: bool = False) -> list[OutboxItem]:
        """The oldest pending items, in the order they were put, with payloads opened; none
        while the oldest is backing off, unless `ignore_backoff`.

        Strictly first in, first out: an evaluation never overtakes the application it rates,
        so the platform always knows the local number it refers to. Only the oldest item ever
        backs off (a pass stops at the first item to retry), so it alone decides. Held items
        are not due; released, they take their place by the order they were put in.
        """
        with self._lock, self._connect() as db:
            rows = db.execute("SELECT * FROM outbox WHERE state = ? ORDER BY rowid LIMIT ?",
                              (OutboxState.PENDING, limit)).fetchall()
        if rows and not ignore_backoff and rows[0]["next_attempt_at"] > self._clock().isoformat():
            return []
        items = []
        for row in rows:
            try:
                items.append(self._item(row, with_payload=True))
            except SealError:
                # the key changed or the row was altered: never send it, keep it for staff
                self.refused(row["id"], "sealed payload does not open with this terminal's key")
        return items

    def delivered(self, item_id: str, result: str) -> None:
        """The platform acknowledged it: keep its answer, drop the personal payload, and
        checkpoint so the write-ahead log no longer holds the sealed copy either."""
        with self._lock, self._connect() as db:
            db.execute("UPDATE outbox SET state = ?, result = ?, payload = NULL, last_error = ''"
                       " WHERE id = ?", (OutboxState.DELIVERED, result, item_id))
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def retry_later(self, item_id: str, error: str, at: datetime) -> None:
        with self._lock, self._connect() as db:
            db.execute("UPDATE outbox SET attempts = attempts + 1, last_error = ?,"
                       " next_attempt_at = ? WHERE id = ? AND state = ?",
                       (error[:200], at.isoformat(), item_id, OutboxState.PENDING))

    def refused(self, item_id: str, error: str) -> None:
        with self._lock, self._connect() as db:
            db.execute("UPDATE outbox SET state = ?, attempts = attempts + 1, last_error = ?"
                       " WHERE id = ?", (OutboxState.REFUSED, error[:200], item_id))

    def get(self, item_id: str) -> OutboxItem | None:
        with self._lock, self._connect() as db:
            row = db.execute("SELECT * FROM outbox WHERE id = ?", (item_id,)).fetchone()
        return None if row is None else self._item(row, with_payload=False)

    def find(self, local_number: str) -> OutboxItem | None:
        """The item of a local number, payload left sealed."""
        with self._lock, self._connect() as db:
            row = db.execute("SELECT * FROM outbox WHERE local_number = ?",
                             (local_number,)).fetchone()
        return None if row is None else self._item(row, with_payload=False)

    def items(self, state: OutboxState | None = None) -> list[OutboxItem]:
        """Every item (or those in `state`) in the order put, payloads left sealed: for staff
        and tests, e.g. the refused ones."""
        query, args = "SELECT * FROM outbox", ()
        if state is not None:
            query, args = query + " WHERE state = ?", (state,)
        with self._lock, self._connect() as db:
            rows = db.execute(query + " ORDER BY rowid", args).fetchall()
        return [self._item(row, with_payload=False) for row in rows]

    def results(self, kind: str) -> dict[str, str]:
        """Local number -> the platform's answer, for every delivered item of `kind`."""
        with self._lock, self._connect() as db:
            rows = db.execute("SELECT local_number, result FROM outbox WHERE kind = ? AND"
                              " state = ?", (kind, OutboxState.DELIVERED)).fetchall()
        return {row["local_number"]: row["result"] for row in rows}

    def backlog(self) -> int:
        """Items not yet delivered (pending or held), for the manager's console."""
        with self._lock, self._connect() as db:
            (count,) = db.execute("SELECT COUNT(*) FROM outbox WHERE state IN (?, ?)",
                                  (OutboxState.PENDING, OutboxState.HELD)).fetchone()
        return count

    def _item(self, row: sqlite3.Row, *, with_payload: bool) -> OutboxItem:
        payload = None
        if with_payload and row["payload"] is not None:
            payload = self._sealer.open(row["payload"], bound_to=row["id"])
        return OutboxItem(
            id=row["id"], kind=row["kind"], local_number=row["local_number"],
            created_at=datetime.fromisoformat(row["created_at"]),
            state=OutboxState(row["state"]), attempts=row["attempts"],
            last_error=row["last_error"], result=row["result"], payload=payload)
