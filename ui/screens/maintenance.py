"""暂停服务: what the kiosk shows while a manager has it in maintenance, or while a device it
cannot serve without has failed (no step: nothing is asked, the person is sent elsewhere; the
device's fault is one small line for staff)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from common.i18n import Text
from ui.i18n import render, tr
from ui.tokens import Tokens
from ui.widgets import label


class MaintenanceScreen(QWidget):
    def __init__(self, tokens: Tokens, reason: Text | None = None) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setSpacing(tokens.spacing * 2)
        layout.addStretch(1)
        why = (tr("本机正在维护，暂停办理业务。") if reason is None
               else tr("本机设备故障，暂停办理业务。"))
        lines = [(tr("暂停服务"), "Title"), (why, ""),
                 (tr("请到其他自助终端或服务窗口办理，给您带来不便，敬请谅解。"), "Subtitle")]
        if reason is not None:  # for staff: which device, and what it reports
            lines.append((tr("故障设备：{reason}", reason=render(reason)), "Muted"))
        for text, name in lines:
            line = label(text, name)
            line.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(line)
        layout.addStretch(2)
