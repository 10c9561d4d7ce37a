"""The command sequence and the record decoding, against the emulated card without PC/SC."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from devices.cards import SsCardData
from devices.sscard.access import ExternalAuthentication, PinVerify
from devices.sscard.application import read_ss_card
from devices.sscard.emulator import DROP, Addressing, EmulatedSsCard, Fault, emulator_cryptogram
from devices.sscard.errors import (
    CARD_NOT_SUPPORTED,
    AuthenticationBlocked,
    AuthenticationFailed,
    BcdError,
    CardDataError,
    CardStatusError,
    NotSocialSecurityCard,
    PinIncorrect,
    SecurityNotSatisfied,
    TlvError,
    UnreadableRecord,
)
from devices.sscard.records import EF06_FIELDS, decode_field, encode_card
from devices.sscard.samples import sample_card

KEY = bytes(range(16))


def direct(card: EmulatedSsCard):
    """`transmit` straight into the emulated card."""

    def transmit(apdu: bytes) -> tuple[bytes, int, int]:
        response = card.process(apdu)
        assert response is not DROP
        assert isinstance(response, bytes)
        return response[:-2], response[-2], response[-1]

    return transmit


class PlatformKeys:
    """Test double of the platform's key service: it knows the card's key."""

    def __init__(self, key: bytes) -> None:
        self.key = key
        self.asked: list[str] = []

    def cryptogram(self, card_identifier: str, challenge: bytes) -> bytes:
        self.asked.append(card_identifier)
        return emulator_cryptogram(self.key, challenge)


def test_every_field_is_read_and_decoded():
    assert read_ss_card(direct(EmulatedSsCard(sample_card()))) == sample_card()


def test_records_of_their_natural_length_are_read_after_6cxx():
    card = EmulatedSsCard(sample_card(), padded=False)
    assert read_ss_card(direct(card)) == sample_card()


def test_a_pin_card_refuses_ef06_without_the_pin_and_gives_it_with_it():
    with pytest.raises(SecurityNotSatisfied, match="READ RECORD 08: SW 6982"):
        read_ss_card(direct(EmulatedSsCard(sample_card(), pin="123456")))
    card = EmulatedSsCard(sample_card(), pin="123456")
    assert read_ss_card(direct(card), PinVerify(lambda: "123456")) == sample_card()


def test_a_wrong_pin_is_tried_once_and_three_lock_the_card():
    card = EmulatedSsCard(sample_card(), pin="123456")
    with pytest.raises(PinIncorrect) as caught:
        read_ss_card(direct(card), PinVerify(lambda: "654321"))
    assert caught.value.tries_left == 2
    assert [h.hex().upper() for h in card.commands].count("00200000") == 1
    for _ in range(2):
        with pytest.raises((PinIncorrect, AuthenticationBlocked)):
            read_ss_card(direct(card), PinVerify(lambda: "654321"))
    with pytest.raises(AuthenticationBlocked) as locked:
        read_ss_card(direct(card), PinVerify(lambda: "123456"))
    assert locked.value.code == "CARD_LOCKED"


def test_external_authentication_with_the_platforms_cryptogram_opens_ef06():
    keys = PlatformKeys(KEY)
    card = EmulatedSsCard(sample_card(), auth_key=KEY)
    assert read_ss_card(direct(card), ExternalAuthentication(keys)) == sample_card()
    assert keys.asked == [sample_card().card_identifier]
    with pytest.raises(AuthenticationFailed):
        read_ss_card(direct(EmulatedSsCard(sample_card(), auth_key=KEY)),
                     ExternalAuthentication(PlatformKeys(bytes(16))))


def test_another_kind_of_card_is_not_supported():
    card = EmulatedSsCard(sample_card())
    card.fail(Fault(ins=0xA4, p1=0x04, status=0x6A82))
    with pytest.raises(NotSocialSecurityCard) as caught:
        read_ss_card(direct(card))
    assert caught.value.code == CARD_NOT_SUPPORTED
    assert caught.value.message == "无法识别此卡，请插入社会保障卡。"


def test_an_error_status_word_names_the_step():
    card = EmulatedSsCard(sample_card())
    card.fail(Fault(ins=0xB2, p1=0x0D, status=0x6581))
    with pytest.raises(CardStatusError, match="READ RECORD 0D: SW 6581"):
        read_ss_card(direct(card))


def holder(**changes) -> SsCardData:
    return replace(sample_card(), **changes)


def with_record(tag: int, record: bytes):
    """A transmit whose card holds `record` (tag, length and value) as record `tag`."""
    card = EmulatedSsCard(sample_card())
    card.write_record(tag, record)
    return direct(card)


@pytest.mark.parametrize(("record", "error"), [
    (bytes.fromhex("0920C9E7"), TlvError),  # the length runs past the end
    (bytes.fromhex("0A0131"), TlvError),  # record 09 holding tag 0A
    (bytes.fromhex("0902FFFE"), CardDataError),  # no GBK
])
def test_a_malformed_record_is_a_defined_error_without_its_bytes(record, error):
    with pytest.raises(error) as caught:
        read_ss_card(with_record(0x09, record))
    assert "C9E7" not in caught.value.detail and "FFFE" not in caught.value.detail


def test_a_birth_date_that_is_no_date_fails_the_read():
    with pytest.raises(BcdError):
        read_ss_card(with_record(0x0D, bytes.fromhex("0D0419491331")))


FIELDS = {f.tag: f for f in EF06_FIELDS}


@pytest.mark.parametrize(("tag", "raw", "value"), [
    (0x0A, b"1", "男"), (0x0A, b"\x02", "女"), (0x0A, b"9", "未说明的性别"), (0x0A, b"7", "7"),
    (0x0B, b"\x01", "汉"), (0x0B, b"\x56", "基诺"), (0x0B, b"\x97", "其他"), (0x0B, b"03", "回"),
    (0x0B, b"\x77", "77"),
    (0x0C, bytes.fromhex("110105"), "110105"),
    (0x09, "张三".encode("gbk") + b"\x00" * 26, "张三"),
    (0x09, "李四".encode("gbk") + b"\xa1\xa1" + b"\x20" * 4, "李四"),  # full-width space padding
    (0x08, b"11010519491231002X", "11010519491231002X"),
    (0x08, b"\x01\x02\x03", "010203"),  # not text: kept as hex, not guessed at
])
def test_holder_fields_decode_as_the_id_card_gives_them(tag, raw, value):
    assert decode_field(FIELDS[tag], raw) == value


def test_every_field_written_by_the_emulator_reads_back():
    card = holder(name="欧阳明月", sex="女", nation="维吾尔", birthplace="650102",
                  birth_date=date(2001, 1, 9), expiry_date=None)
    assert read_ss_card(direct(EmulatedSsCard(card))) == card
    assert encode_card(card)[0x09] == "欧阳明月".encode("gbk") + bytes(22)


@pytest.mark.parametrize("ssse", [True, False])
@pytest.mark.parametrize("addressing", list(Addressing))
def test_every_published_kind_of_card_is_read(addressing, ssse):
    card = EmulatedSsCard(sample_card(), addressing=addressing, ssse=ssse)
    assert read_ss_card(direct(card)) == sample_card()


def test_a_card_of_positions_is_asked_by_tag_once_per_file():
    card = EmulatedSsCard(sample_card(), addressing=Addressing.POSITION)
    read_ss_card(direct(card))
    by_tag = [h.hex().upper() for h in card.commands if h[1] == 0xB2 and h[3] == 0x00]
    assert by_tag == ["00B20100", "00B20800"]  # each answered 6A86, then positions only


def test_a_record_found_neither_way_is_not_supported_and_says_both_answers():
    card = EmulatedSsCard(sample_card())
    card.fail(Fault(ins=0xB2, p1=0x08, status=0x6A83))
    with pytest.raises(UnreadableRecord) as caught:
        read_ss_card(direct(card))
    assert caught.value.code == CARD_NOT_SUPPORTED
    assert caught.value.message == "此社保卡暂无法在本机读取，请到人工窗口办理。"
    assert caught.value.detail == "READ RECORD 08: SW 6A83; READ RECORD 08 at 1: SW 6A86"


def test_a_card_without_ssse_nor_ef05_is_not_ours_and_one_refusing_ssse_is_not_asked_more():
    card = EmulatedSsCard(sample_card())
    card.fail(Fault(ins=0xA4, status=0x6A82, times=2))
    with pytest.raises(NotSocialSecurityCard, match=r"SELECT SSSE \(6A82\), SELECT EF05"):
        read_ss_card(direct(card))
    card = EmulatedSsCard(sample_card())
    card.fail(Fault(ins=0xA4, p1=0x04, status=0x6A81))
    with pytest.raises(NotSocialSecurityCard, match="SELECT SSSE: SW 6A81"):
        read_ss_card(direct(card))
    assert [h.hex().upper() for h in card.commands] == ["00A40400"]
