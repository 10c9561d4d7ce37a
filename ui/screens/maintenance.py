"""暂停服务: what the kiosk shows while a manager has it in maintenance (no step: nothing is
asked, the person is sent elsewhere)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from ui.i18n import tr
from ui.tokens import Tokens
from ui.widgets import label


class MaintenanceScreen(QWidget):
    def __init__(self, tokens: Tokens) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setSpacing(tokens.spacing * 2)
        layout.addStretch(1)
        lines = ((tr("暂停服务"), "Title"),
                 (tr("本机正在维护，暂停办理业务。"), ""),
                 (tr("请到其他自助终端或服务窗口办理，给您带来不便，敬请谅解。"), "Subtitle"))
        for text, name in lines:
            line = label(text, name)
            line.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(line)
        layout.addStretch(2)
