"""便民服务's screens (`flows.convenience`): the hall's tiles, a feed's or a lookup's lines with
how old they are and whose data they are, and a mobile service's QR code.

A warning (the kiosk's copy, a third party that did not answer) stands above the lines in
the problem style, so a person reads why before reading what; sample data says so at the top.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from flows.convenience import ConvenienceGridStep, ConvenienceInfoStep, DeeplinkStep
from flows.steps import Answer, Choose, Nav
from ui.i18n import render, tr
from ui.qr_view import QrView
from ui.screens.elder_home import tile
from ui.tokens import Tokens
from ui.widgets import Pager, button, card, label, touch_scroll


class ConvenienceGridScreen(QWidget):
    def __init__(self, step: ConvenienceGridStep, tokens: Tokens,
                 answer: Callable[[Answer], None]) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setSpacing(tokens.spacing)
        layout.addWidget(label(tr("便民服务"), "Title"))
        if step.note is not None:
            layout.addWidget(label(render(step.note), "Problem"))
        if not step.tiles:
            layout.addWidget(label(tr("本大厅暂未提供便民服务。"), "Subtitle"))
            layout.addStretch(1)
            return
        self.tiles = [tile(render(choice.label), lambda key=choice.key: answer(Choose(key)))
                      for choice in step.tiles]
        layout.addWidget(Pager(self.tiles, tokens.tiles_per_page, tokens.tile_columns), 1)


class ConvenienceInfoScreen(QWidget):
    def __init__(self, step: ConvenienceInfoStep, tokens: Tokens,
                 answer: Callable[[Answer], None]) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setSpacing(tokens.spacing // 2)
        layout.addWidget(label(step.title, "Title"))
        if step.sample:
            layout.addWidget(label(tr("示例数据，仅供演示，不是真实查询结果。"), "Problem"))
        if step.warning is not None:
            layout.addWidget(label(render(step.warning), "Problem"))
        if step.summary is not None:
            layout.addWidget(label(render(step.summary), "SectionTitle"))
        if step.rows:
            frame, column = card()
            rows = QGridLayout()
            rows.setHorizontalSpacing(tokens.spacing)
            rows.setVerticalSpacing(tokens.spacing // 2)
            for index, (name, value) in enumerate(step.rows):
                rows.addWidget(label(name, "Muted", wrap=False), index, 0,
                               Qt.AlignmentFlag.AlignTop)
                rows.addWidget(label(value), index, 1, Qt.AlignmentFlag.AlignTop)
            rows.setColumnStretch(1, 1)
            rows.setRowStretch(len(step.rows), 1)  # the lines together at the top
            column.addLayout(rows)
            layout.addWidget(touch_scroll(frame), 1)  # a parcel's traces can be long
        else:
            layout.addStretch(1)
        foot = [render(step.age)] if step.age is not None else []
        if step.attribution:
            foot.append(tr("数据来源：{who}", who=step.attribution))
        if foot:
            layout.addWidget(label(" · ".join(foot), "Muted"))
        actions = QHBoxLayout()
        actions.addStretch(1)
        for choice in step.choices:
            actions.addWidget(button(render(choice.label),
                                     lambda key=choice.key: answer(Choose(key)),
                                     "Primary" if choice.primary else ""))
        if not step.choices:
            actions.addWidget(button(tr("完成"), lambda: answer(Nav.BACK), "Primary"))
        layout.addLayout(actions)


class DeeplinkScreen(QWidget):
    def __init__(self, step: DeeplinkStep, tokens: Tokens,
                 answer: Callable[[Answer], None]) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setSpacing(tokens.spacing)
        layout.addWidget(label(step.title, "Title"))
        words = tr("本机暂不能办理此项，请用手机扫描下方二维码，在官方移动端继续办理。")
        layout.addWidget(label(words, "Subtitle"))
        self.qr = QrView(step.url, tokens.target_min * 5)
        layout.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignHCenter)
        hint = label(tr("可使用微信、支付宝或浏览器扫码"), "Muted")
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(hint)
        layout.addStretch(1)
        actions = QHBoxLayout()
        actions.addStretch(1)
        actions.addWidget(button(tr("完成"), lambda: answer(Nav.BACK), "Primary"))
        layout.addLayout(actions)
