"""天气预报 from a QWeather (和风天气) style API: GET /v7/weather/now.

The request and answer are those of QWeather's "实时天气" API
(https://dev.qweather.com/docs/api/weather/weather-now/): `location` is a LocationID
(101010100 is Beijing) or "lon,lat"; the key goes in the `X-QW-Api-Key` header
(https://dev.qweather.com/docs/configuration/authentication/). The answer is JSON:

    {"code": "200", "updateTime": "2020-06-30T22:00+08:00", "fxLink": "…",
     "now": {"obsTime": "2020-06-30T21:40+08:00", "temp": "24", "feelsLike": "26",
             "icon": "101", "text": "多云", "wind360": "123", "windDir": "东南风",
             "windScale": "1", "windSpeed": "3", "humidity": "72", "precip": "0.0",
             "pressure": "1003", "vis": "16", "cloud": "10", "dew": "21"},
     "refer": {"sources": ["QWeather"], "license": ["QWeather Developers License"]}}

Every value is a string. A `code` other than "200" (204 no data for the place, 401 the key,
402 over quota, 429 too many requests …, https://dev.qweather.com/docs/resource/status-code/)
means the service is not giving weather now: `down`. Numbers out of range are `nonsense`.
"""

from __future__ import annotations

import json

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from central.contract.convenience import InfoLine
from central.convenience.third_party import ThirdPartyFault, fetch

ATTRIBUTION = "和风天气"


class _Now(BaseModel):
    model_config = ConfigDict(extra="ignore")
    obsTime: str = Field(max_length=40)
    temp: int = Field(ge=-90, le=70)
    feelsLike: int = Field(ge=-90, le=80)
    text: str = Field(min_length=1, max_length=20)
    windDir: str = Field(max_length=20)
    windScale: str = Field(pattern=r"^\d{1,2}(-\d{1,2})?$")
    humidity: int = Field(ge=0, le=100)


class _Answer(BaseModel):
    model_config = ConfigDict(extra="ignore")
    code: str = Field(max_length=8)
    now: _Now | None = None


class QWeatherNow:
    """The current weather of a place as the kiosk's lines."""

    attribution = ATTRIBUTION

    def __init__(self, base_url: str, key: str) -> None:
        self._url = base_url.rstrip("/") + "/v7/weather/now"
        self._key = key

    def lines(self, place: str, timeout_s: float) -> list[InfoLine]:
        body = fetch("GET", self._url, params={"location": place, "lang": "zh"},
                     headers={"X-QW-Api-Key": self._key}, timeout_s=timeout_s)
        try:
            answer = _Answer.model_validate(json.loads(body))
        except (ValueError, ValidationError) as exc:
            raise ThirdPartyFault("nonsense", f"not a weather answer: {exc}") from None
        if answer.code != "200":
            raise ThirdPartyFault("down", f"QWeather code {answer.code}")
        if answer.now is None:
            raise ThirdPartyFault("nonsense", "code 200 without now")
        now = answer.now
        observed = now.obsTime[11:16] if len(now.obsTime) >= 16 else now.obsTime
        return [InfoLine(label="天气", value=now.text),
                InfoLine(label="气温", value=f"{now.temp}°C（体感 {now.feelsLike}°C）"),
                InfoLine(label="风力", value=f"{now.windDir} {now.windScale} 级"),
                InfoLine(label="湿度", value=f"{now.humidity}%"),
                InfoLine(label="观测时间", value=observed)]
