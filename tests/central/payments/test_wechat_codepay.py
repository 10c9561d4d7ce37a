"""WeChat Pay 付款码支付 through wechatpayv3 against the sandbox: one test per scripted
behaviour, asserting what the merchant sees and what the ledger holds."""

from __future__ import annotations

import json

import pytest
import requests
from wechatpayv3 import WeChatPay, WeChatPayType

from central.payments.sandbox import ManualClock, PaymentGateway, SandboxServer, Script, State
from central.payments.sandbox.keys import new_key_pair

from .conftest import SCENE, order_no, wechat_client


def pay(wechat: WeChatPay, code: str, out_trade_no: str, total: int = 1200) -> tuple[int, dict]:
    status, text = wechat.pay(description="居住证工本费", out_trade_no=out_trade_no,
                              amount={"total": total, "currency": "CNY"},
                              payer={"auth_code": code}, scene_info=SCENE,
                              pay_type=WeChatPayType.CODEPAY)
    return status, json.loads(text)


def query(wechat: WeChatPay, out_trade_no: str) -> dict:
    status, text = wechat.query(out_trade_no=out_trade_no)
    assert status == 200
    return json.loads(text)


def reverse(wechat: WeChatPay, out_trade_no: str) -> tuple[int, dict]:
    status, text = wechat.codepay_reverse(out_trade_no)
    return status, json.loads(text)


def test_success_charges_the_code_once(wechat: WeChatPay, gateway: PaymentGateway) -> None:
    code, no = gateway.wechat_code(5000), order_no()
    status, body = pay(wechat, code, no)
    assert status == 200 and body["trade_state"] == "SUCCESS"
    assert body["amount"] == {"total": 1200, "currency": "CNY", "payer_total": 1200,
                              "payer_currency": "CNY"}
    assert query(wechat, no)["transaction_id"] == body["transaction_id"]
    assert gateway.balance(code) == 3800
    assert [(m.kind, m.amount) for m in gateway.movements()] == [("charge", 1200)]


def test_user_paying_for_two_queries_then_success(wechat: WeChatPay,
                                                  gateway: PaymentGateway) -> None:
    code, no = gateway.wechat_code(5000, Script.user_paying(2)), order_no()
    assert pay(wechat, code, no) == (202, {"trade_state": "USERPAYING"})
    assert gateway.balance(code) == 5000  # typing the password: nothing charged yet
    assert [query(wechat, no)["trade_state"] for _ in range(3)] == [
        "USERPAYING", "USERPAYING", "SUCCESS"]
    assert gateway.balance(code) == 3800


def test_user_paying_then_the_password_fails(wechat: WeChatPay,
                                             gateway: PaymentGateway) -> None:
    code, no = gateway.wechat_code(5000, Script.user_paying(1, succeeds=False)), order_no()
    assert pay(wechat, code, no)[0] == 202
    assert [query(wechat, no)["trade_state"] for _ in range(2)] == ["USERPAYING", "PAYERROR"]
    assert gateway.balance(code) == 5000 and gateway.movements() == []


def test_system_error_for_two_calls_then_the_same_call_succeeds(
        wechat: WeChatPay, gateway: PaymentGateway) -> None:
    code, no = gateway.wechat_code(5000, Script.system_error(2)), order_no()
    for _ in range(2):
        assert pay(wechat, code, no) == (500, {"code": "SYSTEM_ERROR",
                                               "message": "系统异常，请用相同参数重新调用"})
    assert gateway.charge("wechat", no) is None and gateway.balance(code) == 5000
    assert pay(wechat, code, no)[1]["trade_state"] == "SUCCESS"
    assert gateway.balance(code) == 3800


def test_lost_response_still_charged_the_code_once(wechat: WeChatPay,
                                                   gateway: PaymentGateway) -> None:
    code, no = gateway.wechat_code(5000, Script.lost_response()), order_no()
    with pytest.raises(requests.ConnectionError):
        pay(wechat, code, no)
    assert gateway.balance(code) == 3800  # the charge happened; only the answer was lost
    assert query(wechat, no)["trade_state"] == "SUCCESS"
    status, body = pay(wechat, code, no)  # the kiosk sends the same charge again
    assert status == 200 and body["trade_state"] == "SUCCESS"
    assert gateway.balance(code) == 3800
    assert [m.kind for m in gateway.movements()] == ["charge"]


def test_success_that_arrives_after_the_reverse(wechat: WeChatPay, gateway: PaymentGateway,
                                                clock: ManualClock) -> None:
    code, no = gateway.wechat_code(5000, Script.late_success()), order_no()
    assert pay(wechat, code, no)[0] == 202
    assert query(wechat, no)["trade_state"] == "USERPAYING"
    clock.advance(30)  # the kiosk gave up waiting for the password
    assert reverse(wechat, no)[1]["code"] == "SYSTEM_ERROR"  # still paying: call again
    assert query(wechat, no)["trade_state"] == "SUCCESS"  # …and the person's payment landed
    assert gateway.balance(code) == 3800
    assert reverse(wechat, no)[0] == 200  # the retried reverse gives the money back
    assert query(wechat, no)["trade_state"] == "REVOKED"
    assert gateway.balance(code) == 5000
    assert [m.kind for m in gateway.movements()] == ["charge", "reversal"]


def test_a_fake_reverse_leaves_the_money_charged(wechat: WeChatPay, gateway: PaymentGateway,
                                                 clock: ManualClock) -> None:
    code, no = gateway.wechat_code(5000, Script.fake_reverse()), order_no()
    assert pay(wechat, code, no)[0] == 200
    clock.advance(15)
    status, body = reverse(wechat, no)
    assert status == 200 and body["out_trade_no"] == no  # "done", says the provider
    assert query(wechat, no)["trade_state"] == "SUCCESS"
    assert gateway.balance(code) == 3800


def test_reverse_of_a_paying_charge_closes_it_but_not_within_15_seconds(
        wechat: WeChatPay, gateway: PaymentGateway, clock: ManualClock) -> None:
    code, no = gateway.wechat_code(5000, Script.user_paying(10)), order_no()
    assert pay(wechat, code, no)[0] == 202
    clock.advance(14)
    assert reverse(wechat, no) == (400, {"code": "INVALID_REQUEST",
                                         "message": "请在扣款至少15秒后再撤销"})
    clock.advance(1)
    assert reverse(wechat, no)[0] == 200
    assert query(wechat, no)["trade_state"] == "REVOKED"
    assert gateway.balance(code) == 5000 and gateway.movements() == []


def test_insufficient_balance_is_notenough(wechat: WeChatPay, gateway: PaymentGateway) -> None:
    code, no = gateway.wechat_code(1000), order_no()
    assert pay(wechat, code, no) == (403, {"code": "NOTENOUGH", "message": "用户账号余额不足"})
    assert gateway.balance(code) == 1000 and gateway.charge("wechat", no) is None


def test_wrong_used_or_expired_codes_are_auth_code_invalid(
        wechat: WeChatPay, gateway: PaymentGateway, clock: ManualClock) -> None:
    used = gateway.wechat_code(5000)
    assert pay(wechat, used, order_no())[0] == 200
    expiring = gateway.wechat_code(5000)
    alipays = gateway.alipay_code(5000)
    clock.advance(61)  # a pay code lives a minute in the wallet
    for code in (used, expiring, alipays, "134567890123456789", "16" + "0" * 16, "99"):
        status, body = pay(wechat, code, order_no())
        assert (status, body["code"]) == (400, "AUTH_CODE_INVALID"), code
    assert gateway.balance(expiring) == 5000


def test_out_trade_no_reused_with_other_parameters_is_refused(
        wechat: WeChatPay, gateway: PaymentGateway) -> None:
    no = order_no()
    assert pay(wechat, gateway.wechat_code(5000), no)[0] == 200
    other = gateway.wechat_code(5000)
    assert pay(wechat, other, no) == (403, {"code": "OUT_TRADE_NO_USED",
                                            "message": "商户订单号重复"})
    assert gateway.balance(other) == 5000


def test_refunds_give_back_at_most_what_was_paid(wechat: WeChatPay,
                                                 gateway: PaymentGateway) -> None:
    code, no = gateway.wechat_code(5000), order_no()
    paid = pay(wechat, code, no)[1]
    status, text = wechat.refund(out_refund_no="R" + no, amount={"refund": 200, "total": 1200,
                                                                  "currency": "CNY"},
                                 out_trade_no=no, reason="多收")
    refund = json.loads(text)
    assert status == 200 and refund["status"] == "SUCCESS"
    assert refund["transaction_id"] == paid["transaction_id"]
    assert query(wechat, no)["trade_state"] == "REFUND"
    assert gateway.balance(code) == 4000
    status, text = wechat.refund(out_refund_no="R2" + no, amount={"refund": 1001, "total": 1200,
                                                                   "currency": "CNY"},
                                 transaction_id=paid["transaction_id"])
    assert (status, json.loads(text)["code"]) == (400, "INVALID_REQUEST")
    status, text = wechat.query_refund("R" + no)
    assert status == 200 and json.loads(text)["amount"]["refund"] == 200
    charge = gateway.charge("wechat", no)
    assert charge is not None and charge.state == State.SUCCESS and charge.refunded == 200


def test_a_request_signed_with_another_key_is_sign_error(gateway: PaymentGateway,
                                                         server: SandboxServer) -> None:
    impostor = wechat_client(gateway, server)
    impostor._core._private_key = new_key_pair().private
    status, text = impostor.query(out_trade_no=order_no())
    assert (status, json.loads(text)["code"]) == (401, "SIGN_ERROR")
