"""The ESC/POS command language for receipts, as pure functions over bytes.

Commands come from python-escpos (its `Dummy` printer collects what it would send), except the
text: python-escpos sends text through a code page chosen per line, and a line with no CJK
ideograph in it (say "，。（）") goes out in a single-byte code page and prints as "?". So the
printer is switched to Chinese mode (FS &) right after ESC @ and text is sent as GB18030 bytes
here, which is what the Chinese firmwares of 80 mm printers read.

Real-time status (DLE EOT n) is answered by the printer even while it is busy or stopped; its
bits are decoded by `decode_status`. Printer differences are data (`PrinterModel`, from
python-escpos's capability profiles), not branches.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from escpos.capabilities import get_profile
from escpos.constants import DLE, EOT, FS
from escpos.printer import Dummy

from devices.health import HEALTHY, Health, HealthState
from devices.printer.receipt import Block, QrBlock, Receipt, TextLine, layout

CHINESE_MODE = FS + b"&"  # select Kanji (Chinese) character mode
ANK_MODE = FS + b"."
LINE_FEED = b"\n"
# DLE DC4 fn=8: clear the receive and print buffers (real-time, works in any state), so the
# rest of an aborted receipt does not come out for the next person once paper is loaded
CLEAR_BUFFERS = b"\x10\x14\x08\x01\x03\x14\x01\x06\x02\x08"

QR_ERROR_CORRECTION_M = 1
DEFAULT_PROFILE = "TM-T20II"  # 80 mm paper, 72 mm / 576 dots printable, 48 columns of font A


@dataclass(frozen=True)
class PrinterModel:
    """What differs between receipt printers, taken from a python-escpos capability profile."""

    profile: str = DEFAULT_PROFILE
    columns: int = 48  # font A, 12 dots per column
    print_width_dots: int = 576
    dpi: int = 203
    paper_width_mm: float = 80.0  # the roll; profiles give the printable width, not this
    native_qr: bool = True
    cut: bool = True
    clears_buffer_on_abort: bool = True
    realtime_status: bool = True  # answers DLE EOT; off for the few that do not

    @classmethod
    def from_profile(
        cls, name: str = DEFAULT_PROFILE, realtime_status: bool = True
    ) -> PrinterModel:
        """Model data of a python-escpos profile; missing figures keep the 80 mm defaults."""
        data = get_profile(name).profile_data
        media = data.get("media", {})
        width = media.get("width", {})
        features = data.get("features", {})
        columns = data.get("fonts", {}).get("0", {}).get("columns")
        return cls(
            profile=name,
            columns=columns if isinstance(columns, int) else cls.columns,
            print_width_dots=_number(width.get("pixels"), cls.print_width_dots),
            dpi=_number(media.get("dpi"), cls.dpi),
            native_qr=bool(features.get("qrCode", True)),
            cut=bool(features.get("paperFullCut", True) or features.get("paperPartCut", True)),
            realtime_status=realtime_status,
        )


def _number(value: object, default):
    return value if isinstance(value, int | float) else default


# -- receipt → bytes ---------------------------------------------------------------------------


def encode_text(text: str) -> bytes:
    """Text as a Chinese-mode printer reads it; every character exists in GB18030."""
    return text.encode("gb18030")


def receipt_segments(receipt: Receipt, model: PrinterModel) -> list[bytes]:
    """The receipt as ESC/POS, cut into segments (the header, one per block, the cut) so the
    driver can ask for the printer's status between them."""
    return blocks_segments(layout(receipt, model.columns), model)


def blocks_segments(blocks: Iterable[Block], model: PrinterModel) -> list[bytes]:
    header = _commands(model, lambda p: (p.hw("INIT"), p._raw(CHINESE_MODE)))
    segments = [header]
    for block in blocks:
        segments.append(b"".join(_item_bytes(item, model) for item in block.items))
    if model.cut:
        segments.append(_commands(model, lambda p: p.cut()))
    else:
        segments.append(_commands(model, lambda p: p.ln(6)))
    return segments


def _item_bytes(item: TextLine | QrBlock, model: PrinterModel) -> bytes:
    if isinstance(item, QrBlock):
        if not model.native_qr:
            raise ValueError(f"printer profile {model.profile} cannot print QR codes natively")
        return _commands(
            model,
            lambda p: (
                p.set(align="center", custom_size=True, width=1, height=1, bold=False),
                p.qr(item.payload, ec=QR_ERROR_CORRECTION_M, size=item.module_dots, native=True),
                p._raw(LINE_FEED),
            ),
        )
    style = _commands(
        model,
        lambda p: p.set(
            align=item.align,
            bold=item.bold,
            custom_size=True,
            width=item.scale,
            height=item.scale,
        ),
    )
    return style + encode_text(item.text) + LINE_FEED


def _commands(model: PrinterModel, draw) -> bytes:
    printer = Dummy(profile=model.profile)
    draw(printer)
    return printer.output


def segments_bytes(segments: Iterable[bytes]) -> bytes:
    return b"".join(segments)


# -- real-time status --------------------------------------------------------------------------


class StatusRequest(bytes):
    pass


PRINTER_STATUS = StatusRequest(DLE + EOT + b"\x01")
OFFLINE_CAUSE = StatusRequest(DLE + EOT + b"\x02")
ERROR_CAUSE = StatusRequest(DLE + EOT + b"\x03")
PAPER_SENSOR = StatusRequest(DLE + EOT + b"\x04")
STATUS_REQUESTS = (PRINTER_STATUS, OFFLINE_CAUSE, ERROR_CAUSE, PAPER_SENSOR)


class Paper(StrEnum):
    OK = "ok"
    NEAR_END = "near_end"
    OUT = "out"


@dataclass(frozen=True)
class PrinterStatus:
    """What the printer said about itself in answer to DLE EOT 1-4."""

    online: bool = True
    paper: Paper = Paper.OK
    cover_open: bool = False
    error: bool = False  # cutter jam, head overheated, unrecoverable error

    @property
    def can_print(self) -> bool:
        return self.online and self.paper is not Paper.OUT and not self.cover_open and not (
            self.error
        )

    def health(self) -> Health:
        if self.paper is Paper.OUT:
            return Health(HealthState.ERROR, "PAPER_OUT")
        if self.cover_open:
            return Health(HealthState.ERROR, "COVER_OPEN")
        if self.error:
            return Health(HealthState.ERROR, "PRINTER_ERROR")
        if not self.online:
            return Health(HealthState.ERROR, "PRINTER_OFFLINE")
        if self.paper is Paper.NEAR_END:
            return Health(HealthState.DEGRADED, "PAPER_LOW")
        return HEALTHY


def is_status_byte(byte: int) -> bool:
    """A DLE EOT answer has bit 1 and bit 4 set and bits 0 and 7 clear."""
    return byte & 0b1001_0011 == 0b0001_0010


def decode_status(answers: dict[bytes, int]) -> PrinterStatus:
    """Decode the answers to DLE EOT requests (request → answer byte); requests without an
    answer leave their part at its default."""
    online = True
    paper = Paper.OK
    cover_open = error = False
    if (byte := answers.get(PRINTER_STATUS)) is not None:
        online = not byte & 0x08
    if (byte := answers.get(OFFLINE_CAUSE)) is not None:
        cover_open = bool(byte & 0x04)
        if byte & 0x20:  # printing stopped because the paper ran out
            paper = Paper.OUT
        error = bool(byte & 0x40)
    if (byte := answers.get(ERROR_CAUSE)) is not None:
        error = error or bool(byte & 0x68)  # cutter, unrecoverable, auto-recoverable errors
    if (byte := answers.get(PAPER_SENSOR)) is not None:
        if byte & 0x60:
            paper = Paper.OUT
        elif byte & 0x0C and paper is not Paper.OUT:
            paper = Paper.NEAR_END
    return PrinterStatus(online=online, paper=paper, cover_open=cover_open, error=error)


def encode_status(status: PrinterStatus) -> dict[bytes, int]:
    """The answers a printer in `status` gives (for emulators and tests)."""
    base = 0b0001_0010
    printer = base | (0 if status.online else 0x08)
    offline = base | (0x04 if status.cover_open else 0) | (0x40 if status.error else 0)
    offline |= 0x20 if status.paper is Paper.OUT else 0
    paper = base | {Paper.OK: 0, Paper.NEAR_END: 0x0C, Paper.OUT: 0x6C}[status.paper]
    error = base | (0x40 if status.error else 0)
    return {
        PRINTER_STATUS: printer, OFFLINE_CAUSE: offline, ERROR_CAUSE: error, PAPER_SENSOR: paper
    }
