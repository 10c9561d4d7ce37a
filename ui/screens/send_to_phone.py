"""发送到手机's screens (`flows.send_to_phone`): the consent, saying what will be sent and what
the number is used for, and the confirmation with the number masked (138****5678)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from flows.send_to_phone import AGREE, RETYPE, SEND, SmsConfirmStep, SmsConsentStep
from flows.steps import Answer, Choice
from ui.i18n import render, tr
from ui.screens.step_parts import choice_row
from ui.tokens import Tokens
from ui.widgets import card, label

DECLINE = "decline"


class SmsConsentScreen(QWidget):
    def __init__(self, step: SmsConsentStep, tokens: Tokens,
                 answer: Callable[[Answer], None]) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setSpacing(tokens.spacing)
        layout.addWidget(label(tr("发送到手机"), "Title"))
        frame, column = card()
        column.setSpacing(tokens.spacing // 2)
        column.addWidget(label(tr("将通过短信发送到您的手机："), "Muted"))
        column.addWidget(label(render(step.what), "SectionTitle"))
        column.addWidget(label(tr("您输入的手机号码仅用于发送这一条短信，本机不保存。")))
        column.addWidget(label(tr("是否同意发送？")))
        layout.addWidget(frame)
        layout.addStretch(1)
        layout.addWidget(choice_row((Choice(DECLINE, tr("不发送")),
                                     Choice(AGREE, tr("同意，输入手机号"), primary=True)),
                                    answer))


class SmsConfirmScreen(QWidget):
    def __init__(self, step: SmsConfirmStep, tokens: Tokens,
                 answer: Callable[[Answer], None]) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setSpacing(tokens.spacing)
        layout.addWidget(label(tr("确认手机号码"), "Title"))
        frame, column = card()
        column.setSpacing(tokens.spacing // 2)
        column.addWidget(label(tr("将发送到"), "Muted"))
        self.number = label(step.masked_phone, "BigNumber")
        self.number.setAlignment(Qt.AlignmentFlag.AlignLeft)
        column.addWidget(self.number)
        column.addWidget(label(tr("内容：{what}", what=render(step.what))))
        layout.addWidget(frame)
        layout.addStretch(1)
        layout.addWidget(choice_row((Choice(RETYPE, tr("重新输入")),
                                     Choice(SEND, tr("发送"), primary=True)), answer))
