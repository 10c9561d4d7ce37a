"""A stand-in for the platform's payment routes and applications, speaking the contract
(`central.contract.payments`) over real HTTP on loopback: for the kiosk's client, its payments
core and the kill -9 tests, where the kiosk is another process that dies and a new one carries
on against the same platform.

It checks what the real platform checks of a terminal's request (the signature over method,
path with query, time, nonce and body; an Idempotency-Key on every write, answered with the
first answer when repeated) and keeps what a test asserts on: every request, every charge, every
application with the order it names. A pay code's fate is scripted (`pay_codes`: the answer to
the hand-over, then the state each later question finds); `garble` makes a route answer
nonsense.
"""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from central.contract import (
    HEADER_IDEMPOTENCY_KEY,
    HEADER_NONCE,
    HEADER_SIGNATURE,
    HEADER_TERMINAL,
    HEADER_TIMESTAMP,
    ApplicationAccepted,
    ApplicationSubmission,
    request_signature,
)
from central.contract.payments import (
    PayCodeRequest,
    PaymentFailure,
    PaymentOrder,
    PaymentOrderRequest,
    PaymentQr,
    PaymentState,
    QrRequest,
)

PREFIX = "/api/v1"


@dataclass(frozen=True)
class Fate:
    state: PaymentState
    failure: PaymentFailure | None = None


@dataclass
class Request:
    method: str
    path: str  # from /api/v1 on, without the query
    query: dict[str, str]
    key: str | None
    body: dict


@dataclass
class PaymentPlatform:
    terminal_id: str
    terminal_key: str
    pay_codes: dict[str, list[Fate]] = field(default_factory=dict)
    qr_fates: list[Fate] = field(default_factory=list)
    garble: dict[str, str] = field(default_factory=dict)  # route name → "json" | "other_order"
    hold_s: float = 0.0  # a GET with wait_s holds this long when nothing changes
    requests: list[Request] = field(default_factory=list)
    orders: dict[str, PaymentOrder] = field(default_factory=dict)
    charges: list[str] = field(default_factory=list)
    applications: dict[str, ApplicationSubmission] = field(default_factory=dict)  # by local no.
    _answers: dict[tuple[str, str], tuple[int, bytes]] = field(default_factory=dict)
    _fates: dict[str, list[Fate]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _numbers: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    # -- what tests read -----------------------------------------------------------------------

    def asked(self, route: str) -> list[Request]:
        return [r for r in self.requests if _route(r.method, r.path) == route]

    # -- the routes --------------------------------------------------------------------------

    def handle(self, method: str, target: str, headers: dict[str, str],
               body: bytes) -> tuple[int, bytes]:
        split = urlsplit(target)
        path = split.path[len(PREFIX):] if split.path.startswith(PREFIX) else split.path
        if not self._signed(method, target, headers, body):
            return 401, _error("UNAUTHORIZED", "bad signature")
        key = headers.get(HEADER_IDEMPOTENCY_KEY.lower())
        query = {k: v[0] for k, v in parse_qs(split.query).items()}
        request = Request(method, path, query, key, json.loads(body) if body else {})
        route = _route(method, path)
        with self._lock:
            self.requests.append(request)
            if method == "POST" and not key:
                return 400, _error("IDEMPOTENCY_KEY_MISSING", "a write needs a key")
            if key is not None and (route, key) in self._answers:
                return self._answers[(route, key)]
            status, answer = self._answer(route, request)
            if key is not None and status < 500:
                self._answers[(route, key)] = (status, answer)
        if route in self.garble:
            return status, (b"<html>oops" if self.garble[route] == "json" else answer.replace(
                b'"order_id":"PO', b'"order_id":"PX').replace(b'"PX', b'"PO9'))
        if route == "wait" and self.hold_s:
            threading.Event().wait(self.hold_s)
        return status, answer

    def _answer(self, route: str, request: Request) -> tuple[int, bytes]:
        parts = request.path.strip("/").split("/")
        order = self.orders.get(parts[1]) if len(parts) > 1 else None
        if route == "applications":
            submission = ApplicationSubmission.model_validate(request.body)
            self.applications.setdefault(submission.local_number, submission)
            accepted = ApplicationAccepted(
                acceptance_number=f"2026022{len(self.applications):06d}",
                local_number=submission.local_number, status="已受理",
                accepted_at=datetime.now(UTC), receipt_code="ZWRC:1:sig", next_steps="等通知")
            return 200, accepted.model_dump_json().encode()
        if route == "create":
            asked = PaymentOrderRequest.model_validate(request.body)
            number = next(self._numbers)
            order = PaymentOrder(order_id=f"PO2026112300{number:04d}", service_id=asked.service_id,
                                 item="机动车驾驶证工本费", amount_fen=1000, state="unpaid",
                                 notice_code=f"11000000000000{number:04d}",
                                 reference=f"JF{number:08d}")
            self.orders[order.order_id] = order
            return 201, order.model_dump_json().encode()
        if order is None:
            return 404, _error("NOT_FOUND", "no such order")
        if route == "pay_code":
            code = PayCodeRequest.model_validate(request.body).auth_code
            if order.state not in ("unpaid",):
                return 409, _error("CONFLICT", f"order is {order.state}")
            fates = list(self.pay_codes.get(code, [Fate("paid")]))
            self._fates[order.order_id] = fates[1:]
            return 200, self._become(order, fates[0], "wechat").model_dump_json().encode()
        if route == "qr":
            channel = QrRequest.model_validate(request.body).channel
            self._fates[order.order_id] = list(self.qr_fates)
            order = order.model_copy(update={"channel": channel})
            self.orders[order.order_id] = order
            qr = PaymentQr(order=order, qr_content=f"weixin://wxpay/bizpayurl?pr={order.order_id}",
                           expires_at=datetime.now(UTC) + timedelta(minutes=5))
            return 200, qr.model_dump_json().encode()
        if route == "cancel":
            if order.state in ("unpaid", "paying"):
                order = self._become(order, Fate("closed"))
            return 200, order.model_dump_json().encode()
        if route == "wait":
            fates = self._fates.get(order.order_id)
            if fates and request.query.get("state", order.state) == order.state:
                order = self._become(order, fates.pop(0))
            return 200, order.model_dump_json().encode()
        return 404, _error("NOT_FOUND", "no such route")

    def _become(self, order: PaymentOrder, fate: Fate, channel: str | None = None
                ) -> PaymentOrder:
        update: dict[str, object] = {"state": fate.state, "failure": fate.failure}
        if channel is not None:
            update["channel"] = channel
        if fate.state == "paid":
            assert order.state != "paid", "charged twice"
            self.charges.append(order.order_id)
            update.update(transaction_masked="4200****1234", paid_at=datetime.now(UTC),
                          e_receipt_number="11010126000012345678",
                          e_receipt_url=f"https://pjcy.example.gov.cn/check/{order.order_id}")
        order = order.model_copy(update=update)
        self.orders[order.order_id] = order
        return order

    def _signed(self, method: str, target: str, headers: dict[str, str], body: bytes) -> bool:
        if headers.get(HEADER_TERMINAL.lower()) != self.terminal_id:
            return False
        expected = request_signature(self.terminal_key, method, target,
                                     headers.get(HEADER_TIMESTAMP.lower(), ""),
                                     headers.get(HEADER_NONCE.lower(), ""), body)
        return headers.get(HEADER_SIGNATURE.lower()) == expected


def _route(method: str, path: str) -> str:
    parts = path.strip("/").split("/")
    if parts == ["applications"]:
        return "applications"
    if parts[0] != "payments":
        return "other"
    if len(parts) == 1:
        return "create"
    if len(parts) == 2:
        return "wait" if method == "GET" else "other"
    return {"pay-code": "pay_code", "qr": "qr", "cancel": "cancel"}.get(parts[2], "other")


def _error(code: str, message: str) -> bytes:
    return json.dumps({"code": code, "message": message}).encode()


@contextmanager
def serving(platform: PaymentPlatform) -> Iterator[str]:
    """The stand-in on a loopback port; yields its base URL (…/api/v1)."""

    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            status, answer = platform.handle(self.command, self.path, headers, body)
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        do_GET = do_POST = _serve

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{PREFIX}"
    finally:
        server.shutdown()
        server.server_close()
