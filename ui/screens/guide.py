"""The service guide (办事指南): what to bring, what it costs, how long, who may do it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from flows.guide import MaterialLine
from flows.steps import Answer, Choose, GuideStep
from ui.i18n import render, tr
from ui.tokens import Tokens
from ui.widgets import button, card, label, touch_scroll


class GuideScreen(QWidget):
    def __init__(self, step: GuideStep, tokens: Tokens, answer: Callable[[Answer], None]) -> None:
        super().__init__()
        guide = step.guide
        outer = QVBoxLayout(self)
        outer.setSpacing(tokens.spacing // 2)
        outer.addWidget(label(guide.title, "Title"))
        if guide.official_name != guide.title:
            outer.addWidget(label(guide.official_name, "Subtitle"))
        if guide.availability is not None:
            outer.addWidget(label(render(guide.availability), "Banner"))

        body = QWidget()
        column = QVBoxLayout(body)
        column.setSpacing(tokens.spacing)

        facts, facts_layout = card()
        grid = QGridLayout()
        grid.setHorizontalSpacing(tokens.spacing)
        for row, fact in enumerate(guide.facts):
            grid.addWidget(label(render(fact.label), "SectionTitle", wrap=False), row, 0)
            grid.addWidget(label(render(fact.value)), row, 1)
        grid.setColumnStretch(1, 1)
        facts_layout.addLayout(grid)
        column.addWidget(facts)

        to_bring = [m for m in guide.materials if not m.shared]
        shared = [m for m in guide.materials if m.shared]
        column.addWidget(_materials(tr("需要您提交的材料"), to_bring,
                                    tr("无需提交任何材料")))
        if shared:
            column.addWidget(_materials(tr("无需提交（部门共享获取）"), shared, ""))
        if guide.legal_basis:
            basis, basis_layout = card()
            basis_layout.addWidget(label(tr("设定依据"), "SectionTitle"))
            basis_layout.addWidget(label("；".join(guide.legal_basis), "Muted"))
            column.addWidget(basis)
        column.addStretch(1)
        outer.addWidget(touch_scroll(body), 1)
        if step.start is not None or step.directions is not None:
            actions = QHBoxLayout()
            actions.addStretch(1)
            if (where := step.directions) is not None:  # 去哪里办理: beside, never primary
                self.directions_button = button(render(where.label),
                                                lambda: answer(Choose(where.key)))
                actions.addWidget(self.directions_button)
            if step.start is not None:
                # 开始办理 (or 打印…): the flow the guide leads to, always in the same corner
                start = step.start
                self.start_button = button(render(start.label),
                                           lambda: answer(Choose(start.key)), "Primary")
                actions.addWidget(self.start_button, 1)
            outer.addLayout(actions)


def _materials(title: str, materials: list[MaterialLine], when_none: str) -> QWidget:
    frame, layout = card()
    layout.addWidget(label(title, "SectionTitle"))
    if not materials:
        layout.addWidget(label(when_none))
    for number, material in enumerate(materials, 1):
        layout.addWidget(label(f"{number}. {material.name}"))
        layout.addWidget(label(render(material.detail), "Muted"))
    return frame
