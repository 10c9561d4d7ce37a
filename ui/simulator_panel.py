"""The device simulator panel: a separate window in demo mode that steers the simulators.

Like a developer dock on real kiosks: pull out a reader, run a printer out of paper, and watch
the kiosk and the manager console react. Each device issue adds its own controls here.

With the payment gateway sandbox (the demo platform's, `payment_sandbox` its address) the panel
also plays the person's phone: 出示付款码 holds a WeChat or Alipay pay code the sandbox made
(正常, 需输入密码, 余额不足 or 无效码) to the scanner, and while a QR code is on the kiosk's
screen it gives the address of the sandbox's phone page that pays it, and opens it in a browser.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from devices.camera.simulated import SimulatedCodeScanner
from devices.health import HEALTHY, Health
from devices.registry import FAMILIES, Devices
from devices.simulated import SimulatedDevice
from devices.speech.simulated import SimulatedSpeech
from flows.steps import PayQrStep, Step
from kiosk.network_switch import NetworkSwitch
from ui.i18n import tr
from ui.simulator_actions import (
    actions_for,
    pay_code_behaviours,
    phone_page,
    show_pay_code,
    wallets,
)
from ui.widgets import button, label


class _HealthSignal(QObject):
    # drivers report health from worker threads; a queued signal brings it to the GUI thread
    changed = Signal(str, object)
    printed = Signal(bytes)
    network = Signal(bool)  # cut
    pay_code = Signal(object, object, str)  # the code or None, why not or None, what it is


class SimulatorPanel(QWidget):
    def __init__(self, devices: Devices, network: NetworkSwitch | None = None,
                 payment_sandbox: str | None = None) -> None:
        super().__init__()
        self.setWindowTitle(tr("设备模拟面板"))
        grid = QGridLayout(self)
        self.health_labels: dict[str, QLabel] = {}
        row = 0
        for family, device in devices.by_family.items():
            row += 2
            grid.addWidget(label(tr(FAMILIES[family].label), "SectionTitle", wrap=False), row, 0)
            state = label("", wrap=False)
            self.health_labels[family] = state
            grid.addWidget(state, row, 1)
            self._show(family, device.health())
            if not isinstance(device, SimulatedDevice):
                continue  # a real driver reports its own health
            grid.addWidget(button(tr("正常"), lambda d=device: d.set_health(HEALTHY)), row, 2)
            for column, fault in enumerate(FAMILIES[family].faults, 3):
                grid.addWidget(
                    button(tr(fault.label), lambda d=device, f=fault: d.set_health(f.health)),
                    row, column)
            actions = QHBoxLayout()
            for text, act in actions_for(device, devices.by_family):
                actions.addWidget(button(text, act))
            if isinstance(device, SimulatedSpeech):  # 说一句话: any sentence, for the microphone
                actions.addWidget(_say_box(device))
            actions.addStretch(1)
            grid.addLayout(actions, row + 1, 0, 1, 8)
        if network is not None:  # "cut the network": every platform client of the terminal
            row += 2
            grid.addWidget(label(tr("网络"), "SectionTitle", wrap=False), row, 0)
            self.network_label = label("", wrap=False)
            grid.addWidget(self.network_label, row, 1)
            grid.addWidget(button(tr("断网"), network.cut), row, 2)
            grid.addWidget(button(tr("恢复网络"), network.restore), row, 3)
            self._show_network(network.is_cut)
        self._health_signal = _HealthSignal()
        # the person's phone, at the payment gateway sandbox
        self.payment_sandbox = payment_sandbox
        self.pay_code: str | None = None  # the last pay code held to the scanner
        self.phone_url: str | None = None  # the phone page of the QR code on screen
        self.open_url: Callable[[str], object] = lambda url: QDesktopServices.openUrl(QUrl(url))
        if payment_sandbox is not None:
            row += 2
            self._add_phone(grid, row, payment_sandbox, next(
                (d for d in devices.by_family.values() if isinstance(d, SimulatedCodeScanner)),
                None))
        self._health_signal.changed.connect(self._show)
        self._health_signal.network.connect(self._show_network)
        if network is not None:
            network.on_change(self._health_signal.network.emit)
        devices.on_health_change(self._health_signal.changed.emit)
        # the last receipt the simulated printer "printed", as the person would hold it
        self.receipt_preview = QLabel()
        grid.addWidget(label(tr("最近打印的凭条"), "SectionTitle"), 0, 8)
        grid.addWidget(self.receipt_preview, 1, 8, row + 1, 1)
        self._health_signal.printed.connect(self._show_receipt)
        printer = devices.by_family.get("receipt_printer")
        if callable(on_printed := getattr(printer, "on_printed", None)):
            on_printed(lambda printed: self._health_signal.printed.emit(printed.preview))

    def _add_phone(self, grid: QGridLayout, row: int, sandbox: str,
                   scanner: SimulatedCodeScanner | None) -> None:
        grid.addWidget(label(tr("手机支付"), "SectionTitle", wrap=False), row, 0)
        pay = QHBoxLayout()
        self.wallet, self.behaviour = _choices(wallets()), _choices(pay_code_behaviours())
        self.pay_status = label("", wrap=False)
        if scanner is not None:  # a pay code needs the scanner simulator to be held to
            pay.addWidget(self.wallet)
            pay.addWidget(self.behaviour)
            pay.addWidget(button(tr("出示付款码"), lambda: self._show_pay_code(scanner, sandbox)))
        pay.addWidget(self.pay_status)
        pay.addStretch(1)
        grid.addLayout(pay, row, 1, 1, 7)
        phone = QHBoxLayout()
        phone.addWidget(label(tr("手机支付页"), wrap=False))
        self.phone_address = QLineEdit()
        self.phone_address.setReadOnly(True)
        self.phone_address.setPlaceholderText(tr("屏幕上显示收款码时，这里是手机扫码后的支付页"))
        phone.addWidget(self.phone_address, 1)
        self.phone_button: QPushButton = button(tr("在浏览器中打开"), self._open_phone_page)
        self.phone_button.setEnabled(False)
        phone.addWidget(self.phone_button)
        grid.addLayout(phone, row + 1, 0, 1, 8)
        self._health_signal.pay_code.connect(self._show_pay_status)

    def _show_pay_code(self, scanner: SimulatedCodeScanner, sandbox: str) -> None:
        what = tr("{wallet}付款码（{behaviour}）", wallet=self.wallet.currentText(),
                  behaviour=self.behaviour.currentText())
        self.pay_status.setText(tr("正在向收费沙箱要付款码…"))
        show_pay_code(scanner, sandbox, self.wallet.currentData(), self.behaviour.currentData(),
                      lambda code, why: self._health_signal.pay_code.emit(code, why, what))

    def _show_pay_status(self, code: str | None, why: str | None, what: str) -> None:
        if code is None:
            self.pay_status.setText(tr("收费沙箱没有给出付款码：{why}", why=why or ""))
            return
        self.pay_code = code
        self.pay_status.setText(tr("已出示{what}：{code}", what=what, code=code))

    def follow_screen(self, step: Step, _screen: QWidget) -> None:
        """Told of each screen the kiosk shows (`Shell.screen_shown`): a QR code to pay gives
        its phone page, any other screen takes it away."""
        self.show_qr(step.qr_content if isinstance(step, PayQrStep) else None)

    def show_qr(self, qr_content: str | None) -> None:
        """The QR code on the kiosk's screen (None: none): its phone page is offered."""
        if self.payment_sandbox is None:
            return
        self.phone_url = (phone_page(self.payment_sandbox, qr_content)
                          if qr_content is not None else None)
        self.phone_address.setText(self.phone_url or "")
        self.phone_button.setEnabled(self.phone_url is not None)

    def _open_phone_page(self) -> None:
        if self.phone_url is not None:
            self.open_url(self.phone_url)

    def _show_receipt(self, png: bytes) -> None:
        picture = QPixmap()
        picture.loadFromData(png, "PNG")
        self.receipt_preview.setPixmap(picture.scaledToWidth(320))

    def _show_network(self, cut: bool) -> None:
        self.network_label.setText(tr("已断开") if cut else tr("正常"))

    def _show(self, family: str, health: Health) -> None:
        self.health_labels[family].setText(f"{health.state.value} · {health.code}")


def _choices(choices: list[tuple[str, str]]) -> QComboBox:
    """(key, what it says): the key is the item's data."""
    box = QComboBox()
    for key, text in choices:
        box.addItem(text, key)
    return box


def _say_box(speech: SimulatedSpeech) -> QWidget:
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    sentence = QLineEdit()
    sentence.setPlaceholderText(tr("说一句话…"))
    sentence.returnPressed.connect(lambda: speech.hear(sentence.text()))
    row.addWidget(sentence)
    row.addWidget(button(tr("说"), lambda: speech.hear(sentence.text())))
    return box
