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
        layout.addStretch(1)
        # the faces, or (after one of the two lowest) why: one question on screen at a time
        self.faces_box = QWidget()
        faces_column = QVBoxLayout(self.faces_box)
        faces_column.setContentsMargins(0, 0, 0, 0)
        faces = QHBoxLayout()
        faces.setSpacing(tokens.spacing)
        self.levels: dict[int, QPushButton] = {}
        self.names = {level: render(name) for level, name in step.levels}
        for level in self.names:
            choice = button("", lambda lv=level: self.pick(lv), "Level")
            choice.setCheckable(True)
            inside = QVBoxLayout(choice)
            inside.setContentsMargins(8, 12, 8, 12)
            inside.addWidget(FaceLevel(level, tokens.text, tokens.target_min * 2),
                             0, Qt.AlignmentFlag.AlignHCenter)
            caption = label(self.names[level])  # two lines where five faces share a narrow row
            caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
            caption.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            inside.addWidget(caption)
            faces.addWidget(choice, 1)
            self.levels[level] = choice
        faces_column.addLayout(faces)
        hint = label(tr("点一下表情即可；选“不满意”或“非常不满意”时请再告诉我们原因"), "Muted")
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        faces_column.addWidget(hint)
        layout.addWidget(self.faces_box)

        self.reasons_box = QWidget()
        reasons = QVBoxLayout(self.reasons_box)
        reasons.setContentsMargins(0, 0, 0, 0)
        reasons.setSpacing(tokens.spacing)
        chosen = QHBoxLayout()
        self.chosen_label = label("", "SectionTitle")
        chosen.addWidget(self.chosen_label, 1)
        chosen.addWidget(button(tr("重新选择"), self.choose_again))
        reasons.addLayout(chosen)
        reasons.addWidget(label(tr("请告诉我们哪里不满意（可多选）"), "SectionTitle"))
        grid, self.reasons = option_grid([render(r) for r in step.reasons], tokens,
                                         exclusive=False)
        reasons.addWidget(grid)
        self.reasons_box.hide()
        layout.addWidget(self.reasons_box)
        layout.addStretch(2)

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
        self.chosen_label.setText(tr("您的评价：{level}", level=self.names[level]))
        self.faces_box.hide()
        self.reasons_box.show()
        self.submit_button.show()

    def choose_again(self) -> None:
        self.reasons_box.hide()
        self.submit_button.hide()
        self.faces_box.show()

    def submit(self) -> None:
        level = next(lv for lv, choice in self.levels.items() if choice.isChecked())
        self._answer(Rated(level, checked_options(self.reasons)))
