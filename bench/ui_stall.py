"""How long does the GUI thread stall while the catalog refreshes? (goal: under 50 ms)

Runs the kiosk's real catalog source (platform client, SQLite snapshots) on the Qt event loop
through qasync, exactly as the app does, against the reference platform in a separate process
(a real platform is another machine; in-process it would compete for our GIL). A 5 ms QTimer on
the GUI thread records every gap between ticks; a stall is a gap beyond the timer's interval.

    .venv/bin/python bench/ui_stall.py [--slow-seconds 2] [--rounds 5] [--embedded]

--embedded runs the platform in-process instead, as the demo does (uvicorn in a thread).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import qasync
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from kiosk.catalog_source import CatalogSource
from kiosk.platform_client import PlatformClient, TerminalCredentials
from offline_cache.catalog_snapshot import CatalogSnapshots

TICK_MS = 5
CREDENTIALS = TerminalCredentials("BENCH-0001", "bench-terminal-key-0123456789")

PLATFORM = """
import sys
from central.app import KnownTerminal
from central.server import EmbeddedPlatform
platform = EmbeddedPlatform(sys.argv[1], faults=True,
                            terminals=[KnownTerminal("BENCH-0001", "bench", sys.argv[2])])
platform.start()
print(platform.base_url, flush=True)
for line in sys.stdin:
    kind, _, seconds = line.strip().partition(" ")
    platform.set_fault(None if kind == "none" else kind, slow_seconds=float(seconds or 0) or None)
    print("ok", flush=True)
platform.stop()
"""


class StallMeter:
    def __init__(self) -> None:
        self.gaps: list[float] = []
        self._last = time.perf_counter()
        self._timer = QTimer()
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append((now - self._last) * 1000 - TICK_MS)
        self._last = now

    def start(self) -> None:
        self.gaps.clear()
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> list[float]:
        self._timer.stop()
        return list(self.gaps)


def report(name: str, gaps: list[float], elapsed_s: float) -> None:
    gaps = sorted(max(g, 0.0) for g in gaps) or [0.0]
    p99 = gaps[min(len(gaps) - 1, int(len(gaps) * 0.99))]
    print(f"{name:<44} longest stall {gaps[-1]:6.1f} ms   p99 {p99:5.1f} ms   "
          f"median {statistics.median(gaps):4.1f} ms   ticks {len(gaps):5d}   "
          f"wall {elapsed_s:5.2f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slow-seconds", type=float, default=2.0)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--embedded", action="store_true",
                        help="platform in this process, as in the demo")
    args = parser.parse_args()

    app = QApplication.instance() or QApplication([])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    work = Path(tempfile.mkdtemp(prefix="ui-stall-"))
    if args.embedded:
        from central.app import KnownTerminal
        from central.server import EmbeddedPlatform

        known = KnownTerminal(CREDENTIALS.terminal_id, "bench", CREDENTIALS.key)
        platform = EmbeddedPlatform(f"sqlite:///{work / 'central.db'}", faults=True,
                                    terminals=[known])
        platform.start()
        base_url = platform.base_url

        def set_fault(kind: str, seconds: float = 0) -> None:
            platform.set_fault(None if kind == "none" else kind, slow_seconds=seconds or None)
    else:
        platform = subprocess.Popen(
            [sys.executable, "-c", PLATFORM, f"sqlite:///{work / 'central.db'}", CREDENTIALS.key],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
            cwd=Path(__file__).resolve().parent.parent)
        base_url = platform.stdout.readline().strip()

        def set_fault(kind: str, seconds: float = 0) -> None:
            platform.stdin.write(f"{kind} {seconds}\n")
            platform.stdin.flush()
            platform.stdout.readline()

    client = PlatformClient(base_url, timeout_s=args.slow_seconds + 5, retries=0,
                            credentials=CREDENTIALS)
    meter = StallMeter()

    async def measure(name: str, make_work) -> None:
        meter.start()
        started = time.perf_counter()
        for _ in range(args.rounds):
            await make_work()
        await asyncio.sleep(0.05)
        report(name, meter.stop(), time.perf_counter() - started)

    async def scenarios() -> None:
        async def first_fetch() -> None:
            # a new source each time: full download, validation and snapshot write
            source = CatalogSource(client, CatalogSnapshots(work / f"s{time.time_ns()}.db"))
            await source.start()
            assert source.catalog is not None and len(source.catalog.services) == 40

        warm = CatalogSource(client, CatalogSnapshots(work / "warm.db"))
        await warm.start()
        where = "in this process" if args.embedded else "in another process"
        print(f"platform {where}, {args.rounds} rounds each, timer {TICK_MS} ms, "
              f"Python {sys.version.split()[0]}, {os.cpu_count()} cores")
        await measure("full catalog fetch + snapshot save", first_fetch)
        await measure("refresh, unchanged catalog (304)", warm.refresh)
        set_fault("slow", args.slow_seconds)
        await measure(f"refresh, platform slow ({args.slow_seconds:g} s per answer)", warm.refresh)
        set_fault("http500")
        await measure("refresh, platform answers 500", warm.refresh)
        set_fault("none")

    try:
        with loop:
            loop.run_until_complete(scenarios())
    finally:
        if args.embedded:
            platform.stop()
        else:
            platform.stdin.close()
            platform.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
