"""How long a citizen waits at 提交, online and with the network cut, and how fast a backlog
drains once the network is back.

    python bench/outbox.py [--runs 20] [--backlog 50] [--pages 2]

Builds a terminal as the kiosk does (`kiosk.terminal.build_terminal`) against the embedded
platform on loopback (SQLite, in this process), and submits SS-015 applications with `--pages`
scanned pages (real JPEGs of an A4 page at 150 dpi). Prints p50/p95 for: the outbox commit
alone (sealed, synchronous=FULL), a submission answered with the acceptance number, a
submission with the network cut (till the 待受理 receipt can print), and the applications per
second delivered from a backlog after the network is restored. Figures, never assertions.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import cv2  # noqa: E402
import numpy as np  # noqa: E402

from central.contract import ScannedMaterial  # noqa: E402
from kiosk.citizen_services import APPLICATION  # noqa: E402
from tests.kiosk.citizen_platform import (  # noqa: E402
    kiosk_terminal,
    residence_permit,
    start_platform,
)


def a4_page(seed: int) -> str:
    """A grey A4 page at 150 dpi with some text-like noise, as the document camera sends."""
    rng = np.random.default_rng(seed)
    page = np.full((1754, 1240), 235, np.uint8)
    for _ in range(400):
        y, x = int(rng.integers(100, 1650)), int(rng.integers(80, 1000))
        page[y:y + 14, x:x + int(rng.integers(40, 200))] = 40
    ok, data = cv2.imencode(".jpg", page, [cv2.IMWRITE_JPEG_QUALITY, 80])
    assert ok
    return base64.b64encode(data.tobytes()).decode("ascii")


def percentiles(samples: list[float]) -> str:
    ms = sorted(s * 1000 for s in samples)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return f"p50 {statistics.median(ms):7.1f} ms   p95 {p95:7.1f} ms   (n={len(ms)})"


async def bench(runs: int, backlog: int, pages: int, work: Path) -> None:
    platform = start_platform(work)
    try:
        terminal = kiosk_terminal(platform, work / "kiosk", submit_wait_s=30.0)
        services, sync = terminal.services, terminal.outbox_sync
        scans = [a4_page(n) for n in range(pages)]
        submission = residence_permit(materials=[ScannedMaterial(
            name="合法稳定就业/合法稳定住所/连续就读证明（三选一）", pages_jpeg_b64=scans)])
        payload = submission.model_dump(mode="json", exclude={"local_number"})
        size = len(submission.model_dump_json()) / 1024
        print(f"submission: {pages} scanned page(s), {size:.0f} kB of JSON")

        commits = []
        for _ in range(runs):
            started = time.perf_counter()
            await asyncio.to_thread(sync.outbox.put, APPLICATION, payload)
            commits.append(time.perf_counter() - started)
        await sync.deliver_due(ignore_backoff=True)  # the platform takes those too
        print(f"outbox commit (sealed, fsync)      {percentiles(commits)}")

        online = []
        for _ in range(runs):
            started = time.perf_counter()
            submitted = await services.submit_application(submission)
            online.append(time.perf_counter() - started)
            assert submitted.accepted is not None, submitted.queued_because
        print(f"submit online -> acceptance number {percentiles(online)}")

        terminal.network.cut()
        offline = []
        for _ in range(backlog):
            started = time.perf_counter()
            submitted = await services.submit_application(submission)
            offline.append(time.perf_counter() - started)
            assert submitted.accepted is None
        print(f"submit, network cut -> 待受理       {percentiles(offline)}")

        terminal.network.restore()
        started = time.perf_counter()
        delivered = await sync.deliver_due(ignore_backoff=True)
        took = time.perf_counter() - started
        print(f"backlog of {delivered} delivered after restore: {took:.2f} s, "
              f"{delivered / took:.1f} applications/s")
    finally:
        platform.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--backlog", type=int, default=50)
    parser.add_argument("--pages", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        asyncio.run(bench(args.runs, args.backlog, args.pages, Path(work)))


if __name__ == "__main__":
    main()
