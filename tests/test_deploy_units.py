"""The systemd units in deploy/ as systemd reads them: `systemd-analyze verify` accepts them
without a word, and the kiosk's is the watchdog-supervised, self-rebooting unit the terminal
needs. The units name /usr/bin/cage and /opt/kiosk/.venv/bin/python, which this machine lacks:
they are verified, unchanged, under a root of their own (`--root`) where those exist, beside a
copy of this machine's own system units (sysinit.target and the rest they depend on)."""

from __future__ import annotations

import configparser
import re
import shutil
import subprocess
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"
UNITS = ("kiosk.service", "kiosk-central.service")
SYSTEM_UNITS = Path("/usr/lib/systemd/system")
ANALYZE = shutil.which("systemd-analyze")

pytestmark = pytest.mark.skipif(ANALYZE is None or not SYSTEM_UNITS.is_dir(),
                                reason="systemd-analyze (Debian package systemd) is missing")


def root_for(tmp_path: Path, units: dict[str, str]) -> Path:
    """A file system root holding `units` (name: text) in /etc/systemd/system, this machine's
    system units, and an executable stand-in for every absolute program their ExecStart= runs."""
    root = tmp_path / "root"
    shutil.copytree(SYSTEM_UNITS, root / SYSTEM_UNITS.relative_to("/"), symlinks=True)
    etc = root / "etc/systemd/system"
    etc.mkdir(parents=True)
    for name, text in units.items():
        (etc / name).write_text(text)
        for line in text.splitlines():
            if line.startswith(("ExecStart=", "ExecStartPre=")):
                paths = re.findall(r"(?:^|\s|=\+?)(/\S+)", line)
                for program in paths:
                    # a folder given as an argument (--root /opt/kiosk) is no program
                    folder = any(other.startswith(program + "/") for other in paths)
                    if program.startswith(("/usr/bin/", "/opt/")) and not folder:
                        stand_in = root / program.lstrip("/")
                        stand_in.parent.mkdir(parents=True, exist_ok=True)
                        stand_in.write_text("#!/bin/sh\n")
                        stand_in.chmod(0o755)
    return root


def verify(tmp_path: Path, units: dict[str, str]) -> tuple[int, list[str]]:
    """systemd-analyze's exit code and what it said about `units` (warnings, such as a key it
    ignores, leave the exit code 0: they count too)."""
    root = root_for(tmp_path, units)
    assert ANALYZE is not None
    done = subprocess.run([ANALYZE, "verify", f"--root={root}", *units], capture_output=True,
                          text=True, timeout=60)
    said = [line for line in (done.stdout + done.stderr).splitlines()
            if any(name in line for name in units)]
    return done.returncode, said


def shipped() -> dict[str, str]:
    return {name: (DEPLOY / name).read_text() for name in UNITS}


def test_the_shipped_units_pass_systemd_analyze_verify(tmp_path):
    assert verify(tmp_path, shipped()) == (0, [])


@pytest.mark.parametrize("breakage", [
    ("Type=notify", "Type=notfy"),  # a value systemd ignores, leaving a simple service
    ("WatchdogSec=30", "WatchdogSc=30"),  # a key it ignores: no watchdog at all
    # a program that is not there (the root has stand-ins for /usr/bin and /opt only)
    ("ExecStart=/usr/bin/cage", "ExecStart=/usr/local/bin/cage"),
    ("[Service]", "[Servic]"),  # no service at all
])
def test_a_broken_unit_is_caught(tmp_path, breakage):
    """The same check, on a copy of the kiosk's unit with one line broken."""
    good, bad = breakage
    units = shipped()
    lines = units["kiosk.service"].splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith(good))
    lines[at] = lines[at].replace(good, bad, 1)
    units["kiosk.service"] = "".join(lines)
    code, said = verify(tmp_path, units)
    assert code != 0 or said, "systemd-analyze verify said nothing about a broken unit"


def test_the_kiosk_unit_restarts_a_frozen_kiosk_and_reboots_a_looping_one():
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str  # type: ignore[assignment]  # systemd keys are case-sensitive
    unit.read_string((DEPLOY / "kiosk.service").read_text())
    service = unit["Service"]
    assert service["Type"] == "notify"
    assert service["WatchdogSec"] == "30"
    assert service["NotifyAccess"] == "all"  # the kiosk is cage's child, not the main process
    assert service["Restart"] == "always"
    assert service["User"] == "kiosk"
    assert service["ExecStart"].startswith("/usr/bin/cage -- ")
    assert service["TTYPath"] == "/dev/tty1"
    assert service["PAMName"] == "login"
    assert unit["Unit"]["Conflicts"] == "getty@tty1.service"
    assert unit["Unit"]["StartLimitAction"] == "reboot"
