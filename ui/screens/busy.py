"""Work in progress ("正在核验身份…"): a spinner that turns on a timer while the flow works."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QVBoxLayout, QWidget

from flows.steps import Answer, BusyStep
from ui.i18n import render
from ui.screens.step_parts import at_work
from ui.tokens import Tokens


class BusyScreen(QWidget):
    def __init__(self, step: BusyStep, tokens: Tokens, answer: Callable[[Answer], None]) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        self.spinner = at_work(layout, tokens, step.progress, render(step.message))
        layout.addStretch(2)
