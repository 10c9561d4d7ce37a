"""快递信息 from 快递100's real-time query API (实时快递查询接口).

As 快递100's own PHP demo sends it (https://github.com/kuaidi100-api/php-demo,
src/synquery.php; API document https://api.kuaidi100.com/document/5f0ffb5ebc8da837cbd8aefc):
a form POST to https://poll.kuaidi100.com/poll/query.do with `customer`, `param` (JSON:
`com` the company's code such as yunda, `num` the waybill number, `phone`, `resultv2`,
`order`) and `sign` = upper-case MD5 of param + key + customer. The answer is JSON:

    {"message": "ok", "nu": "…", "ischeck": "1", "com": "yuantong", "status": "200",
     "state": "3", "condition": "F00",
     "data": [{"time": "2024-05-01 10:00:00", "ftime": "…", "context": "已签收 …"}, …]}

or a refusal: {"result": false, "returnCode": "500", "message": "查询无结果，请隔段时间再查"}
(400 missing data, 408 phone check failed, 500 nothing found, 501 server error, 502 busy,
503 bad sign, 601 key expired). `state` says where the parcel is (0 在途, 1 揽收, 2 疑难,
3 签收, 4 退签, 5 派件, 6 退回, 7 转投, 8 清关, 14 拒签).
"""

from __future__ import annotations

import hashlib
import json

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from central.contract.convenience import EXPRESS_COMPANIES, MAX_LINES, InfoLine, LookupAnswer
from central.convenience.third_party import ThirdPartyFault, fetch, why_unreadable

ATTRIBUTION = "快递100"
STATES = {"0": "运输中", "1": "已揽收", "2": "疑难件，请联系快递公司", "3": "已签收",
          "4": "已退签", "5": "派件中", "6": "退回中", "7": "转投中", "8": "清关中",
          "14": "已拒签"}
NOTHING_FOUND = "500"


class _Trace(BaseModel):
    model_config = ConfigDict(extra="ignore")
    time: str = Field(max_length=30)
    context: str = Field(max_length=500)


class _Answer(BaseModel):
    model_config = ConfigDict(extra="ignore")
    result: bool | None = None
    returnCode: str | None = Field(default=None, max_length=8)
    status: str | None = Field(default=None, max_length=8)
    state: str | None = Field(default=None, max_length=4)
    data: list[_Trace] = Field(default=[], max_length=500)


class Kuaidi100:
    attribution = ATTRIBUTION

    def __init__(self, base_url: str, customer: str, key: str) -> None:
        self._url = base_url.rstrip("/") + "/poll/query.do"
        self._customer, self._key = customer, key

    def look_up(self, tile_id: int, values: dict[str, str], timeout_s: float) -> LookupAnswer:
        param = json.dumps({"com": values["company"], "num": values["number"], "phone": "",
                            "resultv2": "0", "order": "desc"}, ensure_ascii=False)
        sign = hashlib.md5((param + self._key + self._customer).encode()).hexdigest().upper()
        body = fetch("POST", self._url, timeout_s=timeout_s,
                     data={"customer": self._customer, "param": param, "sign": sign})
        try:
            answer = _Answer.model_validate(json.loads(body))
        except (ValueError, ValidationError) as exc:
            why = why_unreadable(exc)
            raise ThirdPartyFault("nonsense", f"not a 快递100 answer ({why})") from None
        company = EXPRESS_COMPANIES[values["company"]]
        if answer.result is False and answer.returnCode == NOTHING_FOUND:
            return LookupAnswer(tile_id=tile_id, third_party="up", found=False,
                                summary=f"{company}暂无单号 {values['number']} 的物流信息",
                                attribution=ATTRIBUTION)
        if answer.result is False or answer.status != "200":
            raise ThirdPartyFault("down", f"快递100 returnCode {answer.returnCode}")
        if answer.state not in STATES or not answer.data:
            raise ThirdPartyFault("nonsense", f"state {answer.state!r}, {len(answer.data)} traces")
        rows = [InfoLine(label=trace.time[5:16], value=trace.context[:200])
                for trace in answer.data[:MAX_LINES]]
        return LookupAnswer(tile_id=tile_id, third_party="up", found=True,
                            summary=f"{company} {values['number']}：{STATES[answer.state]}",
                            rows=rows, attribution=ATTRIBUTION)
