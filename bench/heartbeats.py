"""Sustained heartbeats per second and their latency, on SQLite and PostgreSQL.

    python bench/heartbeats.py [--terminals 200] [--seconds 15] [--workers 1]
                               [--clients 4] [--concurrency 32] [--postgres URL]

Starts the central platform (uvicorn, `--workers` processes) on a loopback port against a fresh
database, registers N terminals, and drives them from `--clients` load processes, each keeping
`--concurrency` signed heartbeats in flight over keep-alive connections (a minimal HTTP/1.1
client on asyncio streams, so the load costs little of the CPU the server shares). Every
terminal sends a realistic heartbeat (8 devices, counts, acknowledgements) in turn. Prints
heartbeats/s sustained over the measuring window (after a warm-up) and p50/p95/p99 latency.
Goal: 1,000/s on one node with p95 < 50 ms. A figure, never an assertion.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from central.contract import API_PREFIX, DeviceReport, Heartbeat, signed_headers  # noqa: E402

FAMILIES = ("idcard", "sscard", "document_camera", "face_camera", "qr_scanner",
            "receipt_printer", "a4_printer", "speech")
PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"

SERVER = """
import sys
from central.app import KnownTerminal, create_app
import uvicorn
url, port, workers, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
terminals = [KnownTerminal(f"B-{n:05d}", f"大厅{n % 6}", f"bench-key-{n:05d}-0123456789")
             for n in range(count)]
app = create_app(url, terminals=terminals, development=True)  # migrate, seed, register once
app.state.engine.dispose()
if workers == 1:
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
else:
    uvicorn.run("bench.heartbeats:worker_app", factory=True, host="127.0.0.1", port=port,
                workers=workers,
                log_level="warning", access_log=False)
"""


def worker_app():
    from central.app import create_app

    return create_app(os.environ["BENCH_DATABASE_URL"], development=True)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _body(n: int, beat: int) -> bytes:
    devices = [DeviceReport(family=f, state="ok", code="OK") for f in FAMILIES]
    if beat % 50 == 0:  # now and then a printer runs low: events, alerts, resolutions
        devices[5] = DeviceReport(family="receipt_printer", state="degraded", code="PAPER_LOW")
    return Heartbeat(
        app_version="0.1.0", sent_at=datetime.now(UTC), uptime_s=60.0 + beat,
        interval_s=30.0, network="online", devices=devices, outbox_backlog=beat % 3,
        counts={"sessions": beat % 2, "services": beat % 2}, catalog_version="bench",
    ).model_dump_json().encode()


async def _connection(host: str, port: int, jobs: asyncio.Queue, stop_at: float,
                      measure_from: float, latencies: list[float], errors: list[int]) -> None:
    """One keep-alive connection sending signed heartbeats back to back."""
    reader, writer = await asyncio.open_connection(host, port)
    path = f"{API_PREFIX}/heartbeats"
    try:
        while time.perf_counter() < stop_at:
            n, beat = await jobs.get()
            body = _body(n, beat)
            headers = signed_headers(f"B-{n:05d}", f"bench-key-{n:05d}-0123456789", "POST",
                                     path, body)
            head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
            request = (f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\n"
                       f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
                       f"{head}\r\n").encode() + body
            sent = time.perf_counter()
            writer.write(request)
            status_line = await reader.readline()
            length = 0
            while (line := await reader.readline()) not in (b"\r\n", b""):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            await reader.readexactly(length)
            done = time.perf_counter()
            jobs.put_nowait((n, beat + 1))  # this terminal's next heartbeat, back in the queue
            if sent >= measure_from and done <= stop_at:
                if status_line.split()[1:2] == [b"200"]:
                    latencies.append(done - sent)
                else:
                    errors.append(1)
    finally:
        writer.close()


async def _drive(base: str, first: int, count: int, concurrency: int, seconds: float,
                 warmup: float) -> tuple[list[float], int]:
    host, port = base.removeprefix("http://").split(":")
    latencies: list[float] = []
    errors: list[int] = []
    start = time.perf_counter()
    measure_from = start + warmup
    stop_at = measure_from + seconds
    jobs: asyncio.Queue = asyncio.Queue()
    for n in range(first, first + count):  # terminals take turns, as in a hall
        jobs.put_nowait((n, 0))
    await asyncio.gather(*(
        _connection(host, int(port), jobs, stop_at, measure_from, latencies, errors)
        for _ in range(concurrency)))
    return latencies, len(errors)


def _client_process(args: tuple) -> tuple[list[float], int]:
    return asyncio.run(_drive(*args))


def run_case(name: str, database_url: str, options: argparse.Namespace) -> dict:
    port = _free_port()
    env = {**os.environ, "BENCH_DATABASE_URL": database_url, "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen([sys.executable, "-c", SERVER, database_url, str(port),
                               str(options.workers), str(options.terminals)], cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}{API_PREFIX}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"{name}: the platform did not start")
            time.sleep(0.2)
        per_client = options.terminals // options.clients
        jobs = [(base, c * per_client, per_client, options.concurrency, options.seconds,
                 options.warmup) for c in range(options.clients)]
        with multiprocessing.get_context("spawn").Pool(options.clients) as pool:
            results = pool.map(_client_process, jobs)
    finally:
        server.terminate()
        server.wait(10)
    latencies = sorted(x for lat, _ in results for x in lat)
    errors = sum(e for _, e in results)
    if not latencies:
        return {"case": name, "rate": 0.0, "errors": errors}

    def pct(p: float) -> float:
        return 1000 * latencies[min(len(latencies) - 1, int(p * len(latencies)))]

    return {"case": name, "rate": len(latencies) / options.seconds, "errors": errors,
            "p50": pct(0.50), "p95": pct(0.95), "p99": pct(0.99),
            "mean": 1000 * statistics.fmean(latencies)}


def _postgres(url: str) -> tuple[str, callable] | None:
    import psycopg

    schema = f"bench_{uuid.uuid4().hex[:8]}"
    plain = url.replace("postgresql+psycopg://", "postgresql://")
    try:
        with psycopg.connect(plain, autocommit=True, connect_timeout=3) as admin:
            admin.execute(f'CREATE SCHEMA "{schema}"')
    except psycopg.OperationalError as exc:
        print(f"postgresql: skipped, no server at {url} ({exc})")
        return None

    def drop() -> None:
        with psycopg.connect(plain, autocommit=True) as admin:
            admin.execute(f'DROP SCHEMA "{schema}" CASCADE')

    return f"{url}?options=-csearch_path%3D{schema}", drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--terminals", type=int, default=400)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--clients", type=int, default=2, help="load-generating processes")
    parser.add_argument("--concurrency", type=int, default=16,
                        help="heartbeats in flight per load process")
    parser.add_argument("--postgres", default=PG_DEFAULT)
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    options = parser.parse_args()
    print(f"{options.terminals} terminals, {options.clients}x{options.concurrency} in flight, "
          f"{options.workers} server worker(s), {options.seconds:g} s measured "
          f"after {options.warmup:g} s warm-up, {os.cpu_count()} CPUs")
    rows = []
    if options.only in (None, "sqlite"):
        with tempfile.TemporaryDirectory(prefix="bench-heartbeats-") as work:
            rows.append(run_case("sqlite", f"sqlite:///{work}/central.sqlite3", options))
    if options.only in (None, "postgresql"):
        postgres = _postgres(options.postgres)
        if postgres is not None:
            url, drop = postgres
            try:
                rows.append(run_case("postgresql", url, options))
            finally:
                drop()
    print(f"{'database':<12}{'heartbeats/s':>14}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
          f"{'errors':>8}")
    for row in rows:
        print(f"{row['case']:<12}{row['rate']:>14.0f}{row.get('p50', 0):>9.1f}"
              f"{row.get('p95', 0):>9.1f}{row.get('p99', 0):>9.1f}{row['errors']:>8}")
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
