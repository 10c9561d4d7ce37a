"""The kiosk's queue numbers for when the platform is away: the blocks it was granted (leases)
and every ticket it gave from them, until the platform has it (`kiosk.offline_queue`).

A number is written here, in one transaction committed to disk (WAL, synchronous=FULL), before
`issue` returns, so before it is shown or printed: a kiosk killed (kill -9, a power cut) in the
middle of giving a number either gave none or has it here, and the next number is always past
every number written. The next number is the lowest of the leases past the highest given, so it
never goes back to a gap. `UNIQUE(day, number)` is the database's word that no number of a day
is written twice. A request key (the flow's Idempotency-Key) asked again gets the same ticket.

Nothing personal is kept: the group, the number, the priority category, the token of the status
page and the time taken.
"""

from __future__ import annotations

import sqlite3
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from offline_cache.durable_store import DurableStore

SCHEMA = """
CREATE TABLE IF NOT EXISTS leases (
    token_prefix TEXT PRIMARY KEY,   -- starts the token of each ticket given from it
    day TEXT NOT NULL,
    group_id TEXT NOT NULL,
    priority INTEGER NOT NULL,       -- 1: the block of priority numbers (AP501 …)
    first INTEGER NOT NULL,
    last INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS tickets (
    id TEXT PRIMARY KEY,             -- the Idempotency-Key it is reconciled with
    request_key TEXT NOT NULL UNIQUE,
    day TEXT NOT NULL,
    group_id TEXT NOT NULL,
    priority TEXT,                   -- the category, NULL for a regular ticket
    number TEXT NOT NULL,
    sequence INTEGER NOT NULL,
    token TEXT NOT NULL UNIQUE,
    taken_at TEXT NOT NULL,
    people_ahead INTEGER NOT NULL,   -- the estimate shown
    state TEXT NOT NULL,             -- pending, delivered, refused
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error TEXT NOT NULL DEFAULT '',
    UNIQUE (day, number)
);
CREATE TABLE IF NOT EXISTS facts (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

PENDING, DELIVERED, REFUSED = "pending", "delivered", "refused"


@dataclass(frozen=True)
class Lease:
    day: date
    group_id: str
    priority: bool
    first: int
    last: int
    token_prefix: str


@dataclass(frozen=True)
class LocalTicket:
    id: str
    day: date
    group_id: str
    priority: str | None
    number: str
    token: str
    taken_at: datetime
    people_ahead: int
    state: str
    attempts: int


class OfflineTickets(DurableStore):
    # synchronous=FULL: a number shown to a person must survive a power cut, not just a crash
    def __init__(self, db_path: Path) -> None:
        super().__init__(db_path, SCHEMA)

    def keep_leases(self, leases: list[Lease]) -> None:
        """Leases as the platform granted them; one already kept stays as it was."""
        with self._connect() as db:
            db.executemany(
                "INSERT OR IGNORE INTO leases (token_prefix, day, group_id, priority, first, last)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [(x.token_prefix, x.day.isoformat(), x.group_id, int(x.priority), x.first,
                  x.last) for x in leases])

    def leases(self, day: date) -> list[Lease]:
        with self._connect() as db:
            rows = db.execute("SELECT * FROM leases WHERE day = ? ORDER BY group_id, priority,"
                              " first", (day.isoformat(),)).fetchall()
        return [Lease(date.fromisoformat(r["day"]), r["group_id"], bool(r["priority"]),
                      r["first"], r["last"], r["token_prefix"]) for r in rows]

    def numbers_left(self, day: date, group_id: str, priority: bool) -> int:
        """How many more numbers of the kind can be given that day."""
        with self._connect() as db:
            return sum(last - first + 1
                       for first, last in self._free(db, day, group_id, priority))

    def issue(self, request_key: str, day: date, group_id: str, priority: str | None,
              taken_at: datetime, people_ahead: int, token_tail: str) -> LocalTicket | None:
        """The next number of the kind, written to disk before this returns; the ticket written
        earlier for `request_key`, if any; None when the leases of the day are used up."""
        kind = priority is not None
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            row = db.execute("SELECT * FROM tickets WHERE request_key = ?",
                             (request_key,)).fetchone()
            if row is not None:
                return _ticket(row)
            free = self._free(db, day, group_id, kind)
            if not free:
                return None
            sequence, _last = free[0]
            prefix = db.execute(
                "SELECT token_prefix FROM leases WHERE day = ? AND group_id = ? AND priority = ?"
                " AND first <= ? AND last >= ?",
                (day.isoformat(), group_id, int(kind), sequence, sequence)).fetchone()[0]
            number = f"{group_id}{'P' if kind else ''}{sequence:03d}"
            ticket_id = uuid.uuid4().hex
            db.execute(
                "INSERT INTO tickets (id, request_key, day, group_id, priority, number, sequence,"
                " token, taken_at, people_ahead, state, next_attempt_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (ticket_id, request_key, day.isoformat(), group_id, priority, number, sequence,
                 f"{prefix}-{token_tail}", taken_at.isoformat(), people_ahead, PENDING,
                 taken_at.isoformat()))
            row = db.execute("SELECT * FROM tickets WHERE id = ?", (ticket_id,)).fetchone()
        return _ticket(row)  # committed by leaving the block

    @staticmethod
    def _free(db: sqlite3.Connection, day: date, group_id: str,
              priority: bool) -> list[tuple[int, int]]:
        """The ranges still free, lowest first: past the highest number given of the kind."""
        kind = "IS NOT NULL" if priority else "IS NULL"
        (given,) = db.execute(
            f"SELECT COALESCE(MAX(sequence), 0) FROM tickets WHERE day = ? AND group_id = ?"
            f" AND priority {kind}", (day.isoformat(), group_id)).fetchone()
        rows = db.execute("SELECT first, last FROM leases WHERE day = ? AND group_id = ? AND"
                          " priority = ? AND last > ? ORDER BY first",
                          (day.isoformat(), group_id, int(priority), given)).fetchall()
        return [(max(first, given + 1), last) for first, last in rows]

    def given_since(self, day: date, group_id: str, since: datetime) -> int:
        """Tickets of a group given here since `since`: the estimate of people ahead."""
        with self._connect() as db:
            (count,) = db.execute("SELECT COUNT(*) FROM tickets WHERE day = ? AND group_id = ?"
                                  " AND taken_at >= ?",
                                  (day.isoformat(), group_id, since.isoformat())).fetchone()
        return count

    def pending(self, limit: int = 20) -> list[LocalTicket]:
        """Tickets the platform does not have yet, in the order taken."""
        with self._connect() as db:
            rows = db.execute("SELECT * FROM tickets WHERE state = ? ORDER BY rowid LIMIT ?",
                              (PENDING, limit)).fetchall()
        return [_ticket(row) for row in rows]

    def next_attempt_at(self) -> str | None:
        """When the oldest pending ticket is due (ISO text), None when none is pending."""
        with self._connect() as db:
            row = db.execute("SELECT next_attempt_at FROM tickets WHERE state = ? ORDER BY rowid"
                             " LIMIT 1", (PENDING,)).fetchone()
        return None if row is None else row[0]

    def delivered(self, ticket_id: str) -> None:
        with self._connect() as db:
            db.execute("UPDATE tickets SET state = ?, last_error = '' WHERE id = ?",
                       (DELIVERED, ticket_id))

    def retry_later(self, ticket_id: str, error: str, at: datetime) -> None:
        with self._connect() as db:
            db.execute("UPDATE tickets SET attempts = attempts + 1, last_error = ?,"
                       " next_attempt_at = ? WHERE id = ? AND state = ?",
                       (error[:200], at.isoformat(), ticket_id, PENDING))

    def refused(self, ticket_id: str, error: str) -> None:
        with self._connect() as db:
            db.execute("UPDATE tickets SET state = ?, attempts = attempts + 1, last_error = ?"
                       " WHERE id = ?", (REFUSED, error[:200], ticket_id))

    def refused_numbers(self, day: date) -> list[str]:
        """The numbers of `day` the platform refused for good, in the order given: people
        holding a slip whose number the windows will never call (for staff)."""
        with self._connect() as db:
            rows = db.execute("SELECT number FROM tickets WHERE day = ? AND state = ?"
                              " ORDER BY rowid", (day.isoformat(), REFUSED)).fetchall()
        return [row[0] for row in rows]

    def tickets(self) -> list[LocalTicket]:
        """Every ticket, in the order given: for staff and tests."""
        with self._connect() as db:
            rows = db.execute("SELECT * FROM tickets ORDER BY rowid").fetchall()
        return [_ticket(row) for row in rows]

    def backlog(self) -> int:
        """Tickets waiting to reach the platform, for the manager's console."""
        with self._connect() as db:
            (count,) = db.execute("SELECT COUNT(*) FROM tickets WHERE state = ?",
                                  (PENDING,)).fetchone()
        return count

    def forget_before(self, day: date) -> int:
        """Drop leases and reconciled tickets of days before `day`; returns the tickets."""
        with self._connect() as db:
            db.execute("DELETE FROM leases WHERE day < ?", (day.isoformat(),))
            return db.execute("DELETE FROM tickets WHERE day < ? AND state != ?",
                              (day.isoformat(), PENDING)).rowcount

    def fact(self, key: str) -> str | None:
        """A small thing remembered from the platform (the status page's address, the groups)."""
        with self._connect() as db:
            row = db.execute("SELECT value FROM facts WHERE key = ?", (key,)).fetchone()
        return None if row is None else row[0]

    def remember(self, key: str, value: str) -> None:
        with self._connect() as db:
            db.execute("INSERT OR REPLACE INTO facts (key, value) VALUES (?, ?)", (key, value))


def _ticket(row: sqlite3.Row) -> LocalTicket:
    return LocalTicket(
        id=row["id"], day=date.fromisoformat(row["day"]), group_id=row["group_id"],
        priority=row["priority"], number=row["number"], token=row["token"],
        taken_at=datetime.fromisoformat(row["taken_at"]), people_ahead=row["people_ahead"],
        state=row["state"], attempts=row["attempts"])
