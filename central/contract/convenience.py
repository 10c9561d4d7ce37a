"""便民服务 tiles between a terminal and the platform (`central.convenience`).

    GET  /api/v1/convenience/tiles                  the tiles of this terminal's hall
    GET  /api/v1/convenience/tiles/{id}/feed        a feed tile's data, cached by the platform
    POST /api/v1/convenience/tiles/{id}/lookup      a lookup tile's query (`LookupQuery`)
    GET  /api/v1/convenience/tiles/{id}/document    a print tile's document: a PDF, bounded

A tile is one of four kinds (GB/T 40756 §9.8.5.6 lists 天气预报、企业信息、快递信息、违章查询 …):

- `feed`: data the platform pulls from a third party and caches (weather, hall notices,
  policy news), shown with its age;
- `lookup`: a query the platform puts to a third party behind an adapter (违章, 快递, 企业信息);
- `deeplink`: a QR code to the official mobile service for what the kiosk does not do;
- `print`: a document the hall publishes, printed in colour.

Each carries `away_text`: what the kiosk shows when the platform or the third party is away.
A third party that is down, slow or answering nonsense is not an HTTP error of the platform:
the answer says so (`ThirdParty`), so a terminal never retries a slow third party by itself.
The lookup fields and their checks (a plate, an express number, a credit code with its GB 32100
check digit) are here, so the kiosk checks the input as the platform does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import AwareDatetime, Field, StringConstraints, model_validator

from central.contract import ContractModel

TileKind = Literal["feed", "lookup", "deeplink", "print"]
TILE_KINDS: tuple[TileKind, ...] = ("feed", "lookup", "deeplink", "print")
# weather: a QWeather-style weather API; news: an RSS 2.0 feed (hall notices, policy news)
FeedSource = Literal["weather", "news"]
LookupSource = Literal["violation", "express", "enterprise"]
FEED_SOURCES: tuple[FeedSource, ...] = ("weather", "news")
LOOKUP_SOURCES: tuple[LookupSource, ...] = ("violation", "express", "enterprise")
# how the third party answered the last time it was asked
ThirdParty = Literal["up", "slow", "down", "nonsense"]

MAX_TILES = 24
MAX_LINES = 30
MAX_DOCUMENT_TEXT = 4000
MAX_DOCUMENT_BYTES = 2 * 1024 * 1024  # a hall's one- or two-page notice is ~50 kB
TITLE_MAX = 12  # a tile's title fits a large button
HTTPS_URL = r"^https://[A-Za-z0-9.-]{1,100}(:\d{1,5})?(/[!-~]*)?$"  # printable ASCII only

Short = Annotated[str, StringConstraints(max_length=40)]
Line = Annotated[str, StringConstraints(max_length=200)]


class Tile(ContractModel):
    """A tile as the hall's manager set it up; what each kind needs is checked here."""

    tile_id: int = Field(ge=1, le=2**31)
    kind: TileKind
    title: str = Field(min_length=1, max_length=TITLE_MAX)
    source: FeedSource | LookupSource | None = None  # feed and lookup tiles
    # weather: the place (a QWeather location id or "lon,lat"); news: the feed's address
    place: str = Field(default="", max_length=300)
    url: str | None = Field(default=None, max_length=300, pattern=HTTPS_URL)  # deeplink
    document_title: str = Field(default="", max_length=40)  # print
    document_text: str = Field(default="", max_length=MAX_DOCUMENT_TEXT)  # print
    away_text: str = Field(default="", max_length=100)  # shown when it cannot be had
    updated_at: AwareDatetime  # a print tile's document is fetched again when it changes

    @model_validator(mode="after")
    def _complete(self) -> Tile:
        if self.kind == "feed" and self.source not in FEED_SOURCES:
            raise ValueError("a feed tile needs a feed source")
        if self.kind == "lookup" and self.source not in LOOKUP_SOURCES:
            raise ValueError("a lookup tile needs a lookup source")
        if self.kind == "deeplink" and self.url is None:
            raise ValueError("a deeplink tile needs an https address")
        if self.kind == "print" and not self.document_text.strip():
            raise ValueError("a print tile needs its document's text")
        return self


class HallTiles(ContractModel):
    tiles: list[Tile] = Field(max_length=MAX_TILES)


class InfoLine(ContractModel):
    label: Short
    value: Line


class FeedAnswer(ContractModel):
    """A feed tile's data: the platform's last good copy and when the third party gave it."""

    tile_id: int = Field(ge=1, le=2**31)
    lines: list[InfoLine] = Field(max_length=MAX_LINES)
    fetched_at: AwareDatetime | None  # None: the third party never answered yet
    third_party: ThirdParty  # how it answered just now (the lines may be older)
    attribution: Short  # whose data (和风天气 …), as their terms ask
    sample: bool = False  # sample data of the reference platform, not a real service's


class LookupQuery(ContractModel):
    """What the person typed or chose, by field key (`LOOKUP_FIELDS`)."""

    values: dict[Annotated[str, StringConstraints(pattern=r"^[a-z_]{1,20}$")],
                 Annotated[str, StringConstraints(max_length=60)]] = Field(max_length=4)


class LookupAnswer(ContractModel):
    tile_id: int = Field(ge=1, le=2**31)
    third_party: ThirdParty
    found: bool = False
    summary: Line = ""  # 共 2 条未处理的违章记录; empty when the third party did not answer
    rows: list[InfoLine] = Field(default=[], max_length=MAX_LINES)
    attribution: Short = ""
    sample: bool = False


# -- the lookups' fields ------------------------------------------------------------------

InputKind = Literal["plate", "keypad", "text", "choice"]
PLATE = re.compile(r"^[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼]"
                   r"[A-HJ-NP-Z][A-HJ-NP-Z0-9]{4,5}[A-HJ-NP-Z0-9挂学警港澳]$")
# express companies 快递100 knows by these codes (its 快递公司编码 list)
EXPRESS_COMPANIES: dict[str, str] = {
    "zhongtong": "中通快递", "yuantong": "圆通速递", "yunda": "韵达快递",
    "shentong": "申通快递", "ems": "EMS", "jd": "京东物流"}
CREDIT_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100-2015: no I, O, Z, S, V
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_ok(code: str) -> bool:
    """统一社会信用代码: 18 characters whose last is the check digit of GB 32100-2015 §4.2."""
    if len(code) != 18 or any(c not in CREDIT_CODE_CHARS for c in code):
        return False
    total = sum(CREDIT_CODE_CHARS.index(c) * w
                for c, w in zip(code[:17], CREDIT_CODE_WEIGHTS, strict=True))
    return CREDIT_CODE_CHARS[(31 - total % 31) % 31] == code[17]


def plate_ok(plate: str) -> bool:
    """A mainland plate: 京A12345 (7 characters) or a new-energy 京AD12345 (8)."""
    return PLATE.match(plate) is not None


@dataclass(frozen=True)
class LookupField:
    """A field the person fills in (the kiosk words and translates its label)."""

    key: str
    input: InputKind
    choices: tuple[tuple[str, str], ...] = ()  # (value, label) of a choice


def _enterprise_ok(value: str) -> bool:
    if re.fullmatch(r"[0-9A-Z]{18}", value):
        return credit_code_ok(value)
    return 2 <= len(value) <= 50 and not any(c in "<>\"'&;" for c in value)


_CHECKS = {
    ("violation", "plate"): plate_ok,
    ("violation", "vin_tail"): lambda v: re.fullmatch(r"[0-9A-HJ-NPR-Z]{6}", v) is not None,
    ("express", "company"): lambda v: v in EXPRESS_COMPANIES,
    ("express", "number"): lambda v: re.fullmatch(r"[0-9A-Z]{8,30}", v) is not None,
    ("enterprise", "keyword"): _enterprise_ok,
}

LOOKUP_FIELDS: dict[LookupSource, tuple[LookupField, ...]] = {
    "violation": (LookupField("plate", "plate"), LookupField("vin_tail", "text")),
    "express": (LookupField("company", "choice", tuple(EXPRESS_COMPANIES.items())),
                LookupField("number", "text")),
    "enterprise": (LookupField("keyword", "text"),),  # a name, or a credit code
}


def field_ok(source: LookupSource, key: str, value: str) -> bool:
    check = _CHECKS.get((source, key))
    return check is not None and check(value)


def query_ok(source: LookupSource, query: LookupQuery) -> bool:
    """Every field of the lookup given, each passing its check, nothing else."""
    keys = {f.key for f in LOOKUP_FIELDS[source]}
    return set(query.values) == keys and all(field_ok(source, k, v)
                                             for k, v in query.values.items())
