"""`devices check --family sscard` through a real pcscd and vpcd with the emulated card in the
slot: what a console reads."""

from __future__ import annotations

from devices.sscard.emulator import ATR, EmulatedSsCard
from devices.sscard.samples import sample_card
from tests.devices.device_check import profile, run_check
from tests.devices.sscard.testbed import READER_NAME, wait_for_slot


def test_the_inserted_card_is_read_and_the_reader_and_atr_are_named(slot, tmp_path, capsys):
    slot.insert(EmulatedSsCard(sample_card()))
    wait_for_slot(present=True)
    config = profile(tmp_path, sscard={"driver": "pcsc", "port": "kiosk test"})
    status, results = run_check(capsys, config, "--family", "sscard", "--wait", "10")
    assert status == 0
    [result] = results
    assert (result["family"], result["device"]) == ("sscard", "sscard/pcsc")
    assert result["identity"]["reader"] == f"{READER_NAME} 00 00"
    assert result["identity"]["atr"] == ATR.hex(" ").upper()
    assert (result["action"], result["ok"], result["code"]) == ("read_card", True, "OK")
    assert result["message"] == "读卡成功：社会保障卡"
    assert sample_card().name not in str(results)


def test_a_reader_pcscd_does_not_have_fails_at_once(pcscd, tmp_path, capsys):
    config = profile(tmp_path, sscard={"driver": "pcsc", "port": "No Such Reader"})
    status, [result] = run_check(capsys, config, "--family", "sscard", "--wait", "600")
    assert status == 1
    assert (result["action"], result["ok"], result["code"]) == ("none", False, "NO_DEVICE")
    assert result["message"] == "不可用：设备未连接或打不开"
