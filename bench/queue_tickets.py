"""How long a person waits for a queue number (取号): online with a long queue, with the network
cut (numbered at the kiosk from its lease), and how fast the offline tickets reconcile.

    python bench/queue_tickets.py [--runs 50] [--waiting 500]

Builds a terminal as the kiosk does (`kiosk.terminal.build_terminal`) against the embedded
platform on loopback (SQLite, in this process). `--waiting` tickets are taken first, so the
people-ahead count runs over a busy hall's day. Prints p50/p95 of `QueueService.take_ticket`
(what the 正在取号… screen waits for): online (signed POST, numbering, people ahead), a status
lookup, and with the network cut (the kiosk's own number, written with synchronous=FULL before
it is returned) until the kiosk's lease for the group is used up; then the backlog's delivery
rate once the network is back. Figures, never
assertions.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from common.citizen_services import ServiceUnavailable  # noqa: E402
from tests.kiosk.citizen_platform import kiosk_terminal, start_platform  # noqa: E402


def percentiles(samples: list[float]) -> str:
    ms = sorted(s * 1000 for s in samples)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return f"p50 {statistics.median(ms):7.1f} ms   p95 {p95:7.1f} ms   (n={len(ms)})"


async def timed(runs: int, call) -> list[float]:
    taken = []
    for _ in range(runs):
        started = time.perf_counter()
        await call()
        taken.append(time.perf_counter() - started)
    return taken


async def bench(runs: int, waiting: int, work: Path) -> None:
    platform = start_platform(work)
    try:
        terminal = kiosk_terminal(platform, work / "kiosk")
        queue, offline = terminal.queue, terminal.offline_queue
        assert queue is not None and offline is not None
        await asyncio.to_thread(offline.refresh)  # the leases, as the kiosk's loop keeps them

        def take(priority=None):
            return queue.take_ticket("A", priority, uuid.uuid4().hex)

        started = time.perf_counter()
        for n in range(waiting):
            await take("age_70" if n % 10 == 0 else None)
        print(f"{waiting} tickets taken first: {time.perf_counter() - started:.1f} s")

        online = await timed(runs, take)
        last = await take()
        print(f"take a ticket, online               {percentiles(online)}"
              f"   (people ahead {last.people_ahead})")
        lookups = await timed(runs, lambda: queue.ticket(last.token))
        print(f"a ticket's status, online           {percentiles(lookups)}")

        terminal.network.cut()
        cut, numbers = [], []
        while True:  # until this kiosk's lease of group A's regular numbers is used up
            started = time.perf_counter()
            try:
                got = await take()
            except ServiceUnavailable:
                break  # the person is sent to the service desk
            cut.append(time.perf_counter() - started)
            assert got.issued_offline, "the network is cut: the kiosk numbers it"
            numbers.append(got.number)
        print(f"take a ticket, network cut          {percentiles(cut)}   "
              f"({numbers[0]} to {numbers[-1]}, then the service desk)")

        terminal.network.restore()
        started, delivered = time.perf_counter(), 0
        while offline.backlog():  # pass after pass, as the kiosk's loop does once woken
            delivered += await asyncio.to_thread(offline.deliver_due, ignore_backoff=True)
        took = time.perf_counter() - started
        print(f"{delivered} offline tickets reconciled after restore: {took:.2f} s, "
              f"{delivered / took:.1f} tickets/s")
    finally:
        platform.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--waiting", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        asyncio.run(bench(args.runs, args.waiting, Path(work)))


if __name__ == "__main__":
    main()
