"""The payment journal: what a kiosk must know about a payment after a crash, on disk before
the platform hears of it, and nothing personal."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta

from kiosk.settings import PROJECT_ROOT
from offline_cache.payment_journal import (
    SETTLED_PAID,
    SETTLED_UNPAID,
    SETTLED_UNRESOLVED,
    STARTED,
    PaymentJournal,
)

LOCAL = "KIOSK-20261123-0001"


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def test_an_attempt_is_started_then_ordered_then_answered(tmp_path):
    journal = PaymentJournal(tmp_path / "payments.sqlite3")
    journal.started("key-1", LOCAL, "SS-022")
    journal.started("key-1", LOCAL, "SS-022")  # a resend of the same attempt
    (attempt,) = journal.attempts(LOCAL)
    assert (attempt.attempt_id, attempt.order_id, attempt.state) == ("key-1", None, STARTED)
    assert journal.ordered("key-1", "PO20261123000001", "unpaid")
    journal.answered("PO20261123000001", "paying")
    again = PaymentJournal(tmp_path / "payments.sqlite3")  # as after a restart
    (attempt,) = again.attempts(LOCAL)
    assert (attempt.order_id, attempt.state, attempt.settled) == (
        "PO20261123000001", "paying", None)
    assert again.of_order("PO20261123000001") == attempt


def test_an_answer_naming_another_order_is_not_written(tmp_path):
    journal = PaymentJournal(tmp_path / "payments.sqlite3")
    journal.started("key-1", LOCAL, "SS-022")
    journal.started("key-2", LOCAL, "SS-022")
    assert journal.ordered("key-1", "PO20261123000001", "unpaid")
    assert not journal.ordered("key-1", "PO20261123000002", "unpaid"), "one order an attempt"
    assert not journal.ordered("key-2", "PO20261123000001", "unpaid"), "one attempt an order"
    assert not journal.ordered("never-started", "PO20261123000003", "unpaid")
    assert [a.order_id for a in journal.attempts(LOCAL)] == ["PO20261123000001", None]


def test_settling_says_how_each_attempt_ended_and_old_ones_go(tmp_path):
    clock = Clock()
    journal = PaymentJournal(tmp_path / "payments.sqlite3", clock)
    for key, order in (("k1", "PO20261123000001"), ("k2", "PO20261123000002"),
                       ("k3", "PO20261123000003")):
        journal.started(key, LOCAL, "SS-022")
        journal.ordered(key, order, "unpaid")
    journal.started("k4", LOCAL, "SS-022")  # never ordered
    journal.settle(LOCAL, "PO20261123000002", frozenset({"PO20261123000003"}))
    assert [a.settled for a in journal.attempts(LOCAL)] == [
        SETTLED_UNPAID, SETTLED_PAID, SETTLED_UNRESOLVED, SETTLED_UNPAID]
    assert journal.unsettled() == []
    clock.now += timedelta(days=31)
    journal.started("k5", "KIOSK-20261224-0001", "SS-022")
    assert journal.forget_settled(timedelta(days=30)) == 4
    assert [a.attempt_id for a in journal.unsettled()] == ["k5"]


def test_nothing_personal_is_kept(tmp_path):
    journal = PaymentJournal(tmp_path / "payments.sqlite3")
    journal.started("key-1", LOCAL, "SS-022")
    journal.ordered("key-1", "PO20261123000001", "unpaid")
    with sqlite3.connect(tmp_path / "payments.sqlite3") as db:
        columns = [row[1] for row in db.execute("PRAGMA table_info(payment_attempts)")]
    assert columns == ["attempt_id", "local_number", "service_id", "created_at", "order_id",
                       "state", "updated_at", "settled"]


WRITE_THEN_DIE = """
import os, signal, sys
from pathlib import Path
from offline_cache.payment_journal import PaymentJournal
journal = PaymentJournal(Path(sys.argv[1]))
journal.started("key-1", "KIOSK-20261123-0001", "SS-022")
print("started", flush=True)  # what the platform would now be told
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_started_survives_a_kill_9_right_after_it_returned(tmp_path):
    path = tmp_path / "payments.sqlite3"
    child = subprocess.run([sys.executable, "-c", WRITE_THEN_DIE, str(path)], cwd=PROJECT_ROOT,
                           capture_output=True, text=True, timeout=60, check=False,
                           env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)})
    assert child.returncode == -signal.SIGKILL and child.stdout.split() == ["started"]
    (attempt,) = PaymentJournal(path).unsettled()
    assert (attempt.attempt_id, attempt.state) == ("key-1", STARTED)
