"""The boot self-test and the readiness report (kiosk.readiness): what the report says, the
installed code's hash, and the kiosk held in 暂停服务 while a required device that failed at
start has not recovered, on simulated devices with the runtime of tests/kiosk/test_runtime.py.
Every wait is for an event (a screen change, a report sent), never for time.
"""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

from central.contract.readiness import ReadinessReceived, ReadinessReport
from devices.health import HEALTHY, Health, HealthState
from devices.registry import build_devices
from devices.simulated import SimulatedDevice
from kiosk.readiness import (
    CodeFingerprint,
    Readiness,
    build_report,
    code_fingerprint,
    hold_reason,
    paper_state,
)
from kiosk.runtime import KioskRuntime
from kiosk.settings import DeviceSettings, load_settings
from kiosk.telemetry import Telemetry
from kiosk.terminal import Terminal
from tests.kiosk.test_runtime import (
    Changes,
    HallPlatform,
    Person,
    RecordingScreen,
    StaticCatalog,
    scenario,
)

NO_DEVICE = Health(HealthState.OFFLINE, "NO_DEVICE", "/dev/ttyUSB0: absent")
PAPER_OUT = Health(HealthState.ERROR, "PAPER_OUT")
PAPER_LOW = Health(HealthState.DEGRADED, "PAPER_LOW")
CODE = CodeFingerprint("ab" * 32, 3)
SETUPS = {
    "idcard": DeviceSettings(driver="ga467", port="/dev/ttyUSB0", required=True),
    "receipt_printer": DeviceSettings(driver="escpos", required=True),
    "a4_printer": DeviceSettings(driver="cups"),
    "speech": DeviceSettings(driver="espeak-vosk"),
}


def report(healths: dict[str, Health]) -> ReadinessReport:
    return build_report(version="1.2.3", code=CODE, healths=healths, setups=SETUPS,
                        clock_offset_s=-2.5, disk_free=10, disk_total=100,
                        now=datetime(2026, 12, 7, 9, 30, tzinfo=UTC))


# -- the report ---------------------------------------------------------------------------------

def test_the_report_says_each_device_its_driver_and_health() -> None:
    built = report({"idcard": HEALTHY, "receipt_printer": PAPER_LOW, "a4_printer": PAPER_OUT,
                    "speech": Health(HealthState.DEGRADED, "ASR_UNAVAILABLE", "no model")})
    assert [(d.family, d.driver, d.required, d.state, d.code) for d in built.devices] == [
        ("idcard", "ga467", True, "ok", "OK"),
        ("receipt_printer", "escpos", True, "degraded", "PAPER_LOW"),
        ("a4_printer", "cups", False, "error", "PAPER_OUT"),
        ("speech", "espeak-vosk", False, "degraded", "ASR_UNAVAILABLE"),
    ]
    assert [(p.family, p.paper) for p in built.paper] == [("receipt_printer", "low"),
                                                          ("a4_printer", "out")]
    assert built.ready, "a failed A4 printer is not required; paper low still prints"
    assert (built.app_version, built.code_sha256, built.clock_offset_s) == ("1.2.3", "ab" * 32,
                                                                            -2.5)
    assert (built.disk_free_bytes, built.disk_total_bytes) == (10, 100)
    # it crosses the wire as the platform parses it
    assert ReadinessReport.model_validate_json(built.model_dump_json()) == built


def test_a_failed_required_device_makes_the_report_not_ready() -> None:
    built = report({"idcard": NO_DEVICE, "receipt_printer": HEALTHY, "a4_printer": HEALTHY,
                    "speech": HEALTHY})
    assert not built.ready
    assert built.devices[0].detail == "/dev/ttyUSB0: absent"


@pytest.mark.parametrize(("health", "paper"), [
    (HEALTHY, "ok"), (PAPER_LOW, "low"), (PAPER_OUT, "out"),
    (Health(HealthState.DEGRADED, "TONER_LOW"), "ok"), (NO_DEVICE, "unknown"),
    (Health(HealthState.ERROR, "COVER_OPEN"), "unknown"),
])
def test_paper_as_the_printers_health_tells_it(health: Health, paper: str) -> None:
    assert paper_state(health) == paper


def test_the_reason_names_each_failed_device_for_staff() -> None:
    reason = hold_reason({"idcard": NO_DEVICE, "receipt_printer": PAPER_OUT},
                         ["idcard", "receipt_printer"])
    assert reason.render() == "身份证阅读器：设备未连接或打不开；凭条打印机：缺纸"


# -- the installed code's hash -------------------------------------------------------------------

def test_the_code_hash_covers_every_source_file_and_nothing_else(tmp_path: Path) -> None:
    (tmp_path / "kiosk" / "__pycache__").mkdir(parents=True)
    (tmp_path / "kiosk" / "a.py").write_text("A = 1\n")
    (tmp_path / "kiosk" / "b.py").write_text("B = 2\n")
    (tmp_path / "main.py").write_text("print()\n")
    first = code_fingerprint(tmp_path, ("main.py", "kiosk"))
    assert first.files == 3 and len(first.sha256) == 64

    (tmp_path / "kiosk" / "__pycache__" / "a.cpython-311.pyc").write_bytes(b"\0")
    (tmp_path / "kiosk" / "notes.txt").write_text("not code")
    assert code_fingerprint(tmp_path, ("main.py", "kiosk")) == first

    (tmp_path / "kiosk" / "b.py").write_text("B = 3\n")
    assert code_fingerprint(tmp_path, ("main.py", "kiosk")).sha256 != first.sha256


def test_code_moved_between_files_changes_the_hash(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("X = 1\nY = 2\n")
    (tmp_path / "b.py").write_text("")
    before = code_fingerprint(tmp_path, ("a.py", "b.py"))
    (tmp_path / "a.py").write_text("X = 1\n")
    (tmp_path / "b.py").write_text("Y = 2\n")
    assert code_fingerprint(tmp_path, ("a.py", "b.py")).sha256 != before.sha256


# -- the kiosk at start --------------------------------------------------------------------------

class ReportDesk:
    """The platform's POST /readiness: keeps what arrives, wakes the test."""

    def __init__(self, changes: Changes) -> None:
        self.reports: list[ReadinessReport] = []
        self._changes = changes
        self._loop = asyncio.get_running_loop()
        self._lock = threading.Lock()

    def send_readiness(self, report: ReadinessReport) -> ReadinessReceived:  # a worker thread
        with self._lock:
            self.reports.append(report)
        self._loop.call_soon_threadsafe(self._changes.changed)
        return ReadinessReceived(received_at=datetime.now(UTC), kept=True)


class Kiosk:
    """The runtime on the demo profile's simulated devices, without Qt."""

    def __init__(self, tmp_path: Path) -> None:
        settings = load_settings()
        self.changes = Changes()
        self.screen = RecordingScreen(self.changes)
        self.person = Person(self.changes)
        self.platform = HallPlatform()
        self.desk = ReportDesk(self.changes)
        self.devices = build_devices(settings.devices)
        # heartbeats are sent by the test after the first: an hour between beats
        telemetry = Telemetry(self.platform, 3600, self.devices.health_report)  # type: ignore[arg-type]
        readiness = Readiness(self.desk, self.devices, settings.devices, tmp_path,  # type: ignore[arg-type]
                              fingerprint=lambda: CODE)
        terminal = Terminal(settings, self.devices, StaticCatalog(),  # type: ignore[arg-type]
                            telemetry=telemetry, readiness=readiness)
        self.runtime = KioskRuntime(terminal, self.screen, self.person.serve)
        self.run: asyncio.Task[None] | None = None

    def device(self, family: str) -> SimulatedDevice:
        device = self.devices.by_family[family]
        assert isinstance(device, SimulatedDevice)
        return device

    async def __aenter__(self) -> Kiosk:
        self.run = asyncio.create_task(self.runtime.run())
        return self

    async def __aexit__(self, *_exc: object) -> None:
        assert self.run is not None
        self.run.cancel()
        await asyncio.gather(self.run, return_exceptions=True)

    def reasons(self) -> list[str]:
        return [value.render() for what, value in self.screen.shown
                if what == "暂停服务" and value is not None]


@scenario
async def test_healthy_devices_serve_and_the_report_goes_with_the_first_heartbeat() -> None:
    async with Kiosk(Path.cwd()) as kiosk:
        await kiosk.changes.until(lambda: len(kiosk.person.sessions) == 1, "a person is served")
        await kiosk.changes.until(lambda: len(kiosk.desk.reports) == 1, "the report is sent")
        sent = kiosk.desk.reports[0]
        assert sent.ready and sent.code_sha256 == CODE.sha256
        assert [d.family for d in sent.devices] == list(kiosk.devices.by_family)
        assert {d.family for d in sent.devices if d.required} == {"idcard", "receipt_printer"}
        assert "暂停服务" not in [what for what, _value in kiosk.screen.shown]


@scenario
async def test_a_required_device_failing_at_start_pauses_the_kiosk_until_it_recovers() -> None:
    async with Kiosk(Path.cwd()) as kiosk:
        reader = kiosk.device("idcard")
        reader.set_health(NO_DEVICE)  # before the self-test has run: the reader is absent
        await kiosk.changes.until(lambda: kiosk.screen.paused, "暂停服务")
        assert kiosk.reasons() == ["身份证阅读器：设备未连接或打不开"]
        assert kiosk.person.sessions == [], "nobody starts what the kiosk cannot finish"
        assert kiosk.runtime.service_state() == "paused", "the console sees it paused"
        assert "required device" in kiosk.runtime.paused_for()  # and `systemctl status`
        await kiosk.changes.until(lambda: len(kiosk.desk.reports) == 1, "the report is sent")
        assert not kiosk.desk.reports[0].ready

        reader.set_health(HEALTHY)  # plugged in again: no one has to restart anything
        await kiosk.changes.until(lambda: len(kiosk.person.sessions) == 1, "serving again")
        assert not kiosk.screen.paused
        assert kiosk.runtime.service_state() == "serving"
        await kiosk.changes.until(lambda: len(kiosk.desk.reports) == 2, "a fresh report")
        assert kiosk.desk.reports[1].ready


@scenario
async def test_an_optional_device_failing_at_start_does_not_pause_the_kiosk() -> None:
    async with Kiosk(Path.cwd()) as kiosk:
        kiosk.device("a4_printer").set_health(PAPER_OUT)
        await kiosk.changes.until(lambda: len(kiosk.person.sessions) == 1, "a person is served")
        await kiosk.changes.until(lambda: len(kiosk.desk.reports) == 1, "the report is sent")
        assert kiosk.desk.reports[0].ready
        assert not kiosk.screen.paused


@scenario
async def test_the_reason_follows_the_devices_while_paused() -> None:
    async with Kiosk(Path.cwd()) as kiosk:
        kiosk.device("idcard").set_health(NO_DEVICE)
        kiosk.device("receipt_printer").set_health(PAPER_OUT)
        await kiosk.changes.until(lambda: kiosk.screen.paused, "暂停服务")
        assert kiosk.reasons() == ["身份证阅读器：设备未连接或打不开；凭条打印机：缺纸"]
        kiosk.device("idcard").set_health(HEALTHY)
        await kiosk.changes.until(lambda: kiosk.reasons()[-1] == "凭条打印机：缺纸",
                                  "only the printer is left")
        assert kiosk.person.sessions == []
        kiosk.device("receipt_printer").set_health(HEALTHY)  # paper loaded
        await kiosk.changes.until(lambda: len(kiosk.person.sessions) == 1, "serving again")
