"""A number on the on-screen keypad (an acceptance number, a phone number)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from flows.steps import Answer, Entered, KeypadStep
from ui.i18n import render, tr
from ui.keypad import Keypad, KeypadField
from ui.tokens import Tokens
from ui.widgets import button, card, label


class KeypadEntryScreen(QWidget):
    def __init__(self, step: KeypadStep, tokens: Tokens,
                 answer: Callable[[Answer], None]) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setSpacing(tokens.spacing)
        layout.addWidget(label(render(step.title), "Title"))
        row = QHBoxLayout()
        row.setSpacing(tokens.spacing * 2)
        left = QVBoxLayout()
        left.addWidget(label(render(step.hint), "Subtitle"))
        self.field = KeypadField(tokens, step.value)
        self.field.set_active(True)
        left.addWidget(self.field)
        if step.error is not None:
            left.addWidget(label(render(step.error), "Error"))
        left.addStretch(1)
        left.addWidget(button(tr("确定"), lambda: answer(Entered(self.field.text())),
                              "Primary"))
        row.addLayout(left, 3)
        pad, pad_layout = card()
        self.keypad = Keypad(tokens, self.field)
        pad_layout.addWidget(self.keypad)
        row.addWidget(pad, 2)
        layout.addLayout(row, 1)
