"""The 便民服务 third parties on loopback, steerable, for tests and the demo.

One HTTP server speaks every format the adapters speak: QWeather's /v7/weather/now
(`weather`, from QWeather's documented example answer), an RSS 2.0 feed of hall notices
(`news`), 快递100's /poll/query.do (`express`, with its sign checked as 快递100 checks it),
and the reference platform's own sample services (`enterprise`, `violations`). Each can be
set to answer `up`, `slow` (the answer held until `slow_s` passed or the server stops:
longer than the desk waits), `down` (HTTP 503) or `nonsense` (HTTP 200 with a body of the
right kind that says nothing sensible). All data here is SAMPLE data.
"""

from __future__ import annotations

import hashlib
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Literal
from urllib.parse import parse_qs, urlsplit

from central.contract.convenience import ThirdParty

Service = Literal["weather", "news", "express", "enterprise", "violations"]
SERVICES: tuple[Service, ...] = ("weather", "news", "express", "enterprise", "violations")
WEATHER_KEY = "sample-qweather-key"
EXPRESS_CUSTOMER, EXPRESS_KEY = "SAMPLECUSTOMER", "sample-kuaidi100-key"

WEATHER = {"code": "200", "updateTime": "2026-12-07T09:00+08:00",
           "fxLink": "https://www.qweather.com/weather/beijing-101010100.html",
           "now": {"obsTime": "2026-12-07T08:50+08:00", "temp": "3", "feelsLike": "-1",
                   "icon": "100", "text": "晴", "wind360": "315", "windDir": "西北风",
                   "windScale": "3", "windSpeed": "15", "humidity": "28", "precip": "0.0",
                   "pressure": "1026", "vis": "25", "cloud": "0", "dew": "-14"},
           "refer": {"sources": ["QWeather"], "license": ["QWeather Developers License"]}}
NEWS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>政务服务中心通知公告（示例）</title>
<link>https://example.gov.cn/</link><description>示例数据</description>
<item><title>元旦假期大厅服务时间调整的通知（示例）</title>
<pubDate>Fri, 04 Dec 2026 09:00:00 +0800</pubDate></item>
<item><title>不动产登记窗口迁至二楼 C 区（示例）</title>
<pubDate>Tue, 01 Dec 2026 10:30:00 +0800</pubDate></item>
<item><title>新版居民医保参保缴费指南（示例）</title>
<pubDate>Mon, 23 Nov 2026 08:00:00 +0800</pubDate></item>
</channel></rss>"""
# waybill → (state, traces): the sample parcels
PARCELS = {"YT1234567890123": ("3", [("2026-12-06 15:20:11", "【北京市】已签收，签收人：本人"),
                                     ("2026-12-06 08:02:45", "【北京市】派件中，快递员正在派送"),
                                     ("2026-12-05 22:10:03", "【北京转运中心】已发出")])}
ENTERPRISES = [{"name": "北京示例科技有限公司", "credit_code": "91350100M000100Y43",
                "legal_rep": "王小明", "status": "存续", "registered_on": "2015-03-18",
                "capital": "1000 万元人民币", "address": "北京市东城区示例路 1 号"}]
VIOLATIONS = {("京A12345", "A12345"): [
    {"time": "2026-11-20 08:15", "place": "东直门外大街", "act": "违反禁止标线指示",
     "points": 3, "fine_yuan": 200, "handled": False},
    {"time": "2026-10-02 17:40", "place": "朝阳门北大街", "act": "机动车违反规定停放",
     "points": 0, "fine_yuan": 200, "handled": True}]}
NONSENSE: dict[Service, bytes] = {
    "weather": b'{"code": "200", "now": {"temp": "very hot", "text": ""}}',
    "news": b"<html><body>502 Bad Gateway</body></html>",
    "express": b'{"message": "ok", "status": "200", "state": "99", "data": []}',
    "enterprise": b'{"sample": true, "items": "see attachment"}',
    "violations": b'{"records": [{"time": 7}]}',
}


class ThirdPartySimulator:
    def __init__(self, host: str = "127.0.0.1", slow_s: float = 30.0) -> None:
        self.modes: dict[Service, ThirdParty] = dict.fromkeys(SERVICES, "up")
        self.asked: dict[Service, int] = dict.fromkeys(SERVICES, 0)
        self.slow_s = slow_s
        self._stopping = threading.Event()
        self._server = ThreadingHTTPServer((host, 0), _handler(self))
        self._server.daemon_threads = True
        # shutdown() waits for serve_forever's next poll: 0.05 s, not the default 0.5 s
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                        name="convenience-simulator", daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def news_url(self) -> str:
        return f"{self.base_url}/rss/notices.xml"

    def set(self, service: Service, mode: ThirdParty) -> None:
        self.modes[service] = mode

    def start(self) -> ThirdPartySimulator:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # the slow answers held now end
        self._server.shutdown()
        self._server.server_close()

    def answer(self, service: Service, path: str, query: dict[str, str],
               body: bytes) -> tuple[int, str, bytes]:
        """(status, content type, body) of an answer in `service`'s mode."""
        self.asked[service] += 1
        mode = self.modes[service]
        if mode == "slow":
            self._stopping.wait(self.slow_s)
        if mode == "down":
            return 503, "text/plain", b"service unavailable"
        if mode == "nonsense":
            return 200, "application/json", NONSENSE[service]
        return _up(service, query, body)


def _json(value: object) -> tuple[int, str, bytes]:
    return 200, "application/json; charset=utf-8", json.dumps(value, ensure_ascii=False).encode()


def _up(service: Service, query: dict[str, str], body: bytes) -> tuple[int, str, bytes]:
    if service == "weather":
        return _json(WEATHER)
    if service == "news":
        return 200, "application/rss+xml; charset=utf-8", NEWS.encode()
    if service == "express":
        return _json(_express(body))
    if service == "enterprise":
        keyword = query.get("keyword", "")
        return _json({"sample": True, "items": [e for e in ENTERPRISES if keyword in
                                                (e["name"], e["credit_code"])]})
    asked = json.loads(body or b"{}")
    records = VIOLATIONS.get((asked.get("plate"), asked.get("vin_tail")), [])
    return _json({"sample": True, "records": records})


def _express(body: bytes) -> dict[str, object]:
    form = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
    param = form.get("param", "")
    sign = hashlib.md5((param + EXPRESS_KEY + form.get("customer", "")).encode()).hexdigest()
    if form.get("customer") != EXPRESS_CUSTOMER or form.get("sign") != sign.upper():
        return {"result": False, "returnCode": "503", "message": "验证签名失败"}
    number = json.loads(param).get("num", "")
    if number not in PARCELS:
        return {"result": False, "returnCode": "500", "message": "查询无结果，请隔段时间再查"}
    state, traces = PARCELS[number]
    return {"message": "ok", "nu": number, "ischeck": "1", "condition": "F00",
            "com": json.loads(param).get("com"), "status": "200", "state": state,
            "data": [{"time": t, "ftime": t, "context": c} for t, c in traces]}


_ROUTES: dict[str, Service] = {"/v7/weather/now": "weather", "/rss/notices.xml": "news",
                               "/poll/query.do": "express", "/sample/enterprise": "enterprise",
                               "/sample/violations": "violations"}


def _handler(simulator: ThirdPartySimulator) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self._serve(b"")

        def do_POST(self) -> None:
            length = min(int(self.headers.get("Content-Length") or 0), 64 * 1024)
            self._serve(self.rfile.read(length))

        def _serve(self, body: bytes) -> None:
            url = urlsplit(self.path)
            service = _ROUTES.get(url.path)
            if service is None:
                status, kind, out = 404, "text/plain", b"not found"
            else:
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                status, kind, out = simulator.answer(service, url.path, query, body)
            try:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)
            except OSError:
                pass  # the platform stopped waiting (a slow answer): nobody to tell

        def log_message(self, format: str, *args: object) -> None:
            pass  # the test output stays quiet

    return Handler
