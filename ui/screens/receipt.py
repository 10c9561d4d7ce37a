"""The receipt on screen, as printed: the acceptance number large, its QR code, and 待受理
unmistakable while the application waits for the network."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from flows.steps import Answer, Choose, ReceiptStep
from ui.i18n import render, tr
from ui.qr_view import QrView
from ui.tokens import Tokens
from ui.widgets import button, card, label

DONE = "done"  # 完成: on to the evaluation


class ReceiptScreen(QWidget):
    def __init__(self, step: ReceiptStep, tokens: Tokens,
                 answer: Callable[[Answer], None]) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setSpacing(tokens.spacing // 2)
        if step.pending:
            title = label(tr("已提交，待受理"), "Title")
            layout.addWidget(title)
            layout.addWidget(label(tr("待受理 · 网络恢复后自动提交"), "Pending"))
        else:
            title = label(tr("提交成功，已受理"), "Title")
            layout.addWidget(title)

        frame, column = card()
        row = QHBoxLayout()
        row.setSpacing(tokens.spacing * 2)
        facts = QGridLayout()
        facts.setHorizontalSpacing(tokens.spacing)
        facts.setVerticalSpacing(tokens.spacing // 2)
        lines = (
            (tr("本机编号") if step.pending else tr("受理编号"), step.number, "Number"),
            (tr("事项"), step.service_name, ""),
            (tr("申请人"), step.masked_name, ""),
            (tr("时间"), step.at, ""),
        )
        for index, (name, value, style) in enumerate(lines):
            facts.addWidget(label(name, "Muted", wrap=False), index, 0,
                            Qt.AlignmentFlag.AlignVCenter)
            facts.addWidget(label(value, style), index, 1, Qt.AlignmentFlag.AlignVCenter)
        facts.addWidget(label(tr("后续"), "Muted", wrap=False), len(lines), 0,
                        Qt.AlignmentFlag.AlignTop)
        facts.addWidget(label(render(step.next_steps)), len(lines), 1)
        facts.setColumnStretch(1, 1)
        facts.setRowStretch(len(lines) + 1, 1)  # spare height below, not between the lines
        row.addLayout(facts, 1)
        if step.qr_text:
            code = QVBoxLayout()
            self.qr = QrView(step.qr_text, tokens.target_min * 4)
            code.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignHCenter)
            hint = label(tr("凭此码查询进度"), "Muted")
            hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
            code.addWidget(hint)
            code.addStretch(1)
            row.addLayout(code)
        column.addLayout(row)
        layout.addWidget(frame)

        if step.printed:
            layout.addWidget(label(tr("回执已打印，请在出纸口取走并妥善保管。"), "SectionTitle"))
        else:
            why = render(step.print_problem) if step.print_problem else tr("回执未能打印。")
            layout.addWidget(label(why + " " + tr("请拍下或记下上面的编号，或呼叫工作人员。"),
                                   "Problem"))
        layout.addStretch(1)
        actions = QHBoxLayout()
        actions.addStretch(1)
        actions.addWidget(button(tr("完成"), lambda: answer(Choose(DONE)), "Primary"), 1)
        layout.addLayout(actions)
