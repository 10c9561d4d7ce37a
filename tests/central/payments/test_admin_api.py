"""The `/sandbox/` JSON API, as another process (the demo's simulator panel, a benchmark)
uses it: credentials that configure working SDK clients, scripted codes, the ledger."""

from __future__ import annotations

import json

import requests
from alipay import AliPay
from wechatpayv3 import WeChatPay, WeChatPayType

from central.payments.sandbox import SandboxServer

from .conftest import SCENE, order_no, wechat_client


def call(server: SandboxServer, method: str, path: str, body: object = None) -> object:
    response = requests.request(method, server.base_url + path, json=body, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


def test_another_process_scripts_a_code_and_reads_the_ledger(server: SandboxServer) -> None:
    found = call(server, "GET", "/sandbox/credentials")
    assert isinstance(found, dict)
    c, a = found["wechat"], found["alipay"]
    wechat = WeChatPay(wechatpay_type=WeChatPayType.CODEPAY, mchid=c["mchid"],
                       private_key=c["merchant_private_key_pem"],
                       cert_serial_no=c["cert_serial_no"], appid=c["appid"],
                       apiv3_key=c["apiv3_key"], public_key=c["platform_public_key_pem"],
                       public_key_id=c["platform_public_key_id"])
    wechat._core._gate_way = found["wechat_gateway"]
    alipay = AliPay(appid=a["app_id"], app_private_key_string=a["app_private_key_pem"],
                    alipay_public_key_string=a["alipay_public_key_pem"])
    alipay._gateway = found["alipay_gateway"]

    made = call(server, "POST", "/sandbox/codes", {
        "provider": "wechat", "balance": 2000, "script": {"paying_for": 1}})
    assert isinstance(made, dict)
    no = order_no()
    status, _ = wechat.pay(description="工本费", out_trade_no=no, amount={"total": 1500},
                           payer={"auth_code": made["code"]}, scene_info=SCENE,
                           pay_type=WeChatPayType.CODEPAY)
    assert status == 202
    states = [json.loads(wechat.query(out_trade_no=no)[1])["trade_state"] for _ in range(2)]
    assert states == ["USERPAYING", "SUCCESS"]
    code = call(server, "GET", f"/sandbox/codes/{made['code']}")
    assert isinstance(code, dict) and (code["balance"], code["used_by"]) == (500, no)

    short = call(server, "POST", "/sandbox/codes", {"provider": "alipay", "balance": 100})
    assert isinstance(short, dict)
    refused = alipay.api_alipay_trade_pay(order_no(), "bar_code", short["code"], "工本费",
                                          total_amount="15.00")
    assert refused["sub_code"] == "ACQ.BUYER_BALANCE_NOT_ENOUGH"

    charges = call(server, "GET", "/sandbox/charges")
    assert isinstance(charges, list)
    assert [(x["provider"], x["out_trade_no"], x["state"]) for x in charges] == [
        ("wechat", no, "SUCCESS")]
    movements = call(server, "GET", "/sandbox/movements")
    assert isinstance(movements, list) and [m["amount"] for m in movements] == [1500]
    assert call(server, "POST", "/sandbox/clock/advance", {"seconds": 61}) is not None


def test_a_code_made_stale_is_refused_as_invalid(server: SandboxServer) -> None:
    """`lifetime_s: 0`: a code the wallet has already refreshed (the panel's 无效码)."""
    wechat = wechat_client(server.gateway, server)
    stale = call(server, "POST", "/sandbox/codes", {"provider": "wechat", "lifetime_s": 0})
    fresh = call(server, "POST", "/sandbox/codes", {"provider": "wechat", "lifetime_s": 30.5})
    assert isinstance(stale, dict) and isinstance(fresh, dict)
    for made, status in ((stale, 400), (fresh, 200)):
        answer, _ = wechat.pay(description="工本费", out_trade_no=order_no(),
                               amount={"total": 1500}, payer={"auth_code": made["code"]},
                               scene_info=SCENE, pay_type=WeChatPayType.CODEPAY)
        assert answer == status
    assert call(server, "GET", f"/sandbox/codes/{stale['code']}")["balance"] == 100_000
    for lifetime in (-1, 3601, "60", True):
        response = requests.post(server.base_url + "/sandbox/codes", timeout=10, json={
            "provider": "alipay", "lifetime_s": lifetime})
        assert response.status_code == 400 and "lifetime_s" in response.json()["error"]
