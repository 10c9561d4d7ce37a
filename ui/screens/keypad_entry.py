"""A number on the on-screen keypad (an acceptance number, a phone number).

Where the flow knows how many digits the number has (`KeypadStep.digits`), the screen says so
under the field and counts as the person types ("共 14 位数字，已输入 10 位"), and the keypad
takes no more than that."""

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
        self.count = label("", "StepCount")
        self.count.setVisible(step.digits > 0)
        left.addWidget(self.count)
        if step.error is not None:
            left.addWidget(label(render(step.error), "Error"))
        left.addStretch(1)
        left.addWidget(button(tr("确定"), lambda: answer(Entered(self.field.text())),
                              "Primary"))
        # the keypad on the left, the number and 确定 on the right: the main action is bottom
        # right, where every screen keeps it
        pad, pad_layout = card()
        self.keypad = Keypad(tokens, self.field, max_length=step.digits or 32)
        self.keypad.changed.connect(self._count)
        pad_layout.addWidget(self.keypad)
        row.addWidget(pad, 2)
        row.addLayout(left, 3)
        layout.addLayout(row, 1)
        self._digits = step.digits
        self._count(self.field.text())

    def _count(self, text: str) -> None:
        if not self._digits:
            return
        typed = len(text)
        self.count.setText(
            tr("共 {digits} 位数字，已输入完整", digits=self._digits) if typed == self._digits
            else tr("共 {digits} 位数字，已输入 {typed} 位", digits=self._digits, typed=typed))
