"""A4 documents the kiosk prints, as plain typed values (no Qt: flows build them), and the port
of the printers that print them (`A4Printer`).

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
`a4_render.py` renders them to PDF with Qt, in memory (the drivers import it). Documents hold
personal data: nothing logs them and nothing writes them to disk.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from common.pdfium import pdfium
from devices.health import Health, HealthListener
from devices.printer.receipt import Row
from devices.printer.result import PrintResult

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
    pages: int  # 0 where it is not known (a platform PDF that PDFium cannot open)
    kind: str
    colour: bool = True


def count_pdf_pages(pdf: bytes) -> int:
    """The pages of `pdf` as PDFium reads them, however it is compressed (object streams
    included); 0 for a PDF that PDFium cannot open (damaged, encrypted): not known, as
    `RenderedDocument.pages` has it. PDFium is run under the process's one lock."""
    with pdfium() as pypdfium2:
        try:
            document = pypdfium2.PdfDocument(pdf)
        except pypdfium2.PdfiumError:
            return 0
        try:
            return len(document)
        finally:
            document.close()


# pages done so far, called from a worker thread as pages come out
PageListener = Callable[[int], None]


class A4Printer(Protocol):
    """The port flows use; the CUPS and PDF drivers and the simulator provide it."""

    family: str

    def health(self) -> Health: ...

    def on_health_change(self, listener: HealthListener) -> None: ...

    def check(self) -> Health:
        """Ask the printer its health now and report it (blocking: call it in a worker
        thread); how a flow learns that paper is back before offering 继续打印."""
        ...

    async def print_document(self, document: A4Document, first_page: int = 1,
                             on_page: PageListener | None = None) -> PrintResult:
        """Print pages `first_page`.. of the document; never raises for a printer fault: look
        at `result.printed`, `.message` and `.pages_done` (where a retry starts again).
        `on_page(pages_done)` is called, from a worker thread, as pages come out."""
        ...
