"""取号 while the platform is away, on the kiosk: a number from this terminal's lease, on disk
before it is shown, the same for a repeated key, none when there is no lease, a kill -9 in the
middle of giving numbers never giving one twice, and the tickets reconciled once it is back."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from central.contract.queue import hall_day
from central.server import EmbeddedPlatform
from common.queue_service import ServiceUnavailable
from kiosk.network_switch import NetworkSwitch
from kiosk.offline_queue import OfflineQueue
from kiosk.platform_client import PlatformClient, TerminalCredentials
from kiosk.queue_service import PlatformQueueService
from offline_cache.offline_tickets import Lease, OfflineTickets
from tests.kiosk.citizen_platform import TERMINAL, start_platform

CREDENTIALS = TerminalCredentials(TERMINAL.id, TERMINAL.key)
PROJECT_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def platform(tmp_path: Path) -> Iterator[EmbeddedPlatform]:
    server = start_platform(tmp_path)
    yield server
    server.stop()


class Kiosk:
    """The queue side of one terminal: its queue port, its offline queue, its network."""

    def __init__(self, base_url: str, data_dir: Path) -> None:
        self.network = NetworkSwitch()

        def client() -> PlatformClient:
            return PlatformClient(base_url, timeout_s=30.0, retries=0, backoff_s=0.01,
                                  credentials=CREDENTIALS, network=self.network)

        self.store = OfflineTickets(data_dir / "queue_tickets.sqlite3")
        self.offline = OfflineQueue(client(), self.store, base_s=0.01, cap_s=0.01)
        self.queue = PlatformQueueService(client(), self.offline)
        self.platform_client = client()


def test_a_ticket_numbered_here_while_the_platform_is_away_then_reconciled(
        platform: EmbeddedPlatform, tmp_path: Path) -> None:
    kiosk = Kiosk(platform.base_url, tmp_path)
    kiosk.offline.refresh()  # online: leases, the status page's address, the groups
    online = asyncio.run(kiosk.queue.take_ticket("A", None, "o" * 32))
    asyncio.run(kiosk.queue.groups())  # the next person sees the groups: their counts kept
    kiosk.network.cut()

    async def offline():
        groups = await kiosk.queue.groups()
        first = await kiosk.queue.take_ticket("A", None, "k" * 32)
        again = await kiosk.queue.take_ticket("A", None, "k" * 32)  # a repeat: the same
        elder = await kiosk.queue.take_ticket("A", "age_70", "e" * 32)
        return groups, first, again, elder

    groups, first, again, elder = asyncio.run(offline())
    assert [g.group_id for g in groups] == ["A", "B", "C"]
    assert (first.number, again.number, elder.number) == ("A501", "A501", "AP501")
    assert first.issued_offline and first.window_area == "一楼 A 区 1-4 号窗口"
    assert first.people_ahead == 1  # the online ticket waiting when last heard
    assert first.follow_url.startswith(platform.base_url.removesuffix("/api/v1"))
    # on disk: another process (a restarted kiosk) sees both
    reopened = OfflineTickets(tmp_path / "queue_tickets.sqlite3")
    assert [t.number for t in reopened.tickets()] == ["A501", "AP501"]
    assert kiosk.offline.backlog() == 2

    kiosk.network.restore()
    assert kiosk.offline.deliver_due(ignore_backoff=True) == 2
    assert kiosk.offline.backlog() == 0
    back = kiosk.platform_client.queue_ticket(first.token)
    assert back is not None and (back.number, back.issued_offline) == ("A501", True)
    assert back.people_ahead == 2  # the online ticket, and the elder's priority ticket
    assert kiosk.platform_client.queue_ticket(online.token) is not None


def test_tickets_wait_in_order_while_the_platform_stays_away(platform: EmbeddedPlatform,
                                                             tmp_path: Path) -> None:
    kiosk = Kiosk(platform.base_url, tmp_path)
    kiosk.offline.refresh()
    kiosk.network.cut()
    numbers = [asyncio.run(kiosk.queue.take_ticket("B", None, f"{n}" * 32)).number
               for n in range(3)]
    assert numbers == ["B501", "B502", "B503"]
    assert kiosk.offline.deliver_due(ignore_backoff=True) == 0  # still away: kept
    assert [t.attempts for t in kiosk.store.tickets()] == [1, 0, 0]  # the rest wait behind
    kiosk.network.restore()
    kiosk.offline.one_pass(ignore_backoff=True)
    assert kiosk.offline.backlog() == 0
    waiting = {g.group_id: g.waiting for g in kiosk.platform_client.queue_groups()}
    assert waiting["B"] == 3


def test_without_a_lease_for_today_the_queue_says_it_cannot_be_asked(tmp_path: Path) -> None:
    kiosk = Kiosk("http://127.0.0.1:9/api/v1", tmp_path)  # never reached: nothing leased
    kiosk.network.cut()
    with pytest.raises(ServiceUnavailable):
        asyncio.run(kiosk.queue.groups())
    with pytest.raises(ServiceUnavailable):
        asyncio.run(kiosk.queue.take_ticket("A", None, "k" * 32))
    assert kiosk.store.tickets() == []


def test_a_lease_used_up_gives_no_more_numbers(tmp_path: Path) -> None:
    store = OfflineTickets(tmp_path / "queue_tickets.sqlite3")
    day = hall_day(datetime.now(UTC))
    store.keep_leases([Lease(day, "A", False, 501, 502, "p" * 12)])
    now = datetime.now(UTC)
    got = [store.issue(f"key-{n}", day, "A", None, now, 0, "t" * 23 + str(n))
           for n in range(3)]
    assert [t.number if t else None for t in got] == ["A501", "A502", None]


ISSUE_UNTIL_KILLED = """
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from central.contract.queue import hall_day
from offline_cache.offline_tickets import OfflineTickets
store = OfflineTickets(Path(sys.argv[1]))
day = hall_day(datetime.now(UTC))
n = int(sys.argv[2])
while True:
    ticket = store.issue(f"key-{n}", day, "A", None, datetime.now(UTC), 0, f"{n:024d}")
    if ticket is None:
        break
    print(ticket.number, flush=True)  # shown and printed from here on
    n += 1
"""


def test_a_kill_9_while_giving_numbers_never_gives_one_twice(tmp_path: Path) -> None:
    path = tmp_path / "queue_tickets.sqlite3"
    day = hall_day(datetime.now(UTC))
    OfflineTickets(path).keep_leases([Lease(day, "A", False, 501, 700, "p" * 12)])
    shown: list[str] = []
    for round_ in range(3):  # killed at whatever point it had reached, three times
        child = subprocess.Popen(
            [sys.executable, "-c", ISSUE_UNTIL_KILLED, str(path), str(round_ * 1000)],
            cwd=PROJECT_ROOT, stdout=subprocess.PIPE, text=True,
            env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)})
        assert child.stdout is not None
        for _ in range(15):
            shown.append(child.stdout.readline().strip())
        child.send_signal(signal.SIGKILL)
        shown += [line.strip() for line in child.stdout if line.strip()]
        assert child.wait(timeout=30) == -signal.SIGKILL
    assert len(shown) == len(set(shown))  # no number shown twice
    kept = [t.number for t in OfflineTickets(path).tickets()]
    assert set(shown) <= set(kept)  # every number shown is on disk
    after = OfflineTickets(path).issue("after", day, "A", None, datetime.now(UTC), 0, "z" * 24)
    assert after is not None and after.number not in kept


def test_right_after_the_platform_was_away_the_next_ticket_is_numbered_here_at_once(
        platform: EmbeddedPlatform, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    kiosk = Kiosk(platform.base_url, tmp_path)
    kiosk.offline.refresh()
    kiosk.network.cut()
    asyncio.run(kiosk.queue.groups())  # could not be asked: the kept groups
    kiosk.network.restore()  # back, but nothing has reached it since
    assert asyncio.run(kiosk.queue.take_ticket("A", None, "a" * 32)).number == "A501"
    monkeypatch.setattr("kiosk.queue_service.AWAY_S", 0.0)  # the minute is over
    assert asyncio.run(kiosk.queue.take_ticket("A", None, "b" * 32)).number == "A001"
    monkeypatch.undo()
    kiosk.network.cut()
    asyncio.run(kiosk.queue.groups())
    kiosk.network.restore()
    kiosk.offline.one_pass(ignore_backoff=True)  # the loop reached it: asked again at once
    assert asyncio.run(kiosk.queue.take_ticket("A", None, "c" * 32)).number == "A002"


def test_a_number_the_platform_refuses_is_named_to_the_manager_until_the_day_ends(
        platform: EmbeddedPlatform, tmp_path: Path) -> None:
    """A kiosk's data folder copied to a second kiosk (a cloned disk image) gives the same
    numbers offline: the platform takes the first A501 and refuses the other for good. Its
    holder will never be called, so the heartbeat names the number for the console, also
    after a restart, and not on another day."""
    first = Kiosk(platform.base_url, tmp_path / "first")
    first.offline.refresh()
    (tmp_path / "clone").mkdir()
    (tmp_path / "clone" / "queue_tickets.sqlite3").write_bytes(
        (tmp_path / "first" / "queue_tickets.sqlite3").read_bytes())
    clone = Kiosk(platform.base_url, tmp_path / "clone")
    clone.offline.refresh()  # the same terminal: the same blocks of numbers
    for kiosk, key in ((first, "f"), (clone, "c")):
        kiosk.network.cut()
        assert asyncio.run(kiosk.queue.take_ticket("A", None, key * 32)).number == "A501"
        kiosk.network.restore()
    assert first.offline.deliver_due(ignore_backoff=True) == 1
    assert first.offline.health() is None
    assert clone.offline.health() is None  # not refused yet: nothing to tell
    clone.offline.one_pass(ignore_backoff=True)
    assert clone.offline.backlog() == 0, "refused for good: not sent again"

    health = clone.offline.health()
    assert health is not None
    assert (health.state.value, health.code) == ("error", "QUEUE_TICKETS_REFUSED")
    assert health.detail == "1 refused by the platform: A501"
    restarted = OfflineQueue(clone.platform_client, OfflineTickets(
        tmp_path / "clone" / "queue_tickets.sqlite3"))
    assert restarted.health() == health
    tomorrow = OfflineQueue(clone.platform_client, OfflineTickets(
        tmp_path / "clone" / "queue_tickets.sqlite3"),
        clock=lambda: datetime.now(UTC) + timedelta(days=1))
    assert tomorrow.health() is None
