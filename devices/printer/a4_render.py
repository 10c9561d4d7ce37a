"""A4 documents rendered once to PDF with Qt (QtGui only, no widgets).

The PDF is the preview and exactly what goes to the printer; it is written into a buffer in
memory, never to a file (a copy of an ID card must not linger on disk). Rendering needs the Qt
application (the kiosk's QApplication, or a QGuiApplication) and may run in a worker thread.
The A4 drivers import it; the device registry imports a driver only when its family is
configured, so Qt's GUI library loads with the first A4 printer, never for the kiosk core alone.
This is the one module below the shell that imports Qt (import contract in pyproject.toml).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QTextDocument,
    QTransform,
)

from devices.printer.a4 import (
    CARD_HEIGHT_MM,
    CARD_WIDTH_MM,
    A4Document,
    AcceptanceNotice,
    IdCardCopy,
    PlatformPdf,
    RenderedDocument,
    ScannedPages,
    count_pdf_pages,
)

RESOLUTION_DPI = 1200
_Document = TypeVar("_Document", IdCardCopy, ScannedPages, AcceptanceNotice)


def render_pdf(document: A4Document) -> RenderedDocument:
    if isinstance(document, PlatformPdf):
        if not document.pdf.startswith(b"%PDF-"):
            raise ValueError("the platform document is not a PDF")
        return RenderedDocument(document.pdf, count_pdf_pages(document.pdf), document.kind)
    if QGuiApplication.instance() is None:
        raise RuntimeError("A4 documents are rendered with Qt: create the application first")
    if isinstance(document, IdCardCopy):
        pdf, pages = _render(document, _draw_id_card_copy)
    elif isinstance(document, ScannedPages):
        pdf, pages = _render(document, _draw_scanned_pages)
    else:
        pdf, pages = _render(document, _draw_notice)
    return RenderedDocument(pdf, pages, document.kind, getattr(document, "colour", True))


def _render(document: _Document,
            draw: Callable[[_Document, QPdfWriter], int]) -> tuple[bytes, int]:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(RESOLUTION_DPI)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0),
                                     QPageLayout.Unit.Millimeter))
    if not getattr(document, "colour", True):  # black and white: grey images and ink only
        writer.setColorModel(QPdfWriter.ColorModel.Grayscale)
    writer.setCreator("gov-kiosk")
    writer.setTitle(document.kind)  # the title travels to the printer's logs: no personal data
    pages = draw(document, writer)
    buffer.close()
    pdf = bytes(data.data())
    return pdf, count_pdf_pages(pdf) or pages


def _mm(value: float) -> float:
    return value * RESOLUTION_DPI / 25.4


def _draw_id_card_copy(document: IdCardCopy, writer: QPdfWriter) -> int:
    sides = [_image(document.front), _image(document.back)]
    painter = QPainter(writer)
    try:
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        for copy in range(max(1, document.copies)):
            if copy:
                writer.newPage()
            _draw_card_page(painter, document, sides)
    finally:
        painter.end()
    return max(1, document.copies)


def _image(data: bytes) -> QImage:
    image = QImage.fromData(data)
    if image.isNull():
        raise ValueError("an image to print is not readable")
    return image


def _draw_card_page(painter: QPainter, document: IdCardCopy, sides: list[QImage]) -> None:
    page_width = 210.0
    left = (page_width - CARD_WIDTH_MM) / 2
    title_font = QFont()
    title_font.setPointSizeF(16)
    painter.setFont(title_font)
    painter.setPen(QColor(0, 0, 0))
    painter.drawText(QRectF(_mm(20), _mm(22), _mm(170), _mm(12)),
                     Qt.AlignmentFlag.AlignCenter, document.title)
    for index, image in enumerate(sides):
        top = 45.0 + index * (CARD_HEIGHT_MM + 25.0)
        card = QRectF(_mm(left), _mm(top), _mm(CARD_WIDTH_MM), _mm(CARD_HEIGHT_MM))
        if image.height() > image.width():  # a card lies landscape
            image = image.transformed(QTransform().rotate(90))
        painter.drawImage(card, image)
        painter.setPen(QPen(QColor(0, 0, 0), _mm(0.2)))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(card)
        if document.purpose:
            _watermark(painter, card, document.purpose)
    painter.setPen(QColor(0, 0, 0))
    note_font = QFont()
    note_font.setPointSizeF(10)
    painter.setFont(note_font)
    painter.drawText(QRectF(_mm(20), _mm(45 + 2 * CARD_HEIGHT_MM + 40), _mm(170), _mm(10)),
                     Qt.AlignmentFlag.AlignCenter, "（原件尺寸，正反面）")


PAGE_MARGIN_MM = 5.0  # printers leave an edge unprinted: a scanned A4 page is shrunk to fit


def _draw_scanned_pages(document: ScannedPages, writer: QPdfWriter) -> int:
    if not document.pages:
        raise ValueError("no pages to print")
    images = [_image(page) for page in document.pages]
    area = QRectF(_mm(PAGE_MARGIN_MM), _mm(PAGE_MARGIN_MM), _mm(210 - 2 * PAGE_MARGIN_MM),
                  _mm(297 - 2 * PAGE_MARGIN_MM))
    painter = QPainter(writer)
    sheets = 0
    try:
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        for _copy in range(max(1, document.copies)):
            for image in images:
                if sheets:
                    writer.newPage()
                if image.width() > image.height():  # a landscape page turned to fit portrait
                    image = image.transformed(QTransform().rotate(90))
                if not document.colour:
                    image = image.convertToFormat(QImage.Format.Format_Grayscale8)
                scale = min(area.width() / image.width(), area.height() / image.height())
                target = QRectF(0, 0, image.width() * scale, image.height() * scale)
                target.moveCenter(area.center())
                painter.drawImage(target, image)
                sheets += 1
    finally:
        painter.end()
    return sheets


def _watermark(painter: QPainter, card: QRectF, text: str) -> None:
    painter.save()
    font = QFont()
    font.setPointSizeF(11)
    painter.setFont(font)
    painter.setPen(QColor(150, 150, 150))  # opaque: PostScript has no transparency
    painter.translate(card.center())
    painter.rotate(-18)
    painter.drawText(QRectF(-card.width() / 2, -_mm(6), card.width(), _mm(12)),
                     Qt.AlignmentFlag.AlignCenter, text)
    painter.restore()


def _draw_notice(document: AcceptanceNotice, writer: QPdfWriter) -> int:
    writer.setPageMargins(QMarginsF(25, 25, 25, 25), QPageLayout.Unit.Millimeter)
    text = QTextDocument()
    font = QFont()
    font.setPointSizeF(12)
    text.setDefaultFont(font)
    text.setHtml(notice_html(document))
    text.print_(writer)
    return max(1, text.pageCount())


def notice_html(document: AcceptanceNotice) -> str:
    e = html.escape
    rows = "".join(
        f"<tr><td width='30%'><b>{e(row.key)}</b></td><td>{e(row.value)}</td></tr>"
        for row in document.rows
    )
    paragraphs = "".join(f"<p style='text-indent:2em'>{e(p)}</p>" for p in document.paragraphs)
    signature = ""
    if document.issuer or document.date:
        signature = (f"<p align='right'>{e(document.issuer)}</p>"
                     f"<p align='right'>{e(document.date)}</p>")
    return (f"<h1 align='center'>{e(document.title)}</h1>"
            f"<table cellpadding='6' border='1' cellspacing='0' width='100%'>{rows}</table>"
            f"{paragraphs}{signature}")
