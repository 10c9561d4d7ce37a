"""主扫 through the platform: the terminal shows the QR code the platform made (WeChat Pay
native, Alipay precreate), the phone pays it on the sandbox, the provider's notification
(verified by the SDKs) or the platform's own queries make the order paid; a QR code expires,
is replaced, is paid after the order was paid another way (refunded); forged notifications
are refused."""

from __future__ import annotations

import urllib.parse
from datetime import timedelta

import pytest

from central.payments import numbers
from central.payments.sandbox import QrScript, Script

from .conftest import PAYMENTS, Rig

CHANNELS = ["wechat", "alipay"]
WECHAT_NOTIFY = f"{PAYMENTS}/notify/wechat"
ALIPAY_NOTIFY = f"{PAYMENTS}/notify/alipay"


def kinds(rig: Rig) -> list[tuple[str, str]]:
    return [(m.provider, m.kind) for m in rig.gateway.movements()]


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_qr_code_paid_on_the_phone_and_notified(rig: Rig, channel: str) -> None:
    order = rig.order()
    shown = rig.show_qr(order.order_id, channel)
    prefix = "weixin://wxpay/bizpayurl?pr=" if channel == "wechat" else "https://qr.alipay.com/"
    assert shown.qr_content.startswith(prefix)
    assert shown.order.state == "unpaid" and shown.order.channel == channel
    assert shown.expires_at == rig.clock() + timedelta(seconds=300)
    rig.gateway.tap_pay(shown.qr_content)
    (answer,) = rig.deliver()
    if channel == "wechat":
        assert answer.status_code == 204
    else:
        assert (answer.status_code, answer.text) == (200, "success")
    told = rig.get(order.order_id)
    assert (told.state, told.channel) == ("paid", channel)
    assert kinds(rig) == [(channel, "charge")]
    rig.check_ledger()


@pytest.mark.parametrize("channel", CHANNELS)
def test_without_a_notification_the_platforms_queries_find_it_paid(rig: Rig,
                                                                   channel: str) -> None:
    order = rig.order()
    out_trade_no = numbers.out_trade_no(order.order_id, 1)
    rig.gateway.script_qr_order(channel, out_trade_no, QrScript(notify=False))
    shown = rig.show_qr(order.order_id, channel)
    rig.advance(3)
    rig.run()
    assert rig.get(order.order_id).state == "unpaid"
    rig.gateway.tap_pay(shown.qr_content)
    rig.advance(3)
    rig.run()
    assert rig.get(order.order_id).state == "paid"
    assert rig.gateway.notifications() == []
    rig.check_ledger()


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_lost_precreate_answer_is_asked_again_for_the_same_code(rig: Rig,
                                                                  channel: str) -> None:
    order = rig.order()
    out_trade_no = numbers.out_trade_no(order.order_id, 1)
    rig.gateway.script_qr_order(channel, out_trade_no, QrScript(lost_responses=1))
    shown = rig.show_qr(order.order_id, channel)  # the answer lost, the same trade asked again
    charge = rig.gateway.charge(channel, out_trade_no)
    assert charge is not None and charge.qr == shown.qr_content
    assert [c.out_trade_no for c in rig.gateway.charges()] == [out_trade_no]
    (attempt,) = rig.attempts(order.order_id)
    assert attempt.state == "open"


def test_a_qr_request_repeated_is_the_same_code_and_one_on_screen_is_reused(rig: Rig) -> None:
    order = rig.order()
    first = rig.qr(order.order_id, "wechat", key="qr-key-00000000000001")
    again = rig.qr(order.order_id, "wechat", key="qr-key-00000000000001")
    other_key = rig.qr(order.order_id, "wechat")
    assert first.status_code == again.status_code == other_key.status_code == 200
    assert first.json()["qr_content"] == again.json()["qr_content"] \
        == other_key.json()["qr_content"]
    assert len(rig.attempts(order.order_id)) == 1
    conflict = rig.qr(order.order_id, "alipay", key="qr-key-00000000000001")
    assert (conflict.status_code, conflict.json()["code"]) == (409, "IDEMPOTENCY_KEY_REUSED")


@pytest.mark.parametrize("channel", CHANNELS)
def test_an_expired_qr_code_is_closed_and_so_is_the_order(rig: Rig, channel: str) -> None:
    order = rig.order()
    shown = rig.show_qr(order.order_id, channel)
    for _ in range(99):
        rig.advance(3)
        rig.run()
    assert rig.get(order.order_id).state == "unpaid"
    rig.advance(3)
    rig.run()  # 300 s: closed at the provider
    told = rig.get(order.order_id)
    assert (told.state, told.failure) == ("closed", "TIMED_OUT")
    (attempt,) = rig.attempts(order.order_id)
    assert (attempt.state, attempt.ending) == ("closed", "expired")
    again = rig.qr(order.order_id, channel)
    assert (again.status_code, again.json()["code"]) == (409, "ORDER_CLOSED")
    if channel == "wechat":
        assert rig.gateway.charge(channel, attempt.out_trade_no).state == "CLOSED"
        return
    # Alipay knows an unscanned code only once scanned: the close could not say, so the
    # platform keeps asking a while; a phone that pays it after all is refunded
    assert attempt.watch_until is not None
    rig.gateway.tap_pay(shown.qr_content)
    rig.advance(30)
    rig.run()
    (attempt,) = rig.attempts(order.order_id)
    assert attempt.state == "refunded"
    assert rig.get(order.order_id).state == "closed"
    assert kinds(rig) == [("alipay", "charge"), ("alipay", "refund")]
    rig.check_ledger()


def test_a_qr_code_paid_after_a_pay_code_is_refunded(rig: Rig) -> None:
    order = rig.order()
    shown = rig.show_qr(order.order_id, "alipay")  # nobody scans it: Alipay cannot close it
    paid = rig.pay(order.order_id, rig.gateway.wechat_code(5000))
    assert paid.state == "paid" and paid.channel == "wechat"
    qr_attempt, code_attempt = rig.attempts(order.order_id)
    assert (qr_attempt.state, qr_attempt.ending) == ("closed", "replaced")
    rig.gateway.tap_pay(shown.qr_content)  # the person paid the old code on the phone too
    (answer,) = rig.deliver()
    assert answer.text == "success"
    rig.run()
    qr_attempt, code_attempt = rig.attempts(order.order_id)
    assert (qr_attempt.state, code_attempt.state) == ("refunded", "paid")
    assert rig.get(order.order_id).state == "paid"
    assert kinds(rig) == [("wechat", "charge"), ("alipay", "charge"), ("alipay", "refund")]
    rig.check_ledger()


def test_switching_channels_closes_the_code_on_screen(rig: Rig) -> None:
    order = rig.order()
    wechat = rig.show_qr(order.order_id, "wechat")
    alipay = rig.show_qr(order.order_id, "alipay")
    assert alipay.qr_content != wechat.qr_content
    first, second = rig.attempts(order.order_id)
    assert (first.state, first.ending, second.state) == ("closed", "replaced", "open")
    assert rig.gateway.charge("wechat", first.out_trade_no).state == "CLOSED"
    rig.gateway.tap_pay(alipay.qr_content)
    rig.deliver()
    assert rig.get(order.order_id).state == "paid"
    rig.check_ledger()


def test_a_cancel_finds_a_qr_code_paid_just_before(rig: Rig) -> None:
    order = rig.order()
    shown = rig.show_qr(order.order_id, "wechat")
    rig.gateway.tap_pay(shown.qr_content)  # paid; the notification not in yet
    told = rig.cancel(order.order_id)
    assert told.state == "paid"  # the close was refused: the query found it paid
    rig.deliver()
    assert rig.get(order.order_id).state == "paid"
    assert kinds(rig) == [("wechat", "charge")]
    rig.check_ledger()


def test_a_cancel_closes_an_unpaid_qr_code(rig: Rig) -> None:
    order = rig.order()
    shown = rig.show_qr(order.order_id, "wechat")
    assert rig.cancel(order.order_id).state == "closed"
    (attempt,) = rig.attempts(order.order_id)
    assert (attempt.state, attempt.ending) == ("closed", "cancel")
    refused = rig.gateway.ledger.charge("wechat", attempt.out_trade_no)
    assert refused is not None and refused.state == "CLOSED"
    assert shown.qr_content and rig.gateway.movements() == []


def test_a_qr_code_while_a_pay_code_is_being_decided_is_refused(rig: Rig) -> None:
    order = rig.order()
    rig.pay(order.order_id, rig.gateway.wechat_code(5000, Script.user_paying(5)))
    refused = rig.qr(order.order_id, "alipay")
    assert (refused.status_code, refused.json()["code"]) == (409, "PAYMENT_IN_PROGRESS")


# -- notifications --------------------------------------------------------------------------


def test_forged_and_malformed_notifications_are_refused(rig: Rig) -> None:
    order = rig.order()
    shown = rig.show_qr(order.order_id, "wechat")
    rig.gateway.tap_pay(shown.qr_content)
    (notification,) = rig.gateway.notifications()
    forged = notification.body.replace(b'"ciphertext":"', b'"ciphertext":"AAAA')
    answer = rig.client.post(WECHAT_NOTIFY, content=forged, headers=notification.headers,
                             auth=None)
    assert answer.status_code == 401 and answer.json()["code"] == "FAIL"
    for body, headers in ((b"", {}), (b"{}", {"Wechatpay-Timestamp": "x"}),
                          (b"x" * 70_000, {})):
        answer = rig.client.post(WECHAT_NOTIFY, content=body, headers=headers, auth=None)
        assert answer.status_code in (401, 413)
    assert rig.get(order.order_id).state == "unpaid"  # nothing believed
    form = {"out_trade_no": numbers.out_trade_no(order.order_id, 1),
            "trade_status": "TRADE_SUCCESS", "app_id": "x", "sign": "AAAA", "sign_type": "RSA2"}
    for body in (urllib.parse.urlencode(form).encode(), b"", b"%zz&&==", b"\xff\xfe",
                 b"a=1&a=2"):
        answer = rig.client.post(ALIPAY_NOTIFY, content=body, auth=None, headers={
            "Content-Type": "application/x-www-form-urlencoded"})
        assert (answer.status_code, answer.text) == (200, "fail")
    assert rig.get(order.order_id).state == "unpaid"
    (answer,) = rig.deliver()  # the genuine one
    assert answer.status_code == 204 and rig.get(order.order_id).state == "paid"


def test_a_genuine_notification_of_no_order_of_ours_is_taken(rig: Rig) -> None:
    order = rig.order()
    shown = rig.show_qr(order.order_id, "alipay")
    rig.gateway.tap_pay(shown.qr_content)
    (notification,) = rig.gateway.notifications()
    fields = dict(urllib.parse.parse_qsl(notification.body.decode()))
    fields["out_trade_no"] = "SOMEBODYELSE01"
    fields.pop("sign"), fields.pop("sign_type")
    signed = rig.gateway.alipay_keys.alipay.sign(
        "&".join(f"{k}={v}" for k, v in sorted(fields.items())))
    body = urllib.parse.urlencode({**fields, "sign_type": "RSA2", "sign": signed}).encode()
    answer = rig.client.post(ALIPAY_NOTIFY, content=body, auth=None, headers={
        "Content-Type": "application/x-www-form-urlencoded"})
    assert answer.text == "success"  # verified: taken, so Alipay stops sending it
    assert rig.get(order.order_id).state == "unpaid"


def test_a_pay_code_after_the_qr_code_was_paid_is_not_charged(rig: Rig) -> None:
    order = rig.order()
    shown = rig.show_qr(order.order_id, "wechat")
    rig.gateway.tap_pay(shown.qr_content)  # paid on the phone; the notification not in yet
    code = rig.gateway.alipay_code(5000)
    told = rig.pay(order.order_id, code)  # closing the QR code first finds it paid
    assert (told.state, told.channel) == ("paid", "wechat")
    assert rig.gateway.balance(code) == 5000
    assert len(rig.attempts(order.order_id)) == 1
    assert kinds(rig) == [("wechat", "charge")]
    rig.check_ledger()
