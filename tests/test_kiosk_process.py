"""The kiosk as the process systemd runs: `main.py run` with the embedded platform, offscreen.

The platform's restart command makes it start afresh in the same process (exit code 75, then
exec), and SIGTERM stops it with exit code 0; neither leaves a traceback on its stderr, from
itself or from its image-work child processes.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from central.db import CommandRecord, open_engine, session_factory
from kiosk.settings import DEFAULT_CONFIG, PROJECT_ROOT

READY = "knowledge"  # the last thing a starting kiosk logs: " knowledge … fetched"
START_S = 90.0  # a cold start on a busy 2-core machine
STOP_S = 30.0  # bounds a failure only; the kiosk's own exit deadline is 15 s


class KioskProcess:
    """`main.py run` in a child process, its stderr collected line by line as it comes."""

    def __init__(self, folder: Path, env: dict[str, str] | None = None,
                 launcher: Sequence[str] = ()) -> None:
        """`env`: more environment for it (as systemd gives NOTIFY_SOCKET); `launcher`: what
        runs it (as cage does in deploy/kiosk.service)."""
        profile = DEFAULT_CONFIG.read_text(encoding="utf-8")
        profile = profile.replace('dir = "var/kiosk"', f'dir = "{folder / "data"}"')
        profile = profile.replace("heartbeat_interval_s = 30", "heartbeat_interval_s = 1")
        assert str(folder) in profile and "heartbeat_interval_s = 1" in profile
        self.config = folder / "kiosk.toml"
        self.config.write_text(profile, encoding="utf-8")
        self.database = f"sqlite:///{folder / 'data' / 'central.sqlite3'}"
        self.lines: list[str] = []
        self._changed = threading.Condition()
        self.process = subprocess.Popen(
            [*launcher, sys.executable, "main.py", "--config", str(self.config), "run"],
            cwd=PROJECT_ROOT, start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})})
        threading.Thread(target=self._collect, daemon=True).start()

    def _collect(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            with self._changed:
                self.lines.append(line)
                self._changed.notify_all()
        with self._changed:
            self.lines.append("<end of stderr>")
            self._changed.notify_all()

    def wait_for(self, text: str, count: int = 1, timeout_s: float = START_S) -> None:
        with self._changed:
            ok = self._changed.wait_for(
                lambda: sum(text in line for line in self.lines) >= count
                or "<end of stderr>" in self.lines, timeout=timeout_s)
            assert ok and sum(text in line for line in self.lines) >= count, (
                f"never logged {text!r} ×{count}:\n{''.join(self.lines[-40:])}")

    def stderr(self) -> str:
        with self._changed:
            return "".join(self.lines)

    def restart_command(self) -> None:
        """What the console's 重启 button records for the demo terminal."""
        engine = open_engine(self.database)
        try:
            with session_factory(engine)() as session:
                session.add(CommandRecord(terminal_id="DEMO-0001", kind="restart",
                                          issued_by="test", issued_at=datetime.now(UTC)))
                session.commit()
        finally:
            engine.dispose()


def test_a_restart_command_restarts_the_process_and_sigterm_stops_it_cleanly(tmp_path) -> None:
    kiosk = KioskProcess(tmp_path)
    try:
        kiosk.wait_for(READY)
        kiosk.restart_command()
        kiosk.wait_for("restarting the kiosk as the platform asked")
        kiosk.wait_for(READY, count=2)  # started afresh by exec: the same process
        assert kiosk.process.poll() is None

        kiosk.process.send_signal(signal.SIGTERM)
        assert kiosk.process.wait(timeout=STOP_S) == 0
    finally:
        if kiosk.process.poll() is None:
            kiosk.process.kill()
            kiosk.process.wait()
    kiosk.wait_for("<end of stderr>", timeout_s=STOP_S)  # its children have let go too
    log = kiosk.stderr()
    assert "stopping on SIGTERM" in log
    assert "Traceback" not in log, log
    assert "did not stop" not in log, log


def test_under_systemd_it_says_ready_pings_the_watchdog_and_says_stopping(tmp_path) -> None:
    """As a `Type=notify` unit with a watchdog (deploy/kiosk.service): READY=1 with the home
    screen, WATCHDOG=1 pings, a STATUS line, and STOPPING=1 on SIGTERM."""
    systemd = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    systemd.bind(str(tmp_path / "notify"))
    systemd.settimeout(START_S)  # bounds a failure only
    kiosk = KioskProcess(tmp_path, {"NOTIFY_SOCKET": str(tmp_path / "notify"),
                                    "WATCHDOG_USEC": "2000000"})
    heard: list[str] = []

    def hear(start: str) -> None:
        while not any(line.startswith(start) for m in heard for line in m.split("\n")):
            heard.append(systemd.recv(4096).decode())

    try:
        hear("READY=1")
        hear("STATUS=Serving")
        assert "STATUS=Serving" in heard, heard  # not offline: the embedded platform answers
        heard.clear()
        hear("WATCHDOG=1")
        kiosk.process.send_signal(signal.SIGTERM)
        hear("STOPPING=1")
        assert kiosk.process.wait(timeout=STOP_S) == 0
    finally:
        systemd.close()
        if kiosk.process.poll() is None:
            kiosk.process.kill()
            kiosk.process.wait()
