"""POST /api/v1/readiness: a terminal's readiness report (its boot self-test), and the answer.

Sent with the first heartbeat after the kiosk starts and whenever the console asks for it
(command `send_readiness`). The platform keeps only the latest report of each terminal. Like
a heartbeat it carries no personal data: devices and their health, versions, the hash of the
installed code, the clock's offset, free disk, paper.

What a terminal sends is untrusted (a stolen key is a terminal too): every string has the shape
the kiosk gives it or a bound, every list a size, every number a range, and NaN or infinity
is refused, so a report can neither carry markup to the console nor flood it.
"""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, Field, model_validator

from central.contract import (
    DEVICE_FAMILY,
    HEALTH_CODE,
    MAX_DEVICES,
    ContractModel,
    DeviceState,
)

DRIVER_NAME = r"^[a-z0-9][a-z0-9_-]{0,31}$"  # simulator, ga467, espeak-vosk …
SHA256_HEX = r"^[0-9a-f]{64}$"
# a clock further off than a week is not believed by the kiosk (kiosk.clock_offset)
MAX_CLOCK_OFFSET_S = 7 * 24 * 3600.0
MAX_BYTES = 2**60  # an exabyte: beyond any kiosk's disk, and within a signed 64-bit column
MAX_CODE_FILES = 100_000
# paper as a printer's health tells it: PAPER_LOW is low, PAPER_OUT is out; unknown while a
# printer cannot say (offline, cover open)
PaperState = Literal["ok", "low", "out", "unknown"]


class ReadinessDevice(ContractModel):
    """One configured device as the self-test found it."""

    family: str = Field(pattern=DEVICE_FAMILY)
    driver: str = Field(pattern=DRIVER_NAME)
    required: bool = False  # the kiosk does not serve without it (config: devices.<f>.required)
    state: DeviceState
    code: str = Field(default="OK", pattern=HEALTH_CODE)
    detail: str = Field(default="", max_length=200)  # for staff; never personal data

    @property
    def passed(self) -> bool:
        """Can serve: ok, or degraded (works, but someone must see to it soon)."""
        return self.state in ("ok", "degraded")


class PrinterPaper(ContractModel):
    family: str = Field(pattern=DEVICE_FAMILY)
    paper: PaperState


class ReadinessReport(ContractModel):
    app_version: str = Field(min_length=1, max_length=64)
    # SHA-256 over the installed Python source of the kiosk, files in sorted order
    code_sha256: str = Field(pattern=SHA256_HEX)
    code_files: int = Field(ge=0, le=MAX_CODE_FILES)
    # the terminal's clock minus the platform's; None before the platform first answered
    clock_offset_s: float | None = Field(default=None, ge=-MAX_CLOCK_OFFSET_S,
                                         le=MAX_CLOCK_OFFSET_S, allow_inf_nan=False)
    disk_free_bytes: int = Field(ge=0, le=MAX_BYTES)  # of the kiosk's data directory
    disk_total_bytes: int = Field(ge=0, le=MAX_BYTES)
    devices: list[ReadinessDevice] = Field(max_length=MAX_DEVICES)
    paper: list[PrinterPaper] = Field(default=[], max_length=MAX_DEVICES)
    ready: bool  # every required device passed: the kiosk serves
    reported_at: AwareDatetime  # a time without its zone cannot be compared: refused

    @model_validator(mode="after")
    def _consistent(self) -> ReadinessReport:
        families = [device.family for device in self.devices]
        if len(set(families)) != len(families):
            raise ValueError("a device family is listed twice")
        if self.disk_free_bytes > self.disk_total_bytes:
            raise ValueError("more disk free than there is")
        if not {paper.family for paper in self.paper} <= set(families):
            raise ValueError("paper of a printer that is not among the devices")
        return self


class ReadinessReceived(ContractModel):
    """The answer: when the platform received it, and whether it replaced the one kept (an
    older report arriving late never replaces a newer one)."""

    received_at: AwareDatetime
    kept: bool
