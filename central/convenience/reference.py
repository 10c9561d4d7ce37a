"""企业信息 and 违章查询 as reference implementations: the platform's own JSON over HTTP to a
service that answers with SAMPLE data (`central.convenience.simulator`), so a hall sees the
tiles work end to end; a real deployment puts its provider's adapter (a 国家企业信用信息公示
系统 data vendor, the traffic police's 交管12123 interface) behind the same `look_up`.

    GET  {base}/sample/enterprise?keyword=…   → {"sample": true, "items": [{"name",
         "credit_code", "legal_rep", "status", "registered_on", "capital", "address"}]}
    POST {base}/sample/violations {"plate", "vin_tail"} → {"sample": true, "records":
         [{"time", "place", "act", "points", "fine_yuan", "handled"}]}

Answers are marked `sample` and the kiosk says so on screen. Personal data in them is masked
before it leaves the platform: the legal representative's name, the plate.
"""

from __future__ import annotations

import json

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from central.contract.convenience import InfoLine, LookupAnswer
from central.contract.masking import mask_name
from central.convenience.third_party import ThirdPartyFault, fetch, why_unreadable

ATTRIBUTION = "示例数据"
MAX_ITEMS = 5


class _Enterprise(BaseModel):
    model_config = ConfigDict(extra="ignore")
    name: str = Field(min_length=1, max_length=100)
    credit_code: str = Field(pattern=r"^[0-9A-Z]{18}$")
    legal_rep: str = Field(max_length=40)
    status: str = Field(max_length=20)
    registered_on: str = Field(max_length=20)
    capital: str = Field(max_length=40)
    address: str = Field(max_length=150)


class _Enterprises(BaseModel):
    model_config = ConfigDict(extra="ignore")
    sample: bool
    items: list[_Enterprise] = Field(max_length=50)


class _Violation(BaseModel):
    model_config = ConfigDict(extra="ignore")
    time: str = Field(max_length=20)
    place: str = Field(max_length=100)
    act: str = Field(max_length=100)
    points: int = Field(ge=0, le=12)
    fine_yuan: int = Field(ge=0, le=100_000)
    handled: bool


class _Violations(BaseModel):
    model_config = ConfigDict(extra="ignore")
    sample: bool
    records: list[_Violation] = Field(max_length=100)


def _parsed(model: type[BaseModel], body: bytes) -> BaseModel:
    try:
        return model.model_validate(json.loads(body))
    except (ValueError, ValidationError) as exc:
        why = why_unreadable(exc)
        raise ThirdPartyFault("nonsense", f"not a {model.__name__} answer ({why})") from None


def mask_plate(plate: str) -> str:
    """京A12345 → 京A1**45: the region and the last two, as halls print them."""
    return plate[:3] + "*" * (len(plate) - 5) + plate[-2:]


class SampleEnterprises:
    attribution = ATTRIBUTION

    def __init__(self, base_url: str) -> None:
        self._url = base_url.rstrip("/") + "/sample/enterprise"

    def look_up(self, tile_id: int, values: dict[str, str], timeout_s: float) -> LookupAnswer:
        body = fetch("GET", self._url, params={"keyword": values["keyword"]},
                     timeout_s=timeout_s)
        answer = _parsed(_Enterprises, body)
        assert isinstance(answer, _Enterprises)
        if not answer.items:
            return LookupAnswer(tile_id=tile_id, third_party="up", found=False,
                                summary="未查询到该企业，请核对名称或代码",
                                attribution=ATTRIBUTION, sample=answer.sample)
        rows: list[InfoLine] = []
        for item in answer.items[:MAX_ITEMS]:
            rows += [InfoLine(label="企业名称", value=item.name),
                     InfoLine(label="统一社会信用代码", value=item.credit_code),
                     InfoLine(label="法定代表人", value=mask_name(item.legal_rep)),
                     InfoLine(label="登记状态", value=item.status),
                     InfoLine(label="成立日期", value=item.registered_on),
                     InfoLine(label="注册资本", value=item.capital),
                     InfoLine(label="住所", value=item.address)]
        return LookupAnswer(tile_id=tile_id, third_party="up", found=True,
                            summary=f"查询到 {min(len(answer.items), MAX_ITEMS)} 家企业",
                            rows=rows, attribution=ATTRIBUTION, sample=answer.sample)


class SampleViolations:
    attribution = ATTRIBUTION

    def __init__(self, base_url: str) -> None:
        self._url = base_url.rstrip("/") + "/sample/violations"

    def look_up(self, tile_id: int, values: dict[str, str], timeout_s: float) -> LookupAnswer:
        body = fetch("POST", self._url, timeout_s=timeout_s,
                     json={"plate": values["plate"], "vin_tail": values["vin_tail"]})
        answer = _parsed(_Violations, body)
        assert isinstance(answer, _Violations)
        plate = mask_plate(values["plate"])
        open_ones = [r for r in answer.records if not r.handled]
        if not open_ones:
            return LookupAnswer(tile_id=tile_id, third_party="up", found=False,
                                summary=f"{plate} 没有未处理的违法记录",
                                attribution=ATTRIBUTION, sample=answer.sample)
        rows = [InfoLine(label=r.time[:16],
                         value=f"{r.place}，{r.act}，记 {r.points} 分，罚款 {r.fine_yuan} 元")
                for r in open_ones[:MAX_ITEMS * 2]]
        return LookupAnswer(tile_id=tile_id, third_party="up", found=True,
                            summary=f"{plate} 有 {len(open_ones)} 条未处理的违法记录",
                            rows=rows, attribution=ATTRIBUTION, sample=answer.sample)
