"""What a hostile or broken client sends is refused in the shape of the API it was sent to,
never with a 500 (a scripted SYSTEM_ERROR is the only 500 WeChat Pay answers)."""

from __future__ import annotations

import json

import pytest
import requests
from alipay import AliPay
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wechatpayv3.utils import build_authorization, load_private_key

from central.payments.sandbox import PaymentGateway, SandboxServer

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner,
                                                                max_size=4),
    max_leaves=12)
FIELDS = st.fixed_dictionaries({}, optional={
    "appid": JSON, "mchid": JSON, "description": JSON, "out_trade_no": JSON, "amount": JSON,
    "payer": JSON, "scene_info": JSON, "notify_url": JSON, "attach": JSON})


def signed_post(gateway: PaymentGateway, server: SandboxServer, path: str,
                body: str | bytes) -> requests.Response:
    c = gateway.credentials.wechat
    text = body if isinstance(body, str) else body.decode("utf-8", "replace")
    auth = build_authorization(path, "POST", c.mchid, c.cert_serial_no,
                               load_private_key(c.merchant_private_key_pem), data=text)
    return requests.post(server.base_url + path, data=body if isinstance(body, bytes)
                         else body.encode(), timeout=10,
                         headers={"Authorization": auth, "Content-Type": "application/json"})


def assert_wechat_error(response: requests.Response, status: int, code: str) -> None:
    assert (response.status_code, response.json()["code"]) == (status, code), response.text
    assert set(response.json()) == {"code", "message"}


def test_wechat_refusals(gateway: PaymentGateway, server: SandboxServer) -> None:
    codepay = "/v3/pay/transactions/codepay"
    unsigned = requests.post(server.base_url + codepay, json={}, timeout=10)
    assert_wechat_error(unsigned, 401, "SIGN_ERROR")
    assert_wechat_error(signed_post(gateway, server, codepay, "{not json"), 400, "PARAM_ERROR")
    assert_wechat_error(signed_post(gateway, server, codepay, "[1, 2]"), 400, "PARAM_ERROR")
    c = gateway.credentials.wechat
    wrong = {"appid": c.appid, "mchid": c.mchid, "description": "x", "out_trade_no": "A" * 33,
             "amount": {"total": 1}, "payer": {"auth_code": "1"}, "scene_info": {}}
    assert_wechat_error(signed_post(gateway, server, codepay, json.dumps(wrong)), 400,
                        "PARAM_ERROR")
    huge = json.dumps({"description": "x" * 70_000})
    too_big = signed_post(gateway, server, codepay, huge)
    assert (too_big.status_code, too_big.json()["code"]) == (400, "PARAM_ERROR")
    assert_wechat_error(signed_post(gateway, server, codepay, b"\xff\xfe"), 401, "SIGN_ERROR")
    assert_wechat_error(signed_post(gateway, server, "/v3/nothing/here", "{}"), 404,
                        "NOT_FOUND")


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=FIELDS)
def test_wechat_codepay_fuzzed_never_500(gateway: PaymentGateway, server: SandboxServer,
                                         body: dict) -> None:
    response = signed_post(gateway, server, "/v3/pay/transactions/codepay", json.dumps(body))
    assert response.status_code in (400, 403, 404), response.text
    assert set(response.json()) == {"code", "message"}


def test_alipay_refusals(alipay: AliPay, server: SandboxServer) -> None:
    def get(query: str) -> dict:
        response = requests.get(f"{server.alipay_gateway}?{query}", timeout=10)
        assert response.status_code == 200
        return response.json()

    assert get("")["error_response"]["code"] == "40001"
    assert "sign" not in get("method=alipay.trade.pay")
    doubled = get("app_id=1&app_id=2&method=alipay.trade.query&sign=x")
    assert doubled["alipay_trade_query_response"]["sub_code"] == "isv.invalid-parameter"
    data = alipay.build_body("alipay.trade.pay", {})
    data["biz_content"] = "{not json"
    answer = get(alipay.sign_data(data))["alipay_trade_pay_response"]
    assert (answer["code"], answer["sub_code"]) == ("40002", "isv.invalid-parameter")
    typed = alipay.api_alipay_trade_pay("A1", "bar_code", ["not", "a", "code"], "x",
                                        total_amount=[1])
    assert (typed["code"], typed["sub_code"]) == ("40004", "ACQ.INVALID_PARAMETER")
    big = requests.post(server.alipay_gateway, data={"x": "y" * 70_000}, timeout=10)
    assert big.json()["error_response"]["code"] == "40002"


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(biz=st.dictionaries(st.sampled_from(["out_trade_no", "trade_no", "auth_code", "scene",
                                            "subject", "total_amount", "refund_amount",
                                            "out_request_no", "bill_type", "bill_date"]),
                           JSON, max_size=6),
       method=st.sampled_from(["alipay.trade.pay", "alipay.trade.query", "alipay.trade.cancel",
                               "alipay.trade.close", "alipay.trade.precreate",
                               "alipay.trade.refund", "alipay.trade.fastpay.refund.query",
                               "alipay.data.dataservice.bill.downloadurl.query"]))
def test_alipay_fuzzed_never_500(alipay: AliPay, server: SandboxServer, biz: dict,
                                 method: str) -> None:
    response = requests.get(f"{server.alipay_gateway}?"
                            + alipay.sign_data(alipay.build_body(method, biz)), timeout=10)
    assert response.status_code == 200
    node = response.json()[method.replace(".", "_") + "_response"]
    assert node["code"] in ("10000", "40004"), node


@pytest.mark.parametrize("path", ["/phone?code=%3Cscript%3E", "/phone", "/nowhere",
                                  "/downloadBillFile.resource?fileId=x"])
def test_other_pages_refuse_plainly(server: SandboxServer, path: str) -> None:
    response = requests.get(server.base_url + path, timeout=10)
    assert response.status_code == 404
    assert "<script>" not in response.text


def test_admin_refusals(server: SandboxServer) -> None:
    for body, status in ((b"{", 400), (b"[]", 400), (b'{"provider": "paypal"}', 400),
                         (b'{"provider": "wechat", "script": {"nope": 1}}', 400),
                         (b'{"provider": "wechat", "script": {"paying_for": "x"}}', 400),
                         (b'{"provider": "wechat", "script": {"reverse": "maybe"}}', 400),
                         (b'{"provider": "wechat", "balance": true}', 400)):
        response = requests.post(server.base_url + "/sandbox/codes", data=body, timeout=10)
        assert response.status_code == status and "error" in response.json()
    assert requests.post(server.base_url + "/sandbox/clock/advance", json={"seconds": -1},
                         timeout=10).status_code == 400
