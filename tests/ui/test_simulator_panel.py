"""The demo's simulator panel steers the simulators: a tap places a card the kiosk then reads."""

from __future__ import annotations

import asyncio

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from devices.cards import CardPresent, CardRemoved, IdCardData
from devices.registry import build_devices
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
