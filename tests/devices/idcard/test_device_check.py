"""`devices check --family idcard` against the SAM emulator on a real pty: what a console reads."""

from __future__ import annotations

from devices.idcard.sam_emulator import EmulatedCard
from devices.idcard.sam_model import SAM_ID
from devices.idcard.simulator import sample_cards
from tests.devices.device_check import profile, run_check


def test_a_card_on_the_reader_is_read_and_only_its_kind_is_told(sam, tmp_path, capsys):
    card = sample_cards()["resident"]
    sam.insert(EmulatedCard.of(card))
    config = profile(tmp_path, idcard={"driver": "ga467", "port": sam.path})
    status, results = run_check(capsys, config, "--family", "idcard", "--wait", "10")
    assert status == 0
    [result] = results
    assert result["family"] == "idcard" and result["device"] == "idcard/ga467"
    assert result["identity"]["port"] == sam.path
    assert result["identity"]["transport"] == f"serial {sam.path}, 115200 baud"
    assert result["identity"]["sam_id"] == SAM_ID  # the number the SAM answered to 12 FF
    assert (result["action"], result["ok"], result["code"]) == ("read_card", True, "OK")
    assert result["message"] == "读卡成功：居民身份证"
    assert card.name not in str(results) and card.id_number not in str(results)


def test_a_card_that_cannot_be_read_fails_with_the_readers_reason(sam, tmp_path, capsys):
    sam.insert(EmulatedCard.of(sample_cards()["elder"], read_fails=True))
    config = profile(tmp_path, idcard={"driver": "ga467", "port": sam.path})
    status, [result] = run_check(capsys, config, "--family", "idcard", "--wait", "10")
    assert status == 1
    assert (result["action"], result["ok"], result["code"]) == (
        "read_card", False, "CARD_READ_FAILED")
    assert result["message"] == "读卡失败：读取身份证失败，请把身份证平放在感应区后重试。"


def test_a_missing_port_fails_at_once_without_waiting_for_a_card(tmp_path, capsys):
    config = profile(tmp_path, idcard={"driver": "ga467", "port": str(tmp_path / "ttyUSB9")})
    status, [result] = run_check(capsys, config, "--family", "idcard", "--wait", "600")
    assert status == 1
    assert (result["action"], result["ok"], result["code"]) == ("none", False, "NO_DEVICE")
    assert result["message"] == "不可用：设备未连接或打不开"
    assert "cannot open" in result["detail"]
