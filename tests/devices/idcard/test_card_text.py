"""The card's text block, written field by field as the layouts publish them, then decoded."""

from __future__ import annotations

import contextlib
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devices.cards import IdCardData
from devices.idcard.card_text import (
    NATION_BY_CODE,
    SEX_BY_CODE,
    decode_appended_address,
    decode_card,
    decode_read_answer,
    encode_appended_addresses,
    encode_card_text,
    encode_read_data,
    split_read_data,
    with_current_address,
)
from devices.idcard.errors import CardTextError, IdCardProtocolError, UnsupportedCardLayout
from devices.idcard.sam_emulator import foreign_permanent_card_text
from devices.idcard.simulator import sample_cards

PHOTO = bytes(range(256)) * 4


def field(value: str, size: int) -> bytes:
    """UCS-2 little-endian, padded with spaces to `size` bytes."""
    raw = value.encode("utf-16-le")
    assert len(raw) <= size
    return raw + b" \x00" * ((size - len(raw)) // 2)


def resident_text(name="张三丰", sex="1", nation="01", birth="19491231",
                  address="北京市朝阳区建国路88号", number="11010519491231002X",
                  authority="北京市公安局朝阳分局", valid_from="20200101", valid_to="长期",
                  reserved="") -> bytes:
    text = (field(name, 30) + field(sex, 2) + field(nation, 4) + field(birth, 16)
            + field(address, 70) + field(number, 36) + field(authority, 30)
            + field(valid_from, 16) + field(valid_to, 16) + field(reserved, 36))
    assert len(text) == 256
    return text


def hmt_text() -> bytes:
    text = (field("陈大文", 30) + field("1", 2) + field("", 4) + field("19851102", 16)
            + field("广东省深圳市福田区演示路3号", 70) + field("810000198511020036", 36)
            + field("深圳市公安局", 30) + field("20210601", 16) + field("20260601", 16)
            + field("H12345678", 18) + field("01", 4) + field("", 6) + field("J", 2)
            + field("", 6))
    assert len(text) == 256
    return text


def test_a_resident_card_decodes_every_field():
    card = decode_card(resident_text(), PHOTO)
    assert card == IdCardData(
        card_type="resident", name="张三丰", sex="男", nation="汉", birth_date=date(1949, 12, 31),
        address="北京市朝阳区建国路88号", id_number="11010519491231002X",
        issuing_authority="北京市公安局朝阳分局", valid_from=date(2020, 1, 1), valid_to=None,
        photo_wlt=PHOTO)


def test_a_dated_expiry_is_a_date():
    assert decode_card(resident_text(valid_to="20400101"), PHOTO).valid_to == date(2040, 1, 1)


@pytest.mark.parametrize(("code", "text"), [("0", "未知的性别"), ("1", "男"), ("2", "女"),
                                            ("9", "未说明的性别")])
def test_sex_codes_of_gb_t_2261_1(code, text):
    assert decode_card(resident_text(sex=code), PHOTO).sex == text


@pytest.mark.parametrize(("code", "text"), [("01", "汉"), ("03", "回"), ("05", "维吾尔"),
                                            ("29", "柯尔克孜"), ("43", "乌孜别克"), ("56", "基诺"),
                                            ("97", "其他"), ("98", "外国血统中国籍人士")])
def test_nation_codes_of_gb_t_3304(code, text):
    assert decode_card(resident_text(nation=code), PHOTO).nation == text


def test_the_nation_table_has_the_56_nationalities_and_the_two_others():
    assert len(NATION_BY_CODE) == 58
    assert [f"{n:02d}" for n in range(1, 57)] + ["97", "98"] == list(NATION_BY_CODE)
    assert len(set(NATION_BY_CODE.values())) == 58
    assert set(SEX_BY_CODE) == {"0", "1", "2", "9"}


def test_an_hmt_residence_permit_decodes_with_the_resident_fields():
    card = decode_card(hmt_text(), PHOTO)
    assert (card.card_type, card.name, card.sex, card.nation, card.id_number, card.valid_to) == (
        "hmt_residence", "陈大文", "男", "", "810000198511020036", date(2026, 6, 1))
    assert card.address == "广东省深圳市福田区演示路3号"


def test_a_foreign_permanent_resident_card_is_recognised_and_not_decoded():
    text = foreign_permanent_card_text("SMITH JOHN", "1", "USA110012345678", "USA", "史密斯",
                                       "20200101", "20300101", "19800101")
    with pytest.raises(UnsupportedCardLayout) as error:
        decode_card(text, PHOTO)
    assert error.value.marker == "I" and "foreign permanent-resident" in str(error.value)


def test_a_2023_foreign_permanent_resident_card_is_recognised_by_its_marker_y():
    text = foreign_permanent_card_text("SMITH JOHN", "1", "", "USA", "史密斯",
                                       "20230808", "20330807", "19800101", marker="Y")
    with pytest.raises(UnsupportedCardLayout) as error:
        decode_card(text, PHOTO)
    assert error.value.marker == "Y" and "2023 edition" in str(error.value)


def test_an_unknown_card_type_marker_is_an_unsupported_layout():
    text = resident_text()
    text = text[:248] + "Z".encode("utf-16-le") + text[250:]
    with pytest.raises(UnsupportedCardLayout, match="U\\+005A"):
        decode_card(text, PHOTO)


def test_the_newest_appended_address_is_the_current_one_and_the_printed_one_is_kept():
    card = decode_card(resident_text(), PHOTO)
    data = encode_appended_addresses(["北京市朝阳区第一次搬家路1号", "北京市海淀区新家路8号"])
    moved = with_current_address(card, decode_appended_address(data))
    assert (moved.address, moved.printed_address) == ("北京市海淀区新家路8号", card.address)
    assert with_current_address(card, decode_appended_address(b"")) == card


@pytest.mark.parametrize("data", [bytes(281), b"\x00" * 3, b"\x00\xd8" * 35])
def test_an_appended_address_that_is_too_long_odd_or_not_text_is_refused(data):
    with pytest.raises(CardTextError, match="appended"):
        decode_appended_address(data)


@pytest.mark.parametrize(("changes", "message"), [
    ({"birth": "19491331"}, "birth_date: not a calendar date"),
    ({"valid_from": "2020-1-1"}, "valid_from: not a YYYYMMDD date"),
    ({"sex": "5"}, "sex: not a GB/T 2261.1 code"),
    ({"nation": "77"}, "nation: not a GB/T 3304 code"),
    ({"name": ""}, "name: empty"),
    ({"number": ""}, "id_number: empty"),
])
def test_a_bad_field_is_a_card_text_error_naming_the_field_not_the_value(changes, message):
    with pytest.raises(CardTextError) as error:
        decode_card(resident_text(**changes), PHOTO)
    assert str(error.value) == message


def test_text_that_is_not_ucs_2_is_a_card_text_error():
    text = resident_text()
    with pytest.raises(CardTextError, match="name: not UCS-2"):
        decode_card(b"\x00\xd8" + text[2:], PHOTO)  # a lone surrogate


def test_the_read_answer_data_is_split_by_its_lengths():
    data = b"\x01\x00\x04\x00" + resident_text() + PHOTO
    assert split_read_data(data) == (resident_text(), PHOTO)
    assert decode_read_answer(data).name == "张三丰"
    assert encode_read_data(resident_text(), PHOTO) == data


@pytest.mark.parametrize("data", [b"", b"\x01\x00", b"\x00\x80\x04\x00" + bytes(128 + 1024),
                                  b"\x01\x00\x04\x00" + bytes(256 + 1000)])
def test_read_answer_data_with_wrong_lengths_is_a_card_text_error(data):
    with pytest.raises(CardTextError):
        split_read_data(data)


@pytest.mark.parametrize("kind", ["resident", "elder", "hmt_residence"])
def test_encoding_a_card_for_the_emulator_decodes_back_to_it(kind):
    card = sample_cards()[kind]
    assert decode_card(encode_card_text(card, pass_number="H1", issue_count="01"),
                       card.photo_wlt) == card


@settings(max_examples=300, deadline=500)
@given(st.binary(min_size=256, max_size=256), st.binary(max_size=1100))
def test_any_text_block_decodes_or_raises_only_the_protocol_error(text, photo):
    with contextlib.suppress(IdCardProtocolError):
        decode_card(text, photo)


@settings(max_examples=300, deadline=500)
@given(st.binary(max_size=1400))
def test_any_read_answer_decodes_or_raises_only_the_protocol_error(data):
    with contextlib.suppress(IdCardProtocolError):
        decode_read_answer(data)


@settings(max_examples=200, deadline=500)
@given(st.integers(0, 255), st.integers(1, 255))
def test_one_spoilt_byte_of_a_good_card_never_escapes_the_protocol_error(position, flip):
    text = bytearray(resident_text())
    text[position] ^= flip
    with contextlib.suppress(IdCardProtocolError):
        decode_card(bytes(text), PHOTO)
