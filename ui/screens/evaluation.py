"""好差评: five large faces from 非常满意 to 非常不满意; for the two lowest, reasons as toggles."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from flows.steps import SKIP, Answer, Choose, EvaluationStep, Rated
from ui.i18n import render, tr
from ui.pictures import FaceLevel
from ui.screens.step_parts import checked_options, option_grid
from ui.tokens import Tokens
from ui.widgets import button, label

LOW = 2  # levels at or under this ask why


class EvaluationScreen(QWidget):
    def __init__(self, step: EvaluationStep, tokens: Tokens,
                 answer: Callable[[Answer], None]) -> None:
        super().__init__()
        self._answer = answer
        layout = QVBoxLayout(self)
        layout.setSpacing(tokens.spacing)
        layout.addWidget(label(tr("请您评价本次服务"), "Title"))
        layout.addWidget(label(step.service_name, "Subtitle"))
        faces = QHBoxLayout()
        faces.setSpacing(tokens.spacing)
        self.levels: dict[int, QPushButton] = {}
        for level, name in step.levels:
            choice = button("", lambda lv=level: self.pick(lv), "Level")
            choice.setCheckable(True)
            inside = QVBoxLayout(choice)
            inside.setContentsMargins(8, 12, 8, 12)
            inside.addWidget(FaceLevel(level, tokens.text, tokens.target_min),
                             0, Qt.AlignmentFlag.AlignHCenter)
            caption = label(render(name), wrap=False)
            caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
            caption.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            inside.addWidget(caption)
            choice.setMinimumHeight(tokens.target_min * 2 + tokens.font_body * 2)
            faces.addWidget(choice, 1)
            self.levels[level] = choice
        layout.addLayout(faces)

        self.reasons_box = QWidget()
        reasons = QVBoxLayout(self.reasons_box)
        reasons.setContentsMargins(0, 0, 0, 0)
        reasons.addWidget(label(tr("请告诉我们哪里不满意（可多选）"), "SectionTitle"))
        grid, self.reasons = option_grid([render(r) for r in step.reasons], tokens,
                                         exclusive=False)
        reasons.addWidget(grid)
        self.reasons_box.hide()
        layout.addWidget(self.reasons_box)
        layout.addStretch(1)

        actions = QHBoxLayout()
        actions.setSpacing(tokens.spacing)
        actions.addWidget(button(tr("跳过"), lambda: answer(Choose(SKIP))), 1)
        actions.addStretch(1)
        self.submit_button = button(tr("提交评价"), self.submit, "Primary")
        self.submit_button.hide()
        actions.addWidget(self.submit_button, 1)
        layout.addLayout(actions)

    def pick(self, level: int) -> None:
        for other, choice in self.levels.items():
            choice.setChecked(other == level)
        if level > LOW:
            self._answer(Rated(level))  # one tap is the whole evaluation
            return
        self.reasons_box.show()
        self.submit_button.show()

    def submit(self) -> None:
        level = next(lv for lv, choice in self.levels.items() if choice.isChecked())
        self._answer(Rated(level, checked_options(self.reasons)))
