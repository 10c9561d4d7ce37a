"""The receipt on screen, as printed: the acceptance number large, its QR code, the fee paid or
how to pay it, and 待受理 unmistakable while the application waits for the network.

When the slip did not print, the screen is all the person takes away: what happened, one thing
to do (photograph the number and the code), the number in very large digits in groups of four,
the QR code to photograph, and the number read aloud digit by digit in every mode."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from central.contract import ACCEPTANCE_NUMBER_PREFIX
from flows.steps import Answer, Choose, ReceiptStep
from ui.i18n import render, tr
from ui.qr_view import QrView
from ui.tokens import Tokens
from ui.widgets import button, card, label, side_by_side

DONE = "done"  # 完成: on to the evaluation
DIGIT_WORDS = dict(zip("0123456789", "零一二三四五六七八九", strict=True))


def grouped(number: str) -> str:
    """An acceptance number as it is easiest to copy: SL 2026 1123 0000 42."""
    if not number.startswith(ACCEPTANCE_NUMBER_PREFIX):
        return number
    digits = number.removeprefix(ACCEPTANCE_NUMBER_PREFIX)
    return " ".join([ACCEPTANCE_NUMBER_PREFIX,
                     *(digits[start:start + 4] for start in range(0, len(digits), 4))])


def spoken_number(number: str, chinese: bool) -> str:
    """A number said digit by digit, in groups of four (a run of digits read as one figure
    is "two trillion …"); the acceptance number's prefix is left out, as it is never typed."""
    if not number.startswith(ACCEPTANCE_NUMBER_PREFIX):  # a local number: as it is written
        return "".join(DIGIT_WORDS.get(char, char) for char in number) if chinese else number
    digits = number.removeprefix(ACCEPTANCE_NUMBER_PREFIX)
    groups = [digits[start:start + 4] for start in range(0, len(digits), 4)]
    if chinese:
        return "，".join("".join(DIGIT_WORDS.get(char, char) for char in group)
                        for group in groups)
    return ", ".join(" ".join(group) for group in groups)


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
        row = side_by_side(self)  # the code under the facts on an upright screen
        row.setSpacing(tokens.spacing * 2)
        facts = QGridLayout()
        facts.setHorizontalSpacing(tokens.spacing)
        facts.setVerticalSpacing(tokens.spacing // 2)
        # not printed: the number in very large digits, beside the code, to photograph together
        number = ((step.number, "Number") if step.printed
                  else (grouped(step.number), "BigNumber"))
        lines = (
            (tr("本机编号") if step.pending else tr("受理编号"), *number),
            (tr("事项"), step.service_name, ""),
            (tr("申请人"), step.masked_name, ""),
            (tr("时间"), step.at, ""),
        )
        for index, (name, value, style) in enumerate(lines):
            facts.addWidget(label(name, "Muted", wrap=False), index, 0,
                            Qt.AlignmentFlag.AlignVCenter)
            shown = label(value, style)
            facts.addWidget(shown, index, 1, Qt.AlignmentFlag.AlignVCenter)
            if style == "BigNumber":
                self.number = shown
        more = [(tr("后续"), render(step.next_steps))]
        if step.payment is not None:  # paid here, or how to pay it later
            more.insert(0, (tr("费用"), render(step.payment)))
        for index, (name, value) in enumerate(more, len(lines)):
            facts.addWidget(label(name, "Muted", wrap=False), index, 0,
                            Qt.AlignmentFlag.AlignTop)
            facts.addWidget(label(value), index, 1)
        facts.setColumnStretch(1, 1)
        # spare height below, not between the lines
        facts.setRowStretch(len(lines) + len(more), 1)
        row.addLayout(facts, 1)
        if step.qr_text:
            code = QVBoxLayout()
            self.qr = QrView(step.qr_text, tokens.target_min * 4)
            code.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignHCenter)
            hint = label(tr("凭此码查询进度") if step.printed else tr("请用手机拍下此码"),
                         "Muted")
            hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
            code.addWidget(hint)
            code.addStretch(1)
            row.addLayout(code)
        column.addLayout(row)
        layout.addWidget(frame)

        self._step = step
        if step.printed:
            layout.addWidget(label(tr("回执已打印，请在出纸口取走并妥善保管。"), "SectionTitle"))
        else:
            layout.addWidget(label(self._not_printed(), "Problem"))
            # elder mode reads this instead of the screen's texts (the number digit by digit)
            self.spoken_text = lambda: f"{title.text()}。{self.announcement()}"
        layout.addStretch(1)
        actions = QHBoxLayout()
        actions.addStretch(1)
        actions.addWidget(button(tr("完成"), lambda: answer(Choose(DONE)), "Primary"), 1)
        layout.addLayout(actions)

    def _not_printed(self) -> str:
        step = self._step
        why = render(step.print_problem) if step.print_problem else tr("凭条没有打印出来。")
        todo = (tr("请用手机拍下上面的编号和二维码，凭它们查询办理进度。") if step.qr_text
                else tr("请用手机拍下或用笔记下上面的编号，凭它查询办理进度。"))
        return why + " " + todo

    def announcement(self) -> str:
        """Said in every mode when nothing was printed: the number is all the person has."""
        step = self._step
        if step.printed:
            return ""
        chinese = any("\u4e00" <= char <= "\u9fff" for char in tr("受理编号"))
        name = tr("本机编号") if step.pending else tr("受理编号")
        return " ".join((self._not_printed(), tr("您的{name}是：{digits}。", name=name,
                                                  digits=spoken_number(step.number, chinese))))
