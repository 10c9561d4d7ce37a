"""The 办结通知书: the A4 PDF a finished application produces, printed at the kiosk.

Drawn with reportlab in the certificates' CJK font (`central.certificate_pdf.FONT`: a TrueType
subset embedded, because the PDF goes through CUPS and Ghostscript to paper). The holder
appears masked only, like everywhere a kiosk may show it.
"""

from __future__ import annotations

import io
from datetime import date

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from central.certificate_pdf import FONT

NAME = "办结通知书"
ISSUER = "政务服务中心"


def completion_notice_pdf(*, masked_name: str, service_name: str, acceptance_number: str,
                          completed_on: date) -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, pageCompression=1)
    canvas.setTitle(NAME)
    width, height = A4
    canvas.setFont(FONT, 22)
    canvas.drawCentredString(width / 2, height - 40 * mm, NAME)
    canvas.setFont(FONT, 13)
    # short lines: drawString does not wrap, and the longest service name still fits
    lines = [
        f"{masked_name}：",
        f"您申请的“{service_name}”已办理完结。",
        f"受理编号：{acceptance_number}",
        "请按您选择的取件方式领取办理结果；",
        "如有疑问，请凭受理编号到窗口咨询。",
    ]
    y = height - 65 * mm
    for line in lines:
        canvas.drawString(25 * mm, y, line)
        y -= 10 * mm
    canvas.drawRightString(width - 25 * mm, y - 20 * mm, ISSUER)
    canvas.drawRightString(width - 25 * mm, y - 30 * mm,
                           f"{completed_on.year}年{completed_on.month}月{completed_on.day}日")
    canvas.showPage()
    canvas.save()
    return out.getvalue()
