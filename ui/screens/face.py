"""人证核验, second half: look at the camera; the flow captures in the background."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from flows.steps import Answer, LiveFaceStep
from ui.i18n import tr
from ui.live_view import LiveView
from ui.screens.step_parts import header, problem_line
from ui.tokens import Tokens
from ui.widgets import card, label


class FaceScreen(QWidget):
    def __init__(self, step: LiveFaceStep, tokens: Tokens,
                 answer: Callable[[Answer], None]) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setSpacing(tokens.spacing)
        layout.addWidget(header(tr("人脸核验"), step.progress, step.masked_name))
        if (problem := problem_line(step.problem)) is not None:
            layout.addWidget(problem)
        row = QHBoxLayout()
        row.setSpacing(tokens.spacing)
        self.live = LiveView("face", tokens)
        row.addWidget(self.live, 3)
        frame, column = card()
        for text in (tr("请正对摄像头"), tr("摘下帽子和口罩"), tr("保持不动，自然眨眼")):
            column.addWidget(label("• " + text))
        if step.elderly:
            column.addWidget(label(tr("您已年满60周岁：拍照留存即可，比对不通过也可继续办理。"),
                                   "Muted"))
        column.addStretch(1)
        prompt = label(tr("正在拍照，请稍候…"), "SectionTitle")
        prompt.setAlignment(Qt.AlignmentFlag.AlignCenter)
        column.addWidget(prompt)
        row.addWidget(frame, 2)
        layout.addLayout(row, 1)
