"""The record layouts: tag-length-value and BCD, with whatever bytes a card may send."""

from __future__ import annotations

import contextlib
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devices.sscard.errors import BcdError, CardDataError, TlvError
from devices.sscard.tlv import (
    Tlv,
    decode_bcd_date,
    encode_bcd_date,
    parse_tlv,
    record_value,
)


def test_objects_are_split_and_padding_between_and_after_them_is_skipped():
    data = bytes.fromhex("0902C9E7 00FF 0A0131 FFFF0000")
    assert parse_tlv(data) == (Tlv(0x09, bytes.fromhex("C9E7")), Tlv(0x0A, b"1"))


def test_a_zero_length_value_is_a_value():
    assert parse_tlv(b"\x05\x00") == (Tlv(0x05, b""),)


@pytest.mark.parametrize("data", [
    bytes.fromhex("0905C9E7"),  # the length runs past the end
    bytes.fromhex("0A0131 09"),  # a tag without its length byte
    bytes.fromhex("07FF") + b"x" * 254,  # one byte short
])
def test_a_broken_record_is_a_tlv_error(data):
    with pytest.raises(TlvError):
        parse_tlv(data)


def test_a_record_must_hold_its_own_tag():
    assert record_value(bytes.fromhex("0A0131 0000"), 0x0A) == b"1"
    with pytest.raises(TlvError, match="starts with tag 0B"):
        record_value(bytes.fromhex("0B0101"), 0x0A)
    for empty in (b"", b"\x00\x00", b"\xff"):
        with pytest.raises(TlvError, match="empty"):
            record_value(empty, 0x0A)


def test_tlv_errors_are_card_data_errors_with_a_detail_and_a_code():
    with pytest.raises(CardDataError) as caught:
        parse_tlv(b"\x09\x10")
    assert caught.value.code == "CARD_READ_FAILED"
    assert caught.value.detail == "tag 09: length 16 runs past the end (0 left)"


@given(st.binary(max_size=600))
def test_any_bytes_parse_or_raise_only_tlv_error(data):
    try:
        items = parse_tlv(data)
    except TlvError:
        return
    assert sum(2 + len(item.value) for item in items) <= len(data)
    assert all(item.tag not in (0x00, 0xFF) for item in items)


@given(st.lists(st.tuples(st.integers(1, 0xFE), st.binary(max_size=255)), max_size=8),
       st.lists(st.sampled_from([b"", b"\x00", b"\xff\xff", b"\x00\xff\x00"]), min_size=9,
                max_size=9))
def test_what_is_written_with_padding_anywhere_between_objects_reads_back(objects, paddings):
    data = paddings[0] + b"".join(bytes((tag, len(value))) + value + pad
                                  for (tag, value), pad in zip(objects, paddings[1:], strict=False))
    assert parse_tlv(data) == tuple(Tlv(tag, value) for tag, value in objects)


@given(st.binary(max_size=64), st.integers(0, 255))
def test_record_value_raises_only_tlv_error(data, tag):
    with contextlib.suppress(TlvError):
        record_value(data, tag)


def test_bcd_dates():
    assert decode_bcd_date(bytes.fromhex("19491231")) == date(1949, 12, 31)
    assert decode_bcd_date(bytes.fromhex("20240229")) == date(2024, 2, 29)
    for unset in (b"", bytes(4), b"\xff" * 4):
        assert decode_bcd_date(unset) is None


@pytest.mark.parametrize("raw", [
    bytes.fromhex("2023023A"),  # not BCD
    bytes.fromhex("20230230"),  # 30 February
    bytes.fromhex("20231301"),  # month 13
    bytes.fromhex("00000101"),  # year 0
    bytes.fromhex("202301"),  # too short
    bytes.fromhex("2023010100"),  # too long
])
def test_a_bcd_date_that_is_no_date_is_a_bcd_error(raw):
    with pytest.raises(BcdError):
        decode_bcd_date(raw)


@given(st.binary(max_size=8))
def test_any_bytes_decode_to_a_date_none_or_raise_only_bcd_error(raw):
    try:
        value = decode_bcd_date(raw)
    except BcdError:
        return
    assert value is None or isinstance(value, date)


@given(st.dates())
def test_every_date_survives_bcd(value):
    assert decode_bcd_date(encode_bcd_date(value)) == value
