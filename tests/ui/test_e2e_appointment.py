"""End to end: 预约 on the Qt kiosk (offscreen, simulated devices) against the real platform on
loopback. Home → 婚姻 → 婚姻登记预约's guide → 预约 / 签到 → 预约新时段 → the ID card and the
face → the first day → its first slot → confirm (the holder masked) → the confirmation on
screen and on the slip, whose QR code opens the appointment on the platform."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from central import appointments
from devices.codes.pipeline import read_codes
from tests.ui.conftest import buttons, texts, until, while_running
from tests.ui.e2e import DEVICE_S, button_on, kiosk_at, on, tap, tapped
from ui.screens.appointment import AppointmentBookedScreen
from ui.screens.face import FaceScreen
from ui.screens.guide import GuideScreen
from ui.screens.home import HomeScreen
from ui.screens.identity import IdentityScreen
from ui.screens.message import MessageScreen
from ui.screens.queue_ticket import QueueChoiceScreen
from ui.screens.theme import ThemeScreen


@pytest.fixture
def kiosk(qapp, qtbot, platform, tmp_path):
    kiosk = kiosk_at(qapp, qtbot, platform, tmp_path / "kiosk")
    yield kiosk
    qapp.removeEventFilter(kiosk.activity)


def slip_qr(png: bytes) -> str:
    picture = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_GRAYSCALE)
    codes = [c.text for c in read_codes(picture, budget_s=2.0) if c.format == "QRCode"]
    assert codes, "the printed slip carries a QR code"
    return codes[0]


def test_an_appointment_booked_from_the_guide(loop, kiosk, qtbot, platform) -> None:
    window, panel = kiosk.window, kiosk.test_panel
    printer = kiosk.terminal.devices.by_family["receipt_printer"]

    async def scenario():
        await until(lambda: on(kiosk, HomeScreen) and kiosk.shell.step.tiles, 30)
        while not any(t.startswith("婚姻") for t in buttons(window.current_screen)):
            await tapped(qtbot, buttons(window.current_screen)["下一页"])
        await tapped(qtbot, next(b for t, b in buttons(window.current_screen).items()
                                 if t.startswith("婚姻")))
        await until(lambda: on(kiosk, ThemeScreen))
        await tapped(qtbot, buttons(window.current_screen)["婚姻登记预约    ›"])
        await until(lambda: on(kiosk, GuideScreen))
        await tapped(qtbot, window.current_screen.start_button)

        await until(lambda: on(kiosk, QueueChoiceScreen), DEVICE_S)
        await tapped(qtbot, window.current_screen.tiles[0])  # 预约新时段
        await until(lambda: on(kiosk, IdentityScreen), DEVICE_S)
        tap(qtbot, button_on(panel, "出现人脸"))
        tap(qtbot, button_on(panel, "放身份证（张三）"))
        await until(lambda: on(kiosk, FaceScreen), DEVICE_S)

        await until(lambda: on(kiosk, QueueChoiceScreen)
                    and "请选择预约日期" in texts(window.current_screen), DEVICE_S)
        await tapped(qtbot, window.current_screen.tiles[0])
        await until(lambda: on(kiosk, QueueChoiceScreen)
                    and "请选择预约时段" in texts(window.current_screen))
        await tapped(qtbot, window.current_screen.tiles[0])
        await until(lambda: on(kiosk, MessageScreen)
                    and "请确认预约信息" in texts(window.current_screen))
        shown = texts(window.current_screen)
        assert "张*" in shown and "110***********0011" in shown and "张三" not in shown
        printed_before = len(printer.previews)
        await tapped(qtbot, buttons(window.current_screen)["确认预约"])

        await until(lambda: on(kiosk, AppointmentBookedScreen), DEVICE_S)
        shown = texts(window.current_screen)
        assert "婚姻登记预约" in shown and "二楼 C 区 9-12 号窗口" in shown and "张*" in shown
        assert len(printer.previews) == printed_before + 1
        slip = printer.previews[-1]
        assert "预约凭证" in slip.text and "110***********0011" in slip.text
        token = slip_qr(slip.preview).rsplit("/", 1)[-1]
        with platform.app.state.sessions() as session:
            record = appointments.find(session, token)
            assert record is not None and record.state == "booked"
            assert record.holder_masked == "张*"

        await tapped(qtbot, buttons(window.current_screen)["完成"])
        await until(lambda: on(kiosk, HomeScreen))
        assert "请取走您的证件" in texts(window.current_screen)
        tap(qtbot, button_on(panel, "取走证件"))

    while_running(loop, kiosk, scenario)
