"""The certificate preview: the PDF's pages drawn off the GUI thread and paged with large
buttons, the verification code on one line, 打印证明 and 返回修改 answering the flow."""

from __future__ import annotations

import io
from datetime import datetime

import pdfplumber
import pytest

from central.certificates import CertificateOrder, DemoIssuer, new_code
from central.contract import Holder
from flows.certificate import PRINT, STEPS, CertificatePreviewStep
from flows.steps import Choose, Nav, Progress
from ui.screens.certificate import CertificateScreen
from ui.tokens import tokens_for


def tax_certificate(seed_catalog, first: str, last: str) -> tuple[bytes, str]:
    """A real 纳税记录 from the platform's demo issuer: one row a month, so long enough
    periods take more than one page."""
    service = seed_catalog.service("SS-023")
    code = new_code()
    result = DemoIssuer().issue(CertificateOrder(
        service=service, holder=Holder(name="张三", id_number="110101199003070011"),
        options={"period": [first, last]},
        code=code, verify_url=f"http://127.0.0.1/verify/{code}",
        issued_at=datetime(2026, 11, 23, 10, 0)))
    return result.pdf, code


def screen(qtbot, pdf: bytes, code: str, elder: bool = False):
    answers: list = []
    step = CertificatePreviewStep("个人所得税纳税记录开具", "个人所得税纳税记录", "张*", code,
                                  pdf, Progress(4, STEPS))
    widget = CertificateScreen(step, tokens_for(elder), answers.append)
    qtbot.addWidget(widget)
    widget.resize(1600, 900)
    widget.show()
    qtbot.waitUntil(lambda: bool(widget.pages), timeout=20_000)
    return widget, answers


@pytest.mark.parametrize("elder", [False, True])
def test_every_page_is_drawn_and_paged(qtbot, seed_catalog, elder):
    pdf, code = tax_certificate(seed_catalog, "2023-01", "2025-12")
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        pages = len(document.pages)
    assert pages > 1
    widget, _ = screen(qtbot, pdf, code, elder)
    assert len(widget.pages) == pages
    assert widget.where.text() == f"第 1 页，共 {pages} 页"
    assert not widget.previous.isEnabled() and widget.next.isEnabled()
    widget.next.click()
    assert widget.page == 1 and widget.previous.isEnabled()
    assert widget.view.pixmap() is not None and not widget.view.pixmap().isNull()


def test_a_one_page_certificate_has_no_paging(qtbot, seed_catalog):
    pdf, code = tax_certificate(seed_catalog, "2025-01", "2025-03")
    widget, _ = screen(qtbot, pdf, code)
    assert len(widget.pages) == 1
    assert widget.previous.isHidden() and widget.next.isHidden() and not widget.where.text()


def test_print_and_back_answer_the_flow(qtbot, seed_catalog):
    pdf, code = tax_certificate(seed_catalog, "2025-01", "2025-03")
    widget, answers = screen(qtbot, pdf, code)
    buttons = {b.text(): b for b in widget.findChildren(type(widget.next))}
    buttons["打印证明"].click()
    buttons["返回修改"].click()
    assert answers == [Choose(PRINT), Nav.BACK]
    assert any(code == child.text() for child in widget.findChildren(type(widget.where)))


def test_a_pdf_that_cannot_be_drawn_says_so(qtbot):
    answers: list = []
    step = CertificatePreviewStep("x", "x", "张*", "K7QM-3XPA-9RTW-HC4D", b"%PDF-1.4 broken",
                                  None)
    widget = CertificateScreen(step, tokens_for(False), answers.append)
    qtbot.addWidget(widget)
    widget.wait_until_drawn()
    qtbot.waitUntil(lambda: "预览暂不可用" in widget.view.text(), timeout=10_000)
