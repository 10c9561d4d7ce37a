"""The form's checks and what its fields show, field by field."""

from __future__ import annotations

from datetime import date

from central.contract import FormField
from flows.form import check_field, field_views, submitted_form, validate
from flows.situations import field_value, situations_of

TODAY = date(2026, 11, 23)


def text(field: FormField, value) -> str | None:
    error = check_field(field, value, TODAY)
    return None if error is None else error.render()


def test_a_date_range_must_not_end_before_it_starts():
    period = FormField(key="period", label="查询期间", type="date_range", required=True)
    assert text(period, ("2026-01-01", "2026-06-30")) is None
    assert text(period, ("2026-06-30", "2026-01-01")) == "开始日期不能晚于结束日期"
    assert text(period, ("2026-02-30", "2026-03-01")).startswith("请按“年-月-日”")
    assert text(period, ()) == "请填写查询期间"


def test_numbers_dates_phones_and_choices():
    amount = FormField(key="amount", label="提取金额", type="number", required=True)
    assert text(amount, "1200.50") is None and text(amount, "12o0") == "请输入数字"
    mobile = FormField(key="mobile", label="手机号码", type="tel", required=True)
    assert text(mobile, "13912345678") is None
    assert text(mobile, "1391234567") == "请输入 11 位手机号码"
    slot = FormField(key="slot", label="预约时段", type="datetime", required=True)
    assert text(slot, "2026-12-01 09:30") is None and text(slot, "12/1 9:30") is not None
    purpose = FormField(key="purpose", label="用途", type="select", required=True,
                        options=["就业", "入学"])
    assert text(purpose, "就业") is None and text(purpose, "旅游") == "请从给出的选项中选择"
    assert text(purpose, "") == "请选择用途"
    kinds = FormField(key="kinds", label="险种", type="checkbox", required=True,
                      options=["养老", "医疗"])
    assert text(kinds, ("养老", "医疗")) is None and text(kinds, ("工伤",)) is not None


def test_an_optional_empty_field_passes_and_is_not_sent(seed_catalog):
    service = seed_catalog.service("SS-022")
    values = {"mobile": "13812345678", "delivery": "窗口领取", "mail_addr": "  "}
    assert validate(service, values, frozenset(), TODAY) == {}
    assert "mail_addr" not in submitted_form(service, values)


def test_locked_fields_show_masked_values(seed_catalog):
    service = seed_catalog.service("SS-026")
    views = {v.key: v for v in field_views(service, {"name": "欧阳娜娜",
                                                     "id_no": "11010519491231002X"},
                                           frozenset())}
    assert views["name"].value == "欧**娜" and views["name"].locked
    assert views["id_no"].value == "110***********002X"
    assert views["spouse_id_no"].input == "keypad" and not views["spouse_id_no"].locked


def test_one_of_three_material_becomes_a_situation_that_fills_the_form(seed_catalog):
    service = seed_catalog.service("SS-015")
    (situation,) = situations_of(service)
    assert situation.field == "basis"
    assert [o.answer for o in situation.options] == ["合法稳定就业证明", "合法稳定住所证明",
                                                     "连续就读证明"]
    assert field_value(situation, "连续就读证明", service) == "就读"


def test_services_without_a_choice_ask_no_situation(seed_catalog):
    asked = [s.id for s in seed_catalog.services if situations_of(s)]
    assert asked == ["SS-015"]
