"""`devices check` for the printers over their real transports — the receipt printer emulator
on a TCP socket, the A4 queue on the tests' own CUPS — as a console reads it."""

from __future__ import annotations

import subprocess
from datetime import datetime
from pathlib import Path

import pytest

from devices.check.printers import checking_slip
from devices.printer.escpos import PrinterModel
from tests.devices.device_check import profile, run_check
from tests.devices.printer.cups_server import PPD_FILES
from tests.devices.printer.printer_peer import PrinterPeer


@pytest.fixture
def peer():
    peer = PrinterPeer()
    yield peer
    peer.close()


def test_the_receipt_printer_prints_the_test_slip(peer, tmp_path, capsys):
    config = profile(tmp_path, receipt_printer={"driver": "escpos", "port": peer.address})
    status, results = run_check(capsys, config, "--family", "receipt")
    assert status == 0
    [result] = results
    assert (result["family"], result["device"]) == ("receipt", "receipt_printer/escpos")
    assert result["identity"]["transport"] == f"tcp 127.0.0.1:{peer.port}"
    assert result["identity"]["status"] == "OK"
    assert (result["action"], result["ok"], result["code"]) == ("print_test_slip", True, "OK")
    assert result["message"] == "测试凭条已打印，请到出纸口查看"
    slip = checking_slip(PrinterModel(), datetime.now())  # the driver's own, where it has one
    assert slip.title in [line.strip() for line in peer.paper().lines]


def test_a_receipt_printer_nobody_answers_for_fails_without_printing(tmp_path, capsys):
    closed = PrinterPeer()
    closed.close()  # its port is free again: nothing listens there
    config = profile(tmp_path, receipt_printer={"driver": "escpos", "port": closed.address})
    status, [result] = run_check(capsys, config, "--family", "receipt")
    assert status == 1
    assert (result["action"], result["ok"], result["code"]) == ("none", False, "NO_DEVICE")
    assert result["message"] == "不可用：设备未连接或打不开"


def test_the_a4_queue_is_named_and_prints_the_test_page(cups, tmp_path, capsys):
    before = set(cups.pdfs())
    config = profile(tmp_path, a4_printer={"driver": "cups", "port": cups.uri})
    status, results = run_check(capsys, config, "--family", "a4")
    assert status == 0, results
    [result] = results
    assert (result["family"], result["device"]) == ("a4", "a4_printer/cups")
    assert result["identity"]["queue"] == cups.uri
    assert result["identity"]["state"] == "idle"
    assert result["identity"]["error_policy"] == "abort-job"  # as the tests' CUPS set it up
    assert (result["action"], result["ok"], result["code"]) == ("print_test_page", True, "OK")
    assert result["message"] == "测试页已打印，请到出纸口查看"
    cups.finished_pdf(lambda path: path not in before)


def test_a_queue_that_retries_failed_jobs_prints_but_is_flagged_with_the_fix(cups, tmp_path,
                                                                            capsys):
    # retry-job: a job that failed comes out later, maybe in front of the next person
    name = "RetryingA4"
    ppd = next(path for path in PPD_FILES if Path(path).exists())
    subprocess.run(["lpadmin", "-h", f"127.0.0.1:{cups.port}", "-p", name, "-E", "-v",
                    "cups-pdf:/", "-P", ppd, "-o", "printer-error-policy=retry-job"],
                   check=True, capture_output=True, timeout=20)
    try:
        config = profile(tmp_path, a4_printer={"driver": "cups", "port": cups.uri.replace(
            cups.queue, name)})
        status, [result] = run_check(capsys, config, "--family", "a4")
    finally:
        subprocess.run(["lpadmin", "-h", f"127.0.0.1:{cups.port}", "-x", name],
                       capture_output=True, timeout=20)
    assert status == 0  # it prints: the kiosk can serve
    assert result["identity"]["error_policy"] == "retry-job"
    assert (result["ok"], result["code"]) == (True, "ERROR_POLICY")
    assert result["message"] == "测试页已打印，请到出纸口查看；但队列的出错策略需要调整（见详情）"
    assert f"lpadmin -p {name} -o printer-error-policy=abort-job" in result["detail"]
