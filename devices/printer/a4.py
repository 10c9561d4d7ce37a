"""A4 documents the kiosk prints, as plain typed values (no Qt: flows build them).

- `IdCardCopy`: both sides of an ID card at true size (ISO/IEC 7810 ID-1, 85.6 x 54 mm) on one
  page, with the purpose written across each side ("仅供……使用"), as halls ask for copies. This
  is the only place a card copy is composed.
- `ScannedPages`: pages from the document camera, each on its own A4 sheet (材料复印).
- `AcceptanceNotice`: 受理通知书 — title, key-value rows, paragraphs, issuer and date; flows over
  as many pages as it needs.
- `PlatformPdf`: a document the platform delivered as PDF (a certificate): sent as it is.

`copies` repeats the document's pages, collated, inside the one PDF: the printer's count of
pages done then says exactly which sheets came out, so a job stopped by an empty tray resumes
at the next page (`first_page`) instead of printing a copy twice.
`a4_render.py` renders them to PDF with Qt, in memory. Documents hold personal data: nothing
logs them and nothing writes them to disk.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, field

from devices.printer.receipt import Row

CARD_WIDTH_MM = 85.6
CARD_HEIGHT_MM = 54.0


@dataclass(frozen=True)
class IdCardCopy:
    front: bytes = field(repr=False)  # image bytes (PNG, JPEG) of the side with the photo
    back: bytes = field(repr=False)  # the side with the national emblem
    purpose: str = field(default="仅供办理政务服务使用", repr=False)  # "": no overlay
    title: str = "居民身份证复印件"
    copies: int = 1
    colour: bool = True
    kind: str = "id-card-copy"


@dataclass(frozen=True)
class ScannedPages:
    pages: tuple[bytes, ...] = field(repr=False)  # image bytes (JPEG, PNG), one per sheet
    copies: int = 1
    colour: bool = True  # False: printed in black and white (print-color-mode monochrome)
    kind: str = "scanned-pages"


@dataclass(frozen=True)
class AcceptanceNotice:
    title: str = field(repr=False)
    rows: tuple[Row, ...] = field(default=(), repr=False)
    paragraphs: tuple[str, ...] = field(default=(), repr=False)
    issuer: str = field(default="", repr=False)
    date: str = field(default="", repr=False)
    kind: str = "acceptance-notice"


@dataclass(frozen=True)
class PlatformPdf:
    pdf: bytes = field(repr=False)
    kind: str = "platform-document"


A4Document = IdCardCopy | ScannedPages | AcceptanceNotice | PlatformPdf


@dataclass(frozen=True)
class RenderedDocument:
    pdf: bytes = field(repr=False)
    pages: int  # 0 where it is not known (a platform PDF with compressed page tree)
    kind: str
    colour: bool = True


def count_pdf_pages(pdf: bytes) -> int:
    """Best effort: the largest /Count of a /Pages node in an uncompressed page tree."""
    counts = [int(n) for n in re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", pdf)]
    counts += [int(n) for n in re.findall(rb"/Count\s+(\d+)[^>]*?/Type\s*/Pages\b", pdf)]
    return max(counts, default=0)


def render_pdf(document: A4Document) -> RenderedDocument:
    """The document as PDF. Qt is loaded here by name, at print time: the kiosk core builds
    devices from config and must not depend on Qt (see `a4_render`)."""
    renderer = importlib.import_module("devices.printer.a4_render")
    return renderer.render_pdf(document)
