"""The staff exit: a hidden gesture, the maintenance PIN, and the maintenance menu.

The four corners tapped in order (`ui.corner_gesture`) open the PIN pad; nothing is shown
before the fourth tap. The PIN is set with `main.py staff-pin set` (`kiosk.staff_pin`:
hashed, three wrong lock the pad for five minutes, across restarts); every attempt goes to the
hall manager's console (`kiosk.staff_events`).

The right PIN pauses serving (暂停服务, as maintenance does) and opens the maintenance menu: the
device check, what the terminal is and how it reaches the platform, and restarting the app,
rebooting, powering off, leaving to the desktop, or back to serving. The PIN pad and the menu
sit on a layer of their own above the window's overlays, so ending a session (which closes
those) leaves them open. Checking a PIN (scrypt), the device check, the platform probe and the
power commands all run off the GUI thread.
"""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from central.contract.staff import StaffEventKind
from common.i18n import Text
from devices.check import LABELS, CheckOptions, CheckResult
from kiosk.platform_client import PlatformError
from kiosk.runtime import KioskRuntime
from kiosk.staff_events import StaffEventLog
from kiosk.staff_pin import Locked, Outcome, Right, StaffPin, Wrong
from kiosk.telemetry import app_version
from kiosk.terminal import Terminal
from ui.corner_gesture import CornerGesture
from ui.i18n import render, tr
from ui.keypad import Keypad, KeypadField
from ui.tokens import Tokens
from ui.widgets import button, label

log = logging.getLogger(__name__)

# 退出到桌面: the app ends with this status; under systemd it first stops its unit, since
# cage (the unit's main process) ends with 0 whatever the kiosk's status, and `Restart=always`
# would start it again (allowed to the kiosk account by deploy/50-kiosk.rules)
DESKTOP_EXIT_CODE = 10
UNIT = "kiosk.service"  # deploy/kiosk.service
CARD_WAIT_S = 10.0  # the device check waits this long for a card on each reader

# a command run for staff (systemctl reboot / poweroff): its exit status
CommandRunner = Callable[[Sequence[str]], int]
# the device check, given where to show what it asks of the technician (place a card …)
DeviceCheck = Callable[[Callable[[Text], None]], list[CheckResult]]


def run_command(command: Sequence[str]) -> int:
    return subprocess.run(list(command), check=False, timeout=60).returncode


def _layer(title: str, parts: Sequence[QWidget | QHBoxLayout | QGridLayout],
           width: int = 1000) -> QWidget:
    """A dimmed full-window layer with one centred card (as the window's overlays look)."""
    layer = QWidget()
    layer.setObjectName("Overlay")
    layer.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
    outer = QVBoxLayout(layer)
    dialog = QWidget()
    dialog.setObjectName("Dialog")
    dialog.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
    dialog.setMinimumWidth(width)
    column = QVBoxLayout(dialog)
    column.setContentsMargins(48, 32, 48, 32)
    column.setSpacing(20)
    heading = label(title, "Title")
    heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
    column.addWidget(heading)
    for part in parts:
        if isinstance(part, QWidget):
            column.addWidget(part)
        else:
            column.addLayout(part)
    outer.addStretch(1)
    outer.addWidget(dialog, 0, Qt.AlignmentFlag.AlignHCenter)
    outer.addStretch(1)
    return layer


def _row(*widgets: QWidget) -> QHBoxLayout:
    row = QHBoxLayout()
    row.setSpacing(24)
    for widget in widgets:
        row.addWidget(widget)
    return row


def locked_text(remaining_s: float) -> str:
    minutes, seconds = divmod(max(0, round(remaining_s)), 60)
    return tr("密码键盘已锁定，请在 {minutes} 分 {seconds} 秒后再试", minutes=minutes,
              seconds=seconds)


class StaffExit(QObject):
    """The gesture on `window`, the PIN pad and the maintenance menu for `runtime`."""

    def __init__(self, window: QWidget, tokens: Callable[[], Tokens], terminal: Terminal,
                 runtime: KioskRuntime, *, run: CommandRunner = run_command,
                 check: DeviceCheck | None = None) -> None:
        super().__init__(window)
        self.window = window
        self._tokens = tokens
        self.terminal = terminal
        self.runtime = runtime
        self.pin = StaffPin(terminal.data_dir)
        self.events: StaffEventLog | None = terminal.staff_events
        self.run = run
        self.check = check or self._check_devices
        self.gesture = CornerGesture(window, self.open)
        self.layer: QWidget | None = None
        self.status: QLabel | None = None  # what the PIN pad or the menu says last
        self.check_lines: QLabel | None = None
        self.platform_line: QLabel | None = None
        self.checked = False  # the devices were checked: the kiosk's own were stopped for it
        self._tasks: set[asyncio.Future[Any]] = set()
        self._probing: asyncio.Future[Any] | None = None
        self._lock_timer = QTimer(self)
        self._lock_timer.setInterval(1000)
        self._lock_timer.timeout.connect(self._lock_tick)
        window.installEventFilter(self)  # the layer follows the window's size

    def install(self, app: QCoreApplication) -> None:
        app.installEventFilter(self.gesture)

    def remove(self, app: QCoreApplication) -> None:
        app.removeEventFilter(self.gesture)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and isinstance(event, QResizeEvent) and self.layer:
            self.layer.setGeometry(self.window.rect())
        return False

    # -- the layer ------------------------------------------------------------------------------

    def _show(self, layer: QWidget) -> None:
        """`layer` instead of the one shown (its labels, set before, are kept)."""
        self._drop_layer()
        self.layer = layer
        prepare = getattr(self.window, "prepare", None)
        if callable(prepare):
            prepare(layer)
        layer.setParent(self.window)
        layer.setGeometry(self.window.rect())
        layer.show()
        layer.raise_()
        self.gesture.enabled = False

    def close(self) -> None:
        if self._probing is not None:  # what it would say has nowhere to go
            self._probing.cancel()
        self._drop_layer()
        self.status = self.check_lines = self.platform_line = None
        self.gesture.enabled = True

    def _drop_layer(self) -> None:
        self._lock_timer.stop()
        if self.layer is not None:
            self.layer.hide()
            self.layer.deleteLater()
            self.layer = None

    def _start(self, work: Coroutine[Any, Any, None]) -> asyncio.Future[None]:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    # -- the PIN pad ----------------------------------------------------------------------------

    def open(self) -> None:
        """The gesture is complete: the PIN pad, or why there is none."""
        try:
            is_set, remaining = self.pin.is_set, self.pin.locked_for()
        except OSError:
            log.exception("the maintenance PIN's record cannot be read")
            self._say(tr("维护密码无法读取，请检查数据目录的权限"))
            return
        if not is_set:
            self._say(tr("未设置维护密码（请用 main.py staff-pin set 设置）"))
            return
        self._show_pad()
        if remaining > 0:
            self._record("staff_pin_locked", 0, remaining)
            self._lock(remaining)

    def _say(self, text: str) -> None:
        self._show(_layer(tr("维护密码"), [label(text, "Error"),
                                          _row(button(tr("关闭"), self.close, "Primary"))]))

    def _show_pad(self) -> None:
        tokens = self._tokens()
        self.field = KeypadField(tokens)
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.field.set_active(True)
        self.keypad = Keypad(tokens, self.field, max_length=12)
        self.status = label("", "Error")
        self.ok_button = button(tr("确定"), self._entered, "Primary")
        self._show(_layer(tr("维护密码"), [
            label(tr("请输入维护密码（6至12位数字）"), "Subtitle"), self.field, self.keypad,
            self.status, _row(button(tr("取消"), self.close), self.ok_button)], width=800))

    def _set_pad_enabled(self, enabled: bool) -> None:
        self.keypad.setEnabled(enabled)
        self.ok_button.setEnabled(enabled)

    def _entered(self) -> None:
        pin = self.field.text()
        self.field.clear()
        self._set_pad_enabled(False)
        self._start(self._check_pin(pin))

    async def _check_pin(self, pin: str) -> None:
        outcome: Outcome = await asyncio.to_thread(self.pin.check, pin)  # scrypt: ~50 ms
        if self.status is None:  # closed meanwhile
            return
        if isinstance(outcome, Right):
            self._record("staff_exit")
            self.open_menu()
        elif isinstance(outcome, Wrong):
            self._record("staff_pin_wrong", outcome.failures)
            self.status.setText(tr("密码错误，还可以再试 {tries} 次", tries=outcome.tries_left))
            self._set_pad_enabled(True)
        elif isinstance(outcome, Locked):
            self._record("staff_pin_locked", outcome.failures, outcome.remaining_s)
            self._lock(outcome.remaining_s)

    def _lock(self, remaining_s: float) -> None:
        self._set_pad_enabled(False)
        if self.status is not None:
            self.status.setText(locked_text(remaining_s))
        self._lock_timer.start()

    def _lock_tick(self) -> None:
        remaining = self.pin.locked_for()
        if self.status is None:
            self._lock_timer.stop()
        elif remaining > 0:
            self.status.setText(locked_text(remaining))
        else:
            self._lock_timer.stop()
            self.status.setText("")
            self._set_pad_enabled(True)

    def _record(self, kind: StaffEventKind, failures: int = 0, locked_s: float = 0) -> None:
        if self.events is not None:
            self.events.record(kind, failures, locked_s)

    # -- the maintenance menu -------------------------------------------------------------------

    def open_menu(self) -> None:
        """暂停服务 behind it while it is open."""
        self.runtime.staff_pause(True)
        settings = self.terminal.settings
        events = self.events
        self.platform_line = label(tr("平台连接：正在检查…"))
        info = [label(tr("终端编号：{id}", id=settings.terminal.id)),
                label(tr("版本：{version}", version=app_version())),
                label(tr("平台地址：{url}", url=events.client.base_url if events else "—")),
                self.platform_line]
        self.check_lines = label("")
        self.status = label("", "Error")
        grid = QGridLayout()
        grid.setSpacing(20)
        reboot, power_off, desktop = (tr("确定重启电脑吗？"), tr("确定关机吗？"),
                                      tr("确定退出到桌面吗？"))
        choices = [(tr("设备检查"), self._start_check, ""),
                   (tr("重启程序"), self._restart_app, ""),
                   (tr("重启电脑"), lambda: self._confirm(reboot, self._reboot), ""),
                   (tr("关机"), lambda: self._confirm(power_off, self._power_off), ""),
                   (tr("退出到桌面"), lambda: self._confirm(desktop, self._to_desktop), ""),
                   (tr("返回服务"), self.back_to_service, "Primary")]
        for index, (text, action, name) in enumerate(choices):
            grid.addWidget(button(text, action, name), index // 3, index % 3)
        self._show(_layer(tr("维护菜单"), [*info, self.check_lines, self.status, grid],
                          width=1400))
        if self._probing is not None:
            self._probing.cancel()
        self._probing = self._start(self._probe())

    async def _probe(self) -> None:
        events = self.events
        if events is None:
            text = tr("平台连接：未配置")
        else:
            try:
                await asyncio.to_thread(events.client.health)
                offset = events.client.clock.offset_s
                text = tr("平台连接：正常　时钟偏差：{offset}",
                          offset=tr("未知") if offset is None else f"{offset:+.1f} s")
            except PlatformError as exc:
                text = tr("平台连接：无法连接（{code}）", code=exc.health_code)
        if self.platform_line is not None:
            self.platform_line.setText(text)

    def _confirm(self, question: str, action: Callable[[], object]) -> None:
        self._show(_layer(question, [_row(button(tr("取消"), self.open_menu),
                                          button(tr("确定"), action, "Primary"))]))

    def back_to_service(self) -> None:
        self.close()
        if self.checked:  # the kiosk's devices were stopped for the check: start afresh
            self.runtime.request_restart()
        self.runtime.staff_pause(False)

    def _restart_app(self) -> None:
        self.close()
        self.runtime.request_restart()

    def _to_desktop(self) -> None:
        self.close()
        log.info("staff left the kiosk for the desktop")
        if os.environ.get("INVOCATION_ID"):  # started by systemd (systemd.exec(5))
            self._start(self._leave_unit())
        else:
            self.runtime.exit(DESKTOP_EXIT_CODE)

    async def _leave_unit(self) -> None:
        command = ["systemctl", "--no-block", "stop", UNIT]
        try:
            code = await asyncio.to_thread(self.run, command)
        except (OSError, subprocess.SubprocessError) as exc:
            log.warning("%s failed: %s", " ".join(command), exc)
            code = -1
        if code != 0:
            log.warning("%s: status %d; systemd will start the kiosk again", " ".join(command),
                        code)
        self.runtime.exit(DESKTOP_EXIT_CODE)

    def _reboot(self) -> None:
        self._start(self._power(["systemctl", "reboot"], tr("正在重启电脑…")))

    def _power_off(self) -> None:
        self._start(self._power(["systemctl", "poweroff"], tr("正在关机…")))

    async def _power(self, command: list[str], doing: str) -> None:
        self.open_menu()
        if self.status is not None:
            self.status.setText(doing)
        log.info("staff asked for %s", " ".join(command))
        try:
            code = await asyncio.to_thread(self.run, command)
        except (OSError, subprocess.SubprocessError) as exc:
            log.warning("%s failed: %s", " ".join(command), exc)
            code = -1
        if code != 0 and self.status is not None:
            self.status.setText(tr("命令失败：{command}（{code}）", command=" ".join(command),
                                   code=code))

    # -- the device check -----------------------------------------------------------------------

    def _start_check(self) -> None:
        if self.check_lines is None:
            return
        self.check_lines.setText(tr("正在检查设备…"))
        self._start(self._run_check())

    async def _run_check(self) -> None:
        loop = asyncio.get_running_loop()

        def prompt(text: Text) -> None:  # from the check's worker thread
            loop.call_soon_threadsafe(self._show_check_line, render(text))

        if not self.checked:
            # the check opens each device itself: the kiosk's own let go of them first
            self.checked = True
            self.terminal.devices.stop()
        results = await asyncio.to_thread(self.check, prompt)
        self._show_check_line("\n".join(check_line(result) for result in results)
                              + "\n" + tr("返回服务时程序将重启"))

    def _show_check_line(self, text: str) -> None:
        if self.check_lines is not None:
            self.check_lines.setText(text)

    def _check_devices(self, prompt: Callable[[Text], None]) -> list[CheckResult]:
        from devices.check.run import check_devices

        return check_devices(self.terminal.settings.devices,
                             CheckOptions(True, CARD_WAIT_S, prompt))


def check_line(result: CheckResult) -> str:
    verdict = tr("通过") if result.ok else tr("不通过")
    return (f"{'✔' if result.ok else '✘'} {verdict}  {tr(LABELS[result.family])}  "
            f"{render(result.message)}")
