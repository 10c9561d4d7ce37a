"""Review before submitting: the values (masked), the materials and pages, the fee, and
whether it will be queued (待受理) because the network is down."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from flows.steps import SUBMIT, Answer, Choose, ReviewStep
from ui.i18n import render, tr
from ui.screens.step_parts import header
from ui.tokens import Tokens
from ui.widgets import button, card, label, touch_scroll


class ReviewScreen(QWidget):
    def __init__(self, step: ReviewStep, tokens: Tokens,
                 answer: Callable[[Answer], None]) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setSpacing(tokens.spacing // 2)
        layout.addWidget(header(tr("核对并提交"), step.progress, step.service_name))
        if step.offline:
            layout.addWidget(label(tr("网络暂时中断：提交后将保存在本机，网络恢复后自动提交，"
                                      "回执显示“待受理”。"), "Banner"))
        body = QWidget()
        column = QVBoxLayout(body)
        column.setSpacing(tokens.spacing)

        values, values_layout = card()
        values_layout.addWidget(label(tr("申请信息"), "SectionTitle"))
        grid = QGridLayout()
        grid.setHorizontalSpacing(tokens.spacing)
        for row, item in enumerate(step.rows):
            grid.addWidget(label(item.label, "Muted", wrap=False), row, 0)
            grid.addWidget(label(item.value or tr("（未填）")), row, 1)
        grid.setColumnStretch(1, 1)
        values_layout.addLayout(grid)
        column.addWidget(values)

        materials, materials_layout = card()
        materials_layout.addWidget(label(tr("提交材料"), "SectionTitle"))
        for name, pages in step.materials:
            shown = (tr("{pages} 页", pages=pages) if pages
                     else tr("暂缺（容缺受理，请在规定时间内补交）"))
            materials_layout.addWidget(label(f"{name}：{shown}"))
        if not step.materials:
            materials_layout.addWidget(label(tr("无需提交材料")))
        column.addWidget(materials)

        fee, fee_layout = card()
        fee_layout.addWidget(label(tr("费用"), "SectionTitle"))
        fee_layout.addWidget(label(render(step.fee) if step.fee is not None else tr("免费")))
        column.addWidget(fee)
        column.addStretch(1)
        layout.addWidget(touch_scroll(body), 1)

        actions = QHBoxLayout()
        actions.addWidget(label(tr("如需修改，请点“返回”"), "Muted"), 1)
        actions.addWidget(button(tr("确认提交"), lambda: answer(Choose(SUBMIT)), "Primary"), 1)
        layout.addLayout(actions)
