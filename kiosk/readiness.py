"""The boot self-test and the readiness report (issue 19, item 5).

At start every configured device is checked once, as the technician's check does it
(`devices.check.current_health`: the driver's `probe` or `check` asks the device now), in a
worker thread before the devices start, and the installed code is hashed once. A device the
profile marks `required` (`kiosk.settings.REQUIRED_BY_DEFAULT`) that fails holds the kiosk in
暂停服务 with the reason (`DeviceHold`) instead of letting people start what it cannot finish;
the hold ends by itself when the device recovers: a health change, or asking the failing
device again every `RECHECK_S`.

The readiness report (`central.contract.readiness`) is sent with the first heartbeat that
arrives and whenever the console asks (command `send_readiness`): each device's family,
driver, health code and detail, the app version, the hash of the installed code, the clock's
offset from the platform's, the free disk of the data directory, the printers' paper, the time.
Nothing about a person. Later reports take each device's health as its driver last reported
it: asking a camera now could race a person's flow for it.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import logging
import shutil
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from central.contract.readiness import (
    PaperState,
    PrinterPaper,
    ReadinessDevice,
    ReadinessReport,
)
from common.i18n import Text, tr
from devices.check import current_health, health_reason, verdict_from_health
from devices.health import Health, HealthState
from devices.registry import FAMILIES, Device, Devices
from kiosk.clock_offset import ClockOffset
from kiosk.platform_client import PlatformClient, PlatformError
from kiosk.settings import PROJECT_ROOT, DeviceSettings
from kiosk.telemetry import app_version
from offline_cache.wakeup import Wakeup, end_if_cancelled

log = logging.getLogger(__name__)

# what runs on the terminal: the kiosk's packages and its entry point (central/ is another
# program; only its contract is the kiosk's)
KIOSK_SOURCES = ("main.py", "common", "devices", "offline_cache", "flows", "kiosk", "ui",
                 "central/contract")
PRINTERS = ("receipt_printer", "a4_printer")
# a failing required device is asked again this often while the kiosk waits for it (a printer
# reports paper loaded only when asked; a reader's worker reports by itself)
RECHECK_S = 10.0


@dataclass(frozen=True)
class CodeFingerprint:
    sha256: str
    files: int


def code_fingerprint(root: Path = PROJECT_ROOT,
                     sources: Iterable[str] = KIOSK_SOURCES) -> CodeFingerprint:
    """SHA-256 over the installed Python source, files in sorted order of their path: each
    file's path, its length and its bytes, so moving code between files changes it too."""
    files = sorted({path for source in sources for path in _python_files(root / source)})
    digest = hashlib.sha256()
    for path in files:
        data = path.read_bytes()
        digest.update(f"{path.relative_to(root).as_posix()}\0{len(data)}\0".encode())
        digest.update(data)
    return CodeFingerprint(digest.hexdigest(), len(files))


def _python_files(source: Path) -> list[Path]:
    if source.is_file():
        return [source] if source.suffix == ".py" else []
    return [path for path in source.rglob("*.py") if "__pycache__" not in path.parts]


def check_devices(devices: Devices) -> dict[str, Health]:
    """Each device asked now, without starting it (blocking: in a worker thread). A check that
    raises fails its own device only."""
    return {family: _checked(family, device) for family, device in devices.by_family.items()}


def _checked(family: str, device: Device) -> Health:
    try:
        return current_health(device, "probe", "check")
    except Exception as exc:  # a driver's surprise: this device fails, the others are checked
        log.exception("self-test of %s failed", family)
        return Health(HealthState.ERROR, "CHECK_ERROR", f"{type(exc).__name__}: {exc}"[:200])


def passes(health: Health) -> bool:
    """Can serve: ok, or degraded (works; someone must see to it soon), as `devices check`."""
    return verdict_from_health(health)[0]


def paper_state(health: Health) -> PaperState:
    if health.code == "PAPER_OUT":
        return "out"
    if health.code == "PAPER_LOW":
        return "low"
    # a printer that works knows it has paper; one absent or open cannot say
    return "ok" if passes(health) else "unknown"


def failing_required(healths: Mapping[str, Health], required: Collection[str]) -> list[str]:
    return [family for family in required
            if family in healths and not passes(healths[family])]


def hold_reason(healths: Mapping[str, Health], failing: Iterable[str]) -> Text:
    """For staff on the 暂停服务 screen: which device, and why, e.g. "身份证阅读器：设备未连接或
    打不开"; several joined with "；"."""
    reasons = [tr("{device}：{reason}", device=tr(FAMILIES[family].label),
                  reason=health_reason(healths[family])) for family in failing]
    return functools.reduce(lambda first, rest: tr("{first}；{rest}", first=first, rest=rest),
                            reasons)


def build_report(*, version: str, code: CodeFingerprint, healths: Mapping[str, Health],
                 setups: Mapping[str, DeviceSettings], clock_offset_s: float | None,
                 disk_free: int, disk_total: int, now: datetime) -> ReadinessReport:
    devices = [
        ReadinessDevice(family=family, driver=setups[family].driver,
                        required=setups[family].required, state=health.state.value,
                        code=health.code, detail=health.detail[:200])
        for family, health in healths.items() if family in setups
    ]
    required = [family for family, setup in setups.items() if setup.required]
    return ReadinessReport(
        app_version=version[:64], code_sha256=code.sha256, code_files=code.files,
        clock_offset_s=clock_offset_s, disk_free_bytes=disk_free, disk_total_bytes=disk_total,
        devices=devices,
        paper=[PrinterPaper(family=family, paper=paper_state(healths[family]))
               for family in PRINTERS if family in healths and family in setups],
        ready=not failing_required(healths, required), reported_at=now)


class Readiness:
    """The self-test at start, and the readiness report sent to the platform."""

    def __init__(self, client: PlatformClient, devices: Devices,
                 setups: Mapping[str, DeviceSettings], data_dir: Path,
                 *, version: str | None = None,
                 fingerprint: Callable[[], CodeFingerprint] = code_fingerprint) -> None:
        self._client = client
        self.devices = devices
        self.setups = dict(setups)
        self._data_dir = data_dir
        self._version = version or app_version()
        self._fingerprint = fingerprint
        self._code: CodeFingerprint | None = None
        self._tested = asyncio.Event()
        self.sent: list[ReadinessReport] = []  # delivered, in order (the last is the platform's)

    @property
    def required(self) -> list[str]:
        return [family for family, setup in self.setups.items() if setup.required]

    async def self_test(self) -> dict[str, Health]:
        """Every device checked and the code hashed, in a worker thread (the GUI's loop never
        waits on a device or the disk); call before the devices start."""
        healths, self._code = await asyncio.to_thread(self._self_test)
        failing = failing_required(healths, self.required)
        log.info("self-test: %s", "; ".join(f"{family} {health.state.value} {health.code}"
                                            for family, health in healths.items()))
        if failing:
            log.warning("self-test: required device(s) failed: %s", ", ".join(failing))
        self._tested.set()
        return healths

    def _self_test(self) -> tuple[dict[str, Health], CodeFingerprint]:
        return check_devices(self.devices), self._fingerprint()

    async def send(self) -> bool:
        """Build the report now and send it once; False when it did not reach the platform
        (the next heartbeat that arrives tries again). Waits for the self-test first."""
        await self._tested.wait()
        try:
            report = await asyncio.to_thread(self.report)
            await asyncio.to_thread(self._client.send_readiness, report)
        except PlatformError as exc:
            log.warning("readiness report not delivered (%s): %s", exc.health_code, exc.detail)
            return False
        self.sent.append(report)
        return True

    def report(self) -> ReadinessReport:
        """The report as of now (blocking: reads the disk's usage)."""
        assert self._code is not None, "self_test first"
        usage = shutil.disk_usage(self._data_dir)
        offset = getattr(self._client, "clock", None)
        return build_report(
            version=self._version, code=self._code, healths=self.devices.health_report(),
            setups=self.setups,
            clock_offset_s=offset.offset_s if isinstance(offset, ClockOffset) else None,
            disk_free=usage.free, disk_total=usage.total, now=datetime.now(UTC))


class DeviceHold:
    """Holds the kiosk from a failed self-test until every required device passes.

    `reason` is what 暂停服务 shows staff (None: nothing held); `on_change` is called on the
    event loop whenever it changes.
    """

    def __init__(self, devices: Devices, required: Collection[str],
                 on_change: Callable[[], None], recheck_s: float = RECHECK_S) -> None:
        self._devices = devices
        self._required = list(required)
        self._on_change = on_change
        self.recheck_s = recheck_s
        self.reason: Text | None = None
        self._wake = Wakeup()

    def update(self, healths: Mapping[str, Health]) -> bool:
        """Hold for the failing required devices of `healths`; True while held."""
        failing = failing_required(healths, self._required)
        reason = hold_reason(healths, failing) if failing else None
        if reason != self.reason:
            self.reason = reason
            if reason is None:
                log.info("required devices pass again: serving")
            else:
                log.warning("暂停服务 until required devices recover: %s", reason.render())
            self._on_change()
        return reason is not None

    async def run(self) -> None:
        """Until the devices pass (returns) or the kiosk stops (cancelled)."""
        self._wake.bind()
        self._devices.on_health_change(lambda _family, _health: self._wake.ring())
        while self.reason is not None:
            end_if_cancelled()
            self._wake.clear()
            await self._wake.wait(self.recheck_s)
            self.update(await asyncio.to_thread(self._recheck))

    def _recheck(self) -> dict[str, Health]:
        """The failing required devices asked again; the others as they last reported."""
        healths = self._devices.health_report()
        for family in failing_required(healths, self._required):
            healths[family] = _checked(family, self._devices.by_family[family])
        return healths
