"""The payment screens as a person meets them: the amount and what it is for, the ways to pay,
where to hold the pay code, the QR code, "请在手机上输入密码", and what tapping answers; every
one fits the kiosk's screen in standard and elder mode and is read aloud in a sentence."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from flows.steps import PAY_CODE, PAY_LATER, Choose, Nav
from tests.ui.conftest import buttons, texts
from ui.payment_samples import payment_steps
from ui.read_aloud import spoken_text
from ui.screens import screen_for
from ui.shell import Shell
from ui.style import style_sheet
from ui.tokens import ELDER, STANDARD
from ui.window import KioskWindow

SAMPLES = dict(payment_steps())


@pytest.fixture
def show(qapp, qtbot):
    answers: list = []

    def _show(step, tokens=STANDARD):
        qapp.setStyleSheet(style_sheet(tokens))
        screen = screen_for(step, tokens, answers.append)
        qtbot.addWidget(screen)
        screen.resize(1856, 800)
        screen.show()
        return screen

    _show.answers = answers
    return _show


def tap(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def test_the_fee_shows_the_amount_what_for_and_the_ways_to_pay(show, qtbot):
    screen = show(SAMPLES["payment"])
    shown = texts(screen)
    assert "15.00 元" in shown and "往来港澳通行证签注费" in shown
    assert "第 5 步，共 5 步" in shown
    tap(qtbot, buttons(screen)["扫付款码"])
    tap(qtbot, buttons(screen)["支付宝扫码支付"])
    tap(qtbot, buttons(screen)["暂不缴费"])
    assert show.answers == [Choose(PAY_CODE), Choose("alipay"), Choose(PAY_LATER)]
    said = spoken_text(screen)
    assert said.startswith("需要缴纳15.00 元，用于往来港澳通行证签注费。")
    assert "扫付款码、微信扫码支付、支付宝扫码支付、暂不缴费" in said


def test_a_payment_that_did_not_go_through_says_why_and_the_way_on(show):
    screen = show(SAMPLES["payment-declined"], ELDER)
    assert "余额不足，未扣款" in texts(screen)
    assert "余额不足，未扣款" in spoken_text(screen)


def test_the_pay_code_screen_says_where_to_hold_the_phone(show, qtbot):
    screen = show(SAMPLES["payment-code"])
    assert "扫码窗口" in texts(screen) and "15.00 元" in texts(screen)
    tap(qtbot, buttons(screen)["换一种方式"])
    assert show.answers == [Nav.BACK]


def test_the_qr_screen_shows_the_platforms_code_and_cancel_goes_back(show, qtbot):
    screen = show(SAMPLES["payment-qr"])
    assert screen.qr.isVisible() and "10:47 前有效" in texts(screen)
    assert "微信" in spoken_text(screen)
    tap(qtbot, buttons(screen)["取消支付"])
    assert show.answers == [Nav.BACK]


def test_while_paying_it_says_enter_your_password_and_cancel_is_there(show, qtbot):
    screen = show(SAMPLES["payment-paying"])
    assert "请在手机上输入密码" in texts(screen)
    assert spoken_text(screen).startswith("请在手机上输入密码")
    start = screen.spinner.angle
    qtbot.waitUntil(lambda: screen.spinner.angle != start, timeout=30_000)
    tap(qtbot, buttons(screen)["取消支付"])
    assert show.answers == [Nav.BACK]


def test_the_receipt_shows_the_fee_paid_or_how_to_pay_it(show):
    paid = texts(show(SAMPLES["payment-receipt"]))
    assert "已缴费 15.00 元（微信支付，交易号 4200****1234）" in paid
    later = texts(show(SAMPLES["payment-receipt-later"]))
    assert "110000002026000042" in later and "收费窗口" in later


def test_in_english_the_payment_screens_are_english(qapp, qtbot):
    window = KioskWindow("朝阳区政务服务中心")
    qtbot.addWidget(window)
    shell = Shell(qapp, window, "zh_CN")
    window.show()
    shell.set_language("en")
    try:
        shell.show(SAMPLES["payment"])
        shown = texts(window.current_screen)
        assert "Amount due" in shown and "应缴金额" not in shown
        assert "Pay later" in buttons(window.current_screen)
    finally:
        shell.set_language("zh_CN")
