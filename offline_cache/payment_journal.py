"""The payment journal: every payment the kiosk starts is written here before the platform hears
of it, so no crash or power cut can lose a payment or have one made twice.

A row is one attempt to pay for one application: its id is the `Idempotency-Key` of the order
request (`POST /payments`), written (committed, synchronous=FULL) *before* the request is sent,
so a resend after a lost answer or a crash gets the same order. The order's id is written as
soon as the platform names it, and before the person is shown anything to pay with: an attempt
without an order id was never paid. Every later answer of the platform updates its state. An
attempt is settled once the application it pays for has been released from the outbox (with the
paid order named, or without).

What is kept is not personal: the attempt id, the local number of the application, the service,
the order id and states. At start the kiosk resolves every unsettled attempt
(`kiosk.payments.PaymentSettler`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from offline_cache.durable_store import DurableStore

SCHEMA = """
CREATE TABLE IF NOT EXISTS payment_attempts (
    attempt_id TEXT PRIMARY KEY,   -- the Idempotency-Key of POST /payments
    local_number TEXT NOT NULL,    -- the application (outbox) it pays for
    service_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    order_id TEXT UNIQUE,          -- NULL until the platform named the order
    state TEXT NOT NULL,           -- 'started', then the platform's last PaymentState
    updated_at TEXT NOT NULL,
    settled TEXT                   -- NULL while its application waits; how it ended
);
CREATE INDEX IF NOT EXISTS payment_attempts_open ON payment_attempts (settled, local_number);
"""

STARTED = "started"  # written, the platform not yet answered (or its answer lost)
# how an attempt ended, once its application left the outbox's hold
SETTLED_PAID = "paid"  # the application went with this order
SETTLED_UNPAID = "unpaid"  # nothing charged (declined, closed, given back, pay later)
SETTLED_UNRESOLVED = "unresolved"  # the platform could not tell: its staff reconcile it


@dataclass(frozen=True)
class Attempt:
    attempt_id: str
    local_number: str
    service_id: str
    created_at: datetime
    order_id: str | None
    state: str  # STARTED or a central.contract.payments.PaymentState
    settled: str | None


def _utc_now() -> datetime:
    return datetime.now(UTC)


class PaymentJournal(DurableStore):
    # synchronous=FULL: "started" must be on disk before the platform hears of the payment
    def __init__(self, db_path: Path, clock: Callable[[], datetime] = _utc_now) -> None:
        self._path = db_path
        self._clock = clock
        super().__init__(db_path, SCHEMA)

    def started(self, attempt_id: str, local_number: str, service_id: str) -> None:
        """Before the order is asked for; a repeat of the same attempt changes nothing."""
        now = self._clock().isoformat()
        with self._connect() as db:
            db.execute("INSERT OR IGNORE INTO payment_attempts (attempt_id, local_number,"
                       " service_id, created_at, state, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                       (attempt_id, local_number, service_id, now, STARTED, now))

    def ordered(self, attempt_id: str, order_id: str, state: str) -> bool:
        """The platform named the attempt's order. False (and nothing written) when the
        attempt already has another order, or the order belongs to another attempt: an
        answer that cannot be right."""
        with self._connect() as db:
            row = db.execute("SELECT order_id FROM payment_attempts WHERE attempt_id = ?",
                             (attempt_id,)).fetchone()
            other = db.execute("SELECT attempt_id FROM payment_attempts WHERE order_id = ?",
                               (order_id,)).fetchone()
            if row is None or row["order_id"] not in (None, order_id) or (
                    other is not None and other["attempt_id"] != attempt_id):
                return False
            db.execute("UPDATE payment_attempts SET order_id = ?, state = ?, updated_at = ?"
                       " WHERE attempt_id = ?",
                       (order_id, state, self._clock().isoformat(), attempt_id))
        return True

    def answered(self, order_id: str, state: str) -> None:
        """The platform's latest word on an order (a pay code's outcome, a wait, a cancel)."""
        with self._connect() as db:
            db.execute("UPDATE payment_attempts SET state = ?, updated_at = ? WHERE order_id = ?",
                       (state, self._clock().isoformat(), order_id))

    def attempts(self, local_number: str) -> list[Attempt]:
        """The attempts to pay for one application, oldest first."""
        with self._connect() as db:
            rows = db.execute("SELECT * FROM payment_attempts WHERE local_number = ?"
                              " ORDER BY rowid", (local_number,)).fetchall()
        return [_attempt(row) for row in rows]

    def of_order(self, order_id: str) -> Attempt | None:
        with self._connect() as db:
            row = db.execute("SELECT * FROM payment_attempts WHERE order_id = ?",
                             (order_id,)).fetchone()
        return None if row is None else _attempt(row)

    def unsettled(self) -> list[Attempt]:
        """Every attempt whose application has not been released yet, oldest first."""
        with self._connect() as db:
            rows = db.execute("SELECT * FROM payment_attempts WHERE settled IS NULL"
                              " ORDER BY rowid").fetchall()
        return [_attempt(row) for row in rows]

    def settle(self, local_number: str, paid_order_id: str | None,
               unresolved: frozenset[str] = frozenset()) -> None:
        """The application left the hold: its paid order (if any) and the others as they
        ended; `unresolved`: orders the platform could not tell about (for its staff)."""
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            for row in db.execute("SELECT attempt_id, order_id FROM payment_attempts WHERE"
                                  " local_number = ? AND settled IS NULL",
                                  (local_number,)).fetchall():
                order = row["order_id"]
                how = (SETTLED_PAID if order is not None and order == paid_order_id
                       else SETTLED_UNRESOLVED if order in unresolved else SETTLED_UNPAID)
                db.execute("UPDATE payment_attempts SET settled = ?, updated_at = ?"
                           " WHERE attempt_id = ?",
                           (how, self._clock().isoformat(), row["attempt_id"]))
            db.execute("COMMIT")

    def forget_settled(self, older_than: timedelta) -> int:
        """Drop settled attempts older than `older_than`; returns how many."""
        limit = (self._clock() - older_than).isoformat()
        with self._connect() as db:
            return db.execute("DELETE FROM payment_attempts WHERE settled IS NOT NULL"
                              " AND updated_at < ?", (limit,)).rowcount


def _attempt(row: sqlite3.Row) -> Attempt:
    return Attempt(attempt_id=row["attempt_id"], local_number=row["local_number"],
                   service_id=row["service_id"],
                   created_at=datetime.fromisoformat(row["created_at"]),
                   order_id=row["order_id"], state=row["state"], settled=row["settled"])
