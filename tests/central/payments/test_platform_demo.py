"""The embedded demo platform takes payments at the gateway sandbox it serves beside itself
(`EmbeddedPlatform(payment_sandbox=True)`, what `main.py`'s demo runs): over real HTTP, a pay
code made with the sandbox's admin API is charged, a QR code paid on the phone page is
notified by the sandbox's own notifier, and both survive a restart of the platform."""

from __future__ import annotations

import uuid

import requests

from central.contract import HEADER_IDEMPOTENCY_KEY, VerificationRequest
from central.contract.payments import PaymentOrder, PaymentOrderRequest, PaymentQr
from central.server import EmbeddedPlatform
from tests.central.citizen import good_face, id_card
from tests.central.conftest import SIGNED, TEST_TERMINAL

JSON = {"Content-Type": "application/json"}


def post(url: str, body: str | bytes = b"", **headers: str) -> requests.Response:
    return requests.post(url, data=body, auth=SIGNED, timeout=30, headers={
        **JSON, HEADER_IDEMPOTENCY_KEY: uuid.uuid4().hex, **headers})


def test_the_demo_platform_pays_at_its_sandbox(sqlite_url: str) -> None:
    with EmbeddedPlatform(sqlite_url, terminals=[TEST_TERMINAL], sweep_interval_s=0,
                          payment_sandbox=True) as platform:
        assert platform.sandbox is not None and platform.gateway is not None
        sandbox = platform.sandbox.base_url
        api = platform.base_url
        verification = post(f"{api}/identity/verifications", VerificationRequest(
            evidence=id_card(), face=good_face()).model_dump_json()).json()
        ordered = post(f"{api}/payments", PaymentOrderRequest(
            service_id="SS-019", verification_id=verification["verification_id"],
            local_number="L-1").model_dump_json())
        assert ordered.status_code == 201, ordered.text
        order = PaymentOrder.model_validate_json(ordered.content)
        code = requests.post(f"{sandbox}/sandbox/codes", timeout=10, json={
            "provider": "wechat", "balance": 50_000}).json()["code"]
        paid = post(f"{api}/payments/{order.order_id}/pay-code", f'{{"auth_code": "{code}"}}')
        assert paid.json()["state"] == "paid"
        assert platform.gateway.balance(code) == 50_000 - 12_000

        platform.stop()
        platform.start()  # the same sandbox, port and ledger
        assert platform.sandbox is not None and platform.sandbox.base_url == sandbox
        again = requests.get(f"{api}/payments/{order.order_id}", auth=SIGNED, timeout=10)
        assert again.json()["state"] == "paid"

        verification = post(f"{api}/identity/verifications", VerificationRequest(
            evidence=id_card(), face=good_face()).model_dump_json()).json()
        second = PaymentOrder.model_validate_json(post(f"{api}/payments", PaymentOrderRequest(
            service_id="SS-018", verification_id=verification["verification_id"],
            local_number="L-2").model_dump_json()).content)
        shown = PaymentQr.model_validate_json(post(
            f"{api}/payments/{second.order_id}/qr", '{"channel": "alipay"}').content)
        tapped = requests.post(f"{sandbox}/phone/pay", data={"code": shown.qr_content},
                               timeout=10)
        assert tapped.status_code == 200
        # the sandbox's notifier (or the resolver's query) tells the platform; the
        # terminal's held request hears it at once
        told = requests.get(f"{api}/payments/{second.order_id}", auth=SIGNED, timeout=30,
                            params={"state": "unpaid", "wait_s": 15})
        assert told.json()["state"] == "paid"
        assert [(m.provider, m.kind) for m in platform.gateway.movements()] == [
            ("wechat", "charge"), ("alipay", "charge")]
    assert platform.sandbox is None  # stopped with the platform
