"""The outbox keeps every submission through crashes and outages, sealed, and sends it once."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.settings import PROJECT_ROOT
from offline_cache.outbox import Outbox, OutboxItem, OutboxState
from offline_cache.outbox_sync import Delivered, OutboxSync, Refused, RetryLater
from offline_cache.sealed import Sealer

KEY = bytes(range(32))
APPLICATION = {"service_id": "SS-015", "name": "张三丰", "id_number": "11010519491231002X"}


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def outbox(tmp_path, clock) -> Outbox:
    return Outbox(tmp_path / "outbox.sqlite3", Sealer(KEY), "DEMO-0001", clock)


def test_a_put_item_is_on_disk_and_sealed(tmp_path, outbox):
    item = outbox.put("application", APPLICATION)
    assert item.local_number == "DEMO-0001-20261123-0001"
    reopened = Outbox(tmp_path / "outbox.sqlite3", Sealer(KEY), "DEMO-0001")
    assert reopened.get(item.id).state is OutboxState.PENDING
    raw = (tmp_path / "outbox.sqlite3").read_bytes() + (
        tmp_path / "outbox.sqlite3-wal").read_bytes()
    assert "张三丰".encode() not in raw and b"11010519491231002X" not in raw


def test_local_numbers_count_up_per_day(outbox, clock):
    first, second = outbox.put("application", {}), outbox.put("evaluation", {})
    clock.now += timedelta(days=1)
    third = outbox.put("application", {})
    assert [first.local_number[-13:], second.local_number[-13:], third.local_number[-13:]] == [
        "20261123-0001", "20261123-0002", "20261124-0001"]


@pytest.fixture
def in_beijing(monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_the_local_number_carries_the_halls_date_not_utcs(outbox, clock, in_beijing):
    clock.now = datetime(2026, 11, 23, 17, 30, tzinfo=UTC)  # 01:30 on the 24th in Beijing
    assert outbox.put("application", {}).local_number == "DEMO-0001-20261124-0001"


def test_delivery_keeps_the_answer_and_drops_the_personal_data(tmp_path, outbox):
    item = outbox.put("application", APPLICATION)
    seen: list[OutboxItem] = []

    def send(due: OutboxItem):
        seen.append(due)
        return Delivered(json.dumps({"acceptance_number": "SL2026112300001"}))

    assert asyncio.run(OutboxSync(outbox, send).deliver_due()) == 1
    assert seen[0].payload == APPLICATION and seen[0].id == item.id
    stored = outbox.get(item.id)
    assert stored.state is OutboxState.DELIVERED and "SL2026112300001" in stored.result
    with sqlite3.connect(tmp_path / "outbox.sqlite3") as db:
        assert db.execute("SELECT payload FROM outbox").fetchone() == (None,)
    assert asyncio.run(OutboxSync(outbox, send).deliver_due()) == 0, "never sent twice"
    assert outbox.backlog() == 0


def test_an_unreachable_platform_means_later_with_backoff(outbox, clock):
    item = outbox.put("application", APPLICATION)
    sync = OutboxSync(outbox, lambda due: RetryLater("platform unreachable"), base_s=10,
                      clock=clock)
    asyncio.run(sync.deliver_due())
    assert outbox.get(item.id).attempts == 1 and outbox.backlog() == 1
    assert outbox.due() == [], "not due again before the backoff has passed"
    clock.now += timedelta(seconds=11)
    assert [due.id for due in outbox.due()] == [item.id]


def test_a_refused_item_is_kept_for_staff_and_never_resent(outbox):
    item = outbox.put("application", APPLICATION)
    asyncio.run(OutboxSync(outbox, lambda due: Refused("form invalid")).deliver_due())
    assert outbox.get(item.id).state is OutboxState.REFUSED
    assert outbox.due() == [] and outbox.backlog() == 0


def test_items_sealed_under_another_key_are_never_sent(tmp_path, outbox):
    outbox.put("application", APPLICATION)
    other = Outbox(tmp_path / "outbox.sqlite3", Sealer(bytes(32)), "DEMO-0001")
    assert other.due() == []
    (item,) = [other.get(row[0]) for row in sqlite3.connect(tmp_path / "outbox.sqlite3")
               .execute("SELECT id FROM outbox")]
    assert item.state is OutboxState.REFUSED and "key" in item.last_error


CHILD = """
import os, signal, sys, json
from pathlib import Path
from offline_cache.outbox import Outbox
from offline_cache.outbox_sync import OutboxSync, Delivered
from offline_cache.sealed import Sealer
import asyncio
db, platform, mode = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
outbox = Outbox(db, Sealer(bytes(range(32))), "DEMO-0001")
if mode == "puts":
    while True:
        item = outbox.put("application", {"n": 1})
        print(item.local_number, flush=True)
item = outbox.put("application", {"name": "x"})
print(item.id, flush=True)
def send(due):
    # the platform has recorded it ... and the kiosk dies before marking it delivered
    with platform.open("a") as f:
        f.write(due.id + "\\n")
    os.kill(os.getpid(), signal.SIGKILL)
asyncio.run(OutboxSync(outbox, send).deliver_due())
"""


def run_child(tmp_path: Path, mode: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(tmp_path / "outbox.sqlite3"),
         str(tmp_path / "platform.log"), mode],
        cwd=PROJECT_ROOT, stdout=subprocess.PIPE, text=True)


def test_kill_9_between_send_and_mark_resends_with_the_same_key(tmp_path):
    child = run_child(tmp_path, "send")
    item_id = child.stdout.readline().strip()
    assert child.wait(timeout=30) == -signal.SIGKILL
    platform = {}  # idempotency key -> acceptance number, as the platform keeps it
    for key in (tmp_path / "platform.log").read_text().split():
        platform.setdefault(key, f"SL{len(platform) + 1:05d}")

    def idempotent_platform(due: OutboxItem):
        platform.setdefault(due.id, f"SL{len(platform) + 1:05d}")
        return Delivered(json.dumps({"acceptance_number": platform[due.id]}))

    outbox = Outbox(tmp_path / "outbox.sqlite3", Sealer(KEY), "DEMO-0001")
    assert asyncio.run(OutboxSync(outbox, idempotent_platform).deliver_due()) == 1
    assert list(platform) == [item_id], "one application at the platform, not two"
    assert outbox.get(item_id).state is OutboxState.DELIVERED


def test_kill_9_in_the_middle_of_writes_loses_nothing_that_was_confirmed(tmp_path):
    child = run_child(tmp_path, "puts")
    confirmed = [child.stdout.readline().strip() for _ in range(20)]
    time.sleep(0.2)
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=10)
    confirmed += [line.strip() for line in child.stdout if line.strip()]
    with sqlite3.connect(tmp_path / "outbox.sqlite3") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        stored = {row[0] for row in db.execute("SELECT local_number FROM outbox")}
    assert set(confirmed) <= stored
    assert len(stored) - len(confirmed) <= 1, "at most the one being written when killed"


# -- held items: an application waiting for its payment ---------------------------------------

def test_a_held_item_is_on_disk_but_not_due_until_released(tmp_path, outbox):
    held = outbox.put("application", APPLICATION, held=True)
    after = outbox.put("evaluation", {"level": 5})
    assert held.state is OutboxState.HELD and outbox.backlog() == 2
    assert [item.id for item in outbox.due()] == [after.id], "others are not held back"
    outbox.delivered(after.id, "{}")

    assert outbox.release(held.id, {"payment_order_id": "PO20261123000001"})
    (due,) = outbox.due()
    assert due.id == held.id and due.payload == {**APPLICATION,
                                                 "payment_order_id": "PO20261123000001"}
    assert outbox.find(held.local_number).state is OutboxState.PENDING
    raw = (tmp_path / "outbox.sqlite3").read_bytes() + (
        tmp_path / "outbox.sqlite3-wal").read_bytes()
    assert "张三丰".encode() not in raw, "still sealed after the change"


def test_releasing_twice_or_what_is_not_held_changes_nothing(outbox):
    held = outbox.put("application", APPLICATION, held=True)
    assert outbox.release(held.id)
    assert not outbox.release(held.id, {"payment_order_id": "PO20261123000001"})
    (due,) = outbox.due()
    assert "payment_order_id" not in due.payload, "the first release stands"
    plain = outbox.put("evaluation", {"level": 4})
    assert not outbox.release(plain.id) and not outbox.release("no-such-item")


def test_a_held_item_is_put_under_the_id_it_was_given(outbox):
    item = outbox.put("application", APPLICATION, held=True, item_id="chosen-before-the-put")
    assert item.id == "chosen-before-the-put"
    assert [i.id for i in outbox.items(OutboxState.HELD)] == ["chosen-before-the-put"]
