"""收费 end to end, as a citizen pays it: the Qt kiosk offscreen on simulated devices, the real
platform on loopback taking payments at the payment gateway sandbox beside it, as the demo
runs (`EmbeddedPlatform(payment_sandbox=True)`), spoken to by the real WeChat Pay and Alipay SDKs.

SS-018 港澳通行证再次签注 (15 元): the ID card (the simulator panel) → face → consent → the form
→ the pass scanned → the signature → 确认提交 → the fee → paid → the slip and the receipt.

- 扫付款码: the panel's 出示付款码 holds the person's WeChat pay code, made by the sandbox's
  admin API and scripted to want a password on the phone, to the scanner camera;
- 扫码支付: the QR code on the screen, read off the screen's pixels, is paid in Chromium on the
  sandbox's phone page (确认支付), the address the panel gives for it.

What the person sees is asserted at each step, then what was printed, what the gateway's ledger
holds (charged once) and what the platform holds (the application naming its paid order).
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QPushButton, QWidget
from sqlalchemy import select

from central.db import ApplicationRecord, PaymentOrderRecord
from central.payments.sandbox import State
from central.server import EmbeddedPlatform
from devices.codes.pipeline import read_codes
from tests.console.conftest import on_playwright_thread
from tests.kiosk.citizen_platform import TERMINAL
from tests.ui.conftest import buttons, texts, until, while_running
from tests.ui.e2e import DEVICE_S, button_on, kiosk_at, on, tap, tapped
from ui.screens.consent import ConsentScreen
from ui.screens.face import FaceScreen
from ui.screens.form import FormScreen
from ui.screens.guide import GuideScreen
from ui.screens.home import HomeScreen
from ui.screens.identity import IdentityScreen
from ui.screens.payment import PayCodeScreen, PayingScreen, PaymentScreen, PayQrScreen
from ui.screens.receipt import ReceiptScreen
from ui.screens.review import ReviewScreen
from ui.screens.scan import ScanScreen
from ui.screens.signature import SignatureScreen
from ui.screens.theme import ThemeScreen

FEE_FEN = 1500
ITEM = "往来港澳通行证签注费"  # what the platform's fee table calls SS-018's fee
PAY_S = 60.0  # the platform asks the provider about a charge every 3 s (the demo's timing)


@pytest.fixture
def platform(tmp_path: Path):
    """The platform as the demo runs it: payments at the sandbox it serves beside itself."""
    server = EmbeddedPlatform(f"sqlite:///{tmp_path}/central.db", terminals=[TERMINAL],
                              sweep_interval_s=0, payment_sandbox=True)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def kiosk(qapp, qtbot, platform, tmp_path):
    kiosk = kiosk_at(qapp, qtbot, platform, tmp_path / "kiosk")
    yield kiosk
    qapp.removeEventFilter(kiosk.activity)


def records(platform: EmbeddedPlatform) -> tuple[list[PaymentOrderRecord],
                                                 list[ApplicationRecord]]:
    with platform.app.state.sessions() as session:
        orders = list(session.scalars(select(PaymentOrderRecord)))
        applications = list(session.scalars(select(ApplicationRecord)))
        session.expunge_all()
    return orders, applications


async def until_the_fee(kiosk, qtbot) -> None:
    """SS-018 from home to its fee: the card and face, consent, the form, the pass on the
    document camera, the signature, the review with its fee, 确认提交."""
    window, panel = kiosk.window, kiosk.test_panel
    camera = kiosk.terminal.devices.by_family["document_camera"]

    await until(lambda: on(kiosk, HomeScreen) and kiosk.shell.step.tiles, 30)
    while not any(t.startswith("护照通行证") for t in buttons(window.current_screen)):
        await tapped(qtbot, buttons(window.current_screen)["下一页"])
    await tapped(qtbot, next(b for t, b in buttons(window.current_screen).items()
                             if t.startswith("护照通行证")))
    await until(lambda: on(kiosk, ThemeScreen))
    await tapped(qtbot, buttons(window.current_screen)["港澳通行证再次签注    ›"])
    await until(lambda: on(kiosk, GuideScreen))
    assert "15 元，可在本机缴纳" in texts(window.current_screen)
    await tapped(qtbot, window.current_screen.start_button)

    await until(lambda: on(kiosk, IdentityScreen), 30)
    tap(qtbot, button_on(panel, "出现人脸"))
    tap(qtbot, button_on(panel, "放身份证（张三）"))
    await until(lambda: on(kiosk, FaceScreen), DEVICE_S)
    await until(lambda: on(kiosk, ConsentScreen), DEVICE_S)
    for toggle in window.current_screen.toggles.values():
        await tapped(qtbot, toggle)
    await tapped(qtbot, buttons(window.current_screen)["确认并继续"])

    await until(lambda: on(kiosk, FormScreen))
    form = window.current_screen
    assert "张*" in texts(form) and "张三" not in texts(form)
    for option in ("探亲（T）", "一次"):
        await tapped(qtbot, next(b for b in form.findChildren(QPushButton)
                                 if b.property("option") == option))
    await tapped(qtbot, form.next_button)

    await until(lambda: on(kiosk, ScanScreen) and not window.current_screen.thumbnails,
                DEVICE_S)
    assert "有效电子往来港澳通行证" in texts(window.current_screen)
    camera.place_page(11)
    await until(lambda: on(kiosk, ScanScreen) and len(window.current_screen.thumbnails) == 1,
                DEVICE_S)
    await tapped(qtbot, buttons(window.current_screen)["完成，下一步"])

    await until(lambda: on(kiosk, SignatureScreen), DEVICE_S)
    pad = window.current_screen.pad
    qtbot.mousePress(pad, Qt.MouseButton.LeftButton, pos=QPoint(200, 150))
    for x in range(210, 600, 15):
        qtbot.mouseMove(pad, QPoint(x, 150 + (x // 15) % 4 * 20))
    qtbot.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=QPoint(600, 160))
    await tapped(qtbot, window.current_screen.confirm_button)

    await until(lambda: on(kiosk, ReviewScreen))
    review = texts(window.current_screen)
    assert "探亲（T）" in review and "15 元：提交后可在本机缴纳（微信、支付宝）" in review
    await tapped(qtbot, buttons(window.current_screen)["确认提交"])

    # the fee: how much, what for, the ways to pay
    await until(lambda: on(kiosk, PaymentScreen), DEVICE_S)
    fee = texts(window.current_screen)
    assert "缴纳费用" in fee and "15.00 元" in fee and ITEM in fee
    assert {"扫付款码", "微信扫码支付", "支付宝扫码支付", "暂不缴费"} <= set(
        buttons(window.current_screen))


async def the_paid_receipt(kiosk, channel: str) -> str:
    """The receipt on screen once paid: the fee paid, the number the platform accepted it
    under; returns what it shows."""
    window = kiosk.window
    await until(lambda: on(kiosk, ReceiptScreen), PAY_S)
    shown = texts(window.current_screen)
    assert f"已缴费 15.00 元（{channel}，交易号" in shown
    assert "回执已打印" in shown and "港澳通行证再次签注" in shown
    return shown


def slip_and_receipt(kiosk) -> tuple[str, str]:
    """What the receipt printer printed: the 缴费凭证, then the 签注凭条."""
    printer = kiosk.terminal.devices.by_family["receipt_printer"]
    assert len(printer.previews) == 2, "the slip and the receipt, once each"
    return printer.previews[0].text, printer.previews[1].text


def paid_once(platform: EmbeddedPlatform, shown: str, channel: str) -> PaymentOrderRecord:
    """The platform holds one paid order, named by the one application, whose number the
    receipt shows."""
    (order,), (application,) = records(platform)
    assert (order.state, order.channel, order.amount_fen, order.service_id) == (
        "paid", channel, FEE_FEN, "SS-018")
    assert order.application_number == application.number, "the application names it"
    assert application.number in shown and application.service_id == "SS-018"
    return order


def test_paid_with_a_wechat_pay_code_after_the_password_on_the_phone(loop, kiosk, qtbot,
                                                                      platform):
    window, panel = kiosk.window, kiosk.test_panel
    gateway = platform.gateway
    assert gateway is not None

    async def scenario() -> str:
        await until_the_fee(kiosk, qtbot)
        await tapped(qtbot, buttons(window.current_screen)["扫付款码"])
        await until(lambda: on(kiosk, PayCodeScreen))
        code_screen = texts(window.current_screen)
        assert "扫码窗口" in code_screen and "15.00 元" in code_screen

        # the person's phone, held to the scanner: a WeChat pay code that wants a password
        panel.wallet.setCurrentText("微信")
        panel.behaviour.setCurrentText("需输入密码")
        tap(qtbot, button_on(panel, "出示付款码"))
        await until(lambda: on(kiosk, PayingScreen), DEVICE_S)
        paying = texts(window.current_screen)
        assert "请在手机上输入密码" in paying and f"{ITEM}：15.00 元" in paying
        assert "不要重复付款" in paying

        shown = await the_paid_receipt(kiosk, "微信支付")
        tap(qtbot, button_on(panel, "拿开"))  # the phone goes back into the pocket
        return shown

    shown = while_running(loop, kiosk, scenario)

    code = panel.pay_code
    assert code is not None and code.startswith(("10", "11", "12", "13", "14", "15"))
    assert gateway.balance(code) == 100_000 - FEE_FEN, "charged once, 15 元"
    assert [(m.provider, m.kind, m.amount) for m in gateway.movements()] == [
        ("wechat", "charge", FEE_FEN)]
    order = paid_once(platform, shown, "wechat")
    (charge,) = gateway.charges()
    assert charge.code == code and charge.state == State.SUCCESS
    assert order.transaction_id == charge.trade_no

    slip, receipt = slip_and_receipt(kiosk)
    assert "缴费凭证" in slip and ITEM in slip and "15.00 元" in slip and "微信支付" in slip
    assert charge.trade_no not in slip and "****" in slip, "the transaction masked"
    assert "签注凭条" in receipt and "已缴费 15.00 元" in receipt


def screen_qr(widget: QWidget) -> str:
    """The QR code's text, read off what the screen shows."""
    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_Grayscale8)
    pixels = np.frombuffer(image.constBits(), np.uint8).reshape(
        image.height(), image.bytesPerLine())[:, :image.width()].copy()
    codes = [c.text for c in read_codes(pixels, budget_s=2.0) if c.format == "QRCode"]
    assert len(codes) == 1, "one QR code on the screen"
    return codes[0]


def pay_on_the_phone(browser, url: str) -> tuple[str, str]:
    """The phone that scanned the QR code: its page, 确认支付; what it showed before and after.
    On Playwright's thread."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        page.goto(url)
        before = page.inner_text("body")
        page.get_by_role("button", name="确认支付").click()
        page.get_by_role("heading", name="支付成功").wait_for()
        return before, page.inner_text("body")
    finally:
        context.close()


def test_paid_by_scanning_the_alipay_qr_code_on_screen(loop, kiosk, qtbot, platform, browser):
    window, panel = kiosk.window, kiosk.test_panel
    gateway = platform.gateway
    assert gateway is not None and platform.sandbox is not None
    phone_seen: list[tuple[str, str]] = []

    async def scenario() -> str:
        await until_the_fee(kiosk, qtbot)
        await tapped(qtbot, buttons(window.current_screen)["支付宝扫码支付"])
        await until(lambda: on(kiosk, PayQrScreen), DEVICE_S)
        screen = window.current_screen
        shown = texts(screen)
        assert "支付宝扫码支付" in shown and "15.00 元" in shown and "前有效" in shown

        # the QR code as a phone sees it, and the phone page the panel gives for it
        qr = await asyncio.to_thread(screen_qr, screen.qr)
        url = panel.phone_url
        assert url is not None and url.startswith(platform.sandbox.base_url + "/phone?")
        assert parse_qs(urlsplit(url).query)["code"] == [qr]
        phone_seen.append(await asyncio.to_thread(on_playwright_thread, pay_on_the_phone,
                                                  browser, url))
        return await the_paid_receipt(kiosk, "支付宝")

    shown = while_running(loop, kiosk, scenario)

    (before, after), = phone_seen
    assert "支付宝" in before and ITEM in before and "¥15.00" in before
    assert "支付成功" in after
    assert [(m.provider, m.kind, m.amount) for m in gateway.movements()] == [
        ("alipay", "charge", FEE_FEN)]
    order = paid_once(platform, shown, "alipay")
    (charge,) = gateway.charges()
    assert charge.kind == "qr" and charge.state == State.SUCCESS
    assert order.transaction_id == charge.trade_no

    slip, receipt = slip_and_receipt(kiosk)
    assert "缴费凭证" in slip and "15.00 元" in slip and "支付宝" in slip
    assert "签注凭条" in receipt and "已缴费 15.00 元" in receipt
