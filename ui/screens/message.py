"""A title, a few sentences and the choices, in the colour of their tone: errors, "online
only", "take your card"."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from flows.steps import Answer, MessageStep
from ui.i18n import render
from ui.screens.step_parts import choice_row, header
from ui.tokens import Tokens
from ui.widgets import card, label


class MessageScreen(QWidget):
    def __init__(self, step: MessageStep, tokens: Tokens,
                 answer: Callable[[Answer], None]) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setSpacing(tokens.spacing)
        if step.progress is not None:
            layout.addWidget(header("", step.progress))
        layout.addStretch(1)
        frame, column = card()
        frame.setProperty("tone", step.tone)
        column.setSpacing(tokens.spacing)
        column.setContentsMargins(48, 36, 48, 36)
        title = label(render(step.title), "ToneTitle")
        title.setProperty("tone", step.tone)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        column.addWidget(title)
        for line in step.lines:
            text = label(render(line))
            text.setAlignment(Qt.AlignmentFlag.AlignCenter)
            column.addWidget(text)
        layout.addWidget(frame)
        layout.addStretch(1)
        layout.addWidget(choice_row(step.choices, answer))  # the main action bottom right
