"""A certificate as an A4 PDF, drawn with reportlab.

Title, the holder (masked), a statement, the records table (continued over pages when long),
notes, the issuer and date beside a red "electronic seal", and the verification block: the code
in groups and a QR code of the verification address. Every page's footer repeats the code, so
one page on its own can still be checked.

Chinese is set in a CJK TrueType font found on the platform (WenQuanYi Micro Hei, Noto Sans
CJK …), embedded as a subset: a certificate goes through CUPS and Ghostscript on its way to
paper, and they have no Chinese font to stand in for one the PDF only names (the text came out
as garbage). Without such a font reportlab's built-in CID font STSong-Light is named instead,
with a warning: fine for a PDF viewer, not for printing.
"""

from __future__ import annotations

import io
import logging
import math
from dataclasses import dataclass
from pathlib import Path

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

log = logging.getLogger(__name__)

CJK_FONT_FILES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)
SEAL_RED = colors.Color(0.85, 0.1, 0.1)


def _register_font() -> str:
    for path in CJK_FONT_FILES:
        if Path(path).exists():
            pdfmetrics.registerFont(TTFont("CertificateCJK", path, subfontIndex=0))
            return "CertificateCJK"
    log.warning("no CJK font file found (%s): certificates name STSong-Light without "
                "embedding it, and may print as garbage through CUPS", ", ".join(CJK_FONT_FILES))
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


FONT = _register_font()


@dataclass(frozen=True)
class CertificateLayout:
    """Everything printed on the certificate; personal data only in masked form."""

    title: str
    holder_rows: tuple[tuple[str, str], ...]  # 姓名 张*三, 公民身份号码 110…0011
    statement: str  # 兹证明……
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    notes: tuple[str, ...]
    issuer: str  # printed by the seal and inside its ring
    issued_on: str  # 2026年11月23日
    code: str  # the verification code, in groups
    verify_url: str
    watermark: str = ""  # e.g. 演示数据 for the development-only issuer


_BODY = ParagraphStyle("body", fontName=FONT, fontSize=11, leading=17, wordWrap="CJK")
_TITLE = ParagraphStyle("title", fontName=FONT, fontSize=22, leading=30, alignment=TA_CENTER,
                        spaceAfter=6 * mm)
_CELL = ParagraphStyle("cell", fontName=FONT, fontSize=10, leading=13, wordWrap="CJK")
_SMALL = ParagraphStyle("small", fontName=FONT, fontSize=9, leading=13, wordWrap="CJK",
                        textColor=colors.Color(0.25, 0.25, 0.25))


def render_certificate(layout: CertificateLayout) -> bytes:
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm,
                            topMargin=22 * mm, bottomMargin=22 * mm, title=layout.title,
                            author=layout.issuer, subject=f"验证码 {layout.code}")
    story: list[Flowable] = [Paragraph(_escape(layout.title), _TITLE)]
    holder = Table([[_cell(k), _cell(v)] for k, v in layout.holder_rows],
                   colWidths=[32 * mm, None], hAlign="LEFT")
    holder.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), FONT, 11),
                                ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
    story += [holder, Spacer(1, 4 * mm), Paragraph(_escape(layout.statement), _BODY),
              Spacer(1, 4 * mm)]
    if layout.rows:
        story.append(_records_table(layout, doc.width))
        story.append(Spacer(1, 4 * mm))
    story += [Paragraph(_escape(note), _SMALL) for note in layout.notes]
    story.append(Spacer(1, 8 * mm))
    story.append(KeepTogether([_SignOff(layout, doc.width)]))
    doc.build(story, onFirstPage=_decorate(layout), onLaterPages=_decorate(layout))
    return out.getvalue()


def _records_table(layout: CertificateLayout, width: float) -> Table:
    data = [[_cell(c) for c in layout.columns]]
    data += [[_cell(v) for v in row] for row in layout.rows]
    # each column as wide as its longest text wants, within limits, so names stay on one line
    wants = [min(max(len(text) for text in (column, *(row[i] for row in layout.rows))), 14)
             for i, column in enumerate(layout.columns)]
    widths = [width * want / sum(wants) for want in wants]
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.Color(0.4, 0.4, 0.4)),
        ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.92, 0.94, 0.97)),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    return table


class _SignOff(Flowable):
    """Issuer and date on the left of the seal; the verification code and QR on the right."""

    HEIGHT = 52 * mm

    def __init__(self, layout: CertificateLayout, width: float) -> None:
        super().__init__()
        self.layout = layout
        self.width = width
        self.height = self.HEIGHT

    # reportlab passes them by position; the names are those of its stubs' Flowable.wrap
    def wrap(self, aW: float, aH: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas: Canvas = self.canv
        layout = self.layout
        qr_size = 36 * mm
        # verification block, right
        qr = QrCodeWidget(layout.verify_url, barLevel="M")
        x0, y0, x1, y1 = qr.getBounds()
        drawing = Drawing(qr_size, qr_size,
                          transform=[qr_size / (x1 - x0), 0, 0, qr_size / (y1 - y0), 0, 0])
        drawing.add(qr)
        qr_x = self.width - qr_size
        drawing.drawOn(canvas, qr_x, self.height - qr_size)
        canvas.setFont(FONT, 9)
        canvas.drawCentredString(qr_x + qr_size / 2, self.height - qr_size - 4 * mm, "扫码验证真伪")
        canvas.setFont(FONT, 10)
        canvas.drawRightString(self.width, 8 * mm, f"验证码：{layout.code}")
        canvas.setFont(FONT, 7)
        canvas.drawRightString(self.width, 3 * mm, layout.verify_url)
        # issuer, date and the seal over them, left of the QR code
        text_x = self.width - qr_size - 10 * mm
        canvas.setFont(FONT, 12)
        canvas.drawRightString(text_x, self.height - 20 * mm, layout.issuer)
        canvas.drawRightString(text_x, self.height - 28 * mm, layout.issued_on)
        _seal(canvas, text_x - 22 * mm, self.height - 24 * mm, 20 * mm, layout.issuer)


def _seal(canvas: Canvas, cx: float, cy: float, radius: float, issuer: str) -> None:
    """A round red seal: ring, the issuer's name along the top arc, a star, 证明专用章."""
    canvas.saveState()
    canvas.setStrokeColor(SEAL_RED)
    canvas.setFillColor(SEAL_RED)
    canvas.setLineWidth(1.6)
    canvas.circle(cx, cy, radius, stroke=1, fill=0)
    text = issuer[:16]
    size = min(11.0, radius * 2.6 / max(len(text), 1))
    canvas.setFont(FONT, size)
    span = math.radians(min(230, 18 * len(text)))  # how much of the ring the name covers
    for i, char in enumerate(text):
        angle = math.pi / 2 + span / 2 - (span * (i + 0.5) / len(text))
        r = radius - size * 0.95
        canvas.saveState()
        canvas.translate(cx + r * math.cos(angle), cy + r * math.sin(angle))
        canvas.rotate(math.degrees(angle) - 90)
        canvas.drawCentredString(0, -size / 3, char)
        canvas.restoreState()
    _star(canvas, cx, cy + 1 * mm, radius * 0.3)
    canvas.setFont(FONT, 8)
    canvas.drawCentredString(cx, cy - radius * 0.55, "证明专用章")
    canvas.restoreState()


def _star(canvas: Canvas, cx: float, cy: float, r: float) -> None:
    path = canvas.beginPath()
    for k in range(10):
        radius = r if k % 2 == 0 else r * 0.4
        angle = math.pi / 2 + k * math.pi / 5
        x, y = cx + radius * math.cos(angle), cy + radius * math.sin(angle)
        if k == 0:
            path.moveTo(x, y)
        else:
            path.lineTo(x, y)
    path.close()
    canvas.drawPath(path, stroke=0, fill=1)


def _decorate(layout: CertificateLayout):
    def draw(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        canvas.saveState()
        width, _height = A4
        canvas.setFont(FONT, 8)
        canvas.setFillColor(colors.Color(0.35, 0.35, 0.35))
        canvas.drawString(20 * mm, 12 * mm, f"{layout.title} · 验证码 {layout.code}")
        canvas.drawRightString(width - 20 * mm, 12 * mm, f"第 {doc.page} 页")
        if layout.watermark:
            canvas.setFont(FONT, 60)
            canvas.setFillColor(colors.Color(0.8, 0.8, 0.8, alpha=0.35))
            canvas.translate(width / 2, A4[1] / 2)
            canvas.rotate(35)
            canvas.drawCentredString(0, 0, layout.watermark)
        canvas.restoreState()
    return draw


def _cell(text: str) -> Paragraph:
    return Paragraph(_escape(text), _CELL)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
