"""The staff exit on screen: the four corners open the PIN pad (one corner, three, or four too
slowly open nothing), three wrong PINs lock it and the screen says for how long, the right PIN
after the lock opens the maintenance menu and pauses serving; each attempt arrives at the
platform as an event of the terminal; the menu's device check, power commands, 退出到桌面 and
返回服务."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtWidgets import QWidget
from sqlalchemy import select

from central.console import views
from central.db import TerminalEvent
from common.i18n import tr as mark
from devices.check import CheckResult
from devices.registry import build_devices
from kiosk.settings import DataSettings, load_settings
from kiosk.staff_pin import StaffPin
from kiosk.terminal import Terminal
from tests.kiosk.citizen_platform import TERMINAL, kiosk_terminal
from tests.ui.conftest import StaticCatalog, buttons, running, shown_kiosk, texts, until
from ui.corner_gesture import WITHIN_S, CornerGesture
from ui.screens.home import HomeScreen
from ui.screens.maintenance import MaintenanceScreen
from ui.staff_exit import DESKTOP_EXIT_CODE

PIN = "246810"
STAFF_KINDS = ("staff_pin_wrong", "staff_pin_locked", "staff_exit")


def corners(window: QWidget) -> list[QPoint]:
    """Top left, top right, bottom right, bottom left: 10 px inside each."""
    right, bottom = window.width() - 10, window.height() - 10
    return [QPoint(10, 10), QPoint(right, 10), QPoint(right, bottom), QPoint(10, bottom)]


def tap_at(qtbot, window: QWidget, point: QPoint) -> None:
    """A finger at `point` of the window: the press goes to what lies there."""
    target = window.childAt(point) or window
    qtbot.mouseClick(target, Qt.MouseButton.LeftButton, pos=target.mapFrom(window, point))


def gesture(qtbot, kiosk, taps: int = 4) -> None:
    for point in corners(kiosk.window)[:taps]:
        tap_at(qtbot, kiosk.window, point)


def type_pin(qtbot, kiosk, pin: str) -> None:
    staff = kiosk.staff
    for digit in pin:
        qtbot.mouseClick(staff.keypad.keys[digit], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(staff.ok_button, Qt.MouseButton.LeftButton)


class WallClock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def staff_kiosk(qapp, qtbot, platform, tmp_path):
    """A kiosk of the test terminal at the real platform, its PIN set, its clock a test's."""
    StaffPin(tmp_path).set(PIN)
    kiosk = shown_kiosk(qapp, qtbot, kiosk_terminal(platform, tmp_path))
    kiosk.staff.pin.clock = WallClock()
    kiosk.commands = []

    def run(command) -> int:  # instead of systemctl
        kiosk.commands.append(list(command))
        return 0

    kiosk.staff.run = run
    yield kiosk
    qapp.removeEventFilter(kiosk.activity)


@pytest.fixture
def offline_kiosk(qapp, qtbot, seed_catalog, tmp_path):
    """A kiosk with no platform and no devices, its data in `tmp_path`."""
    defaults = load_settings()
    settings = defaults.model_copy(update={"data": DataSettings(dir=tmp_path), "devices": {}})
    terminal = Terminal(settings, build_devices(settings.devices), StaticCatalog(seed_catalog))
    kiosk = shown_kiosk(qapp, qtbot, terminal)
    yield kiosk
    qapp.removeEventFilter(kiosk.activity)


def staff_events(platform) -> list[TerminalEvent]:
    with platform.app.state.sessions() as session:
        return list(session.scalars(select(TerminalEvent).where(
            TerminalEvent.terminal_id == TERMINAL.id, TerminalEvent.kind.in_(STAFF_KINDS))
            .order_by(TerminalEvent.id)))


def test_three_wrong_lock_and_the_right_pin_after_the_lock_opens_the_menu(
        qtbot, loop, staff_kiosk, platform):
    kiosk = staff_kiosk
    staff = kiosk.staff

    async def scenario() -> None:
        gesture(qtbot, kiosk)
        await until(lambda: staff.layer is not None)
        assert "维护密码" in texts(staff.layer)
        for tries_left in (2, 1):
            type_pin(qtbot, kiosk, "111111")
            await until(lambda n=tries_left: f"还可以再试 {n} 次" in staff.status.text())
        type_pin(qtbot, kiosk, "111111")
        await until(lambda: "已锁定" in staff.status.text())
        assert "5 分 0 秒" in staff.status.text()
        assert not staff.ok_button.isEnabled() and not staff.keypad.isEnabled()
        assert isinstance(kiosk.window.current_screen, HomeScreen)  # still serving

        staff.pin.clock.now += 301  # the lock has run out
        await until(lambda: staff.ok_button.isEnabled())
        type_pin(qtbot, kiosk, PIN)
        await until(lambda: staff.platform_line is not None
                    and "平台连接：正常" in staff.platform_line.text())
        menu = texts(staff.layer)
        assert "维护菜单" in menu and f"终端编号：{TERMINAL.id}" in menu
        assert platform.base_url in menu and "时钟偏差" in staff.platform_line.text()
        assert kiosk.shell.paused and isinstance(kiosk.window.current_screen, MaintenanceScreen)

        await until(lambda: len(staff_events(platform)) == 4)
        assert [e.kind for e in staff_events(platform)] == [
            "staff_pin_wrong", "staff_pin_wrong", "staff_pin_locked", "staff_exit"]
        with platform.app.state.sessions() as session:
            shown = views.events(session, TERMINAL.id)
        listed = [(e.kind_label, e.detail) for e in shown if e.kind in STAFF_KINDS]
        assert ("维护密码锁定", "连续 3 次输错维护密码，密码键盘锁定 300 秒") in listed
        assert ("进入维护菜单", "维护密码正确，工作人员进入维护菜单") in listed
        assert all("111111" not in detail and PIN not in detail for _kind, detail in listed)

        buttons(staff.layer)["重启电脑"].click()
        await until(lambda: staff.layer is not None and "确定重启电脑吗？" in texts(staff.layer))
        buttons(staff.layer)["确定"].click()
        await until(lambda: kiosk.commands == [["systemctl", "reboot"]])
        buttons(staff.layer)["返回服务"].click()
        await until(lambda: isinstance(kiosk.window.current_screen, HomeScreen))
        assert staff.layer is None and not kiosk.shell.paused
        assert kiosk.runtime.exit_code == 0

    running(loop, kiosk, scenario)


def test_the_lock_outlasts_a_restart_and_tapping_it_open_is_an_event(
        qtbot, loop, staff_kiosk, platform, tmp_path):
    kiosk = staff_kiosk
    restarted = StaffPin(tmp_path, clock=kiosk.staff.pin.clock)
    for _ in range(3):
        restarted.check("999999")
    staff = kiosk.staff

    async def scenario() -> None:
        gesture(qtbot, kiosk)
        await until(lambda: staff.status is not None and "已锁定" in staff.status.text())
        await until(lambda: [e.kind for e in staff_events(platform)] == ["staff_pin_locked"])
        assert staff_events(platform)[0].detail == "密码键盘锁定中有人打开，还剩 300 秒"

    running(loop, kiosk, scenario)


def test_one_corner_or_a_partial_or_slow_gesture_opens_nothing(qtbot, loop, offline_kiosk):
    kiosk = offline_kiosk
    staff = kiosk.staff

    async def scenario() -> None:
        home = kiosk.window.current_screen
        gesture(qtbot, kiosk, taps=1)
        gesture(qtbot, kiosk, taps=3)
        tap_at(qtbot, kiosk.window, QPoint(kiosk.window.width() // 2, 300))  # elsewhere
        tap_at(qtbot, kiosk.window, corners(kiosk.window)[3])
        assert staff.layer is None and kiosk.window.current_screen is home
        assert kiosk.window.overlay is None

    running(loop, kiosk, scenario)


def test_four_corners_slower_than_the_limit_open_nothing(qapp):
    window = QWidget()
    window.resize(1920, 1080)
    now = [0.0]
    opened: list[bool] = []
    watch = CornerGesture(window, lambda: opened.append(True), clock=lambda: now[0])
    points = [QPointF(p) for p in corners(window)]
    for point in points:
        watch.tap(point)
        now[0] += (WITHIN_S + 0.5) / 3
    assert opened == []
    for point in points:  # the same, in time
        watch.tap(point)
    assert opened == [True]
    window.deleteLater()


def test_without_a_pin_the_gesture_says_how_to_set_one(qtbot, loop, offline_kiosk):
    kiosk = offline_kiosk

    async def scenario() -> None:
        gesture(qtbot, kiosk)
        await until(lambda: kiosk.staff.layer is not None)
        assert "未设置维护密码（请用 main.py staff-pin set 设置）" in texts(kiosk.staff.layer)
        buttons(kiosk.staff.layer)["关闭"].click()
        assert kiosk.staff.layer is None

    running(loop, kiosk, scenario)


@pytest.mark.parametrize("under_systemd", [False, True])
def test_the_menu_checks_the_devices_and_leaves_for_the_desktop(
        qtbot, loop, offline_kiosk, tmp_path, monkeypatch, under_systemd):
    """Under systemd the kiosk stops its own unit first: cage ends with 0 whatever the kiosk's
    status, and the unit's Restart=always would start it again."""
    kiosk = offline_kiosk
    ran: list[list[str]] = []
    kiosk.staff.run = lambda command: ran.append(list(command)) or 0
    monkeypatch.delenv("INVOCATION_ID", raising=False)
    if under_systemd:
        monkeypatch.setenv("INVOCATION_ID", "0123456789abcdef0123456789abcdef")
    StaffPin(tmp_path).set(PIN)
    staff = kiosk.staff
    prompts: list[str] = []

    def check(prompt) -> list[CheckResult]:  # in a worker thread, as the real check runs
        prompt(mark("请在身份证阅读器上放一张身份证"))
        prompts.append("asked")
        return [CheckResult("idcard", "idcard/simulated", {}, "read_card", True, "OK",
                            mark("读卡成功")),
                CheckResult("receipt", "receipt_printer/simulated", {}, "print_test_slip",
                            False, "PAPER_OUT", mark("缺纸"))]

    staff.check = check

    async def scenario() -> None:
        gesture(qtbot, kiosk)
        await until(lambda: staff.layer is not None)
        type_pin(qtbot, kiosk, PIN)
        await until(lambda: staff.platform_line is not None
                    and staff.platform_line.text() == "平台连接：未配置")
        buttons(staff.layer)["设备检查"].click()
        await until(lambda: "不通过" in staff.check_lines.text())
        lines = staff.check_lines.text().splitlines()
        assert lines[0] == "✔ 通过  身份证阅读器  读卡成功"
        assert lines[1] == "✘ 不通过  凭条打印机  缺纸"
        assert prompts == ["asked"]
        buttons(staff.layer)["退出到桌面"].click()
        buttons(staff.layer)["确定"].click()
        await until(lambda: kiosk.runtime.exit_code == DESKTOP_EXIT_CODE)
        assert ran == ([["systemctl", "--no-block", "stop", "kiosk.service"]] if under_systemd
                       else [])

    running(loop, kiosk, scenario)


def test_the_menu_runs_the_real_device_check_and_serving_again_restarts_the_app(
        qapp, qtbot, loop, seed_catalog, tmp_path):
    """The check as `main.py devices check` runs it, on the demo's simulated code scanner: the
    kiosk's own scanner is let go of for it, so 返回服务 then starts the app afresh."""
    defaults = load_settings()
    devices = {"qr_scanner": defaults.devices["qr_scanner"]}
    settings = defaults.model_copy(update={"data": DataSettings(dir=tmp_path),
                                           "devices": devices})
    terminal = Terminal(settings, build_devices(devices), StaticCatalog(seed_catalog))
    kiosk = shown_kiosk(qapp, qtbot, terminal)
    StaffPin(tmp_path).set(PIN)
    staff = kiosk.staff

    async def scenario() -> None:
        gesture(qtbot, kiosk)
        await until(lambda: staff.layer is not None)
        type_pin(qtbot, kiosk, PIN)
        await until(lambda: staff.check_lines is not None)
        buttons(staff.layer)["设备检查"].click()
        await until(lambda: "返回服务时程序将重启" in staff.check_lines.text(), timeout_s=60)
        assert staff.check_lines.text().startswith("✔ 通过  扫码器")
        buttons(staff.layer)["返回服务"].click()
        await until(lambda: kiosk.runtime.exit_code == 75)

    try:
        running(loop, kiosk, scenario)
    finally:
        qapp.removeEventFilter(kiosk.activity)


def test_an_unreadable_pin_record_is_said_so(qtbot, loop, offline_kiosk, tmp_path):
    (tmp_path / "staff_pin.json").mkdir()  # not a file: reading it fails as a lost right would
    kiosk = offline_kiosk

    async def scenario() -> None:
        gesture(qtbot, kiosk)
        await until(lambda: kiosk.staff.layer is not None)
        assert "维护密码无法读取，请检查数据目录的权限" in texts(kiosk.staff.layer)

    running(loop, kiosk, scenario)
