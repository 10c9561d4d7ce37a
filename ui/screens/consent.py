"""告知同意 (GB/T 35273): what is shared and why, each item agreed to on its own."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from flows.steps import Answer, Consented, ConsentStep
from ui.i18n import render, tr
from ui.screens.step_parts import header
from ui.tokens import Tokens
from ui.widgets import button, card, label, touch_scroll


class ConsentScreen(QWidget):
    def __init__(self, step: ConsentStep, tokens: Tokens,
                 answer: Callable[[Answer], None]) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setSpacing(tokens.spacing)
        layout.addWidget(header(tr("个人信息使用告知"), step.progress, step.service_name))
        layout.addWidget(label(tr("办理本事项需要使用以下信息。请逐项阅读，同意的请点选。"),
                               "Subtitle"))
        body = QWidget()
        column = QVBoxLayout(body)
        column.setSpacing(tokens.spacing // 2)
        self.toggles: dict[str, QPushButton] = {}
        for item in step.items:
            frame, inside = card()
            row = QHBoxLayout()
            text = QVBoxLayout()
            text.addWidget(label(render(item.what), "SectionTitle"))
            text.addWidget(label(render(item.why), "Muted"))
            row.addLayout(text, 1)
            toggle = button(tr("☐ 同意"), lambda: None, "Option")
            toggle.setCheckable(True)  # nothing is agreed for the person: they tap each
            toggle.toggled.connect(
                lambda on, t=toggle: t.setText(tr("☑ 已同意") if on else tr("☐ 同意")))
            row.addWidget(toggle)
            inside.addLayout(row)
            column.addWidget(frame)
            self.toggles[item.key] = toggle
        column.addStretch(1)
        layout.addWidget(touch_scroll(body), 1)
        actions = QHBoxLayout()
        actions.setSpacing(tokens.spacing)
        actions.addWidget(button(tr("不同意"), lambda: answer(Consented(frozenset()))), 1)
        actions.addWidget(button(tr("确认并继续"), lambda: answer(Consented(self.granted())),
                                 "Primary"), 2)
        layout.addLayout(actions)

    def granted(self) -> frozenset[str]:
        return frozenset(key for key, toggle in self.toggles.items() if toggle.isChecked())
