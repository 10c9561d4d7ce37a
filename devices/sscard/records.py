"""What each record of EF05 and EF06 holds and how its bytes become `SsCardData` fields.

The layout is data, one row per record: the record number (= its tag), the `SsCardData` field,
the length a card normally gives it and how it is coded. The reader decodes with it; the
emulator encodes with it, so both sides agree by construction.

Coding, as social-security cards write it:
- text: ASCII, padded at the end with 00, FF or spaces; a value that is not printable ASCII
  (some issuers write binary) is kept as upper-case hex rather than guessed at;
- hex: binary shown as upper-case hex (the 16-byte card identifier);
- gbk: the holder's name in GBK, padded like text;
- BCD dates (YYYYMMDD) and the birthplace's 6-digit region code;
- sex: one code digit (GB/T 2261.1), as an ASCII digit or a binary value;
- nation: the two-digit code of GB 3304, one BCD byte (or two ASCII digits).
Sex and nation become the same text the ID card gives (男, 汉 …); an unknown code stays a code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import Enum

from devices.cards import SsCardData
from devices.sscard.errors import BcdError, CardDataError
from devices.sscard.tlv import bcd_digits, decode_bcd_date, encode_bcd_date, encode_bcd_digits

PAD = b"\x00\xff "


class Coding(Enum):
    TEXT = "text"
    HEX = "hex"
    GBK = "gbk"
    BCD_DATE = "bcd_date"
    REGION = "region"
    SEX = "sex"
    NATION = "nation"


@dataclass(frozen=True)
class Field:
    tag: int  # also the record number
    name: str  # the SsCardData attribute
    length: int  # the value length cards normally give it
    coding: Coding


EF05_FIELDS = (
    Field(0x01, "card_identifier", 16, Coding.HEX),
    Field(0x02, "card_type", 1, Coding.TEXT),
    Field(0x03, "spec_version", 4, Coding.TEXT),
    Field(0x04, "issuing_institution", 12, Coding.TEXT),
    Field(0x05, "issue_date", 4, Coding.BCD_DATE),
    Field(0x06, "expiry_date", 4, Coding.BCD_DATE),
    Field(0x07, "card_number", 9, Coding.TEXT),
)
EF06_FIELDS = (
    Field(0x08, "ss_number", 18, Coding.TEXT),
    Field(0x09, "name", 30, Coding.GBK),
    Field(0x0A, "sex", 1, Coding.SEX),
    Field(0x0B, "nation", 1, Coding.NATION),
    Field(0x0C, "birthplace", 3, Coding.REGION),
    Field(0x0D, "birth_date", 4, Coding.BCD_DATE),
)

SEXES = {0: "未知的性别", 1: "男", 2: "女", 9: "未说明的性别"}  # GB/T 2261.1

NATIONS = dict(enumerate((  # GB 3304, codes 01..56
    "汉", "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗", "瑶", "白",
    "土家", "哈尼", "哈萨克", "傣", "黎", "傈僳", "佤", "畲", "高山", "拉祜", "水", "东乡", "纳西",
    "景颇", "柯尔克孜", "土", "达斡尔", "仫佬", "羌", "布朗", "撒拉", "毛南", "仡佬", "锡伯",
    "阿昌", "普米", "塔吉克", "怒", "乌孜别克", "俄罗斯", "鄂温克", "德昂", "保安", "裕固", "京",
    "塔塔尔",
    "独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺"), start=1)) | {97: "其他", 98: "外国血统"}


def _text(raw: bytes) -> str:
    value = raw.rstrip(PAD)
    if all(0x20 <= b < 0x7F for b in value):
        return value.decode("ascii")
    return value.hex().upper()


def _gbk(raw: bytes, field: Field) -> str:
    try:
        return raw.rstrip(PAD).decode("gbk").rstrip("\u3000")
    except UnicodeDecodeError:
        # `from None`: the exception would carry the bytes of the name into a traceback
        raise CardDataError(f"record {field.tag:02X}: {len(raw)} bytes that are not GBK") from None


def _code_digit(raw: bytes, field: Field) -> int:
    if len(raw) != 1:
        raise CardDataError(f"record {field.tag:02X}: {len(raw)} bytes, expected 1")
    return raw[0] - 0x30 if 0x30 <= raw[0] <= 0x39 else raw[0]


def _nation(raw: bytes, field: Field) -> str:
    value = raw.rstrip(PAD) if len(raw) > 1 else raw
    if len(value) == 2 and value.isascii() and value.isdigit():
        code = int(value)
    elif len(value) == 1:
        try:
            code = int(bcd_digits(value))
        except BcdError:
            code = value[0]
    else:
        raise CardDataError(f"record {field.tag:02X}: {len(raw)} bytes, expected 1 or 2")
    return NATIONS.get(code, f"{code:02d}")


def decode_field(field: Field, raw: bytes) -> str | date | None:
    """The value of one record; raises `CardDataError` (or its `BcdError`) when malformed."""
    match field.coding:
        case Coding.TEXT:
            return _text(raw)
        case Coding.HEX:
            return raw.hex().upper()
        case Coding.GBK:
            return _gbk(raw, field)
        case Coding.BCD_DATE:
            return decode_bcd_date(raw)
        case Coding.REGION:
            return bcd_digits(raw.rstrip(b"\xff"))
        case Coding.SEX:
            code = _code_digit(raw, field)
            return SEXES.get(code, str(code))
        case Coding.NATION:
            return _nation(raw, field)


def decode_card(values: Mapping[int, bytes]) -> SsCardData:
    """`SsCardData` from the values of all EF05 and EF06 records, by tag."""
    fields = {}
    for field in (*EF05_FIELDS, *EF06_FIELDS):
        if field.tag not in values:
            raise CardDataError(f"record {field.tag:02X} missing")
        fields[field.name] = decode_field(field, values[field.tag])
    return SsCardData(**fields)


def encode_field(field: Field, value: str | date | None, pad: bool = True) -> bytes:
    """The bytes a card holds for `value`; with `pad`, text is padded to the usual length."""
    match field.coding:
        case Coding.TEXT:
            raw = str(value).encode("ascii")
        case Coding.HEX:
            raw = bytes.fromhex(str(value))
        case Coding.GBK:
            raw = str(value).encode("gbk")
        case Coding.BCD_DATE:
            raw = encode_bcd_date(value if isinstance(value, date) else None)
        case Coding.REGION:
            raw = encode_bcd_digits(str(value))
        case Coding.SEX:
            codes = {text: code for code, text in SEXES.items()}
            raw = str(codes.get(str(value), value)).encode("ascii")
        case Coding.NATION:
            codes = {text: code for code, text in NATIONS.items()}
            nation = codes.get(str(value))  # a name; else the code itself, "01".."56"
            raw = encode_bcd_digits(f"{nation if nation is not None else int(str(value)):02d}")
    if pad and len(raw) < field.length:
        raw += b"\x00" * (field.length - len(raw))
    return raw


def encode_card(card: SsCardData, pad: bool = True) -> dict[int, bytes]:
    """The value of every record for `card`, by tag (what the emulator puts on its card)."""
    fields = (*EF05_FIELDS, *EF06_FIELDS)
    return {f.tag: encode_field(f, getattr(card, f.name), pad) for f in fields}
