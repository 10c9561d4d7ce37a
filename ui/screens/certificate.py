"""The certificate before it is printed: its pages as they will come out, what it is, its
verification code, and 打印证明 or 返回修改.

The PDF's pages are rasterised with PDFium (pypdfium2) in a worker thread, so a long
certificate never stalls the screen; until they are ready the page area says so. The worker
touches no Qt object at all (it fills a plain `_Drawing`; a timer on the GUI thread picks the
pages up): a Qt object owned by Python and freed by the garbage collector on some other thread
crashes the process. The pages exist only in memory, for as long as the screen is shown.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QPixmap, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from common.pdfium import pdfium
from flows.certificate import PRINT, CertificatePreviewStep
from flows.steps import Answer, Choose, Nav
from ui.i18n import tr
from ui.screens.step_parts import header
from ui.tokens import Tokens
from ui.widgets import button, card, label, side_by_side
from ui.zoom import TapToEnlarge

PAGE_WIDTH_PX = 1100  # rendered once at this width, scaled down to fit the screen
POLL_MS = 50  # how often the GUI thread looks whether the pages are ready


def render_pages(pdf: bytes, width_px: int = PAGE_WIDTH_PX) -> list[bytes]:
    """Every page of `pdf` as PNG, `width_px` wide (blocking: call it off the GUI thread)."""
    with pdfium() as pypdfium2:  # PDFium is not thread-safe: one caller at a time
        document = pypdfium2.PdfDocument(pdf)
        try:
            pages = []
            for page in document:
                try:
                    scale = width_px / page.get_width()
                    image = page.render(scale=scale).to_pil()
                finally:
                    page.close()
                out = io.BytesIO()
                image.save(out, format="PNG")
                pages.append(out.getvalue())
            return pages
        finally:
            document.close()


class _Drawing:
    """The worker's result: None while it works, then the pages (empty: PDFium could not)."""

    def __init__(self, pdf: bytes) -> None:
        self.pages: list[bytes] | None = None
        self.thread = threading.Thread(target=self._draw, args=(pdf,),
                                       name="certificate-preview", daemon=True)
        self.thread.start()

    def _draw(self, pdf: bytes) -> None:
        try:
            self.pages = render_pages(pdf)
        except Exception:  # a PDF PDFium cannot read: the screen says so, printing may work
            self.pages = []


class PageView(QLabel):
    """One page, as large as the space allows, never stretched."""

    def __init__(self) -> None:
        super().__init__()
        self._pixmap: QPixmap | None = None
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumSize(200, 280)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    @property
    def page_pixmap(self) -> QPixmap | None:
        """The page at the size it was drawn, for enlarging."""
        return self._pixmap

    def show_png(self, png: bytes) -> None:
        pixmap = QPixmap()
        pixmap.loadFromData(png, "PNG")
        self._pixmap = pixmap
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        if self._pixmap is not None and not self._pixmap.isNull():
            self.setPixmap(self._pixmap.scaled(
                self.size(), Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation))


class CertificateScreen(QWidget):
    def __init__(self, step: CertificatePreviewStep, tokens: Tokens,
                 answer: Callable[[Answer], None]) -> None:
        super().__init__()
        self.pages: list[bytes] = []
        self.page = 0
        layout = QVBoxLayout(self)
        layout.setSpacing(tokens.spacing // 2)
        layout.addWidget(header(tr("请核对证明"), step.progress))

        row = side_by_side(self)  # the facts under the page on an upright screen
        row.setSpacing(tokens.spacing)
        sheet, sheet_layout = card()
        self.view = PageView()
        self.view.setText(tr("正在生成预览…"))
        sheet_layout.addWidget(self.view, 1)
        # the page here is about 2 mm text: tapping it, or 放大查看, fills the window with it
        self.zoom = TapToEnlarge(self.view, lambda: self.view.page_pixmap, tokens)
        paging = QHBoxLayout()
        self.previous = button(tr("上一页"), lambda: self.show_page(self.page - 1))
        self.next = button(tr("下一页"), lambda: self.show_page(self.page + 1))
        self.where = label("", "Muted", wrap=False)
        self.where.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.enlarge_button = button(tr("放大查看"), self.zoom.enlarge)
        self.enlarge_button.setEnabled(False)  # until a page is drawn
        paging.addWidget(self.previous)
        paging.addWidget(self.where, 1)
        paging.addWidget(self.enlarge_button)
        paging.addWidget(self.next)
        self.paging = QWidget()
        self.paging.setLayout(paging)
        sheet_layout.addWidget(self.paging)
        self.previous.hide()
        self.next.hide()
        row.addWidget(sheet, 3)

        facts, facts_layout = card()
        facts_layout.setSpacing(tokens.spacing // 2)
        for name, value, style in ((tr("证明名称"), step.title, "SectionTitle"),
                                   (tr("持证人"), step.masked_name, ""),
                                   (tr("验证码"), step.code, "Title")):
            facts_layout.addWidget(label(name, "Muted"))
            # the code on one line, as printed: a wrapped code is misread
            facts_layout.addWidget(label(value, style, wrap=value != step.code))
        facts_layout.addWidget(label(tr("请核对证明内容，无误后点击“打印证明”。单位或银行可扫描"
                                        "证明上的二维码或凭验证码核验真伪。"), "Muted"))
        facts_layout.addStretch(1)
        facts_layout.addWidget(button(tr("打印证明"), lambda: answer(Choose(PRINT)), "Primary"))
        facts_layout.addWidget(button(tr("返回修改"), lambda: answer(Nav.BACK)))
        row.addWidget(facts, 2)
        layout.addLayout(row, 1)

        self._drawing = _Drawing(step.pdf)
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._pick_up)
        self._poll.start()

    def wait_until_drawn(self, timeout_s: float = 10.0) -> None:
        """For screenshots and tests: block until the pages are drawn, and show them."""
        self._drawing.thread.join(timeout_s)
        self._pick_up()

    def _pick_up(self) -> None:
        pages = self._drawing.pages
        if pages is None or self.pages:
            return
        self._poll.stop()
        self.pages = pages
        if not pages:
            self.view.setText(tr("预览暂不可用，打印不受影响。"))
            return
        self.previous.setVisible(len(pages) > 1)
        self.next.setVisible(len(pages) > 1)
        self.enlarge_button.setEnabled(True)
        self.show_page(0)

    def show_page(self, page: int) -> None:
        if not self.pages:
            return
        self.page = min(max(page, 0), len(self.pages) - 1)
        self.view.show_png(self.pages[self.page])
        self.previous.setEnabled(self.page > 0)
        self.next.setEnabled(self.page < len(self.pages) - 1)
        self.where.setText(tr("第 {page} 页，共 {pages} 页", page=self.page + 1,
                              pages=len(self.pages)) if len(self.pages) > 1 else "")
