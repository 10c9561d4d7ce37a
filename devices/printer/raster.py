"""Bitmaps a receipt printer prints as raster images (GS v 0), drawn once for paper and preview.

A line with a character the printer's font cannot show (a rare ideograph of a name such as 䶮 or
𬌗 on a GBK firmware, or ¥, which GB18030 writes in four bytes) and a QR code on a printer
without native QR are drawn here as 1-bit images the width of the printable area; the ESC/POS
bytes carry exactly these bitmaps and the PNG preview pastes the same ones, so what staff see
in the preview is dot for dot what the printer got. Glyphs come from the first CJK font that has
them (WenQuanYi Micro Hei, then Noto CJK, then BabelStone Han for Ext A-F); a character no
installed font has is drawn as an empty box, never as another character.
"""

from __future__ import annotations

import subprocess
from functools import lru_cache
from pathlib import Path

import qrcode
import qrcode.constants
from PIL import Image, ImageDraw, ImageFont

from devices.printer.receipt import char_columns

COLUMN_DOTS = 12  # font A: 12 x 24 dots; a full-width glyph takes two columns
CHAR_HEIGHT = 24
LINE_PITCH = 30  # ESC 2, the default line spacing

_FONT_FILES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/babelstone/BabelStoneHan.ttf",
)

Font = ImageFont.ImageFont | ImageFont.FreeTypeFont


@lru_cache(maxsize=1)
def cjk_font_file() -> str | None:
    """The first CJK font installed: what text is drawn with."""
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


@lru_cache(maxsize=8)
def _coverage(path: str) -> tuple[tuple[int, int], ...]:
    """The code point ranges a font file has glyphs for (fontconfig's charset of its 1st face)."""
    try:
        charset = subprocess.run(["fc-query", "-i", "0", "-f", "%{charset}", path],
                                 capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return ()
    ranges = []
    for part in charset.split():
        low, _, high = part.partition("-")
        try:
            ranges.append((int(low, 16), int(high or low, 16)))
        except ValueError:
            continue
    return tuple(ranges)


def _installed_fonts() -> list[str]:
    fonts = [path for path in _FONT_FILES if Path(path).exists()]
    if (found := cjk_font_file()) and found not in fonts:
        fonts.insert(0, found)
    return fonts


@lru_cache(maxsize=4096)
def font_file_for(char: str) -> str | None:
    """The preferred installed font that has a glyph for `char` (None: no font has it)."""
    if char.isascii():
        return cjk_font_file()
    code = ord(char)
    for path in _installed_fonts():
        if any(low <= code <= high for low, high in _coverage(path)):
            return path
    return None


@lru_cache(maxsize=32)
def _font(path: str | None, size: int) -> Font:
    return ImageFont.truetype(path, size) if path else ImageFont.load_default()


def line_pitch(scale: int) -> int:
    return max(LINE_PITCH, CHAR_HEIGHT * scale + 6)


def draw_text(draw: ImageDraw.ImageDraw, text: str, x: int, y: int, scale: int, bold: bool,
              fill: int) -> None:
    """Draw `text` on the printer's column grid from (x, y): each glyph centred in its cell."""
    column = COLUMN_DOTS * scale
    size = CHAR_HEIGHT * scale - 2 * scale
    for char in text:
        cell = char_columns(char) * column
        if not char.isspace():
            path = font_file_for(char)
            if path is None:  # no font has it: an empty box, never another character
                draw.rectangle([x + 2 * scale, y + 2 * scale, x + cell - 2 * scale,
                                y + size], outline=fill, width=scale)
            else:
                font = _font(path, size)
                glyph = draw.textlength(char, font=font)
                draw.text((x + (cell - glyph) / 2, y + scale), char, fill=fill, font=font)
                if bold:
                    draw.text((x + (cell - glyph) / 2 + 1, y + scale), char, fill=fill, font=font)
        x += cell


def text_line_bitmap(text: str, width_dots: int, align: str, scale: int, bold: bool
                     ) -> Image.Image:
    """One printed line as a 1-bit image `width_dots` wide and one line pitch high (black = 0)."""
    height = line_pitch(scale)
    image = Image.new("L", (width_dots, height), 255)
    total = sum(char_columns(char) for char in text) * COLUMN_DOTS * scale
    x = (width_dots - total) // 2 if align == "center" else 0
    draw_text(ImageDraw.Draw(image), text, max(0, x), 0, scale, bold, fill=0)
    return image.convert("1", dither=Image.Dither.NONE)  # a dot where the glyph is dark


def qr_bitmap(payload: str, module_dots: int, max_width: int = 0) -> Image.Image:
    """A QR code (error correction M, no quiet zone: the paper around it is blank), its modules
    made smaller when it would not fit `max_width` dots."""
    while True:
        code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0,
                             box_size=module_dots)
        code.add_data(payload.encode("utf-8"))
        code.make(fit=True)
        image = code.make_image().get_image().convert("1")
        if not max_width or image.width <= max_width or module_dots <= 1:
            return image
        module_dots -= 1


def centred(image: Image.Image, width_dots: int) -> Image.Image:
    """`image` centred on a white strip `width_dots` wide, as printed with ESC a 1."""
    strip = Image.new("1", (width_dots, image.height), 1)
    strip.paste(image, ((width_dots - image.width) // 2, 0))
    return strip
