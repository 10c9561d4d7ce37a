"""A4 printing to a real CUPS with the cups-pdf virtual printer: the PDF that arrives is
measured — page count, and the ID-card copy at true size."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pdfplumber
import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QColor, QImage, QPainter

from devices.printer import ipp
from devices.printer.a4 import (
    CARD_HEIGHT_MM,
    CARD_WIDTH_MM,
    AcceptanceNotice,
    IdCardCopy,
    PlatformPdf,
)
from devices.printer.a4_printer import CupsA4Printer, PdfA4Printer
from devices.printer.a4_render import render_pdf
from devices.printer.receipt import Row

MM_PER_POINT = 25.4 / 72


def card_side(qapp, colour: QColor) -> bytes:
    image = QImage(1012, 638, QImage.Format.Format_RGB32)  # 300 dpi scan of a card
    image.fill(colour)
    painter = QPainter(image)
    painter.fillRect(60, 80, 250, 320, QColor(90, 90, 90))  # a photo-like block
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def long_notice() -> AcceptanceNotice:
    return AcceptanceNotice(
        title="受理通知书",
        rows=tuple(Row(f"材料{i}", "居民身份证原件及复印件，户口簿") for i in range(1, 16)),
        paragraphs=tuple("本中心已于今日受理您提交的申请，将在承诺时限内办结，请留意短信通知。" * 4
                         for _ in range(12)),
        issuer="示范社区政务服务中心",
        date="2024年5月6日",
    )


def arrived_pdf(cups, job_id: str) -> Path:
    return cups.finished_pdf(lambda path: job_id in path.name)


def test_the_id_card_copy_arrives_on_one_a4_page_at_true_size(cups, qapp):
    printer = CupsA4Printer(cups.uri)
    copy = IdCardCopy(card_side(qapp, QColor(200, 220, 240)),
                      card_side(qapp, QColor(240, 225, 200)), purpose="仅供办理居民身份证换领使用")

    result = asyncio.run(printer.print_document(copy))

    assert result.printed, (result, cups.error_log())
    assert result.message == "文件已打印，请在出纸口取走。"
    with pdfplumber.open(arrived_pdf(cups, result.job_id)) as pdf:
        assert len(pdf.pages) == 1
        page = pdf.pages[0]
        assert page.width * MM_PER_POINT == pytest.approx(210, abs=1)
        assert page.height * MM_PER_POINT == pytest.approx(297, abs=1)
        sides = sorted(page.images, key=lambda image: image["top"])
        assert len(sides) == 2
        for side in sides:
            width_mm = (side["x1"] - side["x0"]) * MM_PER_POINT
            height_mm = (side["bottom"] - side["top"]) * MM_PER_POINT
            assert width_mm == pytest.approx(CARD_WIDTH_MM, abs=0.5)
            assert height_mm == pytest.approx(CARD_HEIGHT_MM, abs=0.5)
        # the outline drawn around each side is the card's size too
        boxes = [shape for shape in page.rects + page.curves
                 if abs((shape["x1"] - shape["x0"]) * MM_PER_POINT - CARD_WIDTH_MM) < 0.5
                 and abs((shape["bottom"] - shape["top"]) * MM_PER_POINT - CARD_HEIGHT_MM) < 0.5]
        assert len(boxes) >= 2


def test_a_long_notice_arrives_with_every_page(cups, qapp):
    printer = CupsA4Printer(cups.uri)
    notice = long_notice()
    expected = render_pdf(notice).pages
    assert expected >= 2

    result = asyncio.run(printer.print_document(notice))

    assert result.printed, (result, cups.error_log())
    with pdfplumber.open(arrived_pdf(cups, result.job_id)) as pdf:
        assert len(pdf.pages) == expected
        text = pdf.pages[0].extract_text()
    assert result.pages == expected
    assert "受理通知书" in text.replace(" ", "") or text.strip()  # text survived the round trip


def test_a_platform_pdf_is_sent_as_it_is(cups, qapp):
    pdf = render_pdf(long_notice()).pdf  # stands in for a certificate from the platform
    result = asyncio.run(CupsA4Printer(cups.uri).print_document(PlatformPdf(pdf)))
    assert result.printed
    with pdfplumber.open(arrived_pdf(cups, result.job_id)) as arrived:
        assert len(arrived.pages) == render_pdf(PlatformPdf(pdf)).pages


def test_a_queue_staff_stopped_stays_stopped_until_they_start_it_then_prints(cups, qapp):
    import subprocess

    def staff(command: str) -> None:
        subprocess.run([command, "-h", f"127.0.0.1:{cups.port}", cups.queue], check=True,
                       capture_output=True, timeout=20)

    staff("cupsdisable")
    staff("cupsreject")
    try:
        printer = CupsA4Printer(cups.uri)
        seen: list[str] = []
        printer.on_health_change(lambda _family, health: seen.append(health.code))

        refused = asyncio.run(printer.print_document(AcceptanceNotice(title="暂停之中的一页")))

        assert (refused.printed, refused.code) == (False, "QUEUE_PAUSED")
        assert refused.message == "打印机故障，未能打印。请联系工作人员。"
        assert "本机以外" in printer.health().detail
        assert "rejecting" in "\n".join(printer.describe().lines())  # still as staff left it
    finally:
        staff("cupsenable")
        staff("cupsaccept")

    result = asyncio.run(printer.print_document(AcceptanceNotice(title="恢复之后的一页")))

    assert result.printed, (result, cups.error_log())
    assert seen == ["QUEUE_PAUSED", "OK"]
    arrived_pdf(cups, result.job_id)


def test_a_switched_off_printer_is_cancelled_not_left_to_print_later(
    cups, qapp, offline_queue, caplog
):
    caplog.set_level("INFO", logger="devices.printer.a4_printer")
    printer = CupsA4Printer(offline_queue, poll_s=0.2, stall_timeout_s=2.0, job_timeout_s=3.0)
    result = asyncio.run(printer.print_document(long_notice()))
    assert not result.printed
    assert result.code in ("NO_DEVICE", "PRINT_TIMEOUT")
    assert "未能打印" in result.message or "已取消" in result.message
    # the job was withdrawn from the queue: it cannot come out later for someone else
    [cups_job] = [int(r.args[0]) for r in caplog.records if r.msg == "CUPS job %d cancelled"]
    assert ipp.IppClient(offline_queue).job(cups_job).state == ipp.JOB_CANCELED


def test_no_cups_server_is_no_device(qapp):
    printer = CupsA4Printer("ipp://127.0.0.1:9/printers/Nothing")
    result = asyncio.run(printer.print_document(long_notice()))
    assert (result.printed, result.code) == (False, "NO_DEVICE")
    assert "未连接" in result.message
    assert result.preview.startswith(b"%PDF-")  # the preview exists even when printing failed


def test_pdf_driver_writes_the_document(tmp_path, qapp):
    printer = PdfA4Printer(tmp_path / "out")
    result = asyncio.run(printer.print_document(long_notice()))
    assert result.printed
    [written] = (tmp_path / "out").glob("*.pdf")
    assert result.job_id in written.name
    with pdfplumber.open(written) as pdf:
        assert len(pdf.pages) == result.pages >= 2


def test_the_a4_simulator_keeps_the_pdf_and_fails_without_paper(qapp):
    from devices.printer.simulated import PAPER_OUT, SimulatedA4Printer

    printer = SimulatedA4Printer(seconds_per_page=0)
    result = asyncio.run(printer.print_document(long_notice()))
    assert result.printed and result.pages >= 2
    assert printer.previews[-1].preview == result.preview
    printer.set_health(PAPER_OUT)
    failed = asyncio.run(printer.print_document(long_notice()))
    assert (failed.printed, failed.code) == (False, "PAPER_OUT")
    assert len(printer.previews) == 1
