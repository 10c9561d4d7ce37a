"""情形: one question at a time, its answers as large buttons."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QGridLayout, QVBoxLayout, QWidget

from flows.steps import Answer, Choose, SituationStep
from ui.i18n import tr
from ui.screens.step_parts import header
from ui.tokens import Tokens
from ui.widgets import button, label


class SituationScreen(QWidget):
    def __init__(self, step: SituationStep, tokens: Tokens,
                 answer: Callable[[Answer], None]) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setSpacing(tokens.spacing)
        layout.addWidget(header(tr("选择您的情形"), step.progress, step.service_name))
        layout.addWidget(label(step.question, "SectionTitle"))
        layout.addWidget(label(tr("不同情形需要的材料不同，请选择与您相符的一项"), "Muted"))
        grid = QGridLayout()
        grid.setSpacing(tokens.spacing)
        columns = 1 if len(step.options) <= tokens.rows_per_page else 2
        for index, option in enumerate(step.options):
            grid.addWidget(button(option, lambda o=option: answer(Choose(o)), "ServiceRow"),
                           index // columns, index % columns)
        layout.addLayout(grid)
        layout.addStretch(1)
