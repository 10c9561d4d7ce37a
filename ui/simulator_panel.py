"""The device simulator panel: a separate window in demo mode that steers the simulators.

Like a developer dock on real kiosks: pull out a reader, run a printer out of paper, and watch
the kiosk and the manager console react. Each device issue adds its own controls here.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QLineEdit, QWidget

from devices.health import HEALTHY, Health
from devices.registry import FAMILIES, Devices
from devices.simulated import SimulatedDevice
from devices.speech.simulated import SimulatedSpeech
from kiosk.network_switch import NetworkSwitch
from ui.i18n import tr
from ui.simulator_actions import actions_for
from ui.widgets import button, label


class _HealthSignal(QObject):
    # drivers report health from worker threads; a queued signal brings it to the GUI thread
    changed = Signal(str, object)
    printed = Signal(bytes)
    network = Signal(bool)  # cut


class SimulatorPanel(QWidget):
    def __init__(self, devices: Devices, network: NetworkSwitch | None = None) -> None:
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

    def _show_receipt(self, png: bytes) -> None:
        picture = QPixmap()
        picture.loadFromData(png, "PNG")
        self.receipt_preview.setPixmap(picture.scaledToWidth(320))

    def _show_network(self, cut: bool) -> None:
        self.network_label.setText(tr("已断开") if cut else tr("正常"))

    def _show(self, family: str, health: Health) -> None:
        self.health_labels[family].setText(f"{health.state.value} · {health.code}")


def _say_box(speech: SimulatedSpeech) -> QWidget:
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    sentence = QLineEdit()
    sentence.setPlaceholderText(tr("说一句话…"))
    sentence.returnPressed.connect(lambda: speech.voice.hear(sentence.text()))
    row.addWidget(sentence)
    row.addWidget(button(tr("说"), lambda: speech.voice.hear(sentence.text())))
    return box
