"""The payment gateway sandbox, served on loopback, and the real SDK clients pointed at it.

Every test drives the sandbox only through `wechatpayv3` and `python-alipay-sdk` (or a browser
for the phone page), and reads what the ledger holds from the in-process `PaymentGateway`.
The gateway runs on a `ManualClock` starting at a fixed Beijing morning: a rule about time is
met by moving the clock, never by waiting.
"""

from __future__ import annotations

import dataclasses
import http.server
import json
import threading
import urllib.parse
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import httpx
import pytest
from alipay import AliPay
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from wechatpayv3 import WeChatPay, WeChatPayType

from central.contract import HEADER_IDEMPOTENCY_KEY, Holder
from central.contract.payments import PayCodeRequest, PaymentOrder, PaymentOrderRequest, PaymentQr
from central.db import PaymentAttemptRecord, PaymentOrderRecord
from central.payments.machine import PaymentMachine
from central.payments.sandbox import ManualClock, PaymentGateway, SandboxServer
from central.payments.sandbox.clock import BEIJING
from central.payments.sandbox.keys import AlipayKeys, WeChatKeys
from central.payments.settings import sandbox_settings
from tests.central.citizen import JSON, ZHANG_SAN, good_face, id_card, new_key, verify
from tests.central.conftest import SignAsTerminal
from tests.central.helpers import Clock as PlatformClock

START = datetime(2026, 3, 2, 10, 0, tzinfo=BEIJING)


@pytest.fixture(scope="session")
def keys() -> tuple[WeChatKeys, AlipayKeys]:
    return WeChatKeys(), AlipayKeys()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def gateway(clock: ManualClock, keys: tuple[WeChatKeys, AlipayKeys]) -> PaymentGateway:
    return PaymentGateway(clock, wechat_keys=keys[0], alipay_keys=keys[1])


@pytest.fixture
def server(gateway: PaymentGateway) -> Iterator[SandboxServer]:
    with SandboxServer(gateway) as serving:
        yield serving


def wechat_client(gateway: PaymentGateway, server: SandboxServer,
                  pay_type: WeChatPayType = WeChatPayType.CODEPAY,
                  notify_url: str | None = None) -> WeChatPay:
    c = gateway.credentials.wechat
    client = WeChatPay(wechatpay_type=pay_type, mchid=c.mchid,
                       private_key=c.merchant_private_key_pem, cert_serial_no=c.cert_serial_no,
                       appid=c.appid, apiv3_key=c.apiv3_key, notify_url=notify_url,
                       public_key=c.platform_public_key_pem,
                       public_key_id=c.platform_public_key_id, timeout=(5, 10))
    client._core._gate_way = server.base_url
    return client


def alipay_client(gateway: PaymentGateway, server: SandboxServer) -> AliPay:
    a = gateway.credentials.alipay
    client = AliPay(appid=a.app_id, app_private_key_string=a.app_private_key_pem,
                    alipay_public_key_string=a.alipay_public_key_pem)
    client._gateway = server.alipay_gateway
    return client


@pytest.fixture
def wechat(gateway: PaymentGateway, server: SandboxServer) -> WeChatPay:
    return wechat_client(gateway, server)


@pytest.fixture
def alipay(gateway: PaymentGateway, server: SandboxServer) -> AliPay:
    return alipay_client(gateway, server)


def order_no() -> str:
    return "K" + uuid.uuid4().hex[:20]


SCENE = {"device_id": "KIOSK-01", "store_info": {"out_id": "HALL-1"}}


class NotifySink:
    """The merchant's notify_url: records each POST, answers from a script of replies."""

    def __init__(self) -> None:
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.replies: list[tuple[int, bytes]] = []  # used up front first, then 200
        sink = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                sink.received.append(({k: v for k, v in self.headers.items()}, body))
                status, text = sink.replies.pop(0) if sink.replies else (200, b"success")
                self.send_response(status)
                self.send_header("Content-Length", str(len(text)))
                self.end_headers()
                self.wfile.write(text)

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/notify"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,),
                                       daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def sink() -> Iterator[NotifySink]:
    receiver = NotifySink()
    yield receiver
    receiver.close()


# -- the platform's payments (central.payments) against the sandbox ----------------------------
#
# `rig` is a platform on a clock the test moves, its payment providers pointed at the sandbox
# through the real SDKs, with no background resolver: a test drives the state machines with
# `rig.run()` after moving both clocks with `rig.advance(s)`, so nothing waits for wall-clock
# time. `rig` signs its requests as the test terminal, as a kiosk does.


@dataclasses.dataclass
class Rig:
    app: FastAPI
    client: TestClient
    gateway: PaymentGateway
    clock: PlatformClock
    gateway_clock: ManualClock
    forwarded: set[str] = dataclasses.field(default_factory=set)

    @property
    def machine(self) -> PaymentMachine:
        return self.app.state.payments

    def advance(self, seconds: float) -> None:
        self.clock.advance(seconds)
        self.gateway_clock.advance(seconds)

    def run(self) -> int:
        """One pass of the resolver, as the background task makes it."""
        return self.machine.run_due()

    def verify(self, holder: Holder = ZHANG_SAN) -> str:
        verification = verify(self.client, id_card(holder), good_face())
        assert verification.verified and verification.verification_id
        return verification.verification_id

    def order(self, service_id: str = "SS-018", fee_option: str | None = None,
              holder: Holder = ZHANG_SAN, key: str | None = None) -> PaymentOrder:
        response = self.post_order(service_id, fee_option, self.verify(holder), key)
        assert response.status_code == 201, response.text
        return PaymentOrder.model_validate_json(response.content)

    def post_order(self, service_id: str, fee_option: str | None, verification_id: str,
                   key: str | None = None) -> httpx.Response:
        body = PaymentOrderRequest(service_id=service_id, verification_id=verification_id,
                                   fee_option=fee_option, local_number="L-0001")
        return self.client.post(PAYMENTS, content=body.model_dump_json(),
                                headers={**JSON, HEADER_IDEMPOTENCY_KEY: key or new_key()})

    def pay_code(self, order_id: str, code: str, key: str | None = None) -> httpx.Response:
        return self.client.post(f"{PAYMENTS}/{order_id}/pay-code",
                                content=PayCodeRequest(auth_code=code).model_dump_json(),
                                headers={**JSON, HEADER_IDEMPOTENCY_KEY: key or new_key()})

    def pay(self, order_id: str, code: str) -> PaymentOrder:
        response = self.pay_code(order_id, code)
        assert response.status_code == 200, response.text
        return PaymentOrder.model_validate_json(response.content)

    def qr(self, order_id: str, channel: str, key: str | None = None) -> httpx.Response:
        return self.client.post(f"{PAYMENTS}/{order_id}/qr",
                                content=json.dumps({"channel": channel}),
                                headers={**JSON, HEADER_IDEMPOTENCY_KEY: key or new_key()})

    def show_qr(self, order_id: str, channel: str) -> PaymentQr:
        response = self.qr(order_id, channel)
        assert response.status_code == 200, response.text
        return PaymentQr.model_validate_json(response.content)

    def get(self, order_id: str, **params: object) -> PaymentOrder:
        response = self.client.get(f"{PAYMENTS}/{order_id}", params=params)
        assert response.status_code == 200, response.text
        return PaymentOrder.model_validate_json(response.content)

    def cancel(self, order_id: str) -> PaymentOrder:
        response = self.client.post(f"{PAYMENTS}/{order_id}/cancel",
                                    headers={HEADER_IDEMPOTENCY_KEY: new_key()})
        assert response.status_code == 200, response.text
        return PaymentOrder.model_validate_json(response.content)

    def deliver(self) -> list[httpx.Response]:
        """The provider's notifications not sent yet, POSTed to the platform as the provider
        sends them (the sandbox's notifier cannot reach a TestClient)."""
        answers = []
        for notification in self.gateway.notifications():
            if notification.id in self.forwarded:
                continue
            self.forwarded.add(notification.id)
            path = urllib.parse.urlsplit(notification.url).path
            answers.append(self.client.post(path, content=notification.body,
                                            headers=notification.headers, auth=None))
        return answers

    def attempts(self, order_id: str) -> list[PaymentAttemptRecord]:
        with self.app.state.sessions() as session:
            return list(session.scalars(select(PaymentAttemptRecord).where(
                PaymentAttemptRecord.order_id == order_id).order_by(PaymentAttemptRecord.id)))

    def record(self, order_id: str) -> PaymentOrderRecord:
        with self.app.state.sessions() as session:
            order = session.get(PaymentOrderRecord, order_id)
            assert order is not None
            return order

    def net(self, out_trade_no: str) -> int:
        """What the gateway kept of a trade: charged less reversed and refunded (fen)."""
        total = 0
        for movement in self.gateway.movements():
            if movement.out_trade_no == out_trade_no:
                total += movement.amount if movement.kind == "charge" else -movement.amount
        return total

    def check_ledger(self) -> None:
        """Never charged twice; charged ⇒ paid (by that very trade) or given back; an order
        paid by its notice code elsewhere (nontax) keeps nothing at the providers."""
        with self.app.state.sessions() as session:
            for order in session.scalars(select(PaymentOrderRecord)):
                trades = [a.out_trade_no for a in session.scalars(select(
                    PaymentAttemptRecord).where(PaymentAttemptRecord.order_id == order.id))]
                kept = {no: self.net(no) for no in trades}
                assert sum(kept.values()) in (0, order.amount_fen), (order.id, kept)
                paid = session.get(PaymentAttemptRecord, order.paid_attempt_id or -1)
                if order.state == "paid" and order.channel != "nontax":
                    assert paid is not None and kept[paid.out_trade_no] == order.amount_fen
                else:
                    assert sum(kept.values()) == 0, (order.id, order.state, kept)


PAYMENTS = "/api/v1/payments"


@pytest.fixture
def rig_settings() -> dict[str, object]:
    """The payment settings of `rig` (a test changes them before asking for `rig`)."""
    return {"tick_s": 0}


@pytest.fixture
def rig(make_app: Callable[..., FastAPI], database_url: str, gateway: PaymentGateway,
        server: SandboxServer, clock: ManualClock,
        rig_settings: dict[str, object]) -> Iterator[Rig]:
    platform_clock = PlatformClock(START.astimezone(UTC))
    app = make_app(database_url, clock=platform_clock,
                   payments=sandbox_settings(gateway, server, "http://testserver",
                                             **rig_settings))
    with TestClient(app) as client:
        client.auth = SignAsTerminal(clock=platform_clock)
        yield Rig(app, client, gateway, platform_clock, clock)
