"""The service's form (申请表) as the person fills it: what each field shows, and the checks.

Fields come from the catalog (`Service.form_fields`). Values the card already gave are filled
in; fields the platform shares (not editable) are shown locked and masked, and a field that a
情形 answer decided is locked too. Checks: required, the ID number's check digit (GB 11643),
a mobile number 1[3-9] and nine digits, ISO dates (yyyy-mm-dd), a date range whose start is not
after its end, numbers, and choices among the field's options. An error is shown on its field
and the form asked again with every value kept.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime

from central.contract import FormField, Service
from common.i18n import Text, tr
from flows.steps import FieldInput, FieldView
from kiosk.id_number import check_id_number
from kiosk.pii import mask_name, mask_value

Value = str | tuple[str, ...]

_INPUTS: dict[str, FieldInput] = {
    "text": "text", "tel": "keypad", "number": "keypad", "date": "date", "datetime": "text",
    "date_range": "date_range", "radio": "radio", "select": "select", "checkbox": "checkbox",
    "image": "image",
}
_MOBILE = re.compile(r"1[3-9]\d{9}")
_NUMBER = re.compile(r"\d+(\.\d+)?")


def field_views(service: Service, values: Mapping[str, Value], locked: frozenset[str],
                errors: Mapping[str, Text] | None = None) -> tuple[FieldView, ...]:
    errors = errors or {}
    views = []
    for field in service.form_fields:
        is_locked = not field.editable or field.key in locked
        value = values.get(field.key, () if _is_multi(field) else "")
        if is_locked and isinstance(value, str):
            value = masked(field, value)
        views.append(FieldView(
            key=field.key, label=field.label, input=_input(field), required=field.required,
            locked=is_locked, options=tuple(field.options or ()), value=value,
            error=errors.get(field.key)))
    return tuple(views)


def masked(field: FormField, value: str) -> str:
    """What a screen may show of a value: by the catalog's rule; a name is always masked."""
    if field.key == "name" and field.mask == "none":
        return mask_name(value)
    return mask_value(value, field.mask)


def _input(field: FormField) -> FieldInput:
    if field.mask == "id_card" and field.type == "text":
        return "keypad"  # digits and X: the on-screen keypad, not the pinyin keyboard
    return _INPUTS[field.type]


def _is_multi(field: FormField) -> bool:
    return field.type in ("checkbox", "date_range")


def validate(service: Service, values: Mapping[str, Value], locked: frozenset[str],
             today: date) -> dict[str, Text]:
    """The errors by field key; empty when the form may go on."""
    errors: dict[str, Text] = {}
    for field in service.form_fields:
        if not field.editable or field.key in locked:
            continue  # shared or decided: not the person's to fix
        if (error := check_field(field, values.get(field.key, ""), today)) is not None:
            errors[field.key] = error
    return errors


def check_field(field: FormField, value: Value, today: date) -> Text | None:
    empty = not value or (isinstance(value, tuple) and not any(v.strip() for v in value)) or (
        isinstance(value, str) and not value.strip())
    if empty:
        if not field.required:
            return None
        if field.type in ("radio", "select", "checkbox"):
            return tr("请选择{label}", label=field.label)
        return tr("请填写{label}", label=field.label)
    if field.type == "checkbox":
        chosen = (value,) if isinstance(value, str) else value
        if field.options is not None and not set(chosen) <= set(field.options):
            return tr("请从给出的选项中选择")
        return None
    if field.type == "date_range":
        return _check_range(value)
    if not isinstance(value, str):
        return tr("{label}格式不正确", label=field.label)
    value = value.strip()
    if field.mask == "id_card":
        if not check_id_number(value, today).valid:
            return tr("公民身份号码有误，请核对后重新输入")
    elif field.type == "tel":
        if not _MOBILE.fullmatch(value):
            return tr("请输入 11 位手机号码")
    elif field.type == "number":
        if not _NUMBER.fullmatch(value):
            return tr("请输入数字")
    elif field.type == "date":
        if _date(value) is None:
            return tr("请按“年-月-日”输入日期，例如 2026-01-31")
    elif field.type == "datetime":
        if _datetime(value) is None:
            return tr("请按“年-月-日 时:分”输入，例如 2026-01-31 09:30")
    elif field.type in ("radio", "select") and field.options is not None \
            and value not in field.options:
        return tr("请从给出的选项中选择")
    return None


def _check_range(value: Value) -> Text | None:
    if isinstance(value, str) or len(value) != 2:
        return tr("请选择开始日期和结束日期")
    start, end = (_date(v.strip()) for v in value)
    if start is None or end is None:
        return tr("请按“年-月-日”输入日期，例如 2026-01-31")
    if start > end:
        return tr("开始日期不能晚于结束日期")
    return None


def _date(text: str) -> date | None:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _datetime(text: str) -> datetime | None:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", text):
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def submitted_form(service: Service, values: Mapping[str, Value]) -> dict[str, str | list[str]]:
    """The values as the platform takes them (a range or a checkbox as a list)."""
    form: dict[str, str | list[str]] = {}
    for field in service.form_fields:
        value = values.get(field.key)
        if isinstance(value, tuple) and any(v.strip() for v in value):
            form[field.key] = list(value)
        elif isinstance(value, str) and value.strip():
            form[field.key] = value.strip()
    return form
