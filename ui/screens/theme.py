"""A theme's services, a few per page, each opening its guide."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QVBoxLayout, QWidget

from flows.steps import Answer, OpenService, ThemeStep
from ui.i18n import tr
from ui.tokens import Tokens
from ui.widgets import Pager, button, label


class ThemeScreen(QWidget):
    def __init__(self, step: ThemeStep, tokens: Tokens, answer: Callable[[Answer], None]) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setSpacing(tokens.spacing)
        layout.addWidget(label(step.theme, "Title"))
        layout.addWidget(label(tr("请选择事项，查看办事指南"), "Subtitle"))
        rows = [
            button(f"{service.name}    ›", lambda sid=service.id: answer(OpenService(sid)),
                   "ServiceRow")
            for service in step.services
        ]
        self.pager = Pager(rows, tokens.rows_per_page)
        layout.addWidget(self.pager, 1)
