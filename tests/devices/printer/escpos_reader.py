"""A small ESC/POS reader for the tests: what a printer would put on paper from the bytes.

It knows the commands a receipt uses and fails on anything else, so a stray byte in the
driver's output is a test failure rather than a silent "?". Text is decoded as the printer
would: GB18030 in Chinese mode (after FS &), UTF-8 after FS ( C fn=48 m=2, otherwise a
single-byte code page where every non-ASCII byte prints as "?". Raster images (GS v 0) are kept
as 1-bit pictures, in the order they came with the text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PIL import Image

ESC, GS, FS, DLE = 0x1B, 0x1D, 0x1C, 0x10

# command → number of parameter bytes after the two command bytes
_FIXED = {
    (ESC, ord("@")): 0, (ESC, ord("a")): 1, (ESC, ord("E")): 1, (ESC, ord("!")): 1,
    (ESC, ord("d")): 1, (ESC, ord("2")): 0, (ESC, ord("3")): 1, (ESC, ord("-")): 1,
    (ESC, ord("M")): 1, (ESC, ord("{")): 1, (ESC, ord("G")): 1, (ESC, ord("t")): 1,
    (GS, ord("!")): 1, (GS, ord("b")): 1, (GS, ord("B")): 1,
    (FS, ord("&")): 0, (FS, ord(".")): 0, (FS, ord("!")): 1, (FS, ord("C")): 1,
    (DLE, 0x04): 1, (GS, ord("r")): 1,
}


@dataclass
class Raster:
    """A GS v 0 image: `width` dots (a multiple of 8) by `height`, bit 7 of a byte leftmost."""

    width: int
    height: int
    data: bytes = field(repr=False)

    def image(self) -> Image.Image:
        """As a PIL 1-bit image, black where the printer burns a dot."""
        return Image.frombytes("1", (self.width, self.height), bytes(b ^ 0xFF for b in self.data))


@dataclass
class Paper:
    lines: list[str] = field(default_factory=list)
    qr_codes: list[str] = field(default_factory=list)
    cuts: int = 0
    status_requests: list[int] = field(default_factory=list)
    buffer_cleared: bool = False
    chinese_mode: bool = False
    sizes: list[int] = field(default_factory=list)  # GS ! value of each printed line
    order: list[str] = field(default_factory=list)  # "text", "qr", "image", "cut" as they came
    images: list[Raster] = field(default_factory=list)
    utf8: bool = False
    paper_status_requests: int = 0  # GS r 1


def read_escpos(data: bytes) -> Paper:
    paper = Paper()
    text = bytearray()
    qr_data = b""
    size = 0
    i = 0

    def end_line() -> None:
        nonlocal text
        paper.lines.append(_decode(bytes(text), paper.chinese_mode, paper.utf8))
        paper.sizes.append(size)
        paper.order.append("text")
        text = bytearray()

    while i < len(data):
        byte = data[i]
        if byte == 0x0A:
            end_line()
            i += 1
            continue
        if byte == 0x0D:
            i += 1
            continue
        if byte not in (ESC, GS, FS, DLE):
            if byte < 0x20:
                raise ValueError(f"unexpected control byte {byte:#04x} at {i}")
            text.append(byte)
            i += 1
            continue
        # GB18030 trail bytes are >= 0x30, so these command bytes never sit inside a character
        command = (byte, data[i + 1]) if i + 1 < len(data) else (byte, -1)
        if command in _FIXED:
            n = _FIXED[command]
            params = data[i + 2 : i + 2 + n]
            if command == (ESC, ord("@")):
                paper.chinese_mode = False
                size = 0
            elif command == (FS, ord("&")):
                paper.chinese_mode = True
            elif command == (FS, ord(".")):
                paper.chinese_mode = False
            elif command == (GS, ord("!")):
                size = params[0]
            elif command == (DLE, 0x04):
                paper.status_requests.append(params[0])
            elif command == (GS, ord("r")):
                paper.paper_status_requests += 1
            i += 2 + n
        elif command == (GS, ord("V")):
            mode = data[i + 2]
            i += 4 if mode in (65, 66) else 3
            paper.cuts += 1
            paper.order.append("cut")
        elif command == (GS, ord("(")) and data[i + 2] == ord("k"):
            length = data[i + 3] + 256 * data[i + 4]
            body = data[i + 5 : i + 5 + length]
            cn, fn = body[0], body[1]
            if cn == ord("1") and fn == ord("P"):
                qr_data = body[3:]
            elif cn == ord("1") and fn == ord("Q"):
                paper.qr_codes.append(qr_data.decode("utf-8"))
                paper.order.append("qr")
            i += 5 + length
        elif command == (GS, ord("v")) and data[i + 2] == ord("0"):
            width_bytes = data[i + 4] + 256 * data[i + 5]
            height = data[i + 6] + 256 * data[i + 7]
            size = width_bytes * height
            paper.images.append(Raster(width_bytes * 8, height, data[i + 8 : i + 8 + size]))
            paper.order.append("image")
            i += 8 + size
        elif command == (FS, ord("(")) and data[i + 2] == ord("C"):
            length = data[i + 3] + 256 * data[i + 4]
            body = data[i + 5 : i + 5 + length]
            if body[:1] == b"0":
                paper.utf8 = body[1:2] == b"\x02"
            i += 5 + length
        elif command == (DLE, 0x14):
            if data[i + 2] == 8:
                paper.buffer_cleared = True
                i += 10
            else:
                i += 5
        else:
            raise ValueError(f"unknown command {data[i:i + 3]!r} at {i}")
    if text:
        end_line()
    return paper


def _decode(raw: bytes, chinese: bool, utf8: bool = False) -> str:
    if utf8:
        return raw.decode("utf-8")
    if chinese:
        return raw.decode("gb18030")
    return "".join(chr(b) if b < 0x80 else "?" for b in raw)
