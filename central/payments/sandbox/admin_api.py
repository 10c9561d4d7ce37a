"""A small JSON API under `/sandbox/` so that another process (the demo's simulator panel, a
benchmark) can script the gateway and read its ledger. Loopback only, like the whole sandbox:
it hands out the merchant-side test keys.

    GET  /sandbox/credentials                  the merchant's credentials and the base URLs
    POST /sandbox/codes                        {"provider", "balance" (fen), "script": {...},
                                                "lifetime_s" (default 60; 0: already expired)}
    GET  /sandbox/codes/<code>                 its balance, whether used, when it expires
    POST /sandbox/qr-orders/<provider>/<out_trade_no>/script   {QrScript's fields}
    POST /sandbox/phone/pay                    {"qr": "<QR content>"}: tap 确认支付
    GET  /sandbox/charges                      every charge, with its refunds
    GET  /sandbox/movements                    every movement of money, in order
    GET  /sandbox/notifications                every notification and its attempts
    POST /sandbox/notifications/deliver        send those that are due
    POST /sandbox/clock/advance                {"seconds": n} (a gateway on a ManualClock)
"""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import datetime, timedelta
from typing import Any

from central.payments.sandbox.clock import ManualClock
from central.payments.sandbox.gateway import PaymentGateway
from central.payments.sandbox.ledger import CODE_LIFETIME, Charge, QrScript, Refused, Script
from central.payments.sandbox.pay_codes import PROVIDERS
from central.payments.sandbox.wire import Answer


class AdminError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _json_answer(status: int, value: object) -> Answer:
    return Answer(status, json.dumps(value, ensure_ascii=False, default=_plain).encode("utf-8"),
                  {"Content-Type": "application/json; charset=utf-8"})


def _plain(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def _charge(charge: Charge) -> dict[str, Any]:
    return {"provider": charge.provider, "out_trade_no": charge.out_trade_no,
            "trade_no": charge.trade_no, "kind": charge.kind, "amount": charge.amount,
            "description": charge.description, "state": charge.state.value,
            "code": charge.code, "qr": charge.qr, "created_at": charge.created_at,
            "paid_at": charge.paid_at, "refunded": charge.refunded,
            "refunds": [dataclasses.asdict(refund) for refund in charge.refunds]}


def _fields(cls: type[Script] | type[QrScript], value: object) -> Any:
    if value is None:
        return cls()
    if not isinstance(value, dict):
        raise AdminError(400, "script must be an object")
    names = {f.name for f in dataclasses.fields(cls)}
    unknown = set(value) - names
    if unknown:
        raise AdminError(400, f"unknown script fields: {sorted(unknown)}")
    try:
        return cls(**value)
    except (TypeError, ValueError) as exc:
        raise AdminError(400, str(exc)) from None


class AdminApi:
    def __init__(self, gateway: PaymentGateway) -> None:
        self.gateway = gateway

    def handle(self, method: str, path: str, body: bytes) -> Answer:
        try:
            return _json_answer(200, self._route(method, path, body))
        except AdminError as error:
            return _json_answer(error.status, {"error": str(error)})
        except Refused as refusal:
            return _json_answer(409, {"error": refusal.reason.value})

    def _route(self, method: str, path: str, body: bytes) -> object:
        gateway = self.gateway
        if (method, path) == ("GET", "/sandbox/credentials"):
            return {"wechat": dataclasses.asdict(gateway.credentials.wechat),
                    "alipay": dataclasses.asdict(gateway.credentials.alipay),
                    "wechat_gateway": gateway.base_url,
                    "alipay_gateway": gateway.base_url + "/gateway.do"}
        if (method, path) == ("POST", "/sandbox/codes"):
            request = self._body(body)
            provider, balance = request.get("provider"), request.get("balance", 100_000)
            whole = isinstance(balance, int) and not isinstance(balance, bool)
            if provider not in PROVIDERS or not whole or not 0 <= balance <= 10**12:
                raise AdminError(400, "provider is wechat or alipay; balance is fen, >= 0")
            script = _fields(Script, request.get("script"))
            lifetime = request.get("lifetime_s", CODE_LIFETIME.total_seconds())
            if not isinstance(lifetime, int | float) or isinstance(lifetime, bool) \
                    or not 0 <= lifetime <= 3600:
                raise AdminError(400, "lifetime_s is seconds, 0 to 3600")
            code = gateway.ledger.add_code(provider, balance, script,
                                           lifetime=timedelta(seconds=lifetime))
            return {"code": code.code, "provider": provider, "balance": balance,
                    "expires_at": code.expires_at}
        found = re.fullmatch(r"/sandbox/codes/([0-9]{1,32})", path)
        if method == "GET" and found:
            code = gateway.pay_code(found.group(1))
            if code is None:
                raise AdminError(404, "no such pay code")
            return {"code": code.code, "provider": code.provider,
                    "balance": code.account.balance, "used_by": code.used_by,
                    "expires_at": code.expires_at}
        found = re.fullmatch(r"/sandbox/qr-orders/(wechat|alipay)/([0-9A-Za-z_\-*|]{1,64})/script",
                             path)
        if method == "POST" and found:
            provider = "wechat" if found.group(1) == "wechat" else "alipay"
            gateway.script_qr_order(provider, found.group(2),
                                    _fields(QrScript, self._body(body)))
            return {}
        if (method, path) == ("POST", "/sandbox/phone/pay"):
            qr = self._body(body).get("qr")
            if not isinstance(qr, str):
                raise AdminError(400, "qr is the QR code's content")
            return _charge(gateway.tap_pay(qr))
        if (method, path) == ("GET", "/sandbox/charges"):
            return [_charge(charge) for charge in gateway.charges()]
        if (method, path) == ("GET", "/sandbox/movements"):
            return [dataclasses.asdict(movement) for movement in gateway.movements()]
        if (method, path) == ("GET", "/sandbox/notifications"):
            return [{"provider": n.provider, "out_trade_no": n.out_trade_no, "url": n.url,
                     "delivered": n.delivered, "due": n.due,
                     "attempts": [dataclasses.asdict(a) for a in n.attempts]}
                    for n in gateway.notifications()]
        if (method, path) == ("POST", "/sandbox/notifications/deliver"):
            return {"acknowledged": gateway.deliver_notifications()}
        if (method, path) == ("POST", "/sandbox/clock/advance"):
            seconds = self._body(body).get("seconds")
            if not isinstance(gateway.clock, ManualClock):
                raise AdminError(409, "the gateway runs on the real clock")
            if not isinstance(seconds, int | float) or not 0 <= seconds <= 10**8:
                raise AdminError(400, "seconds is a number, 0 to 1e8")
            return {"now": gateway.clock.advance(seconds)}
        raise AdminError(404, "no such sandbox call")

    @staticmethod
    def _body(body: bytes) -> dict[str, Any]:
        try:
            value = json.loads(body or b"{}")
        except ValueError:
            raise AdminError(400, "the body is not JSON") from None
        if not isinstance(value, dict):
            raise AdminError(400, "the body is a JSON object")
        return value
