"""The card's 256-byte text block, decoded into `IdCardData` (and built from one, for emulators).

The text is UCS-2 little-endian in fixed, space-padded fields. Which layout applies is told by
the card-type marker, the character at bytes 248–249:

- space (or nothing): 居民身份证, the resident ID card (GA 467 layout);
- "J": 港澳台居民居住证, the Hong Kong/Macao/Taiwan residence permit, which keeps the resident
  fields and puts its pass number and issue count into the resident card's reserved area;
- "I": 外国人永久居留身份证 (2017), the foreign permanent-resident card, with its own layout
  (English name 120 bytes first, nationality code instead of nation, no address);
- "Y": 外国人永久居留身份证 (2023), the new foreign permanent-resident card with an 18-digit
  number starting with 9. Its layout is recognised by the marker only: no public table of its
  fields was found, so it is named to the person (same sentence as the 2017 card) instead of
  being guessed at.

Source for the markers and the two non-resident layouts: the public 机读信息 tables of these
cards as reader vendors republish them ("外国人永久居留身份证芯片机读数据项": … 证件类型标识,
2 bytes, 大写字母"I"; the 港澳台居民居住证机读信息规范 structure: … 通行证号码 18, 签发次数 4,
预留 6, 证件类型标识 2, 预留 6). Both put the marker at the same offset, 248, which lies in the
resident card's 36-byte reserved field. Any other marker (a later card version) is reported as
an unsupported layout rather than guessed at.

The newest appended address (追加住址, 30 03) is UCS-2 text too, one 70-byte record per move;
`decode_appended_address` bounds it and keeps the latest record, which is the current address.

The foreign card is not decoded: `IdCardData` has no place for its English name or nationality,
and its 15-character number is not a citizen identity number. It raises `UnsupportedCardLayout`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from types import MappingProxyType

from devices.cards import IdCardData, IdCardType
from devices.idcard.errors import CardTextError, UnsupportedCardLayout

TEXT_SIZE = 256
PHOTO_SIZE = 1024
MARKER_OFFSET = 248
LONG_TERM = "长期"

# GB/T 2261.1-2003 人的性别代码
SEX_BY_CODE = MappingProxyType({"0": "未知的性别", "1": "男", "2": "女", "9": "未说明的性别"})

# GB/T 3304-1991 中国各民族名称的罗马字母拼写法和代码; the card prints the name without 族
NATION_BY_CODE = MappingProxyType({
    "01": "汉", "02": "蒙古", "03": "回", "04": "藏", "05": "维吾尔", "06": "苗", "07": "彝",
    "08": "壮", "09": "布依", "10": "朝鲜", "11": "满", "12": "侗", "13": "瑶", "14": "白",
    "15": "土家", "16": "哈尼", "17": "哈萨克", "18": "傣", "19": "黎", "20": "傈僳", "21": "佤",
    "22": "畲", "23": "高山", "24": "拉祜", "25": "水", "26": "东乡", "27": "纳西", "28": "景颇",
    "29": "柯尔克孜", "30": "土", "31": "达斡尔", "32": "仫佬", "33": "羌", "34": "布朗",
    "35": "撒拉", "36": "毛南", "37": "仡佬", "38": "锡伯", "39": "阿昌", "40": "普米",
    "41": "塔吉克", "42": "怒", "43": "乌孜别克", "44": "俄罗斯", "45": "鄂温克", "46": "德昂",
    "47": "保安", "48": "裕固", "49": "京", "50": "塔塔尔", "51": "独龙", "52": "鄂伦春",
    "53": "赫哲", "54": "门巴", "55": "珞巴", "56": "基诺",
    "97": "其他", "98": "外国血统中国籍人士",
})

_CODE_BY_SEX = {text: code for code, text in SEX_BY_CODE.items()}
_CODE_BY_NATION = {text: code for code, text in NATION_BY_CODE.items()}


@dataclass(frozen=True)
class Field:
    name: str
    size: int  # bytes, two per character


# GA 467: the resident ID card
RESIDENT_LAYOUT = (
    Field("name", 30), Field("sex", 2), Field("nation", 4), Field("birth_date", 16),
    Field("address", 70), Field("id_number", 36), Field("issuing_authority", 30),
    Field("valid_from", 16), Field("valid_to", 16), Field("reserved", 36),
)
# 港澳台居民居住证: the resident fields, nation left blank, the reserved area split up
HMT_LAYOUT = (
    Field("name", 30), Field("sex", 2), Field("reserved_1", 4), Field("birth_date", 16),
    Field("address", 70), Field("id_number", 36), Field("issuing_authority", 30),
    Field("valid_from", 16), Field("valid_to", 16), Field("pass_number", 18),
    Field("issue_count", 4), Field("reserved_2", 6), Field("card_type", 2), Field("reserved_3", 6),
)
# 外国人永久居留身份证 (2017): recognised by its marker, not decoded
FOREIGN_LAYOUT = (
    Field("english_name", 120), Field("sex", 2), Field("permit_number", 30),
    Field("nationality", 6), Field("chinese_name", 30), Field("valid_from", 16),
    Field("valid_to", 16), Field("birth_date", 16), Field("version", 4),
    Field("authority_code", 8), Field("card_type", 2), Field("reserved", 6),
)
assert all(sum(f.size for f in layout) == TEXT_SIZE
           for layout in (RESIDENT_LAYOUT, HMT_LAYOUT, FOREIGN_LAYOUT))

HMT_MARKER = "J"
FOREIGN_MARKER = "I"
FOREIGN_2023_MARKER = "Y"
FOREIGN_MARKERS = frozenset({FOREIGN_MARKER, FOREIGN_2023_MARKER})
ADDRESS_RECORD_SIZE = 70  # bytes: one appended address, as long as the card's own address field
MAX_APPENDED_RECORDS = 4


# -- decoding ------------------------------------------------------------------------------------


def split_read_data(data: bytes) -> tuple[bytes, bytes]:
    """The data of a 30 01 answer: text length (2), photo length (2), text, photo."""
    if len(data) < 4:
        raise CardTextError(f"read answer too short: {len(data)} bytes")
    text_size = int.from_bytes(data[0:2], "big")
    photo_size = int.from_bytes(data[2:4], "big")
    if text_size != TEXT_SIZE:
        raise CardTextError(f"text length {text_size}, expected {TEXT_SIZE}")
    if len(data) != 4 + text_size + photo_size:
        raise CardTextError(
            f"read answer holds {len(data)} bytes; lengths say {4 + text_size + photo_size}")
    return data[4:4 + text_size], data[4 + text_size:]


def card_type_marker(text: bytes) -> str:
    """The marker character; "" for the resident card's blank."""
    if len(text) != TEXT_SIZE:
        raise CardTextError(f"text block of {len(text)} bytes, expected {TEXT_SIZE}")
    return _text(text[MARKER_OFFSET:MARKER_OFFSET + 2], "card_type")


def decode_card(text: bytes, photo: bytes) -> IdCardData:
    """Decode a card's text block and keep its photo (WLT) as it is."""
    marker = card_type_marker(text)
    if marker == "":
        fields = _split(text, RESIDENT_LAYOUT)
        return _card("resident", fields, nation=_nation(fields["nation"]), photo=photo)
    if marker == HMT_MARKER:
        fields = _split(text, HMT_LAYOUT)
        return _card("hmt_residence", fields, nation="", photo=photo)
    if marker == FOREIGN_MARKER:
        raise UnsupportedCardLayout(
            "foreign permanent-resident card (marker I): its layout is not decoded", marker)
    if marker == FOREIGN_2023_MARKER:
        raise UnsupportedCardLayout(
            "foreign permanent-resident card, 2023 edition (marker Y): its layout is not decoded",
            marker)
    raise UnsupportedCardLayout(f"unknown card-type marker U+{ord(marker[0]):04X}", marker)


def decode_read_answer(data: bytes) -> IdCardData:
    return decode_card(*split_read_data(data))


def decode_appended_address(data: bytes) -> str:
    """The newest address of a 30 03 answer ("" when the card holds none).

    Records are 70 bytes each; the last one that is not blank is the newest move."""
    if len(data) > ADDRESS_RECORD_SIZE * MAX_APPENDED_RECORDS or len(data) % 2:
        raise CardTextError(f"appended address of {len(data)} bytes")
    records = [_text(data[offset:offset + ADDRESS_RECORD_SIZE], "appended_address")
               for offset in range(0, len(data), ADDRESS_RECORD_SIZE)]
    return next((record for record in reversed(records) if record), "")


def with_current_address(card: IdCardData, appended: str) -> IdCardData:
    """The card as the person lives now: an appended address replaces the printed one, which
    is kept as `printed_address`."""
    if not appended or appended == card.address:
        return card
    return replace(card, address=appended, printed_address=card.address)


def _split(text: bytes, layout: tuple[Field, ...]) -> dict[str, str]:
    fields: dict[str, str] = {}
    offset = 0
    for item in layout:
        fields[item.name] = _text(text[offset:offset + item.size], item.name)
        offset += item.size
    return fields


def _text(raw: bytes, name: str) -> str:
    try:
        value = raw.decode("utf-16-le")
    except UnicodeDecodeError:
        raise CardTextError(f"{name}: not UCS-2 text") from None
    return value.rstrip(" \x00")


def _card(card_type: IdCardType, fields: dict[str, str], *, nation: str,
          photo: bytes) -> IdCardData:
    for required in ("name", "id_number"):
        if not fields[required]:
            raise CardTextError(f"{required}: empty")
    return IdCardData(
        card_type=card_type,
        name=fields["name"],
        sex=_sex(fields["sex"]),
        nation=nation,
        birth_date=_date(fields["birth_date"], "birth_date"),
        address=fields["address"],
        id_number=fields["id_number"],
        issuing_authority=fields["issuing_authority"],
        valid_from=_date(fields["valid_from"], "valid_from"),
        valid_to=None if fields["valid_to"] == LONG_TERM else _date(fields["valid_to"], "valid_to"),
        photo_wlt=bytes(photo),
    )


def _sex(code: str) -> str:
    try:
        return SEX_BY_CODE[code]
    except KeyError:
        raise CardTextError("sex: not a GB/T 2261.1 code") from None


def _nation(code: str) -> str:
    try:
        return NATION_BY_CODE[code]
    except KeyError:
        raise CardTextError("nation: not a GB/T 3304 code") from None


def _date(value: str, name: str) -> date:
    # the value itself stays out of the message: a birth date is personal data
    if len(value) != 8 or not value.isascii() or not value.isdigit():
        raise CardTextError(f"{name}: not a YYYYMMDD date")
    try:
        return date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        raise CardTextError(f"{name}: not a calendar date") from None


# -- encoding (emulators and tests write the card they expect to read) -------------------------


def encode_card_text(card: IdCardData, *, pass_number: str = "", issue_count: str = "") -> bytes:
    """The 256-byte text block of a resident card or an HMT residence permit."""
    common = {
        "name": card.name,
        "sex": _CODE_BY_SEX[card.sex],
        "birth_date": card.birth_date.strftime("%Y%m%d"),
        "address": card.address,
        "id_number": card.id_number,
        "issuing_authority": card.issuing_authority,
        "valid_from": card.valid_from.strftime("%Y%m%d"),
        "valid_to": LONG_TERM if card.valid_to is None else card.valid_to.strftime("%Y%m%d"),
    }
    if card.card_type == "resident":
        return join_fields({**common, "nation": _CODE_BY_NATION[card.nation]}, RESIDENT_LAYOUT)
    if card.card_type == "hmt_residence":
        return join_fields({**common, "pass_number": pass_number, "issue_count": issue_count,
                            "card_type": HMT_MARKER}, HMT_LAYOUT)
    raise ValueError(f"no layout to encode a {card.card_type} card from IdCardData")


def join_fields(values: dict[str, str], layout: tuple[Field, ...]) -> bytes:
    """Fields into a text block; missing fields are blank, too-long values are an error."""
    unknown = set(values) - {item.name for item in layout}
    if unknown:
        raise ValueError(f"fields not in the layout: {sorted(unknown)}")
    out = bytearray()
    for item in layout:
        raw = values.get(item.name, "").encode("utf-16-le")
        if len(raw) > item.size:
            raise ValueError(f"{item.name}: {len(raw)} bytes do not fit in {item.size}")
        out += raw + " ".encode("utf-16-le") * ((item.size - len(raw)) // 2)
    return bytes(out)


def encode_appended_addresses(addresses: list[str]) -> bytes:
    """The data of a 30 03 answer holding `addresses`, oldest first (emulators and tests)."""
    return b"".join(join_fields({"address": address}, (Field("address", ADDRESS_RECORD_SIZE),))
                    for address in addresses)


def encode_read_data(text: bytes, photo: bytes) -> bytes:
    """The data of a 30 01 answer."""
    return len(text).to_bytes(2, "big") + len(photo).to_bytes(2, "big") + text + photo
