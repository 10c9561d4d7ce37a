"""人证核验, first half: show the card or the code; pictures say where each goes."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from flows.steps import Answer, Choose, IdentityStep
from ui.i18n import tr
from ui.pictures import Picture
from ui.screens.step_parts import header, problem_line
from ui.tokens import Tokens
from ui.widgets import button, card, label

# what each method asks the person to do, under its picture
METHODS = {
    "id_card": (lambda: tr("居民身份证"), lambda: tr("请将身份证平放在读卡区")),
    "ss_card": (lambda: tr("社会保障卡"), lambda: tr("请将社保卡芯片朝前插入卡槽")),
    "qr_code": (lambda: tr("电子证照二维码"),
                lambda: tr("请出示居民身份电子凭证或电子社保卡二维码，对准扫码窗口")),
}


class IdentityScreen(QWidget):
    def __init__(self, step: IdentityStep, tokens: Tokens,
                 answer: Callable[[Answer], None]) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setSpacing(tokens.spacing)
        layout.addWidget(header(tr("核验身份"), step.progress, step.service_name))
        # lifting the card ends the visit (its data is wiped), so say so before it is placed
        layout.addWidget(label(tr("请任选一种方式证明您的身份。证件放好后请不要取走，办完再拿"),
                               "Subtitle"))
        if (problem := problem_line(step.problem)) is not None:
            layout.addWidget(problem)
        row = QHBoxLayout()
        row.setSpacing(tokens.spacing)
        for method in step.methods:
            name, how = METHODS[method]
            frame, column = card()
            frame.setProperty("method", method)
            title = label(name(), "SectionTitle")
            title.setAlignment(Qt.AlignmentFlag.AlignCenter)
            column.addWidget(title)
            column.addWidget(Picture(method, tokens), 1)
            hint = label(how())
            hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
            column.addWidget(hint)
            if len(step.methods) > 1:
                # tapping tells the flow which way the person chose, e.g. to switch reader
                column.addWidget(button(tr("用这种方式"),
                                        lambda m=method: answer(Choose(m))))
            row.addWidget(frame, 1)
        layout.addLayout(row, 1)
