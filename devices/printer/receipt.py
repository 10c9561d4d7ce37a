"""A receipt as a typed document, and its layout into the lines an 80 mm printer prints.

The layout is computed once and both the ESC/POS bytes and the PNG preview are drawn from it,
so the preview shows exactly the lines the printer gets. Widths are counted the way a printer
in Chinese mode counts them: a character that takes one byte in GB18030 (ASCII) is one column,
anything else is a full-width glyph of two.

Receipts carry names and numbers of the person: their texts never appear in a `repr`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Align = Literal["left", "center"]

# characters a line should not start with (kinsoku): they are pulled back onto the line before
_NO_LINE_START = set("，。、；：？！）》」』】〕…—,.;:?!)]}%")


@dataclass(frozen=True)
class Row:
    """A key-value row such as 受理编号：2024-0001."""

    key: str = field(repr=False)
    value: str = field(repr=False)


@dataclass(frozen=True)
class QrCode:
    payload: str = field(repr=False)
    caption: str = field(default="", repr=False)  # printed under the code, e.g. 扫码查询进度
    module_dots: int = 6  # printer dots per QR module (ESC/POS allows 1-16)


@dataclass(frozen=True)
class Receipt:
    """What a receipt says, top to bottom: title, lines, rows, QR code, footer, then a cut."""

    title: str = field(repr=False)
    lines: tuple[str, ...] = field(default=(), repr=False)
    rows: tuple[Row, ...] = field(default=(), repr=False)
    qr: QrCode | None = field(default=None, repr=False)
    footer: tuple[str, ...] = field(default=(), repr=False)

    def __post_init__(self) -> None:
        if self.qr is not None and not 1 <= self.qr.module_dots <= 16:
            raise ValueError("QR module size must be 1-16 dots")

    @property
    def text_length(self) -> int:
        """Characters of text on the receipt: what a log line may say about it."""
        texts = [self.title, *self.lines, *self.footer]
        texts += [part for row in self.rows for part in (row.key, row.value)]
        if self.qr is not None:
            texts.append(self.qr.caption)
        return sum(len(text) for text in texts)


# -- layout --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TextLine:
    """One printed line: at most `columns // scale` columns of text."""

    text: str = field(repr=False)
    align: Align = "left"
    scale: int = 1  # 2: double width and height (the title)
    bold: bool = False


@dataclass(frozen=True)
class QrBlock:
    payload: str = field(repr=False)
    module_dots: int


@dataclass(frozen=True)
class Block:
    """Lines that belong together; the driver checks the printer's status between blocks."""

    items: tuple[TextLine | QrBlock, ...]


def char_columns(char: str) -> int:
    return 1 if ord(char) < 0x80 else 2


def text_columns(text: str) -> int:
    return sum(char_columns(char) for char in text)


def wrap(text: str, columns: int, indent: int = 0) -> list[str]:
    """Break `text` into lines of at most `columns`; continuation lines get `indent` spaces.

    An empty text is one empty line. Line breaks in `text` are kept. A closing punctuation mark
    never starts a line: the character before it moves down with it.
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current: list[str] = []
        width = 0
        limit = columns
        for char in paragraph.replace("\t", " "):
            w = char_columns(char)
            if width + w > limit and current:
                carried: list[str] = []
                if char in _NO_LINE_START and len(current) > 1:
                    carried = [current.pop()]
                lines.append("".join(current).rstrip())
                current = [" " * indent, *carried] if indent else list(carried)
                width = indent + text_columns("".join(carried))
                limit = columns
            current.append(char)
            width += w
        lines.append("".join(current).rstrip())
    return lines


def layout(receipt: Receipt, columns: int) -> list[Block]:
    """The receipt as blocks of printed lines for a printer `columns` wide (font A)."""
    blocks: list[Block] = []
    title = [TextLine(line, "center", 2, True) for line in wrap(receipt.title, columns // 2)]
    blocks.append(Block(tuple(title)))
    for line in receipt.lines:
        blocks.append(Block(tuple(TextLine(part) for part in wrap(line, columns))))
    rule = TextLine("-" * columns)
    if receipt.rows:
        blocks.append(Block((rule,)))
        for row in receipt.rows:
            blocks.append(Block(tuple(TextLine(part) for part in _row_lines(row, columns))))
        blocks.append(Block((rule,)))
    if receipt.qr is not None:
        items: list[TextLine | QrBlock] = [QrBlock(receipt.qr.payload, receipt.qr.module_dots)]
        if receipt.qr.caption:
            items += [TextLine(part, "center") for part in wrap(receipt.qr.caption, columns)]
        blocks.append(Block(tuple(items)))
    for line in receipt.footer:
        blocks.append(Block(tuple(TextLine(part, "center") for part in wrap(line, columns))))
    return blocks


def _row_lines(row: Row, columns: int) -> list[str]:
    key = f"{row.key}："
    key_width = text_columns(key)
    if key_width > columns // 2:  # a very long key: value on its own lines
        return wrap(key, columns) + wrap(row.value, columns, indent=2)
    return wrap(key + row.value, columns, indent=key_width)


def printed_text(blocks: list[Block]) -> list[str]:
    """The text lines of a layout, as a reader of the paper would list them."""
    return [item.text for block in blocks for item in block.items if isinstance(item, TextLine)]
