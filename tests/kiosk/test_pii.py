"""Personal data is shown and logged only in the masked forms the project's rules give."""

from __future__ import annotations

import pytest

from kiosk.pii import (
    mask_address,
    mask_bank_card,
    mask_fields,
    mask_id_number,
    mask_mobile,
    mask_name,
    mask_plate,
    mask_value,
    redact,
)

# a well-formed ID number (the check digit is right) with no X, to tell it from a bank card
ID_ALL_DIGITS = "110105194912310118"
ID_WITH_X = "11010519491231002X"


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("张三丰", "张*丰"),
        ("张三", "张*"),
        ("欧阳娜娜", "欧**娜"),
        ("买买提·艾力", "买****力"),
        ("", ""),
    ],
)
def test_names_keep_first_and_last_character(name: str, shown: str) -> None:
    assert mask_name(name) == shown


def test_single_values_are_masked_as_the_rules_say() -> None:
    assert mask_id_number(ID_WITH_X) == "110***********002X"
    assert mask_id_number("110105491231002") == "110********1002"
    assert mask_mobile("13812345678") == "138****5678"
    assert mask_mobile("+86 138-1234-5678") == "138****5678"
    assert mask_bank_card("6222 0212 3456 7890 123") == "**** 0123"
    assert mask_plate("粤B12345") == "粤B***45"
    assert mask_plate("粤BD12345") == "粤B****45"  # new-energy plates are one longer


@pytest.mark.parametrize(
    ("address", "shown"),
    [
        ("北京市朝阳区建国路88号院3号楼", "北京市朝阳区***"),
        ("广东省深圳市南山区科技园路1号", "广东省深圳市南山区***"),
        ("上海市浦东新区张江镇", "上海市浦东新区***"),
        ("广东省东莞市长安镇振安路", "广东省东莞市***"),  # no district level: stop at the city
        ("江苏省昆山市花园小区5栋", "江苏省昆山市***"),  # a 小区 is not a district
        ("浙江省杭州市阳光社区3号", "浙江省杭州市***"),
        ("建国路88号", "***"),  # nothing recognisable: show nothing
    ],
)
def test_addresses_show_only_down_to_the_district(address: str, shown: str) -> None:
    assert mask_address(address) == shown


def test_masking_twice_changes_nothing() -> None:
    for rule, value in [
        ("name", "张三丰"),
        ("id_card", ID_WITH_X),
        ("mobile", "13812345678"),
        ("address", "北京市朝阳区建国路88号"),
        ("bank", "6222021234567890123"),
        ("plate", "粤B12345"),
    ]:
        once = mask_value(value, rule)
        assert mask_value(once, rule) == once, rule


def test_redact_masks_id_mobile_and_bank_numbers_in_free_text() -> None:
    text = (
        f"证件 {ID_WITH_X} / {ID_ALL_DIGITS}，旧证 110105491231002，"
        "手机13812345678，另一个 +86 139-1234-5678，"
        "卡号 6222021234567890123 和 6222 0212 3456 7890"
    )
    out = redact(text)
    for raw in (ID_WITH_X, ID_ALL_DIGITS, "110105491231002", "13812345678", "1234-5678"):
        assert raw not in out
    assert "6222021234567890123" not in out and "3456 7890" not in out
    assert "110***********002X" in out and "110***********0118" in out
    assert "138****5678" in out and "139****5678" in out
    assert "**** 0123" in out and "**** 7890" in out


def test_redact_leaves_other_numbers_alone() -> None:
    text = "受理编号 202405011230，耗时 1714550000123 ms，第 3 步，端口 8765，金额 12.50 元"
    assert redact(text) == text
    # a mobile number inside a longer run of digits is not a mobile number
    assert redact("序列号 9913812345678001") != "序列号 99138****5678001"


def test_structured_fields_are_masked_by_key() -> None:
    masked = mask_fields({"name": "张三丰", "mobile": "13812345678", "service": "SS-001", "n": 3})
    assert masked == {"name": "张*丰", "mobile": "138****5678", "service": "SS-001", "n": 3}
