"""How long from `main.py run` to the home screen (READY=1, as systemd hears it), and to
serving (STATUS=Serving: the catalog on screen, the platform answering)?

    .venv/bin/python bench/cold_start.py [--runs 5]

Starts the kiosk as deploy/kiosk.service does (offscreen here), with a NOTIFY_SOCKET this
bench listens on, and times process start → READY=1, which the kiosk sends when its first home
is shown. Two ways: against the embedded demo platform (started inside the kiosk's process,
as `bash setup.sh run` does) and against a remote one (the reference platform in a process of
its own, as a hall's platform is another machine). The first run of each starts from an empty
data directory; later runs reuse it (offline cache, bytecode). Then one run under
`python -X importtime`: the slowest imports before READY, which is where the time goes.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kiosk.settings import DEFAULT_CONFIG  # noqa: E402

KEY = "bench-terminal-key-0123456789"
PLATFORM = """
import sys
from central.app import KnownTerminal
from central.server import EmbeddedPlatform
terminal = KnownTerminal("BENCH-0001", "bench", sys.argv[2])
platform = EmbeddedPlatform(sys.argv[1], terminals=[terminal])
platform.start()
print(platform.base_url, flush=True)
sys.stdin.read()
platform.stop()
"""
READY_WITHIN_S = 120.0


def profile(folder: Path, remote_url: str | None) -> Path:
    text = DEFAULT_CONFIG.read_text(encoding="utf-8")
    text = text.replace('dir = "var/kiosk"', f'dir = "{folder / "data"}"')
    if remote_url is not None:
        text = text.replace('mode = "embedded"', 'mode = "remote"')
        text = text.replace('url = "http://127.0.0.1:8765/api/v1"', f'url = "{remote_url}"')
        text = text.replace('id = "DEMO-0001"', 'id = "BENCH-0001"')
        text = text.replace('key = "demo-terminal-key-not-a-secret"', f'key = "{KEY}"')
        assert remote_url in text and KEY in text
    path = folder / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    return path


def time_to_ready(config: Path, folder: Path, python_flags: tuple[str, ...] = ()) -> tuple[
        float, float, str]:
    """Seconds from start to READY=1 (a home shown, maybe still connecting), to
    STATUS=Serving (the catalog on screen and the platform answering), and the kiosk's
    stderr."""
    address = folder / f"notify-{time.monotonic_ns()}"
    systemd = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    systemd.bind(str(address))
    systemd.settimeout(READY_WITHIN_S)
    log = open(folder / "stderr.log", "w+", encoding="utf-8")  # noqa: SIM115 (read back below)
    started = time.perf_counter()
    kiosk = subprocess.Popen(
        [sys.executable, *python_flags, "main.py", "--config", str(config), "run"], cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=log,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "NOTIFY_SOCKET": str(address)})
    ready = serving = 0.0
    try:
        while not (ready and serving):
            message = systemd.recv(4096)
            now = time.perf_counter() - started
            if b"READY=1" in message and not ready:
                ready = now
            if b"STATUS=Serving\n" in message + b"\n" and not serving:
                serving = now
    finally:
        kiosk.terminate()
        kiosk.wait(timeout=60)
        systemd.close()
        address.unlink(missing_ok=True)
    log.seek(0)
    text = log.read()
    log.close()
    return ready, serving, text


# the libraries the issue wants off the path to the first screen, and the other big ones
HEAVY = ("cv2", "jieba", "PySide6.QtQuick", "PySide6.QtQuickWidgets", "PySide6.QtQml",
         "PySide6.QtWidgets", "numpy", "scipy", "skimage", "sqlalchemy", "fastapi", "pydantic",
         "uvicorn", "pypdfium2", "vosk", "sounddevice", "serial", "smartcard", "escpos",
         "pyzbar", "zxingcpp", "cryptography", "requests", "httpx")


def imports(stderr: str) -> tuple[list[tuple[float, str]], list[tuple[float, str]]]:
    """From -X importtime's lines ("import time: self [us] | cumulative | <indent>name"): the
    slowest of main.py's own imports, and each heavy library's cost where it was first
    imported (its cumulative time), both slowest first."""
    top: dict[str, float] = {}
    heavy: dict[str, float] = {}
    for line in stderr.splitlines():
        match = re.match(r"import time:\s+\d+ \|\s+(\d+) \|( *)(\S+)", line)
        if not match:
            continue
        seconds, name = int(match.group(1)) / 1e6, match.group(3)
        if len(match.group(2)) <= 1:
            top[name] = seconds
        if name in HEAVY:
            heavy.setdefault(name, seconds)
    slowest = sorted(((s, n) for n, s in top.items()), reverse=True)[:8]
    return slowest, sorted(((s, n) for n, s in heavy.items()), reverse=True)


def measure(label: str, runs: int, remote_url: str | None) -> list[float]:
    with tempfile.TemporaryDirectory(prefix="cold-start-") as temp:
        folder = Path(temp)
        config = profile(folder, remote_url)
        runs_ = [time_to_ready(config, folder)[:2] for _ in range(runs)]
        for what, times in (("READY", [r for r, _s in runs_]),
                            ("Serving", [s for _r, s in runs_])):
            print(f"| {label} | {what} | {times[0]:.2f} | "
                  f"{statistics.median(times[1:] or times):.2f} | {min(times):.2f} | "
                  f"{max(times):.2f} |")
        return [r for r, _s in runs_]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; seconds from start to "
          "READY=1 (home shown)\n")
    print("| platform | until | first run (empty data) | median of the rest | fastest | "
          "slowest |")
    print("|---|---|---|---|---|---|")
    measure("embedded (demo)", args.runs, None)
    with tempfile.TemporaryDirectory(prefix="cold-start-platform-") as temp:
        platform = subprocess.Popen(
            [sys.executable, "-c", PLATFORM, f"sqlite:///{temp}/central.sqlite3", KEY],
            cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        try:
            assert platform.stdout is not None
            url = platform.stdout.readline().strip()
            measure("remote (another process)", args.runs, url)
            with tempfile.TemporaryDirectory(prefix="cold-start-") as kiosk_temp:
                folder = Path(kiosk_temp)
                config = profile(folder, url)
                time_to_ready(config, folder)  # warm, as the rest
                elapsed, _serving, stderr = time_to_ready(config, folder, ("-X", "importtime"))
        finally:
            assert platform.stdin is not None
            platform.stdin.close()
            platform.wait(timeout=60)
    slowest, heavy = imports(stderr)
    print(f"\nimports before READY (remote, -X importtime: {elapsed:.2f} s with its "
          "overhead); main.py's slowest, then each big library where it was first loaded:\n")
    print("| import | seconds (cumulative) |")
    print("|---|---|")
    for seconds, name in [*slowest, *heavy]:
        print(f"| {name} | {seconds:.2f} |")
    missing = [name for name in ("cv2", "jieba", "PySide6.QtQuick") if name not in
               {n for _s, n in heavy}]
    print(f"\nnot loaded before READY: {', '.join(missing) or 'none of cv2, jieba, QtQuick'}")


if __name__ == "__main__":
    main()
