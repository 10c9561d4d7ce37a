"""The pure parts (layout, status bits, port strings, IPP codec) and the printer simulators."""

from __future__ import annotations

import asyncio

import pytest

from devices.health import HealthState
from devices.printer import ipp
from devices.printer.a4_printer import health_from_printer, printer_uri
from devices.printer.escpos import (
    Paper,
    PrinterModel,
    PrinterStatus,
    decode_status,
    encode_status,
    is_status_byte,
)
from devices.printer.receipt import (
    QrCode,
    Receipt,
    Row,
    layout,
    printed_text,
    text_columns,
    wrap,
)
from devices.printer.simulated import SimulatedReceiptPrinter
from devices.printer.transports import parse_port
from tests.devices.printer.escpos_reader import read_escpos

RECEIPT = Receipt("办理回执", ("示范社区政务服务中心",), (Row("受理编号", "SL-1"),),
                  QrCode("https://example.gov.cn/p?no=SL-1", "扫码查询"), ("，。（）",))


def test_wrapping_counts_full_width_characters_as_two_columns():
    lines = wrap("居民身份证换领" * 6, 48)
    assert [text_columns(line) for line in lines] == [48, 36]


def test_closing_punctuation_never_starts_a_line():
    text = "一" * 23 + "，" + "二" * 5
    lines = wrap(text, 48)
    assert not any(line.startswith("，") for line in lines)
    assert "".join(lines) == text


def test_a_long_row_value_hangs_under_the_value_column():
    row_lines = [item.text for block in layout(Receipt("t", rows=(Row("事项", "长" * 30),)), 48)
                 for item in block.items]
    value_lines = [line for line in row_lines if "长" in line]
    assert value_lines[0].startswith("事项：")
    assert value_lines[1].startswith(" " * text_columns("事项："))


@pytest.mark.parametrize("status", [
    PrinterStatus(), PrinterStatus(paper=Paper.NEAR_END), PrinterStatus(paper=Paper.OUT),
    PrinterStatus(cover_open=True), PrinterStatus(online=False), PrinterStatus(error=True),
])
def test_status_bytes_round_trip(status):
    answers = encode_status(status)
    assert all(is_status_byte(byte) for byte in answers.values())
    assert decode_status(answers) == status


def test_status_to_health():
    assert PrinterStatus(paper=Paper.OUT).health().code == "PAPER_OUT"
    assert PrinterStatus(paper=Paper.NEAR_END).health().state is HealthState.DEGRADED
    assert PrinterStatus(cover_open=True).health().code == "COVER_OPEN"


@pytest.mark.parametrize(("port", "kind", "target", "number"), [
    ("tcp://192.168.1.50:9100", "tcp", "192.168.1.50", 9100),
    ("192.168.1.50", "tcp", "192.168.1.50", 9100),
    ("printer.hall.local:9101", "tcp", "printer.hall.local", 9101),
    ("/dev/ttyUSB0", "serial", "/dev/ttyUSB0", 9100),
    ("serial:///dev/ttyS1", "serial", "/dev/ttyS1", 9100),
    ("usb://0416:5011", "usb", "0416:5011", 9100),
    ("/dev/usb/lp0", "file", "/dev/usb/lp0", 9100),
])
def test_printer_ports(port, kind, target, number):
    spec = parse_port(port, baud=9600)
    assert (spec.kind, spec.target, spec.port) == (kind, target, number)


def test_port_options_and_mistakes():
    spec = parse_port("tcp://10.0.0.5:9100?profile=TM-T88V&status=off")
    assert spec.profile == "TM-T88V" and spec.status is False
    assert PrinterModel.from_profile("TM-T88V").columns == 42
    for bad in ("", "usb://nothex:1", "lpd://x", "tcp://h:99999", "h:9100?colour=red"):
        with pytest.raises(ValueError):
            parse_port(bad)


def test_ipp_messages_round_trip():
    message = ipp.Message(ipp.PRINT_JOB, 7, (
        (ipp.OPERATION, tuple(ipp.operation_attributes("ipp://h/printers/q"))),
        (ipp.JOB, (ipp.Attribute(ipp.INTEGER, "copies", (1,)),
                   ipp.Attribute(ipp.KEYWORD, "finishings", ("none", "staple")))),
    ), b"%PDF-1.4")
    decoded = ipp.decode(ipp.encode(message))
    assert decoded.code == ipp.PRINT_JOB and decoded.request_id == 7
    assert decoded.attributes(ipp.JOB) == {"copies": (1,), "finishings": ("none", "staple")}
    assert decoded.attributes()["printer-uri"] == ("ipp://h/printers/q",)
    assert decoded.data == b"%PDF-1.4"


def test_printer_reasons_to_health():
    def health(state, *reasons):
        return health_from_printer(ipp.PrinterState(state, reasons, ""))

    assert health(3, "none").ok
    assert health(3, "media-empty-error").code == "PAPER_OUT"
    assert health(3, "toner-low-report").code == "TONER_LOW"
    assert health(3, "toner-low-report", "door-open-error").code == "COVER_OPEN"
    assert health(5, "paused").code == "QUEUE_PAUSED"
    # a paused queue first: its reasons are the last job's, and nothing refreshes them
    assert health(5, "paused", "media-empty-error").code == "QUEUE_PAUSED"
    assert health_from_printer(ipp.PrinterState(3, (), "", accepting=False)).code == "QUEUE_PAUSED"
    # set by every backend at the start of every job: not a fault
    assert health(4, "connecting-to-device").ok
    assert health(3, "media-tray-empty-error").code == "PAPER_OUT"
    assert health(3, "media-empty-warning").code == "PAPER_OUT"  # the socket backend's SNMP
    assert health(3, "media-empty-tray-2-error").code == "PAPER_OUT"
    assert printer_uri("KioskA4") == "ipp://localhost:631/printers/KioskA4"


def test_simulator_prints_the_real_bytes_and_keeps_the_preview():
    printer = SimulatedReceiptPrinter(seconds_per_block=0)
    seen = []
    printer.on_printed(seen.append)
    result = asyncio.run(printer.print_receipt(RECEIPT))
    assert result.printed and result.preview.startswith(b"\x89PNG")
    assert [p.job_id for p in printer.previews] == [result.job_id] == [p.job_id for p in seen]
    # and what the paper says, line by line, for a test that reads the slip
    paper = printed_text(layout(RECEIPT, printer.model.columns))
    assert printer.previews[-1].text.splitlines() == paper


def test_simulator_runs_out_of_paper_mid_job_and_keeps_no_preview_of_it():
    printer = SimulatedReceiptPrinter(seconds_per_block=0)
    printer.run_out_of_paper(after_blocks=2)
    result = asyncio.run(printer.print_receipt(RECEIPT))
    assert (result.printed, result.code) == (False, "PAPER_OUT")
    assert printer.health().code == "PAPER_OUT" and list(printer.previews) == []
    assert not asyncio.run(printer.print_receipt(RECEIPT)).printed
    printer.load_paper()
    assert asyncio.run(printer.print_receipt(RECEIPT)).printed
    assert len(printer.previews) == 1


def test_chinese_punctuation_alone_is_text_in_chinese_mode():
    from devices.printer.escpos import receipt_segments

    plain = Receipt("t", ("，。",))
    paper = read_escpos(b"".join(receipt_segments(plain, PrinterModel())))
    assert "，。" in paper.lines and paper.images == []
