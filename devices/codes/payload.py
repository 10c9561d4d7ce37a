"""What a scanned code says, made safe to hand on.

A payload is untrusted: anyone can print a QR code. It is capped in length, decoded with its
errors handled (UTF-8 first, then GB 18030 as Chinese scanners and older codes use), stripped
of control characters, and kept as plain text: the shell shows it with plain-text labels and
nothing ever evaluates it. Its text stays out of `repr`, since an e-ID code is personal data.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

MAX_PAYLOAD_CHARS = 2048  # a version-40 QR holds ~2953 bytes; nothing we accept needs more


@dataclass(frozen=True)
class Code:
    """One code read from a frame or a scanner."""

    format: str  # "QRCode", "EAN13", "Code128" …
    text: str = field(repr=False)
    truncated: bool = False  # longer than MAX_PAYLOAD_CHARS: cut, and flows should refuse it
    source: str = "camera"  # camera | serial | keyboard


def decode_bytes(raw: bytes) -> str:
    """Bytes from a scanner or a decoder, as text: UTF-8, else GB 18030, else replaced."""
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", errors="replace")


def clean_text(text: str, limit: int = MAX_PAYLOAD_CHARS) -> tuple[str, bool]:
    """Drop control and format characters (keep tab, newline), cap the length.

    Returns the text and whether it was cut. Bidirectional overrides and zero-width characters
    go too: they can make a payload look like something it is not.
    """
    kept = []
    for char in text:
        if char in "\t\n":
            kept.append(char)
        elif char == "\r" or unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn"):
            continue
        else:
            kept.append(char)
    cleaned = "".join(kept).strip()
    if len(cleaned) > limit:
        return cleaned[:limit], True
    return cleaned, False


def make_code(fmt: str, payload: bytes | str, source: str = "camera") -> Code | None:
    """A `Code` from what a decoder or scanner gave, or None when nothing is left of it."""
    if isinstance(payload, bytes):
        # cap before decoding too: a hostile scanner line must not cost unbounded work
        payload = decode_bytes(payload[: MAX_PAYLOAD_CHARS * 4 + 4])
    text, truncated = clean_text(payload)
    if not text:
        return None
    return Code(fmt, text, truncated, source)
