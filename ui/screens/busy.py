"""Work in progress ("正在核验身份…"): a spinner that turns on a timer while the flow works."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from flows.steps import Answer, BusyStep
from ui.i18n import render
from ui.screens.step_parts import header
from ui.spinner import Spinner
from ui.tokens import Tokens
from ui.widgets import label


class BusyScreen(QWidget):
    def __init__(self, step: BusyStep, tokens: Tokens, answer: Callable[[Answer], None]) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        if step.progress is not None:
            layout.addWidget(header("", step.progress))
        layout.addStretch(1)
        self.spinner = Spinner(tokens.primary, tokens.target_min * 2)
        layout.addWidget(self.spinner, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addSpacing(tokens.spacing)
        message = label(render(step.message), "Title")
        message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(message)
        layout.addStretch(2)
