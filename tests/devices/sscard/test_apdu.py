"""Commands as the card expects them and the T=0 rules, over a scripted card."""

from __future__ import annotations

import pytest

from devices.sscard.apdu import (
    EF05,
    SS_AID,
    exchange,
    external_authenticate,
    get_challenge,
    read_record,
    read_record_by_tag,
    run,
    select_application,
    select_file,
    verify_pin,
    with_le,
)
from devices.sscard.errors import (
    CARD_ACCESS_DENIED,
    CARD_LOCKED,
    CARD_NOT_SUPPORTED,
    CARD_PIN_WRONG,
    CARD_READ_FAILED,
    AuthenticationBlocked,
    AuthenticationFailed,
    CardProtocolError,
    CardStatusError,
    FileNotFound,
    PinIncorrect,
    RecordNotFound,
    SecurityNotSatisfied,
    SsCardError,
    WrongLength,
    WrongParameters,
)


class ScriptedCard:
    """Answers commands from a list, in order, and keeps what it was sent."""

    def __init__(self, *answers: str) -> None:
        self.answers = [bytes.fromhex(a) for a in answers]
        self.sent: list[str] = []

    def __call__(self, apdu: bytes) -> tuple[bytes, int, int]:
        self.sent.append(apdu.hex().upper())
        answer = self.answers.pop(0)
        return answer[:-2], answer[-2], answer[-1]


def test_commands_are_the_bytes_the_specification_gives():
    assert select_application().hex().upper() == "00A404000F7378312E73682EC9E7BBE1B1A3D5CF"
    assert SS_AID.hex().upper() == "7378312E73682EC9E7BBE1B1A3D5CF"
    assert select_file(EF05).hex().upper() == "00A4020002EF05"
    assert read_record(0x09, 0x20).hex().upper() == "00B2090420"  # by position: P1 = 9
    assert read_record_by_tag(0x09, 0x20).hex().upper() == "00B2090020"  # by tag
    assert verify_pin("123456").hex().upper() == "0020000003123456"
    assert verify_pin("12345").hex().upper() == "002000000312345F"
    assert get_challenge().hex().upper() == "0084000008"
    assert external_authenticate(1, bytes(8)).hex().upper() == "00820001080000000000000000"


@pytest.mark.parametrize("pin", ["123", "12a456", "１２３４", "1234567890123"])
def test_a_pin_that_is_not_4_to_12_digits_is_refused_before_it_reaches_the_card(pin):
    with pytest.raises(ValueError):
        verify_pin(pin)


def test_le_is_set_for_every_command_case():
    assert with_le(bytes.fromhex("00B20904"), 0x12).hex().upper() == "00B2090412"
    assert with_le(bytes.fromhex("00B2090420"), 0x12).hex().upper() == "00B2090412"
    assert with_le(bytes.fromhex("00A4020002EF05"), 0x10).hex().upper() == "00A4020002EF0510"
    assert with_le(bytes.fromhex("00A4020002EF0500"), 0x10).hex().upper() == "00A4020002EF0510"


def test_61xx_is_followed_by_get_response_until_the_card_is_done():
    card = ScriptedCard("6112", "AABBCCDD6104", "EEFF00119000")
    response = exchange(card, select_application())
    assert response.ok and response.data == bytes.fromhex("AABBCCDDEEFF0011")
    assert card.sent[1:] == ["00C0000012", "00C0000004"]


def test_6cxx_resends_the_command_with_the_length_the_card_gave():
    card = ScriptedCard("6C0B", "07094131323334353637389000")
    response = exchange(card, read_record(0x07, 0x20))
    assert response.ok and response.data[:2] == b"\x07\x09"
    assert card.sent == ["00B2070420", "00B207040B"]


def test_6cxx_then_61xx_is_followed_too():
    card = ScriptedCard("6C04", "6104", "010203049000")
    assert exchange(card, read_record(0x05, 0)).data == bytes.fromhex("01020304")


def test_a_card_that_will_not_settle_is_a_protocol_error_and_never_hangs():
    with pytest.raises(CardProtocolError):
        exchange(ScriptedCard("6C0B", "6C0C"), read_record(0x07, 0x20))
    with pytest.raises(CardProtocolError):
        exchange(ScriptedCard(*["6101"] * 40), select_application())


@pytest.mark.parametrize(("sw", "error", "code"), [
    ("6A82", FileNotFound, CARD_NOT_SUPPORTED),
    ("6A83", RecordNotFound, CARD_NOT_SUPPORTED),
    ("6A86", WrongParameters, CARD_NOT_SUPPORTED),
    ("6982", SecurityNotSatisfied, CARD_ACCESS_DENIED),
    ("6300", AuthenticationFailed, CARD_ACCESS_DENIED),
    ("63C2", PinIncorrect, CARD_PIN_WRONG),
    ("6983", AuthenticationBlocked, CARD_LOCKED),
    ("6700", WrongLength, CARD_READ_FAILED),
    ("6F00", CardStatusError, CARD_READ_FAILED),
])
def test_status_words_other_than_9000_are_defined_errors(sw, error, code):
    with pytest.raises(error) as caught:
        run(ScriptedCard(sw), read_record(0x08, 0x14), "READ RECORD 08")
    assert type(caught.value) is error and isinstance(caught.value, SsCardError)
    assert caught.value.code == code
    assert caught.value.sw == int(sw, 16)
    assert caught.value.detail == f"READ RECORD 08: SW {sw}"
    assert caught.value.message  # a sentence for the person


def test_a_wrong_pin_tells_the_tries_left():
    with pytest.raises(PinIncorrect) as caught:
        run(ScriptedCard("63C1"), verify_pin("000000"), "VERIFY")
    assert caught.value.tries_left == 1
    assert caught.value.message == "社保卡密码错误。"
