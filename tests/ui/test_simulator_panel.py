"""The demo's simulator panel steers the simulators: a tap places a card the kiosk then reads,
holds a pay code the payment sandbox made to the scanner, opens the phone page of a QR code."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
import requests
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QWidget

from central.payments.sandbox import PaymentGateway, SandboxServer
from devices.cards import CardPresent, CardRemoved, IdCardData
from devices.registry import build_devices
from flows.steps import MessageStep, PayQrStep
from kiosk.settings import load_settings
from ui.simulator_panel import SimulatorPanel


def panel_button(panel: SimulatorPanel, text: str) -> QPushButton:
    (found,) = [b for b in panel.findChildren(QPushButton) if b.text() == text]
    return found


def test_placing_and_taking_an_id_card_from_the_panel(qtbot, loop):
    devices = build_devices(load_settings().devices)
    panel = SimulatorPanel(devices)
    qtbot.addWidget(panel)
    reader = devices.by_family["idcard"]

    async def scenario():
        devices.start(asyncio.get_running_loop())
        try:
            qtbot.mouseClick(panel_button(panel, "放身份证（60岁以上）"), Qt.MouseButton.LeftButton)
            placed = await asyncio.wait_for(reader.events.next(), 30)
            qtbot.mouseClick(panel_button(panel, "取走证件"), Qt.MouseButton.LeftButton)
            taken = await asyncio.wait_for(reader.events.next(), 30)
        finally:
            devices.stop()
        return placed, taken

    placed, taken = loop.run_until_complete(scenario())
    assert isinstance(placed, CardPresent) and isinstance(placed.card, IdCardData)
    assert placed.card.birth_date.year < 1966 and isinstance(taken, CardRemoved)


def test_a_fault_button_shows_in_the_panel_and_in_health(qtbot, loop):
    devices = build_devices(load_settings().devices)
    panel = SimulatorPanel(devices)
    qtbot.addWidget(panel)
    row = next(b for b in panel.findChildren(QPushButton) if b.text() == "缺纸")
    qtbot.mouseClick(row, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "PAPER_OUT" in " ".join(
        label.text() for label in panel.health_labels.values()))
    assert any(h.code == "PAPER_OUT" for h in devices.health_report().values())


def test_a_printed_receipt_shows_in_the_panel(qtbot, loop):
    from devices.printer.receipt import QrCode, Receipt, Row

    devices = build_devices(load_settings().devices)
    panel = SimulatorPanel(devices)
    qtbot.addWidget(panel)
    receipt = Receipt(title="受理回执", rows=(Row("受理编号", "SL2026112300001"),),
                      qr=QrCode("SL2026112300001"))
    result = loop.run_until_complete(devices.by_family["receipt_printer"].print_receipt(receipt))
    assert result.printed
    qtbot.waitUntil(lambda: panel.receipt_preview.pixmap() is not None
                    and not panel.receipt_preview.pixmap().isNull())
    assert panel.receipt_preview.pixmap().width() == 320


def test_the_last_printed_receipt_held_up_to_the_scanner_reads_its_code(qtbot, loop):
    from devices.printer.receipt import QrCode, Receipt, Row

    devices = build_devices(load_settings().devices)
    panel = SimulatorPanel(devices)
    qtbot.addWidget(panel)
    scanner = devices.by_family["qr_scanner"]
    code = "ZWRC:SL20261123000042:K7Q2M9X4A1B3C5D6"
    receipt = Receipt(title="受理回执", rows=(Row("受理编号", "SL20261123000042"),),
                      qr=QrCode(code, "扫码查询进度"))

    async def scenario():
        devices.start(asyncio.get_running_loop())
        try:
            assert (await devices.by_family["receipt_printer"].print_receipt(receipt)).printed
            qtbot.mouseClick(panel_button(panel, "扫最近打印的回执"), Qt.MouseButton.LeftButton)
            return await asyncio.wait_for(scanner.events.next(), 30)
        finally:
            devices.stop()

    read = loop.run_until_complete(scenario())
    assert read.format == "QRCode" and read.text == code


def test_the_panel_cuts_and_restores_the_terminals_network(qtbot):
    from kiosk.network_switch import NetworkSwitch

    network = NetworkSwitch()
    panel = SimulatorPanel(build_devices(load_settings().devices), network)
    qtbot.addWidget(panel)
    qtbot.mouseClick(panel_button(panel, "断网"), Qt.MouseButton.LeftButton)
    assert network.is_cut
    qtbot.waitUntil(lambda: panel.network_label.text() == "已断开")
    qtbot.mouseClick(panel_button(panel, "恢复网络"), Qt.MouseButton.LeftButton)
    assert not network.is_cut
    qtbot.waitUntil(lambda: panel.network_label.text() == "正常")


@pytest.fixture(scope="module")
def sandbox():
    """The payment gateway sandbox on loopback, as the demo platform serves it."""
    gateway = PaymentGateway()
    with SandboxServer(gateway) as server:
        yield gateway, server


def test_the_panel_holds_a_pay_code_from_the_sandbox_to_the_scanner(qtbot, loop, sandbox):
    gateway, server = sandbox
    devices = build_devices(load_settings().devices)
    panel = SimulatorPanel(devices, payment_sandbox=server.base_url)
    qtbot.addWidget(panel)
    scanner = devices.by_family["qr_scanner"]
    assert [panel.behaviour.itemText(i) for i in range(panel.behaviour.count())] == [
        "正常", "需输入密码", "余额不足", "无效码"]

    async def show(wallet: str, behaviour: str):
        panel.wallet.setCurrentText(wallet)
        panel.behaviour.setCurrentText(behaviour)
        qtbot.mouseClick(panel_button(panel, "出示付款码"), Qt.MouseButton.LeftButton)
        return await asyncio.wait_for(scanner.events.next(), 30)

    async def scenario():
        devices.start(asyncio.get_running_loop())
        try:
            return [await show(wallet, behaviour) for wallet, behaviour in (
                ("微信", "正常"), ("支付宝", "需输入密码"), ("微信", "余额不足"),
                ("支付宝", "无效码"))]
        finally:
            devices.stop()

    read = loop.run_until_complete(scenario())
    codes = [gateway.pay_code(code.text) for code in read]
    assert all(code is not None for code in codes), "each code the scanner read is the sandbox's"
    normal, password, short, stale = codes
    assert (normal.provider, normal.account.balance, normal.script.paying_for) == (
        "wechat", 100_000, None)
    assert (password.provider, password.script.paying_for) == ("alipay", 2)
    assert (short.provider, short.account.balance) == ("wechat", 100)
    assert stale.provider == "alipay" and stale.expires_at <= datetime.now(UTC)
    assert panel.pay_code == read[-1].text and read[-1].format == "Code128"
    said = f"已出示支付宝付款码（无效码）：{read[-1].text}"
    qtbot.waitUntil(lambda: panel.pay_status.text() == said)


def test_without_the_sandbox_the_panel_says_so(qtbot, loop):
    devices = build_devices(load_settings().devices)
    panel = SimulatorPanel(devices, payment_sandbox="http://127.0.0.1:9")  # nothing listens
    qtbot.addWidget(panel)
    qtbot.mouseClick(panel_button(panel, "出示付款码"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.pay_status.text().startswith("收费沙箱没有给出付款码"))
    assert panel.pay_code is None


def test_a_qr_code_on_screen_gives_its_phone_page(qtbot, sandbox):
    gateway, server = sandbox
    panel = SimulatorPanel(build_devices(load_settings().devices), payment_sandbox=server.base_url)
    qtbot.addWidget(panel)
    opened: list[str] = []
    panel.open_url = opened.append
    qr = gateway.ledger.precreate("wechat", "K-PANEL-1", 1500, "往来港澳通行证签注费", None,
                                  lambda token: "weixin://wxpay/bizpayurl?pr=" + token).charge.qr
    assert qr is not None
    assert not panel_button(panel, "在浏览器中打开").isEnabled()

    panel.follow_screen(PayQrStep("往来港澳通行证签注费", 1500, "wechat", qr, "10:47"), QWidget())
    qtbot.mouseClick(panel_button(panel, "在浏览器中打开"), Qt.MouseButton.LeftButton)
    assert opened == [panel.phone_url] and panel.phone_address.text() == panel.phone_url
    page = requests.get(opened[0], timeout=10)
    assert page.status_code == 200 and "¥15.00" in page.text and "确认支付" in page.text

    panel.follow_screen(MessageStep("缴费成功", (), ()), QWidget())  # the QR code is gone
    assert panel.phone_url is None and not panel_button(panel, "在浏览器中打开").isEnabled()
