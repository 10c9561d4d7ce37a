"""A PNG of a receipt as it comes out of an 80 mm printer, drawn from the same layout as the bytes.

One pixel is one printer dot (203 dpi, 8 dots a millimetre): the image is as wide as the paper
roll, the text sits in the printable width on the printer's grid of 12-dot columns, and QR codes
have the module size the printer uses. The simulator panel shows it; staff can compare it with
the paper.
"""

from __future__ import annotations

import io
import subprocess
from functools import lru_cache
from pathlib import Path

import qrcode
from PIL import Image, ImageDraw, ImageFont

from devices.printer.escpos import PrinterModel
from devices.printer.receipt import Block, QrBlock, Receipt, TextLine, char_columns, layout

_FONT_FILES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)
COLUMN_DOTS = 12  # font A: 12 x 24 dots; a full-width glyph takes two columns
CHAR_HEIGHT = 24
LINE_PITCH = 30  # ESC 2, the default line spacing
FEED_LINES_BEFORE_CUT = 6


@lru_cache(maxsize=1)
def cjk_font_file() -> str | None:
    for path in _FONT_FILES:
        if Path(path).exists():
            return path
    try:
        found = subprocess.run(
            ["fc-match", "-f", "%{file}", ":lang=zh-cn"], capture_output=True, text=True, timeout=5
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return found or None


@lru_cache(maxsize=4)
def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    path = cjk_font_file()
    return ImageFont.truetype(path, size) if path else ImageFont.load_default()


def receipt_png(receipt: Receipt, model: PrinterModel | None = None) -> bytes:
    model = model or PrinterModel()
    return blocks_png(layout(receipt, model.columns), model)


def blocks_png(blocks: list[Block], model: PrinterModel) -> bytes:
    dots_per_mm = 8.0 if model.dpi == 203 else model.dpi / 25.4  # "203 dpi" is 8 dots/mm
    paper = round(model.paper_width_mm * dots_per_mm)
    left = max(0, (paper - model.print_width_dots) // 2)
    items = [item for block in blocks for item in block.items]
    qr_images = {id(item): _qr_image(item) for item in items if isinstance(item, QrBlock)}
    height = LINE_PITCH  # top margin
    for item in items:
        height += qr_images[id(item)].height + LINE_PITCH if isinstance(item, QrBlock) else (
            _pitch(item.scale)
        )
    height += FEED_LINES_BEFORE_CUT * LINE_PITCH
    image = Image.new("L", (paper, height), 255)
    draw = ImageDraw.Draw(image)
    y = LINE_PITCH
    for item in items:
        if isinstance(item, QrBlock):
            code = qr_images[id(item)]
            image.paste(code, (left + (model.print_width_dots - code.width) // 2, y))
            y += code.height + LINE_PITCH
            continue
        _draw_line(draw, item, left, y, model.print_width_dots)
        y += _pitch(item.scale)
    for x in range(0, paper, 16):  # where the cutter cuts
        draw.line([(x, height - 2), (x + 8, height - 2)], fill=150, width=2)
    draw.rectangle([0, 0, paper - 1, height - 1], outline=200)
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(model.dpi, model.dpi))
    return out.getvalue()


def _pitch(scale: int) -> int:
    return max(LINE_PITCH, CHAR_HEIGHT * scale + 6)


def _draw_line(draw: ImageDraw.ImageDraw, line: TextLine, left: int, y: int, width: int) -> None:
    column = COLUMN_DOTS * line.scale
    size = CHAR_HEIGHT * line.scale
    font = _font(size - 2 * line.scale)
    total = sum(char_columns(char) for char in line.text) * column
    x = left + ((width - total) // 2 if line.align == "center" else 0)
    for char in line.text:
        cell = char_columns(char) * column
        if not char.isspace():
            glyph = draw.textlength(char, font=font)
            draw.text((x + (cell - glyph) / 2, y + line.scale), char, fill=0, font=font)
            if line.bold:
                draw.text((x + (cell - glyph) / 2 + 1, y + line.scale), char, fill=0, font=font)
        x += cell


def _qr_image(block: QrBlock) -> Image.Image:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0,
                         box_size=block.module_dots)
    code.add_data(block.payload.encode("utf-8"))
    code.make(fit=True)
    return code.make_image().get_image().convert("L")
