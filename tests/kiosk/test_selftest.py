"""`python main.py selftest`: `devices check` without the test actions — every configured
device's identity and health, non-zero when one is not ok."""

from __future__ import annotations

import subprocess
import sys

from devices.check import LABELS, TABLES
from devices.health import Health, HealthState
from devices.printer.simulated import SimulatedReceiptPrinter
from kiosk.settings import PROJECT_ROOT, load_settings
from main import selftest


def test_selftest_lists_every_configured_device_and_passes_when_all_are_ok():
    done = subprocess.run([sys.executable, "main.py", "selftest"], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    headings = [line.split()[0] for line in done.stdout.splitlines() if line[:1] not in " 共"]
    expected = [LABELS[family] for table in load_settings().devices for family in TABLES[table]]
    assert headings == expected
    verdicts = [line.split()[0] for line in done.stdout.splitlines()
                if line.startswith("  ") and line.split()[0] in ("通过", "不通过")]
    assert verdicts == ["通过"] * len(expected)
    assert "打印测试" not in done.stdout  # no test action
    count = len(expected)
    assert done.stdout.splitlines()[-1] == f"共 {count} 项：{count} 项通过，0 项不通过"


def test_a_faulty_device_makes_selftest_fail(capsys, monkeypatch):
    printer = SimulatedReceiptPrinter()
    printer.set_health(Health(HealthState.ERROR, "PAPER_OUT"))
    monkeypatch.setattr("devices.printer.simulated.SimulatedReceiptPrinter",
                        lambda family: printer)
    assert selftest(load_settings()) == 1
    out = capsys.readouterr().out
    assert "凭条打印机  [receipt_printer/simulator]" in out
    assert "  不通过 PAPER_OUT  不可用：缺纸" in out
    assert not printer.previews  # selftest prints nothing
