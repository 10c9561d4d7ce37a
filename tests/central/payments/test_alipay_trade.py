"""Alipay 当面付 (条码支付) through python-alipay-sdk against the sandbox: one test per scripted
behaviour, asserting what the merchant sees and what the ledger holds."""

from __future__ import annotations

import http.client

import pytest
from alipay import AliPay
from alipay.exceptions import AliPayException
from Cryptodome.PublicKey import RSA

from central.payments.sandbox import ManualClock, PaymentGateway, SandboxServer, Script
from central.payments.sandbox.keys import new_key_pair

from .conftest import alipay_client, order_no


def pay(alipay: AliPay, code: str, no: str, amount: str = "12.00") -> dict:
    return alipay.api_alipay_trade_pay(no, "bar_code", code, "居住证工本费", total_amount=amount)


def status(alipay: AliPay, no: str) -> str:
    return alipay.api_alipay_trade_query(out_trade_no=no)["trade_status"]


def test_success_charges_the_code_once(alipay: AliPay, gateway: PaymentGateway) -> None:
    code, no = gateway.alipay_code(5000), order_no()
    answer = pay(alipay, code, no)
    assert (answer["code"], answer["total_amount"], answer["receipt_amount"]) == (
        "10000", "12.00", "12.00")
    assert status(alipay, no) == "TRADE_SUCCESS"
    assert gateway.balance(code) == 3800
    assert [(m.kind, m.amount) for m in gateway.movements()] == [("charge", 1200)]


def test_user_paying_answers_10003_then_wait_buyer_pay_then_success(
        alipay: AliPay, gateway: PaymentGateway) -> None:
    code, no = gateway.alipay_code(5000, Script.user_paying(2)), order_no()
    assert pay(alipay, code, no)["code"] == "10003"
    assert [status(alipay, no) for _ in range(3)] == [
        "WAIT_BUYER_PAY", "WAIT_BUYER_PAY", "TRADE_SUCCESS"]
    assert gateway.balance(code) == 3800


def test_user_paying_then_failing_closes_the_trade(alipay: AliPay,
                                                   gateway: PaymentGateway) -> None:
    code, no = gateway.alipay_code(5000, Script.user_paying(0, succeeds=False)), order_no()
    assert pay(alipay, code, no)["code"] == "10003"
    assert status(alipay, no) == "TRADE_CLOSED"
    assert gateway.balance(code) == 5000


def test_system_error_then_the_same_call_succeeds(alipay: AliPay,
                                                  gateway: PaymentGateway) -> None:
    code, no = gateway.alipay_code(5000, Script.system_error(1)), order_no()
    failed = pay(alipay, code, no)
    assert (failed["code"], failed["sub_code"]) == ("20000", "ACQ.SYSTEM_ERROR")
    assert pay(alipay, code, no)["code"] == "10000"
    assert gateway.balance(code) == 3800


def test_lost_response_still_charged_the_code_once(alipay: AliPay,
                                                   gateway: PaymentGateway) -> None:
    code, no = gateway.alipay_code(5000, Script.lost_response()), order_no()
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        pay(alipay, code, no)
    assert gateway.balance(code) == 3800
    assert status(alipay, no) == "TRADE_SUCCESS"
    assert pay(alipay, code, no)["code"] == "10000"  # sent again: answered, not charged again
    assert [m.kind for m in gateway.movements()] == ["charge"]


def test_success_that_arrives_after_the_cancel(alipay: AliPay, gateway: PaymentGateway) -> None:
    code, no = gateway.alipay_code(5000, Script.late_success()), order_no()
    assert pay(alipay, code, no)["code"] == "10003"
    cancel = alipay.api_alipay_trade_cancel(out_trade_no=no)
    assert (cancel["code"], cancel["retry_flag"]) == ("20000", "Y")
    assert status(alipay, no) == "TRADE_SUCCESS"
    assert gateway.balance(code) == 3800
    again = alipay.api_alipay_trade_cancel(out_trade_no=no)
    assert (again["code"], again["action"], again["retry_flag"]) == ("10000", "refund", "N")
    assert status(alipay, no) == "TRADE_CLOSED" and gateway.balance(code) == 5000


def test_a_fake_cancel_leaves_the_money_charged(alipay: AliPay, gateway: PaymentGateway) -> None:
    code, no = gateway.alipay_code(5000, Script.fake_reverse()), order_no()
    assert pay(alipay, code, no)["code"] == "10000"
    assert alipay.api_alipay_trade_cancel(out_trade_no=no)["code"] == "10000"
    assert status(alipay, no) == "TRADE_SUCCESS" and gateway.balance(code) == 3800


def test_insufficient_balance(alipay: AliPay, gateway: PaymentGateway) -> None:
    code = gateway.alipay_code(100)
    answer = pay(alipay, code, order_no())
    assert (answer["code"], answer["sub_code"]) == ("40004", "ACQ.BUYER_BALANCE_NOT_ENOUGH")
    assert gateway.balance(code) == 100


def test_wrong_used_or_expired_codes(alipay: AliPay, gateway: PaymentGateway,
                                     clock: ManualClock) -> None:
    used = gateway.alipay_code(5000)
    assert pay(alipay, used, order_no())["code"] == "10000"
    expiring = gateway.alipay_code(5000)
    clock.advance(61)
    for code in (used, expiring, gateway.wechat_code(5000), "281234567890123456"):
        answer = pay(alipay, code, order_no())
        assert (answer["code"], answer["sub_code"]) == (
            "40004", "ACQ.PAYMENT_AUTH_CODE_INVALID"), code


def test_out_trade_no_reused_with_other_parameters(alipay: AliPay,
                                                   gateway: PaymentGateway) -> None:
    no = order_no()
    assert pay(alipay, gateway.alipay_code(5000), no)["code"] == "10000"
    answer = pay(alipay, gateway.alipay_code(5000), no, amount="13.00")
    assert answer["sub_code"] == "ACQ.CONTEXT_INCONSISTENT"


def test_partial_then_full_refund_closes_the_trade(alipay: AliPay,
                                                   gateway: PaymentGateway) -> None:
    code, no = gateway.alipay_code(5000), order_no()
    pay(alipay, code, no)
    first = alipay.api_alipay_trade_refund("2.00", out_trade_no=no, out_request_no="R1")
    assert (first["fund_change"], first["refund_fee"]) == ("Y", "2.00")
    assert alipay.api_alipay_trade_refund("2.00", out_trade_no=no,
                                          out_request_no="R1")["fund_change"] == "N"
    too_much = alipay.api_alipay_trade_refund("10.01", out_trade_no=no, out_request_no="R2")
    assert too_much["sub_code"] == "ACQ.REFUND_AMT_NOT_EQUAL_TOTAL"
    assert status(alipay, no) == "TRADE_SUCCESS"
    assert alipay.api_alipay_trade_refund("10.00", out_trade_no=no,
                                          out_request_no="R2")["refund_fee"] == "12.00"
    assert status(alipay, no) == "TRADE_CLOSED" and gateway.balance(code) == 5000
    found = alipay.api_alipay_trade_fastpay_refund_query("R1", out_trade_no=no)
    assert found["refund_amount"] == "2.00"


def test_trade_finished_after_the_refund_period(alipay: AliPay, gateway: PaymentGateway,
                                                clock: ManualClock) -> None:
    no = order_no()
    pay(alipay, gateway.alipay_code(5000), no)
    clock.advance(91 * 86400)
    assert status(alipay, no) == "TRADE_FINISHED"


def test_a_request_signed_with_another_key_is_refused_unsigned(
        gateway: PaymentGateway, server: SandboxServer) -> None:
    impostor = alipay_client(gateway, server)
    impostor._app_private_key = RSA.importKey(new_key_pair().private_pem)
    with pytest.raises(AliPayException, match=r"isv\.invalid-signature"):
        impostor.api_alipay_trade_query(out_trade_no=order_no())
