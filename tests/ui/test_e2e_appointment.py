"""End to end: 预约 on the Qt kiosk (offscreen, simulated devices) against the real platform on
loopback. Home → 婚姻 → 婚姻登记预约's guide → 预约 / 签到 → 预约新时段 → the ID card and the
face → the first day → its first slot → confirm (the holder masked) → the confirmation on
screen and on the slip, whose QR code opens the appointment on the platform; and 签到 from
取号's first screen by that QR code for a priority ticket."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import cv2
import numpy as np
import pytest

from central import appointments
from central.db import AppointmentRecord
from central.queue import CHINA
from devices.codes.pipeline import read_codes
from tests.kiosk.citizen_platform import TERMINAL
from tests.ui.conftest import buttons, texts, until, while_running
from tests.ui.e2e import DEVICE_S, button_on, kiosk_at, on, tap, tapped
from ui.screens.appointment import AppointmentBookedScreen
from ui.screens.face import FaceScreen
from ui.screens.guide import GuideScreen
from ui.screens.home import HomeScreen
from ui.screens.identity import IdentityScreen
from ui.screens.message import MessageScreen
from ui.screens.queue_ticket import QueueChoiceScreen, QueueTicketScreen
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


def test_check_in_from_the_queue_screen_prints_a_priority_ticket(loop, kiosk, qtbot,
                                                                   platform) -> None:
    """An appointment of now in this hall (written as booking leaves it); home → 取号 →
    预约签到 → the slip's QR code on the scanner → CP001, marked 预约签到, printed."""
    now = datetime.now(UTC).astimezone(CHINA)
    if now.time() >= time(23, 58):
        pytest.skip("a slot around now would cross the hall's midnight")
    midnight = datetime.combine(now.date(), time(0, 0), CHINA)
    last_minute = datetime.combine(now.date(), time(23, 59), CHINA)
    token = "e2e-check-in-token-0123456789"
    with platform.app.state.sessions() as session:
        session.add(AppointmentRecord(
            token=token, hall=TERMINAL.hall, service_id="SS-025", day=now.date(),
            start=max(now - timedelta(minutes=10), midnight).strftime("%H:%M"),
            end=min(now + timedelta(minutes=50), last_minute).strftime("%H:%M"),
            seat=1, holder_key="k" * 64, holder_masked="张*",
            state="booked", terminal_id=TERMINAL.id, idempotency_key="e2e",
            booked_at=datetime.now(UTC), changed_at=datetime.now(UTC)))
        session.commit()
    window = kiosk.window
    printer = kiosk.terminal.devices.by_family["receipt_printer"]
    scanner = kiosk.terminal.devices.by_family["qr_scanner"]

    async def scenario():
        await until(lambda: on(kiosk, HomeScreen) and kiosk.shell.step.tiles, 30)
        await tapped(qtbot, window.current_screen.queue_button)
        await until(lambda: on(kiosk, QueueChoiceScreen), DEVICE_S)
        (check_in,) = [t for t in window.current_screen.tiles
                       if t.accessibleName().startswith("预约签到")]
        await tapped(qtbot, check_in)
        await until(lambda: on(kiosk, MessageScreen)
                    and "预约签到" in texts(window.current_screen))
        printed_before = len(printer.previews)
        scanner.scan(f"{platform.base_url.removesuffix('/api/v1')}/appointment/{token}")
        await until(lambda: on(kiosk, QueueTicketScreen), DEVICE_S)
        shown = texts(window.current_screen)
        assert "CP001" in shown and "预约签到" in shown and "二楼 C 区 9-12 号窗口" in shown
        assert len(printer.previews) == printed_before + 1
        assert "优先号：预约签到" in printer.previews[-1].text
        await tapped(qtbot, buttons(window.current_screen)["完成"])
        await until(lambda: on(kiosk, HomeScreen))

    while_running(loop, kiosk, scenario)
