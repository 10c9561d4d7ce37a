"""The byte layouts of the social-security card's records: tag-length-value and BCD.

Every record READ RECORD returns is `tag (1 byte) | length (1 byte) | value`. Cards pad with 00
or FF, so those bytes where a tag would start are skipped (tags 00 and FF are never used).
Whatever bytes arrive, these functions either return or raise the defined error: `TlvError`
from the TLV parser, `BcdError` from the BCD decoders.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from devices.sscard.errors import BcdError, TlvError

PADDING = frozenset((0x00, 0xFF))


@dataclass(frozen=True)
class Tlv:
    tag: int
    value: bytes


def parse_tlv(data: bytes) -> tuple[Tlv, ...]:
    """Split `data` into its TLV objects, skipping padding between and after them."""
    items: list[Tlv] = []
    i, end = 0, len(data)
    while i < end:
        tag = data[i]
        if tag in PADDING:
            i += 1
            continue
        if i + 1 >= end:
            raise TlvError(f"tag {tag:02X} at offset {i} has no length byte")
        length = data[i + 1]
        start = i + 2
        if start + length > end:
            raise TlvError(f"tag {tag:02X}: length {length} runs past the end ({end - start} left)")
        items.append(Tlv(tag, bytes(data[start : start + length])))
        i = start + length
    return tuple(items)


def record_value(data: bytes, tag: int) -> bytes:
    """The value of the one object a record holds, which must carry `tag`."""
    items = parse_tlv(data)
    if not items:
        raise TlvError(f"record {tag:02X} is empty ({len(data)} bytes of padding)")
    if items[0].tag != tag:
        raise TlvError(f"record {tag:02X} starts with tag {items[0].tag:02X}")
    return items[0].value


def bcd_digits(raw: bytes) -> str:
    """The decimal digits of packed BCD (two per byte, high nibble first)."""
    digits = []
    for byte in raw:
        for nibble in (byte >> 4, byte & 0x0F):
            if nibble > 9:
                raise BcdError(f"nibble {nibble:X} in a BCD field of {len(raw)} bytes")
            digits.append(chr(0x30 + nibble))
    return "".join(digits)


def decode_bcd_date(raw: bytes) -> date | None:
    """A YYYYMMDD date in 4 bytes of BCD; None when the field is unset (empty, all 00 or FF).

    Anything else that is not a real date raises `BcdError`: a wrong date on a card is a fault to
    report, not a value to guess.
    """
    if not raw or all(b == 0x00 for b in raw) or all(b == 0xFF for b in raw):
        return None
    if len(raw) != 4:
        raise BcdError(f"a BCD date has 4 bytes, this one {len(raw)}")
    text = bcd_digits(raw)
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        raise BcdError("a BCD date that is not a calendar date") from None


def encode_bcd_digits(digits: str) -> bytes:
    """Packed BCD of an even number of decimal digits (the emulator writes cards with it)."""
    if len(digits) % 2 or not digits.isascii() or not digits.isdigit():
        raise BcdError(f"cannot pack {len(digits)} characters as BCD")
    return bytes.fromhex(digits)


def encode_bcd_date(value: date | None) -> bytes:
    return bytes(4) if value is None else encode_bcd_digits(
        f"{value.year:04d}{value.month:02d}{value.day:02d}"
    )
