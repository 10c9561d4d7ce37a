"""The payment screens for `python main.py screenshot` and the screen tests: sample steps with
realistic, made-up data, shown by the kiosk's own shell in standard and elder mode."""

from __future__ import annotations

from collections.abc import Callable

from common.i18n import tr
from flows.payment import DO_NOT_PAY_AGAIN, FAILURES, SETTLED_LATER
from flows.steps import (
    PAY_CODE,
    PAY_LATER,
    PAY_QR,
    Choice,
    MessageStep,
    PayCodeStep,
    PayingStep,
    PaymentStep,
    PayQrStep,
    Progress,
    ReceiptStep,
    Step,
)
from ui.app import Kiosk
from ui.screenshot_waits import live_pictures_drawn

SERVICE = "港澳通行证再次签注"
ITEM = "往来港澳通行证签注费"
AMOUNT_FEN = 1500
PROGRESS = Progress(5, 5)
CHOICES = (Choice(PAY_CODE, tr("扫付款码"), primary=True),
           Choice(PAY_QR["wechat"], tr("微信扫码支付")),
           Choice(PAY_QR["alipay"], tr("支付宝扫码支付")),
           Choice(PAY_LATER, tr("暂不缴费")))
QR = "weixin://wxpay/bizpayurl?pr=PO20261123000042"


def payment_steps() -> list[tuple[str, Step]]:
    """(file name, step) for every payment screen, and the receipt after one."""
    return [
        ("payment", PaymentStep(SERVICE, ITEM, AMOUNT_FEN, CHOICES, progress=PROGRESS)),
        ("payment-declined", PaymentStep(SERVICE, ITEM, AMOUNT_FEN, CHOICES,
                                         FAILURES["NOT_ENOUGH"], PROGRESS)),
        ("payment-code", PayCodeStep(ITEM, AMOUNT_FEN, progress=PROGRESS)),
        ("payment-qr", PayQrStep(ITEM, AMOUNT_FEN, "wechat", QR, "10:47", PROGRESS)),
        ("payment-paying", PayingStep(ITEM, AMOUNT_FEN, True, PROGRESS)),
        ("payment-unsettled", MessageStep(tr("支付结果待确认"), (DO_NOT_PAY_AGAIN, SETTLED_LATER),
                                          (Choice("next", tr("继续"), primary=True),),
                                          tone="warning", progress=PROGRESS)),
        ("payment-receipt", ReceiptStep(
            SERVICE, "张*三", "SL20261123000042", False, "2026-11-23 10:42",
            "签注将在 5 个工作日内生效。", "ZWRC:SL20261123000042:K7Q2M9X4A1B3C5D6",
            printed=True, payment=tr("已缴费 {amount} 元（{channel}，交易号 {transaction}）",
                                     amount="15.00", channel=tr("微信支付"),
                                     transaction="4200****1234"))),
        ("payment-receipt-later", ReceiptStep(
            SERVICE, "张*三", "SL20261123000043", False, "2026-11-23 10:45",
            "签注将在缴费后 5 个工作日内生效。", "ZWRC:SL20261123000043:K7Q2M9X4A1B3C5D7",
            printed=True, payment=tr(
                "未缴费 {amount}：请凭缴款码 {code} 到收费窗口或政务服务网缴纳。",
                amount=tr("{amount} 元", amount="15.00"), code="110000002026000042"))),
    ]


async def photograph_payment_screens(kiosk: Kiosk, save: Callable[[str], None]) -> None:
    """`save(name)` photographs the window as it is."""
    shell = kiosk.shell
    for name, step in payment_steps():
        for elder in (False, True):
            shell.set_elder_mode(elder)
            shell.show(step)
            await live_pictures_drawn(shell)
            save(f"{name}-elder" if elder else name)
    shell.set_elder_mode(False)
