"""Masking of citizens' personal data for the screen and for logs.

Two tools:

- `mask_*` functions (and `mask_value` for a contract `MaskRule`) turn one known value into
  its masked form: 张三丰 → 张*丰, 110***********123X, 138****5678, 北京市朝阳区***, **** 1234,
  粤B***45. They are idempotent, so masking twice does no harm.
- `redact(text)` finds what a regex can find in free text — ID numbers (18 characters, and the
  old 15-digit ones), mobile numbers and bank card numbers — and masks it. Names and addresses
  cannot be found that way.

So names and addresses must reach a log only under a known key, and the log filter masks the
value by that key (`PII_FIELDS`):

    log.info("受理 %(service)s，申请人 %(name)s", {"service": sid, "name": person.name})
    log.info("读卡成功", extra={"person_name": person.name, "id_number": person.id_number})

`name` itself cannot be an `extra` key (LogRecord already has `name`, the logger's), hence
`person_name` there. Never put a name or an address into an exception message or an f-string.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

from central.contract import MaskRule
from central.contract.id_number import has_valid_check_character
from central.contract.masking import mask_id_number, mask_name

# -- one value ------------------------------------------------------------------------------
# names and ID numbers are masked as the platform masks them (`central.contract.masking`)


_COUNTRY_PREFIX = re.compile(r"^(?:\+|00)?86[ -]?(?=1\d{10}$)")


def mask_mobile(number: str) -> str:
    """Keep the first 3 and the last 4: 13812345678 → 138****5678 (+86 and separators dropped)."""
    compact = re.sub(r"[\s-]", "", number)
    compact = _COUNTRY_PREFIX.sub("", compact)
    if len(compact) < 8:
        return "*" * len(compact)
    return compact[:3] + "*" * (len(compact) - 7) + compact[-4:]


def mask_bank_card(number: str) -> str:
    """Only the last 4 digits: **** 1234."""
    digits = re.sub(r"\D", "", number)
    return "**** " + digits[-4:] if len(digits) >= 4 else "****"


def mask_plate(plate: str) -> str:
    """Keep the province, the city letter and the last 2: 粤B12345 → 粤B***45."""
    compact = re.sub(r"[\s·•.-]", "", plate)
    if len(compact) < 5:
        return compact[:1] + "*" * max(0, len(compact) - 1)
    return compact[:2] + "*" * (len(compact) - 4) + compact[-2:]


# A place-name component: letters, but no admin suffix and nothing that belongs to a street
# address (镇 乡 街 路 号 …). A few real names (镇江市, 路桥区) then fall back to a shorter
# prefix — hiding too much is the safe way to be wrong.
_C = r"[^\W\d_省市区县旗盟镇乡街路道巷弄号村栋楼室幢]"
_ADDRESS_PREFIX = re.compile(
    rf"""
    (?:北京市|天津市|上海市|重庆市|内蒙古自治区|广西壮族自治区|西藏自治区|宁夏回族自治区
       |新疆维吾尔自治区|香港特别行政区|澳门特别行政区|{_C}{{2,3}}省)?   # province level
    (?:{_C}{{1,10}}?(?:自治州|地区|市|盟))?                             # prefecture level
    (?:{_C}{{1,10}}?(?<![小园社校厂景营])(?:区|县|市|旗))?              # district / county
    """,
    re.VERBOSE,
)


def mask_address(address: str) -> str:
    """Keep only up to the district or county: 北京市朝阳区建国路88号 → 北京市朝阳区***."""
    address = "".join(address.split())
    match = _ADDRESS_PREFIX.match(address)
    return (match.group(0) if match else "") + "***"


def mask_value(value: str, rule: MaskRule) -> str:
    """Mask `value` by a form field's `mask` rule from the platform's catalog."""
    match rule:
        case "name":
            return mask_name(value)
        case "id_card":
            return mask_id_number(value)
        case "mobile":
            return mask_mobile(value)
        case "address":
            return mask_address(value)
        case "plate":
            return mask_plate(value)
        case "bank":
            return mask_bank_card(value)
        case _:
            return value


# -- structured values -----------------------------------------------------------------------

# Keys whose values are personal data wherever they appear in a log call (args dict or extra).
PII_FIELDS: Mapping[str, MaskRule] = MappingProxyType(
    {
        "name": "name",  # args dicts only: as an `extra` key it is the logger's name
        "person_name": "name",
        "citizen_name": "name",
        "applicant_name": "name",
        "full_name": "name",
        "姓名": "name",
        "id_number": "id_card",
        "id_card": "id_card",
        "id_no": "id_card",
        "身份证号": "id_card",
        "mobile": "mobile",
        "phone": "mobile",
        "tel": "mobile",
        "手机号": "mobile",
        "联系电话": "mobile",
        "address": "address",
        "地址": "address",
        "住址": "address",
        "bank_card": "bank",
        "bank_account": "bank",
        "银行卡号": "bank",
        "plate": "plate",
        "plate_no": "plate",
        "车牌号": "plate",
    }
)


def mask_fields(values: Mapping[str, object]) -> dict[str, object]:
    """A copy of `values` with every value under a `PII_FIELDS` key masked (as text)."""
    return {
        key: mask_value(str(value), PII_FIELDS[key])
        if key in PII_FIELDS and value is not None
        else value
        for key, value in values.items()
    }


# -- free text ---------------------------------------------------------------------------------

# grouped forms first: 6222 0212 3456 7890 123, +86 138-1234-5678
_BANK_GROUPED = re.compile(r"(?<!\d)\d{4}(?:[ -]\d{4}){3}(?:[ -]?\d{1,3})?(?!\d)")
_MOBILE_GROUPED = re.compile(r"(?<!\d)(?:(?:\+|00)?86[ -]?)?1[3-9]\d[ -]\d{4}[ -]\d{4}(?!\d)")
_ID_WITH_X = re.compile(r"(?<!\d)\d{17}[Xx](?!\d)")
_DIGIT_RUN = re.compile(r"(?<!\d)\d{11,19}(?!\d)")
_MOBILE = re.compile(r"(?:86)?1[3-9]\d{9}")


def _mask_digit_run(match: re.Match[str]) -> str:
    run = match.group(0)
    if _MOBILE.fullmatch(run):
        return run[:-11] + mask_mobile(run[-11:])  # keeps a leading 86 as it was
    # an 18-digit run whose check digit is right is an ID number, else it may be a bank card
    if len(run) == 15 or has_valid_check_character(run):
        return mask_id_number(run)
    if len(run) >= 16:
        return mask_bank_card(run)
    return run  # 12–14 digits: order numbers, timestamps; nothing personal we can tell


def redact(text: str) -> str:
    """Mask ID numbers, mobile numbers and bank card numbers found in free text."""
    text = _BANK_GROUPED.sub(lambda m: mask_bank_card(m.group(0)), text)
    text = _MOBILE_GROUPED.sub(lambda m: mask_mobile(m.group(0)), text)
    text = _ID_WITH_X.sub(lambda m: mask_id_number(m.group(0)), text)
    return _DIGIT_RUN.sub(_mask_digit_run, text)
