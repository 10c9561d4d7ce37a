"""The receipt printer over a real TCP link: what comes out on paper, and what happens when the
paper runs out in the middle of a job."""

from __future__ import annotations

import asyncio
import io

import pytest
from PIL import Image

from devices.health import HealthState
from devices.printer.receipt import QrCode, Receipt, Row, layout, printed_text
from devices.printer.receipt_printer import EscposReceiptPrinter
from tests.devices.printer.printer_peer import PrinterPeer

QR_PAYLOAD = "https://zwfw.example.gov.cn/progress?no=SL-20240506-000123"

RECEIPT = Receipt(
    title="办理回执",
    lines=("示范社区政务服务中心", "（自助终端 DEMO-0001）"),
    rows=(
        Row("事项", "居民身份证换领"),
        Row("受理编号", "SL-20240506-000123"),
        Row("申请人", "张*三"),
        Row("办理时间", "2024年5月6日 10:21"),
    ),
    qr=QrCode(QR_PAYLOAD, caption="扫码查询办理进度"),
    footer=("请妥善保管本凭条。", "，。（）", "……"),
)


@pytest.fixture
def peer():
    peer = PrinterPeer()
    yield peer
    peer.close()


@pytest.fixture
def printer(peer):
    return EscposReceiptPrinter.from_port(peer.address, status_timeout_s=1.0)


def test_the_paper_shows_the_same_chinese_text_the_qr_payload_and_a_cut(peer, printer):
    result = asyncio.run(printer.print_receipt(RECEIPT))

    assert result.printed, result
    assert result.health.state is HealthState.OK
    assert result.message == "凭条已打印，请取走。"
    paper = peer.paper()
    assert paper.chinese_mode
    lines = [line.strip() for line in paper.lines if line.strip()]
    assert "办理回执" in lines
    assert "（自助终端 DEMO-0001）" in lines
    assert "受理编号：SL-20240506-000123" in lines
    assert "申请人：张*三" in lines
    assert "办理时间：2024年5月6日 10:21" in lines
    # lines without any ideograph must not turn into "?"
    assert "，。（）" in lines
    assert "……" in lines
    assert not any("?" in line for line in lines)
    assert paper.qr_codes == [QR_PAYLOAD]
    assert paper.cuts == 1
    assert paper.order[-1] == "cut"
    assert paper.order.index("qr") < paper.order.index("cut")
    assert printer.printed_jobs == [result.job_id]
    # the title is printed double size
    assert paper.sizes[paper.lines.index("办理回执")] == 0x11


def test_every_printed_line_is_a_line_of_the_layout(peer, printer):
    asyncio.run(printer.print_receipt(RECEIPT))
    on_paper = [line for line in peer.paper().lines if line]  # a feed follows the QR code
    assert on_paper == printed_text(layout(RECEIPT, printer.model.columns))


def test_status_is_asked_before_and_during_the_job(peer, printer):
    asyncio.run(printer.print_receipt(RECEIPT))
    wire = peer.wire()
    assert wire.status_requests[:3] == [1, 2, 4]  # online, offline cause, paper sensor
    assert len(wire.status_requests) > 3 + len(layout(RECEIPT, 48))


def test_paper_out_in_the_middle_of_a_job_fails_and_nothing_is_recorded_as_printed(
    peer, printer
):
    peer.run_out_after_lines(4)
    healths = []
    printer.on_health_change(lambda _family, health: healths.append(health))

    result = asyncio.run(printer.print_receipt(RECEIPT))

    assert not result.printed
    assert result.code == "PAPER_OUT"
    assert result.health.state is HealthState.ERROR
    # part of the slip came out: the person is told it is incomplete
    assert result.message == "打印机缺纸，凭条没有打印完整。请联系工作人员补打。"
    assert printer.health().code == "PAPER_OUT"
    assert healths[-1].code == "PAPER_OUT"
    assert printer.printed_jobs == []
    paper = peer.paper()
    assert len(paper.lines) == 4 and paper.cuts == 0 and paper.qr_codes == []
    # the driver stopped sending and cleared what the printer still held
    wire = peer.wire()
    assert wire.buffer_cleared
    assert wire.qr_codes == [] and wire.cuts == 0


def test_with_no_paper_nothing_is_sent_and_the_job_fails(peer, printer):
    peer.set_paper("out")
    result = asyncio.run(printer.print_receipt(RECEIPT))
    assert (result.printed, result.code) == (False, "PAPER_OUT")
    assert result.message == "打印机缺纸，未能打印。请联系工作人员。"
    assert peer.wire().lines == []  # only status requests went over the wire
    peer.set_paper("ok")
    again = asyncio.run(printer.print_receipt(RECEIPT))
    assert again.printed and printer.health().ok
    assert printer.printed_jobs == [again.job_id]


def test_cover_open_and_paper_low(peer, printer):
    peer.set_cover_open(True)
    result = asyncio.run(printer.print_receipt(RECEIPT))
    assert (result.printed, result.code) == (False, "COVER_OPEN")
    assert "纸仓盖" in result.message
    peer.set_cover_open(False)
    peer.set_paper("near_end")
    result = asyncio.run(printer.print_receipt(RECEIPT))
    assert result.printed
    assert (printer.health().state, printer.health().code) == (HealthState.DEGRADED, "PAPER_LOW")


def test_an_unreachable_printer_is_no_device(peer):
    peer.close()
    printer = EscposReceiptPrinter.from_port(f"127.0.0.1:{peer.port}")
    result = asyncio.run(printer.print_receipt(RECEIPT))
    assert (result.printed, result.code) == (False, "NO_DEVICE")
    assert printer.health().state is HealthState.OFFLINE
    assert "未连接" in result.message


def test_a_printer_that_stops_answering_fails_the_job(peer, printer):
    peer.answer_status = False
    result = asyncio.run(printer.print_receipt(RECEIPT))
    assert (result.printed, result.code) == (False, "NO_DEVICE")
    assert printer.printed_jobs == []


def test_status_watch_reports_an_empty_roll_without_a_job(peer, printer):
    peer.set_paper("out")
    assert printer.check().code == "PAPER_OUT"
    peer.set_paper("ok")
    assert printer.check().ok


def test_file_link_prints_but_says_the_status_is_unknown(tmp_path):
    target = tmp_path / "lp0"
    printer = EscposReceiptPrinter.from_port(f"file://{target}")
    result = asyncio.run(printer.print_receipt(RECEIPT))
    assert result.printed and not result.status_known
    from tests.devices.printer.escpos_reader import read_escpos

    paper = read_escpos(target.read_bytes())
    assert paper.qr_codes == [QR_PAYLOAD] and paper.cuts == 1 and "，。（）" in paper.lines


def test_preview_is_80_mm_wide_and_shows_the_receipt(peer, printer):
    result = asyncio.run(printer.print_receipt(RECEIPT))
    image = Image.open(io.BytesIO(result.preview))
    assert image.width == 640  # 80 mm at 203 dpi
    assert image.height > 500
    dark = sum(1 for value in image.convert("L").get_flattened_data() if value < 128)
    assert dark > 5000  # text and a QR code, not a blank strip
    assert round(image.info["dpi"][0]) == 203


def test_logs_carry_no_receipt_text(peer, printer, caplog):
    caplog.set_level("DEBUG")
    asyncio.run(printer.print_receipt(RECEIPT))
    assert "张" not in caplog.text and "SL-2024" not in caplog.text
    assert "receipt R-" in caplog.text


def test_the_watcher_looks_at_once_when_started(peer, printer):
    import time

    peer.set_paper("out")
    printer.start()
    try:
        deadline = time.monotonic() + 15  # half the watcher's 30 s interval: not its 2nd look
        while printer.health().code != "PAPER_OUT" and time.monotonic() < deadline:
            time.sleep(0.05)
        assert printer.health().code == "PAPER_OUT"
    finally:
        printer.stop()
