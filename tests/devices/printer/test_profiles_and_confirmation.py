"""Printer profiles as data, characters a firmware lacks printed as images, QR codes as images
on printers without native QR, status bits decoded as the references define them, and a slip
that counts as printed only when the printer says it came out (GS r 1 after the cut)."""

from __future__ import annotations

import asyncio
import io
import json
import socket
import threading
import time
from pathlib import Path

import numpy as np
import pytest
import zxingcpp
from PIL import Image

from devices.printer.escpos import (
    PAPER_SENSOR,
    Paper,
    decode_paper_report,
    decode_status,
    is_paper_report,
    is_status_byte,
    receipt_segments,
)
from devices.printer.preview import item_tops, paper_geometry, receipt_png
from devices.printer.profiles import ProfileError, load_profile, profile_names
from devices.printer.raster import text_line_bitmap
from devices.printer.receipt import QrCode, Receipt, Row, TextLine, layout
from devices.printer.receipt_printer import EscposReceiptPrinter
from tests.devices.printer.escpos_reader import read_escpos
from tests.devices.printer.printer_peer import PrinterPeer, PrinterState

NAME_LINE = "申请人：李䶮𬌗"  # 䶮 (U+4DAE, Ext A) and 𬌗 (U+2C317, Ext E) are not in GBK
RECEIPT = Receipt("办理回执", (NAME_LINE, "示范社区政务服务中心"), (Row("受理编号", "SL-1"),),
                  QrCode("https://zwfw.example.gov.cn/p?no=SL-1", "扫码查询"), ("请妥善保管",))
TRANSCRIPTS = Path(__file__).with_name("reference_transcripts.json")


def _name_item(model):
    items = [item for block in layout(RECEIPT, model.columns) for item in block.items]
    index = next(i for i, item in enumerate(items)
                 if isinstance(item, TextLine) and item.text == NAME_LINE)
    return items[index], item_tops(layout(RECEIPT, model.columns), model)[index]


def _preview_strip(model, top, height):
    image = Image.open(io.BytesIO(receipt_png(RECEIPT, model))).convert("L")
    _paper, left = paper_geometry(model)
    return np.asarray(image.crop((left, top, left + model.print_width_dots, top + height)))


# -- the acceptance: rare ideographs of a name --------------------------------------------------


def test_on_a_gbk_printer_a_name_with_rare_ideographs_is_printed_as_an_image():
    model = load_profile("SNBC-BT-T080")
    assert model.encoding == "gbk"
    data = b"".join(receipt_segments(RECEIPT, model))
    paper = read_escpos(data)
    # not a byte of the name goes out as text; its line is one raster image, the rest is text
    assert "李".encode("gbk") not in data and "䶮".encode("gb18030") not in data
    assert not any("李" in line for line in paper.lines)
    assert "示范社区政务服务中心" in paper.lines
    assert len(paper.images) == 1
    _item, top = _name_item(model)
    expected = text_line_bitmap(NAME_LINE, model.print_width_dots, "left", 1, False)
    printed = paper.images[0].image().crop((0, 0, expected.width, expected.height))
    assert np.array_equal(np.asarray(printed), np.asarray(expected))
    # the preview shows the very same dots where the line sits on the paper
    strip = _preview_strip(model, top, expected.height)
    assert np.array_equal(strip < 128, ~np.asarray(expected))
    # and the glyphs are drawn: every cell of the name has ink (no font lacks them)
    for cell in range(4, 7):  # 李 䶮 𬌗 after "申请人：", each a 24-dot cell
        assert (strip[:, cell * 24: cell * 24 + 24] < 128).sum() > 20, cell


def test_on_a_gb18030_printer_the_same_name_is_printed_as_text():
    model = load_profile("TM-T20II")
    assert model.encoding == "gb18030"
    data = b"".join(receipt_segments(RECEIPT, model))
    paper = read_escpos(data)
    assert NAME_LINE in paper.lines
    assert paper.images == []
    assert bytes.fromhex("fe9f") in data and bytes.fromhex("9931d239") in data  # 䶮, 𬌗
    _item, top = _name_item(model)
    strip = _preview_strip(model, top, 30)
    # drawn as text (anti-aliased grey edges), with ink in the cells of 䶮 and 𬌗
    assert ((strip > 0) & (strip < 255)).any()
    for cell in (5, 6):
        assert (strip[:, cell * 24: cell * 24 + 24] < 128).sum() > 20, cell


def test_yuan_sign_goes_as_an_image_to_a_gbk_firmware_not_as_four_bytes():
    # lsongdev/node-escpos#332: ¥ as GB18030 (81 30 84 36) printed "0 6" on such a printer
    receipt = Receipt("收费", ("¥15.00",))
    data = b"".join(receipt_segments(receipt, load_profile("XP-58IIQ")))
    assert bytes.fromhex("81308436") not in data
    assert len(read_escpos(data).images) == 1


# -- QR codes ----------------------------------------------------------------------------------


def test_a_58mm_printer_without_native_qr_prints_the_code_as_an_image_that_scans():
    model = load_profile("XP-58IIH")
    assert not model.native_qr and not model.cut
    paper = read_escpos(b"".join(receipt_segments(RECEIPT, model)))
    assert paper.qr_codes == [] and paper.cuts == 0
    code = paper.images[-1].image().convert("L")
    framed = Image.new("L", (code.width + 80, code.height + 80), 255)
    framed.paste(code, (40, 40))
    found = zxingcpp.read_barcodes(np.asarray(framed))
    assert [result.text for result in found] == ["https://zwfw.example.gov.cn/p?no=SL-1"]
    assert "扫码查询" in paper.lines


# -- profiles as data --------------------------------------------------------------------------


def test_every_profile_loads_and_cites_its_sources():
    names = profile_names()
    assert {"TM-T20II", "XP-58IIH", "XP-58IIQ", "SNBC-BT-T080", "CITIZEN-PPU-700"} <= set(names)
    for name in names:
        model = load_profile(name)
        assert model.sources, name
        assert model.columns * 12 <= model.print_width_dots, name
    assert load_profile("TM-T88V").columns == 42  # a python-escpos name still works
    with pytest.raises(ProfileError):
        load_profile("NO-SUCH-PRINTER")


# -- status bits, as the references define them ------------------------------------------------


def test_a_slip_waiting_in_the_presenter_is_not_paper_out():
    # Epson: paper end is bits 5 AND 6 (0x60); Citizen PPU-700: bit 6 alone is a slip held in
    # the presenter. Failed on the old code (OR of the pair): PAPER_OUT.
    assert decode_status({PAPER_SENSOR: 0x52}).health().code == "OK"
    presenter = load_profile("CITIZEN-PPU-700")
    assert decode_status({PAPER_SENSOR: 0x52}, presenter.paper_end,
                         presenter.near_end).health().code == "OK"
    assert decode_status({PAPER_SENSOR: 0x32}, presenter.paper_end,
                         presenter.near_end).health().code == "PAPER_OUT"


def test_one_bit_of_the_near_end_pair_is_not_near_end_on_an_epson():
    # failed on the old code: PAPER_LOW
    assert decode_status({PAPER_SENSOR: 0x16}).health().code == "OK"
    assert decode_status({PAPER_SENSOR: 0x1E}).health().code == "PAPER_LOW"
    assert decode_status({PAPER_SENSOR: 0x72}).health().code == "PAPER_OUT"


def test_gs_r_answers_are_told_from_dle_eot_answers():
    assert [decode_paper_report(b) for b in (0x00, 0x03, 0x0C, 0x0F)] == [
        Paper.OK, Paper.NEAR_END, Paper.OUT, Paper.OUT]
    assert decode_paper_report(0x01) is Paper.OK  # one bit of the pair
    for byte in (0x00, 0x03, 0x0C, 0x0F):
        assert is_paper_report(byte) and not is_status_byte(byte)
    for byte in (0x12, 0x16, 0x1E, 0x72, 0x7E, 0x11, 0x13):  # DLE EOT answers, XON, XOFF
        assert not is_paper_report(byte)


# -- the emulator reproduces the published answers ---------------------------------------------


def _exchange(peer: PrinterPeer, command: bytes, expected: int) -> bytes:
    with socket.create_connection(("127.0.0.1", peer.port), timeout=5) as conn:
        conn.sendall(command)
        answer = b""
        while len(answer) < expected:
            chunk = conn.recv(16)
            if not chunk:
                break
            answer += chunk
        return answer


@pytest.mark.parametrize("entry", json.loads(TRANSCRIPTS.read_text(encoding="utf-8")),
                         ids=lambda entry: entry["name"])
def test_the_emulator_answers_as_published(entry):
    assert entry["source"]
    peer = PrinterPeer(PrinterState(**entry["state"]))
    try:
        expected = bytes.fromhex(entry["answer"])
        assert _exchange(peer, bytes.fromhex(entry["command"]), len(expected)) == expected
    finally:
        peer.close()


# -- confirmation after the cut ----------------------------------------------------------------


@pytest.fixture
def peer():
    peer = PrinterPeer()
    yield peer
    peer.close()


def _wait_for(condition, what: str) -> None:
    deadline = time.monotonic() + 30  # a safety net; the condition ends the wait
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited in vain for {what}")
        time.sleep(0.01)


def test_a_confirmed_slip_is_asked_for_after_the_cut(peer):
    printer = EscposReceiptPrinter.from_port(peer.address, status_timeout_s=1.0)
    result = asyncio.run(printer.print_receipt(RECEIPT))
    assert result.printed and result.confirmed and result.message == "凭条已打印，请取走。"
    wire = peer.wire()
    assert wire.paper_status_requests == 1
    assert peer.received.rindex(b"\x1dr\x01") > peer.received.rindex(b"\x1dV")


def test_paper_running_out_after_everything_was_sent_is_not_a_printed_slip(peer):
    """The printer took the whole job into its buffer and said 'no fault' while it was still
    printing; then the roll ran out. The old driver counted the slip printed."""
    printer = EscposReceiptPrinter.from_port(peer.address, status_timeout_s=1.0,
                                             completion_timeout_s=20)
    peer.hold()
    results = []
    job = threading.Thread(target=lambda: results.append(printer.print_receipt_blocking(RECEIPT)))
    job.start()
    _wait_for(lambda: peer.wire().cuts == 1, "the whole job on the wire")
    peer.run_out_after_lines(3)
    peer.release()
    job.join(timeout=30)
    (result,) = results
    assert not result.printed and not result.confirmed
    assert result.code == "PAPER_OUT"
    assert result.message == "打印机缺纸，凭条没有打印完整。请联系工作人员补打。"
    assert printer.health().code == "PAPER_OUT"
    assert printer.printed_jobs == []
    # the clear goes out before the result; the printer reads it in its own time
    _wait_for(lambda: peer.wire().buffer_cleared, "the rest of the job cleared")
    assert peer.paper().cuts == 0


def test_a_printer_that_never_finishes_the_slip_times_out(peer):
    printer = EscposReceiptPrinter.from_port(peer.address, status_timeout_s=1.0,
                                             completion_timeout_s=0.5)
    peer.hold()
    result = printer.print_receipt_blocking(RECEIPT)
    assert (result.printed, result.code) == (False, "PRINT_TIMEOUT")
    assert "长时间没有完成打印" in result.message


def test_a_kiosk_printer_holding_the_slip_in_its_presenter_printed_it():
    peer = PrinterPeer(PrinterState(layout="presenter", slip_in_presenter=True))
    try:
        printer = EscposReceiptPrinter.from_port(f"{peer.address}?profile=CITIZEN-PPU-700",
                                                 status_timeout_s=1.0)
        result = printer.print_receipt_blocking(RECEIPT)
        assert result.printed and result.confirmed and printer.health().ok
    finally:
        peer.close()


def test_devices_check_names_the_model_and_its_answers(peer):
    printer = EscposReceiptPrinter.from_port(f"{peer.address}?profile=SNBC-BT-T080")
    peer.set_paper("near_end")
    check = printer.status_check()
    assert (check.profile, check.vendor, check.encoding) == ("SNBC-BT-T080", "SNBC (新北洋)",
                                                             "gbk")
    assert check.link == f"tcp 127.0.0.1:{peer.port}"
    assert check.answers == {1: 0x12, 2: 0x12, 3: 0x12, 4: 0x1E}
    assert check.health.code == "PAPER_LOW"


def test_the_installers_test_slip_shows_the_profile_and_how_rare_ideographs_come_out(peer):
    from devices.printer.receipt_printer import test_slip as installers_slip

    printer = EscposReceiptPrinter.from_port(f"{peer.address}?profile=XP-58IIQ")
    result = printer.print_receipt_blocking(installers_slip(printer.model))
    assert result.printed
    paper = peer.paper()
    assert "配置：XP-58IIQ" in paper.lines and "编码：gbk" in paper.lines
    assert len(paper.images) == 1  # 生僻字：䶮 𬌗 ¥, which GBK lacks


def test_the_simulator_answers_a_status_check_too():
    from devices.printer.simulated import SimulatedReceiptPrinter

    simulator = SimulatedReceiptPrinter(seconds_per_block=0)
    simulator.run_out_of_paper()
    check = simulator.status_check()
    assert (check.profile, check.link, check.health.code) == ("TM-T20II", "simulator",
                                                              "PAPER_OUT")
    assert check.answers[4] == 0x7E


def test_a_utf8_firmware_is_switched_to_utf8_and_gets_the_name_as_text():
    from dataclasses import replace

    model = replace(load_profile("TM-T20II"), encoding="utf-8")
    data = b"".join(receipt_segments(RECEIPT, model))
    assert b"\x1c(C\x02\x000\x02" in data  # FS ( C fn=48 m=2
    paper = read_escpos(data)
    assert paper.utf8 and NAME_LINE in paper.lines and paper.images == []
