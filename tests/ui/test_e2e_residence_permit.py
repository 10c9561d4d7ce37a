"""End to end, as a citizen does it: the Qt kiosk offscreen on simulated devices against the
real central platform on loopback.

Insert the ID card (the simulator panel's button) → face → 居住证申领 (SS-015) → fill in →
scan two pages → sign on the pad → submit → the receipt printed holds the acceptance number the
platform issued → rate → home; then 进度查询 by holding that receipt's QR code up to the
scanner shows the application. Every step is a tap on the widget the person would tap; only
the simulators are steered from the panel, as a demo operator would.
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QPushButton
from sqlalchemy import select

from central.contract import parse_receipt_code
from central.db import ApplicationRecord
from devices.codes.pipeline import read_codes
from tests.ui.conftest import buttons, texts, until, while_running
from tests.ui.e2e import DEVICE_S, button_on, kiosk_at, on, tap, tapped
from ui.screens.consent import ConsentScreen
from ui.screens.evaluation import EvaluationScreen
from ui.screens.face import FaceScreen
from ui.screens.form import FormScreen
from ui.screens.guide import GuideScreen
from ui.screens.home import HomeScreen
from ui.screens.identity import IdentityScreen
from ui.screens.message import MessageScreen
from ui.screens.progress import ProgressScreen
from ui.screens.receipt import ReceiptScreen
from ui.screens.review import ReviewScreen
from ui.screens.scan import ScanScreen
from ui.screens.signature import SignatureScreen
from ui.screens.situation import SituationScreen
from ui.screens.theme import ThemeScreen


@pytest.fixture
def kiosk(qapp, qtbot, platform, tmp_path):
    kiosk = kiosk_at(qapp, qtbot, platform, tmp_path / "kiosk")
    yield kiosk
    qapp.removeEventFilter(kiosk.activity)


def receipt_qr(png: bytes) -> str:
    picture = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_GRAYSCALE)
    codes = [c.text for c in read_codes(picture, budget_s=2.0) if c.format == "QRCode"]
    assert codes, "the printed receipt carries a QR code"
    return codes[0]


def test_a_residence_permit_from_card_to_receipt_rating_and_progress(loop, kiosk, qtbot,
                                                                     platform):
    window, panel = kiosk.window, kiosk.test_panel
    devices = kiosk.terminal.devices.by_family
    printer = devices["receipt_printer"]

    def panel_button(text: str) -> QPushButton:
        return button_on(panel, text)

    async def scenario():
        # home → 流动人口 → 居住证申领 → its guide → 开始办理
        await until(lambda: on(kiosk, HomeScreen) and kiosk.shell.step.tiles, 30)
        while not any(t.startswith("流动人口") for t in buttons(window.current_screen)):
            await tapped(qtbot, buttons(window.current_screen)["下一页"])
        await tapped(qtbot, next(b for t, b in buttons(window.current_screen).items()
                                 if t.startswith("流动人口")))
        await until(lambda: on(kiosk, ThemeScreen))
        await tapped(qtbot, buttons(window.current_screen)["居住证申领    ›"])
        await until(lambda: on(kiosk, GuideScreen))
        assert "居住证暂行条例" in texts(window.current_screen)
        await tapped(qtbot, window.current_screen.start_button)

        # identity: the card on the reader (the panel), then the live face
        await until(lambda: on(kiosk, IdentityScreen), 30)
        assert "请将身份证平放在读卡区" in texts(window.current_screen)
        tap(qtbot, panel_button("出现人脸"))
        tap(qtbot, panel_button("放身份证（张三）"))
        await until(lambda: on(kiosk, FaceScreen), DEVICE_S)
        assert "张*" in texts(window.current_screen)
        await until(lambda: on(kiosk, SituationScreen), DEVICE_S)

        # 情形 → consent, item by item
        await tapped(qtbot, buttons(window.current_screen)["合法稳定就业证明"])
        await until(lambda: on(kiosk, ConsentScreen))
        for toggle in window.current_screen.toggles.values():
            await tapped(qtbot, toggle)
        await tapped(qtbot, buttons(window.current_screen)["确认并继续"])

        # the form: name and ID number came from the card, locked and masked
        await until(lambda: on(kiosk, FormScreen))
        form = window.current_screen
        shown = texts(form)
        assert "张*" in shown and "110***********0011" in shown and "张三" not in shown
        for digit in "13812345678":  # the mobile number on the on-screen keypad
            await tapped(qtbot, form.keypad.keys[digit])
        address = form.inputs["address"]
        await tapped(qtbot, address)
        typed = QInputMethodEvent()  # what the pinyin keyboard commits
        typed.setCommitString("北京市朝阳区幸福路8号")
        QApplication.sendEvent(address, typed)
        delivery = next(b for b in form.findChildren(QPushButton)
                        if b.property("option") == "窗口领取")
        await tapped(qtbot, delivery)
        await tapped(qtbot, form.next_button)

        # two materials, one page each, on the document camera
        for seed in (24, 7):
            await until(lambda: on(kiosk, ScanScreen) and not window.current_screen.thumbnails,
                        DEVICE_S)
            devices["document_camera"].place_page(seed)
            await until(lambda: on(kiosk, ScanScreen)
                        and len(window.current_screen.thumbnails) == 1, DEVICE_S)
            await tapped(qtbot, buttons(window.current_screen)["完成，下一步"])

        # the signature: a stroke on the pad
        await until(lambda: on(kiosk, SignatureScreen), DEVICE_S)
        pad = window.current_screen.pad
        qtbot.mousePress(pad, Qt.MouseButton.LeftButton, pos=QPoint(200, 150))
        for x in range(210, 600, 15):
            qtbot.mouseMove(pad, QPoint(x, 150 + (x // 15) % 4 * 20))
        qtbot.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=QPoint(600, 160))
        await tapped(qtbot, window.current_screen.confirm_button)

        # review (masked) → submit
        await until(lambda: on(kiosk, ReviewScreen))
        review = texts(window.current_screen)
        assert "138****5678" in review and "13812345678" not in review
        await tapped(qtbot, buttons(window.current_screen)["确认提交"])

        # the receipt: accepted by the platform, printed, the same number on screen
        await until(lambda: on(kiosk, ReceiptScreen), DEVICE_S)
        receipt = window.current_screen
        assert "提交成功，已受理" in texts(receipt) and "回执已打印" in texts(receipt)
        await until(lambda: len(printer.previews) == 1, DEVICE_S)
        code = receipt_qr(printer.previews[-1].preview)
        number, _signature = parse_receipt_code(code)
        assert number in texts(receipt)
        with platform.app.state.sessions() as session:
            numbers = list(session.scalars(select(ApplicationRecord.number)))
        assert numbers == [number], "one application at the platform, the printed number"
        await tapped(qtbot, buttons(receipt)["完成"])

        # rate: one tap on 满意, then the reminder and home
        await until(lambda: on(kiosk, EvaluationScreen))
        await tapped(qtbot, window.current_screen.levels[4])
        await until(lambda: on(kiosk, MessageScreen))
        assert "请取走您的身份证" in texts(window.current_screen)
        await tapped(qtbot, buttons(window.current_screen)["返回首页"])
        tap(qtbot, panel_button("取走证件"))
        await until(lambda: on(kiosk, HomeScreen))

        # progress: hold the printed receipt up to the scanner
        await tapped(qtbot, window.current_screen.progress_button)
        await until(lambda: on(kiosk, MessageScreen)
                    and "办理进度查询" in texts(window.current_screen))  # in plain words
        tap(qtbot, panel_button("扫最近打印的回执"))
        await until(lambda: on(kiosk, ProgressScreen), DEVICE_S)
        progress = texts(window.current_screen)
        assert number in progress and "居住证申领" in progress and "张*" in progress
        await tapped(qtbot, window.home_button)
        await until(lambda: on(kiosk, HomeScreen))
        return number

    number = while_running(loop, kiosk, scenario)
    assert number.startswith("SL")
