"""`python main.py selftest`: every configured device's health, non-zero when one is not ok."""

from __future__ import annotations

import subprocess
import sys

from devices.health import Health, HealthState
from devices.registry import build_devices
from kiosk.settings import PROJECT_ROOT, load_settings
from main import selftest


def test_selftest_lists_every_configured_device_and_passes_when_all_are_ok():
    done = subprocess.run([sys.executable, "main.py", "selftest"], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    families = [line.split()[0] for line in done.stdout.splitlines()]
    assert families == list(load_settings().devices)
    assert all(" ok " in f"{line} " for line in done.stdout.splitlines())


def test_a_faulty_device_makes_selftest_fail(capsys, monkeypatch):
    settings = load_settings()
    devices = build_devices(settings.devices)
    devices.by_family["receipt_printer"].set_health(Health(HealthState.ERROR, "PAPER_OUT"))
    monkeypatch.setattr("devices.registry.build_devices", lambda configs: devices)
    assert selftest(settings) == 1
    assert "receipt_printer  error     PAPER_OUT" in capsys.readouterr().out
