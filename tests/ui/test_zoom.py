"""Document previews enlarge: a tap on the certificate page or the copied card side (or 放大查看)
fills the kiosk window with it, 关闭 is at least 20 mm in elder mode, and the screen under it
is untouched."""

from __future__ import annotations

import cv2
import pytest
from PySide6.QtCore import Qt

from devices.camera.scenes import sample_card
from flows.certificate import STEPS, CertificatePreviewStep
from flows.id_copy import CheckSideStep
from flows.steps import Progress
from tests.ui.test_certificate_screen import tax_certificate
from ui.screens.certificate import CertificateScreen
from ui.screens.copies import CheckSideScreen
from ui.style import style_sheet
from ui.tokens import PX_PER_MM, tokens_for
from ui.window import KioskWindow
from ui.zoom import ZoomView


@pytest.fixture
def window(qtbot, qapp):
    sheet = qapp.styleSheet()
    window = KioskWindow("示范社区政务服务中心")
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    yield window
    qapp.setStyleSheet(sheet)


def zoomed(window) -> ZoomView | None:
    overlay = window.overlay
    return overlay if isinstance(overlay, ZoomView) and overlay.isVisible() else None


@pytest.mark.parametrize("elder", [False, True])
def test_a_tap_on_the_certificate_page_fills_the_window_and_close_goes_back(
        qtbot, qapp, window, seed_catalog, elder):
    pdf, code = tax_certificate(seed_catalog, "2025-01", "2025-03")
    step = CertificatePreviewStep("个人所得税纳税记录开具", "个人所得税纳税记录", "张*", code,
                                  pdf, Progress(4, STEPS))
    qapp.setStyleSheet(style_sheet(tokens_for(elder)))  # as the shell sets it
    screen = CertificateScreen(step, tokens_for(elder), lambda answer: None)
    window.show_screen(screen)
    screen.wait_until_drawn()
    assert screen.enlarge_button.isEnabled()
    shown_width = screen.view.pixmap().width()

    qtbot.mouseClick(screen.view, Qt.MouseButton.LeftButton)
    view = zoomed(window)
    assert view is not None, "a tap on the page enlarges it"
    assert view.geometry() == window.rect(), "over the whole window, bars included"
    # fitted once the view has its size (its layout runs as it is shown)
    qtbot.waitUntil(lambda: view.picture.pixmap().width() > 1.5 * shown_width, timeout=10_000)
    close = view.close_button
    least = 20 if elder else 12
    assert close.isVisible()
    assert min(close.width(), close.height()) / PX_PER_MM >= least, close.size()

    qtbot.mouseClick(close, Qt.MouseButton.LeftButton)
    assert zoomed(window) is None and window.overlay is None
    assert window.current_screen is screen and screen.isVisible()

    qtbot.mouseClick(screen.enlarge_button, Qt.MouseButton.LeftButton)
    assert zoomed(window) is not None, "放大查看 does the same"


def test_the_copied_side_enlarges_and_the_zoom_goes_with_its_screen(qtbot, window):
    side = cv2.imencode(".jpg", sample_card())[1].tobytes()
    screen = CheckSideScreen(CheckSideStep("front", side), tokens_for(True), lambda answer: None)
    window.show_screen(screen)
    shown_width = screen.picture.pixmap().width()
    qtbot.mouseClick(screen.picture, Qt.MouseButton.LeftButton)
    view = zoomed(window)
    assert view is not None
    qtbot.waitUntil(lambda: view.picture.pixmap().width() > shown_width, timeout=10_000)
    # a landscape card is shown whole: no part of it below the window's edge
    assert view.picture.pixmap().height() <= view.area.viewport().height()

    # the flow moves on (the card was taken away): the enlarged copy does not stay behind
    window.show_screen(CheckSideScreen(CheckSideStep("back", side), tokens_for(True),
                                       lambda answer: None))
    assert zoomed(window) is None
