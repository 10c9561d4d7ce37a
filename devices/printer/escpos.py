"""The ESC/POS command language for receipts, as pure functions over bytes.

Commands come from python-escpos (its `Dummy` printer collects what it would send), except the
text: python-escpos sends text through a code page chosen per line, and a line with no CJK
ideograph in it (say "，。（）") goes out in a single-byte code page and prints as "?". So the
printer is switched to Chinese mode right after ESC @ (FS &, or FS ( C for a UTF-8 firmware)
and text is sent in the encoding of the model's profile (`profiles.toml`): GB18030, GBK, GB2312
or UTF-8, as Chinese firmwares differ (python-escpos/python-escpos#678). A line with a character
that encoding lacks (䶮 or 𬌗 of a name on a GBK firmware; ¥, which GB18030 writes as 81 30 84 36
and a GBK font prints as "0 6", lsongdev/node-escpos#332) is printed as a raster image (GS v 0)
of the same line, and so is a QR code on a printer without native QR (GS ( k).

Status: real-time requests (DLE EOT n) are answered at once, even while the printer is busy or
stopped; GS r 1 is answered in order, after everything sent before it was printed, so its answer
after the cut says the slip came out. The two kinds of answer are told apart by their fixed bits
(Citizen PPU-700 appendix 4.3 "Identification of Send Status": DLE EOT 0**1**10, GS r 0**0****).
Printer differences are data (`PrinterModel`), not branches.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from escpos.constants import DLE, EOT, FS, GS
from PIL import Image

from devices.health import HEALTHY, Health, HealthState
from devices.printer.profiles import DEFAULT_PROFILE, EPSON_NEAR_END, EPSON_PAPER_END, PrinterModel
from devices.printer.raster import centred, qr_bitmap, text_line_bitmap
from devices.printer.receipt import Block, QrBlock, Receipt, TextLine, layout

if TYPE_CHECKING:
    from escpos.printer import Dummy

__all__ = ["DEFAULT_PROFILE", "PrinterModel"]

CHINESE_MODE = FS + b"&"  # select Kanji (Chinese) character mode
UTF8_MODE = FS + b"(C\x02\x00\x30\x02"  # FS ( C fn=48 m=2: UTF-8 (Epson ESC/POS reference)
ANK_MODE = FS + b"."
LINE_FEED = b"\n"
# DLE DC4 fn=8: clear the receive and print buffers (real-time, works in any state), so the
# rest of an aborted receipt does not come out for the next person once paper is loaded
CLEAR_BUFFERS = b"\x10\x14\x08\x01\x03\x14\x01\x06\x02\x08"

QR_ERROR_CORRECTION_M = 1


# -- receipt → bytes ---------------------------------------------------------------------------


def encode_text(text: str, encoding: str = "gb18030") -> bytes:
    """Text as a printer in Chinese mode with `encoding` reads it (UnicodeEncodeError when a
    character is not in it)."""
    return text.encode(encoding)


def printable_as_text(text: str, model: PrinterModel) -> bool:
    """Whether every character of `text` exists in the model's encoding."""
    try:
        text.encode(model.encoding)
    except UnicodeEncodeError:
        return False
    return True


def receipt_segments(receipt: Receipt, model: PrinterModel) -> list[bytes]:
    """The receipt as ESC/POS, cut into segments (the header, one per block, the cut) so the
    driver can ask for the printer's status between them."""
    return blocks_segments(layout(receipt, model.columns), model)


def blocks_segments(blocks: Iterable[Block], model: PrinterModel) -> list[bytes]:
    mode = UTF8_MODE if model.encoding == "utf-8" else CHINESE_MODE
    header = _commands(model, lambda p: (p.hw("INIT"), p._raw(mode)))
    segments = [header]
    for block in blocks:
        segments.append(b"".join(_item_bytes(item, model) for item in block.items))
    if model.cutter == "partial":
        segments.append(_commands(model, lambda p: p.cut(mode="PART")))
    elif model.cutter == "full":
        segments.append(_commands(model, lambda p: p.cut()))
    else:
        segments.append(_commands(model, lambda p: p.ln(6)))
    return segments


def item_bitmap(item: TextLine | QrBlock, model: PrinterModel) -> Image.Image | None:
    """The raster image an item is printed as on this model, or None when it goes as text or
    a native QR code. The preview pastes the same image."""
    if isinstance(item, QrBlock):
        if model.native_qr:
            return None
        code = qr_bitmap(item.payload, item.module_dots, model.print_width_dots)
        return centred(code, model.print_width_dots)
    if printable_as_text(item.text, model):
        return None
    return text_line_bitmap(item.text, model.print_width_dots, item.align, item.scale,
                            item.bold)


def _item_bytes(item: TextLine | QrBlock, model: PrinterModel) -> bytes:
    bitmap = item_bitmap(item, model)
    if bitmap is not None:
        # GS v 0 prints from the left of the printable area and feeds its own height; the
        # bitmap is as wide as that area and carries its alignment
        after = LINE_FEED if isinstance(item, QrBlock) else b""
        return _commands(model, lambda p: (
            p.set(align="left", custom_size=True, width=1, height=1, bold=False),
            p.image(bitmap, impl="bitImageRaster", center=False),
        )) + after
    if isinstance(item, QrBlock):
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
    return style + encode_text(item.text, model.encoding) + LINE_FEED


def _commands(model: PrinterModel, draw: Callable[[Dummy], object]) -> bytes:
    # escpos.printer loads python-escpos's whole printer database (0.2 s): at the first
    # receipt, not on the way to the first screen (bench/cold_start.py)
    from escpos.printer import Dummy

    printer = Dummy(profile=model.escpos_profile)
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
    """A DLE EOT answer: 0**1**10 (bits 1 and 4 set, bits 0 and 7 clear)."""
    return byte & 0b1001_0011 == 0b0001_0010


def is_paper_report(byte: int) -> bool:
    """A GS r answer: 0**0**** (bits 4 and 7 clear); XON (0x11) and XOFF (0x13) have bit 4 set
    and so are never taken for one."""
    return byte & 0b1001_0000 == 0


def _holds(byte: int, masks: tuple[int, ...]) -> bool:
    """A condition given by bit masks holds when every bit of one of its masks is set."""
    return any(byte & mask == mask for mask in masks)


def decode_status(answers: dict[bytes, int], paper_end: tuple[int, ...] = EPSON_PAPER_END,
                  near_end: tuple[int, ...] = EPSON_NEAR_END) -> PrinterStatus:
    """Decode the answers to DLE EOT requests (request → answer byte); requests without an
    answer leave their part at its default. `paper_end`/`near_end` are the model's masks of the
    DLE EOT 4 answer (Epson: bits 5+6 and 2+3, each pair set together)."""
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
        if _holds(byte, paper_end):
            paper = Paper.OUT
        elif _holds(byte, near_end) and paper is not Paper.OUT:
            paper = Paper.NEAR_END
    return PrinterStatus(online=online, paper=paper, cover_open=cover_open, error=error)


def model_status(answers: dict[bytes, int], model: PrinterModel) -> PrinterStatus:
    return decode_status(answers, model.paper_end, model.near_end)


# GS r 1: transmit paper sensor status, processed in order with the print data
TRANSMIT_PAPER_STATUS = GS + b"r\x01"


def decode_paper_report(byte: int) -> Paper:
    """The answer to GS r 1: bits 0+1 near end (03), bits 2+3 paper end (0C), each pair set
    together (Epson TM-U220 and Bixolon SRP-350 GS r tables)."""
    if byte & 0x0C == 0x0C:
        return Paper.OUT
    if byte & 0x03 == 0x03:
        return Paper.NEAR_END
    return Paper.OK


def encode_status(status: PrinterStatus) -> dict[bytes, int]:
    """The answers an Epson-like printer in `status` gives (for the simulator panel and tests)."""
    base = 0b0001_0010
    printer = base | (0 if status.online else 0x08)
    offline = base | (0x04 if status.cover_open else 0) | (0x40 if status.error else 0)
    offline |= 0x20 if status.paper is Paper.OUT else 0
    paper = base | {Paper.OK: 0, Paper.NEAR_END: 0x0C, Paper.OUT: 0x6C}[status.paper]
    error = base | (0x40 if status.error else 0)
    return {
        PRINTER_STATUS: printer, OFFLINE_CAUSE: offline, ERROR_CAUSE: error, PAPER_SENSOR: paper
    }
