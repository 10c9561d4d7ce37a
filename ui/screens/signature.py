"""The applicant's signature on the touchscreen; an empty pad is refused on the spot."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from flows.steps import Answer, SignatureStep, Signed
from ui.i18n import render, tr
from ui.screens.step_parts import header
from ui.signature_pad import SignaturePad
from ui.tokens import Tokens
from ui.widgets import button, label


class SignatureScreen(QWidget):
    def __init__(self, step: SignatureStep, tokens: Tokens,
                 answer: Callable[[Answer], None]) -> None:
        super().__init__()
        self._answer = answer
        layout = QVBoxLayout(self)
        layout.setSpacing(tokens.spacing // 2)
        layout.addWidget(header(tr("签名确认"), step.progress, step.service_name))
        layout.addWidget(label(tr("请用手指在下方框内写下您的姓名，表示以上信息真实有效。"),
                               "Subtitle"))
        self.problem = label(render(step.problem) if step.problem else "", "Problem")
        self.problem.setVisible(step.problem is not None)
        layout.addWidget(self.problem)
        self.pad = SignaturePad(tokens)
        self.pad.changed.connect(lambda: self.problem.setVisible(False))
        layout.addWidget(self.pad, 1)
        actions = QHBoxLayout()
        actions.setSpacing(tokens.spacing)
        self.clear_button = button(tr("清除重写"), self.pad.clear)
        self.confirm_button = button(tr("确认签名"), self.confirm, "Primary")
        actions.addWidget(self.clear_button, 1)
        actions.addStretch(1)
        actions.addWidget(self.confirm_button, 1)
        layout.addLayout(actions)

    def confirm(self) -> None:
        png = self.pad.png()
        if png is None:
            self.problem.setText(tr("请先在框内签名，再点“确认签名”"))
            self.problem.setVisible(True)
            return
        self._answer(Signed(png))
