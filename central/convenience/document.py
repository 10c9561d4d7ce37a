"""A print tile's document as a colour A4 PDF: the hall's title on a blue band, its text in
paragraphs, the hall and the date at the foot. Drawn with reportlab in the certificates' CJK
font (`central.certificate_pdf.FONT`); bounded by the text's own limit (4000 characters)."""

from __future__ import annotations

import io

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer

from central.certificate_pdf import FONT

BLUE = colors.Color(0.08, 0.35, 0.75)  # the kiosk's government blue
_BODY = ParagraphStyle("body", fontName=FONT, fontSize=12, leading=20, wordWrap="CJK",
                       firstLineIndent=24, spaceAfter=6)


def render_document(title: str, text: str, hall: str, dated: str) -> bytes:
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm,
                            topMargin=40 * mm, bottomMargin=22 * mm, title=title, author=hall)
    story: list[Flowable] = []
    for paragraph in text.split("\n"):
        if paragraph.strip():
            story += [Paragraph(_escape(paragraph.strip()), _BODY)]
    story.append(Spacer(1, 4 * mm))

    def decorate(canvas: Canvas, document: SimpleDocTemplate) -> None:
        width, height = A4
        canvas.saveState()
        canvas.setFillColor(BLUE)
        canvas.rect(0, height - 30 * mm, width, 30 * mm, stroke=0, fill=1)
        canvas.setFillColor(colors.white)
        canvas.setFont(FONT, 22)
        canvas.drawCentredString(width / 2, height - 19 * mm, title)
        canvas.setFillColor(colors.Color(0.3, 0.3, 0.3))
        canvas.setFont(FONT, 9)
        canvas.drawString(20 * mm, 12 * mm, f"{hall} · {dated}")
        canvas.drawRightString(width - 20 * mm, 12 * mm, f"第 {document.page} 页")
        canvas.restoreState()

    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return out.getvalue()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
