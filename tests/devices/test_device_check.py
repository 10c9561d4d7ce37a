"""`devices check --json` on the demo configuration's simulated devices: every device checked
with its test action and passed, in configuration order; a device at fault fails its line and
the exit status, the others unaffected."""

from __future__ import annotations

from devices.health import Health, HealthState
from devices.printer.simulated import SimulatedReceiptPrinter
from tests.devices.device_check import run_check


def test_every_simulated_device_passes_its_test_action(capsys):
    status, results = run_check(capsys, None)
    assert status == 0
    assert [(r["family"], r["device"], r["action"]) for r in results] == [
        ("idcard", "idcard/simulator", "read_card"),
        ("sscard", "sscard/simulator", "read_card"),
        ("document_camera", "document_camera/simulator", "capture_frames"),
        ("camera", "face_camera/simulator", "capture_frames"),
        ("scanner", "qr_scanner/simulator", "scan_code"),
        ("receipt", "receipt_printer/simulator", "print_test_slip"),
        ("a4", "a4_printer/simulator", "print_test_page"),
        ("microphone", "speech/simulator", "none"),
        ("speaker", "speech/simulator", "play_back"),
    ]
    by_family = {result["family"]: result for result in results}
    assert all(result["ok"] for result in results)
    assert by_family["idcard"]["message"] == "读卡成功：居民身份证"
    assert by_family["sscard"]["message"] == "读卡成功：社会保障卡"
    assert by_family["scanner"]["message"] == "读出了测试二维码"
    assert by_family["camera"]["identity"]["resolution"] == "640x480"
    assert by_family["document_camera"]["identity"]["fps"] > 0
    assert by_family["microphone"]["code"] == "SIMULATED"


def test_a_printer_out_of_paper_fails_its_line_and_the_check(capsys, monkeypatch):
    printer = SimulatedReceiptPrinter()
    printer.set_health(Health(HealthState.ERROR, "PAPER_OUT"))
    monkeypatch.setattr("devices.printer.simulated.SimulatedReceiptPrinter",
                        lambda family: printer)
    status, results = run_check(capsys, None, "--family", "receipt")
    assert status == 1
    assert [(r["family"], r["ok"], r["code"], r["message"]) for r in results] == [
        ("receipt", False, "PAPER_OUT", "不可用：缺纸")]
    assert not printer.previews  # nothing was sent to print
