"""收费 from end to end: the declaration flow with its scripted person and simulated devices,
the kiosk's own citizen services, journal and outbox (as `kiosk.terminal` builds them), the real
platform on loopback with its payments, and the payment gateway sandbox behind it, spoken to by
the real WeChat Pay and Alipay SDKs. Nothing is faked between the person's pay code and the
money: the sandbox's ledger says what was charged."""

from __future__ import annotations

import asyncio

from central.payments.sandbox import Script
from flows.declaration import declare
from flows.steps import PAY_CODE, PAY_LATER, Choose, PayingStep, PaymentStep, ReceiptStep
from tests.flows.scripted_ui import Wait
from tests.flows.test_payment import AFTER_RECEIPT, until_the_fee
from tests.kiosk.citizen_platform import run_sync_until
from tests.payment_e2e import clocks, gateway, kiosk_on, platform, records

__all__ = ["clocks", "gateway", "platform"]  # the harness's fixtures


def test_paid_with_a_wechat_code_after_the_password_on_the_phone(platform, gateway,
                                                                   seed_catalog, tmp_path):
    sandbox, _server = gateway
    code = sandbox.wechat_code(5000, Script.user_paying(2))  # USERPAYING, then paid
    kiosk = kiosk_on(platform, seed_catalog, tmp_path)
    kiosk.ui.script = [*until_the_fee(kiosk), Choose(PAY_CODE),
                       Wait(lambda step: kiosk.code_scanner.scan(code, "Code128")), Wait(),
                       *AFTER_RECEIPT]
    kiosk.run(declare, kiosk.service("SS-022"))

    (fee,) = kiosk.ui.of_type(PaymentStep)
    assert (fee.item, fee.amount_fen) == ("机动车驾驶证工本费", 1000), "priced by the platform"
    assert kiosk.ui.of_type(PayingStep), "请在手机上输入密码 while the provider waits"
    assert sandbox.balance(code) == 4000, "charged once, 10 元"

    (order,), (application,) = records(platform)
    assert order.state == "paid" and order.channel == "wechat"
    assert order.application_number == application.number, "the application names it"
    receipt = kiosk.ui.of_type(ReceiptStep)[0]
    assert not receipt.pending and receipt.number == application.number
    assert receipt.payment is not None and "已缴费 10.00 元" in receipt.payment.render()
    slip, _application_receipt = kiosk.receipt_printer.receipts
    assert slip.title == "缴费凭证" and any(row.key == "交易号" and "****" in row.value
                                            for row in slip.rows)
    terminal = kiosk.terminal  # type: ignore[attr-defined]
    asyncio.run(run_sync_until(terminal, lambda: terminal.outbox_sync.backlog() == 0))
    assert terminal.payments.journal.unsettled() == []


def test_declined_then_paid_later_the_application_names_its_unpaid_order(
        platform, gateway, seed_catalog, tmp_path):
    sandbox, _server = gateway
    code = sandbox.alipay_code(500)  # 5 元: not enough for 10
    kiosk = kiosk_on(platform, seed_catalog, tmp_path)
    kiosk.ui.script = [*until_the_fee(kiosk), Choose(PAY_CODE),
                       Wait(lambda step: kiosk.code_scanner.scan(code, "Code128")),
                       Choose(PAY_LATER), *AFTER_RECEIPT]
    kiosk.run(declare, kiosk.service("SS-022"))

    again = kiosk.ui.of_type(PaymentStep)[-1]
    assert again.problem is not None and "余额不足" in again.problem.render()
    assert sandbox.balance(code) == 500, "nothing charged"
    (order,), (application,) = records(platform)
    assert order.state == "unpaid" and order.application_number == application.number
    assert order.notice_code in application.answer["next_steps"]
    receipt = kiosk.ui.of_type(ReceiptStep)[0]
    assert receipt.number == application.number
    assert order.notice_code in receipt.payment.render()
    assert order.notice_code in kiosk.receipt_printer.last_text()
