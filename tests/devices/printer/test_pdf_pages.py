"""Counting a PDF's pages for the printer: whatever the compression, and 0 when it is unreadable."""

from __future__ import annotations

import io
import threading
import zlib

import pdfplumber
from reportlab.pdfgen.canvas import Canvas

from common.pdfium import pdfium
from devices.printer.a4 import count_pdf_pages


def object_stream_pdf(pages: int) -> bytes:
    """A PDF 1.5 whose catalog and page tree lie in a compressed object stream, found through
    a compressed cross-reference stream, as qpdf, Ghostscript and office suites write them:
    none of its dictionaries can be read without inflating the stream."""
    kids = " ".join(f"{3 + n} 0 R" for n in range(pages))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode()]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * pages
    offsets, body = [], b""
    for obj in objects:
        offsets.append(len(body))
        body += obj + b"\n"
    index = " ".join(f"{n + 1} {at}" for n, at in enumerate(offsets)).encode() + b"\n"
    packed = zlib.compress(index + body)
    stream_no, xref_no = len(objects) + 1, len(objects) + 2
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    stream_at = len(out)
    out += (f"{stream_no} 0 obj\n<< /Type /ObjStm /N {len(objects)} /First {len(index)} "
            f"/Filter /FlateDecode /Length {len(packed)} >>\nstream\n").encode()
    out += packed + b"\nendstream\nendobj\n"
    xref_at = len(out)

    def row(kind: int, field: int, extra: int) -> bytes:
        return bytes([kind]) + field.to_bytes(4, "big") + extra.to_bytes(2, "big")

    rows = [row(0, 0, 65535)] + [row(2, stream_no, n) for n in range(len(objects))]
    rows += [row(1, stream_at, 0), row(1, xref_at, 0)]
    table = zlib.compress(b"".join(rows))
    out += (f"{xref_no} 0 obj\n<< /Type /XRef /Size {xref_no + 1} /W [1 4 2] /Root 1 0 R "
            f"/Filter /FlateDecode /Length {len(table)} >>\nstream\n").encode()
    out += table + b"\nendstream\nendobj\n"
    out += f"startxref\n{xref_at}\n%%EOF\n".encode()
    return bytes(out)


def reportlab_pdf(pages: int) -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out, pageCompression=1)
    for n in range(pages):
        canvas.drawString(100, 700, f"第 {n + 1} 页")
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def test_the_pages_of_a_pdf_with_its_page_tree_in_a_compressed_object_stream_are_counted():
    pdf = object_stream_pdf(3)
    assert b"/Count" not in pdf, "the page tree is compressed"
    with pdfplumber.open(io.BytesIO(pdf)) as reader:
        assert len(reader.pages) == 3, "a well-formed PDF, as another reader sees it"
    assert count_pdf_pages(pdf) == 3


def test_the_pages_of_a_pdf_with_compressed_content_are_counted():
    assert count_pdf_pages(reportlab_pdf(4)) == 4


def test_a_damaged_pdf_has_no_known_count():
    pdf = reportlab_pdf(2)
    assert count_pdf_pages(b"") == 0
    assert count_pdf_pages(b"%PDF-1.4\n this is not a PDF") == 0
    assert count_pdf_pages(pdf[: len(pdf) // 2]) == 0, "cut short"


def test_counting_waits_while_pdfium_is_in_use_in_another_thread():
    pdf, counted = object_stream_pdf(5), []
    counter = threading.Thread(target=lambda: counted.append(count_pdf_pages(pdf)))
    with pdfium():  # as the certificate preview does while it rasterises
        counter.start()
        counter.join(0.2)
        assert counter.is_alive() and counted == [], "PDFium called from two threads at once"
    counter.join(10)
    assert counted == [5]
