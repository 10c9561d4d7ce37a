"""主扫: the kiosk shows a QR code (WeChat native precreate, Alipay precreate), a phone pays
it on the sandbox's phone page, and the provider notifies the order's notify_url; the
merchant's SDK decrypts or verifies the notification itself."""

from __future__ import annotations

import json
import urllib.parse
from typing import Any

import pytest
import requests
from wechatpayv3 import WeChatPay, WeChatPayType

from central.payments.sandbox import ManualClock, PaymentGateway, QrScript, SandboxServer, State
from tests.console.conftest import on_playwright_thread

from .conftest import NotifySink, alipay_client, order_no, wechat_client


@pytest.fixture
def native(gateway: PaymentGateway, server: SandboxServer, sink: NotifySink) -> WeChatPay:
    return wechat_client(gateway, server, WeChatPayType.NATIVE, notify_url=sink.url)


def precreate(native: WeChatPay, no: str, description: str = "不动产登记费") -> str:
    status, text = native.pay(description=description, out_trade_no=no,
                              amount={"total": 8000}, pay_type=WeChatPayType.NATIVE)
    assert status == 200
    return json.loads(text)["code_url"]


def phone(server: SandboxServer, qr: str) -> requests.Response:
    return requests.get(f"{server.base_url}/phone", params={"code": qr}, timeout=10)


def tap(server: SandboxServer, qr: str) -> requests.Response:
    return requests.post(f"{server.base_url}/phone/pay", data={"code": qr}, timeout=10)


def test_wechat_native_paid_on_the_phone_and_notified(
        native: WeChatPay, gateway: PaymentGateway, server: SandboxServer,
        sink: NotifySink) -> None:
    no = order_no()
    qr = precreate(native, no)
    assert qr.startswith("weixin://wxpay/bizpayurl?pr=")
    assert json.loads(native.query(out_trade_no=no)[1])["trade_state"] == "NOTPAY"
    page = phone(server, qr)
    assert page.status_code == 200 and "¥80.00" in page.text and "确认支付" in page.text
    assert "<script" not in page.text and "script-src" not in page.headers[
        "Content-Security-Policy"]
    assert tap(server, qr).status_code == 200
    assert json.loads(native.query(out_trade_no=no)[1])["trade_state"] == "SUCCESS"
    assert gateway.deliver_notifications() == 1
    headers, body = sink.received[0]
    notice = native.callback(headers, body)  # the SDK verifies the signature and decrypts
    assert notice["event_type"] == "TRANSACTION.SUCCESS"
    assert notice["resource"]["out_trade_no"] == no
    assert notice["resource"]["trade_state"] == "SUCCESS"
    assert notice["resource"]["amount"]["total"] == 8000


def test_alipay_precreate_exists_only_once_scanned_and_notifies_signed(
        gateway: PaymentGateway, server: SandboxServer, sink: NotifySink) -> None:
    alipay = alipay_client(gateway, server)
    no = order_no()
    created = alipay.api_alipay_trade_precreate("不动产登记费", no, "80.00", notify_url=sink.url)
    qr = created["qr_code"]
    assert qr.startswith("https://qr.alipay.com/")
    before = alipay.api_alipay_trade_query(out_trade_no=no)
    assert before["sub_code"] == "ACQ.TRADE_NOT_EXIST"  # nobody has scanned it yet
    assert phone(server, qr).status_code == 200
    assert alipay.api_alipay_trade_query(out_trade_no=no)["trade_status"] == "WAIT_BUYER_PAY"
    assert tap(server, qr).status_code == 200
    assert alipay.api_alipay_trade_query(out_trade_no=no)["trade_status"] == "TRADE_SUCCESS"
    assert gateway.deliver_notifications() == 1
    form = dict(urllib.parse.parse_qsl(sink.received[0][1].decode()))
    signature = form.pop("sign")
    assert alipay.verify(form, signature)
    assert (form["out_trade_no"], form["trade_status"], form["total_amount"]) == (
        no, "TRADE_SUCCESS", "80.00")


def test_a_failed_notification_is_retried_on_the_providers_schedule(
        native: WeChatPay, gateway: PaymentGateway, server: SandboxServer, sink: NotifySink,
        clock: ManualClock) -> None:
    sink.replies = [(500, b"busy")]
    qr = precreate(native, order_no())
    gateway.tap_pay(qr)
    assert gateway.deliver_notifications() == 0  # the merchant answered 500
    assert gateway.deliver_notifications() == 0  # and the retry is not due yet
    clock.advance(15)
    assert gateway.deliver_notifications() == 1
    (notification,) = gateway.notifications()
    assert [a.outcome for a in notification.attempts] == ["500", "200"]
    assert notification.delivered and len(sink.received) == 2


def test_a_scripted_qr_order_loses_its_precreate_answer_and_the_phone_is_short(
        native: WeChatPay, gateway: PaymentGateway, server: SandboxServer) -> None:
    no = order_no()
    gateway.script_qr_order("wechat", no, QrScript(lost_responses=1, phone_balance=5000))
    with pytest.raises(requests.ConnectionError):
        precreate(native, no)
    qr = precreate(native, no)  # sent again with the same parameters: the same order
    charge = gateway.charge("wechat", no)
    assert charge is not None and charge.qr == qr
    refused = tap(server, qr)
    assert refused.status_code == 409 and "余额不足" in refused.text
    assert json.loads(native.query(out_trade_no=no)[1])["trade_state"] == "NOTPAY"
    assert native.close(no)[0] == 204
    assert json.loads(native.query(out_trade_no=no)[1])["trade_state"] == "CLOSED"
    assert "订单已关闭" in phone(server, qr).text


def test_phone_page_in_chromium_renders_data_escaped_and_pays(
        native: WeChatPay, gateway: PaymentGateway, server: SandboxServer, browser: Any) -> None:
    no = order_no()
    hostile = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
    qr = precreate(native, no, description=hostile)

    def on_the_phone() -> tuple[str, str, int, str, list[str]]:
        context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
        try:
            page = context.new_page()
            dialogs: list[str] = []
            page.on("dialog", lambda dialog: dialogs.append(dialog.message))
            page.goto(f"{server.base_url}/phone?{urllib.parse.urlencode({'code': qr})}")
            shown = (page.locator(".what").inner_text(), page.locator(".amount").inner_text(),
                     page.locator("img").count())
            page.get_by_role("button", name="确认支付").click()
            page.wait_for_load_state()
            return (*shown, page.locator("h1").inner_text(), dialogs)
        finally:
            context.close()

    what, amount, images, heading, dialogs = on_playwright_thread(on_the_phone)
    assert what == hostile  # shown as text
    assert amount == "¥80.00" and images == 0
    assert "支付成功" in heading
    assert dialogs == []
    charge = gateway.charge("wechat", no)
    assert charge is not None and charge.state == State.SUCCESS
