"""A PNG of a receipt as it comes out of the printer, drawn from the same layout as the bytes.

One pixel is one printer dot: the image is as wide as the paper roll, text sits in the printable
width on the printer's grid of 12-dot columns, and QR codes have the module size the printer
uses. Lines and QR codes the model prints as raster images (a character its encoding lacks, no
native QR) are pasted as the very bitmaps the ESC/POS bytes carry (`escpos.item_bitmap`). The
simulator panel shows the preview; staff can compare it with the paper.
"""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

from devices.printer.escpos import PrinterModel, item_bitmap
from devices.printer.raster import LINE_PITCH, draw_text, line_pitch, qr_bitmap
from devices.printer.receipt import Block, QrBlock, Receipt, TextLine, char_columns, layout

COLUMN_DOTS = 12
FEED_LINES_BEFORE_CUT = 6


def receipt_png(receipt: Receipt, model: PrinterModel | None = None) -> bytes:
    model = model or PrinterModel()
    return blocks_png(layout(receipt, model.columns), model)


def paper_geometry(model: PrinterModel) -> tuple[int, int]:
    """The paper's width in dots and the left edge of the printable area on it."""
    dots_per_mm = 8.0 if model.dpi == 203 else model.dpi / 25.4  # "203 dpi" is 8 dots/mm
    paper = max(model.print_width_dots, round(model.paper_width_mm * dots_per_mm))
    return paper, max(0, (paper - model.print_width_dots) // 2)


def item_pictures(items: list[TextLine | QrBlock], model: PrinterModel
                  ) -> dict[int, Image.Image]:
    """The bitmap of each item drawn as a picture (by id): raster lines and QR codes."""
    pictures: dict[int, Image.Image] = {}
    for item in items:
        bitmap = item_bitmap(item, model)
        if bitmap is None and isinstance(item, QrBlock):  # printed by the printer itself
            code = qr_bitmap(item.payload, item.module_dots)
            bitmap = Image.new("1", (model.print_width_dots, code.height), 1)
            bitmap.paste(code, ((model.print_width_dots - code.width) // 2, 0))
        if bitmap is not None:
            pictures[id(item)] = bitmap
    return pictures


def item_tops(blocks: list[Block], model: PrinterModel) -> list[int]:
    """The y (in dots) where each item of the layout starts on the paper, in order."""
    items = [item for block in blocks for item in block.items]
    pictures = item_pictures(items, model)
    tops, y = [], LINE_PITCH
    for item in items:
        tops.append(y)
        y += _item_height(item, pictures.get(id(item)))
    return tops


def blocks_png(blocks: list[Block], model: PrinterModel) -> bytes:
    paper, left = paper_geometry(model)
    items = [item for block in blocks for item in block.items]
    pictures = item_pictures(items, model)
    height = LINE_PITCH  # top margin
    for item in items:
        height += _item_height(item, pictures.get(id(item)))
    height += FEED_LINES_BEFORE_CUT * LINE_PITCH
    image = Image.new("L", (paper, height), 255)
    draw = ImageDraw.Draw(image)
    y = LINE_PITCH
    for item in items:
        picture = pictures.get(id(item))
        if picture is not None:
            image.paste(picture.convert("L"), (left, y))
        elif isinstance(item, TextLine):
            _draw_line(draw, item, left, y, model.print_width_dots)
        y += _item_height(item, picture)
    for x in range(0, paper, 16):  # where the cutter cuts
        draw.line([(x, height - 2), (x + 8, height - 2)], fill=150, width=2)
    draw.rectangle([0, 0, paper - 1, height - 1], outline=200)
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(model.dpi, model.dpi))
    return out.getvalue()


def _item_height(item: TextLine | QrBlock, picture: Image.Image | None) -> int:
    if isinstance(item, QrBlock):  # the code, then the line feed after it
        return (picture.height if picture is not None else 0) + LINE_PITCH
    return picture.height if picture is not None else line_pitch(item.scale)


def _draw_line(draw: ImageDraw.ImageDraw, line: TextLine, left: int, y: int, width: int) -> None:
    total = sum(char_columns(char) for char in line.text) * COLUMN_DOTS * line.scale
    x = left + ((width - total) // 2 if line.align == "center" else 0)
    draw_text(draw, line.text, x, y, line.scale, line.bold, fill=0)
