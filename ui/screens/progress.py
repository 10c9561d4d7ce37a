"""进度查询: each application with its status and a vertical timeline in the status words of
GB/T 40756 §9.4.6.5; result documents get a print button."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from flows.steps import Answer, ApplicationView, Choose, ProgressStep
from ui.i18n import render, tr
from ui.screens.step_parts import problem_line
from ui.tokens import Tokens
from ui.widgets import button, card, label, touch_scroll


class TimelineMark(QWidget):
    """The dot of one timeline entry and the line through it; the latest dot is filled."""

    def __init__(self, colour: str, first: bool, last: bool, latest: bool, size: int) -> None:
        super().__init__()
        self.colour = QColor(colour)
        self.first, self.last, self.latest = first, last, latest
        self.setFixedWidth(size)
        self.setMinimumHeight(size)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        x = self.width() / 2
        dot_y = self.width() / 2
        radius = self.width() / 4
        painter.setPen(QPen(self.colour, 3))
        if not self.first:
            painter.drawLine(QPointF(x, 0), QPointF(x, dot_y - radius))
        if not self.last:
            painter.drawLine(QPointF(x, dot_y + radius), QPointF(x, self.height()))
        painter.setBrush(self.colour if self.latest else QColor("white"))
        painter.drawEllipse(QPointF(x, dot_y), radius, radius)
        painter.end()


def application_card(view: ApplicationView, tokens: Tokens,
                     answer: Callable[[Answer], None]) -> QWidget:
    frame, column = card()
    top = QHBoxLayout()
    top.addWidget(label(view.service_name, "SectionTitle"), 1)
    top.addWidget(label(view.status, "Status", wrap=False))
    column.addLayout(top)
    column.addWidget(label(tr("受理编号：{number}    申请人：{name}", number=view.number,
                              name=view.masked_name), "Muted"))
    timeline = QGridLayout()
    timeline.setHorizontalSpacing(tokens.spacing // 2)
    timeline.setVerticalSpacing(0)
    # the latest first: what the person came to find out
    entries = list(reversed(view.timeline))
    for row, entry in enumerate(entries):
        mark = TimelineMark(tokens.primary, row == 0, row == len(entries) - 1, row == 0,
                            round(tokens.font_body * 1.6))
        timeline.addWidget(mark, row, 0)
        text = QVBoxLayout()
        text.setSpacing(0)
        text.addWidget(label(f"{entry.status}    {entry.at}",
                             "SectionTitle" if row == 0 else ""))
        if entry.note:
            text.addWidget(label(entry.note, "Muted"))
        text.setContentsMargins(0, 0, 0, tokens.spacing // 2)
        timeline.addLayout(text, row, 1)
    timeline.setColumnStretch(1, 1)
    column.addLayout(timeline)
    return frame


class ProgressScreen(QWidget):
    def __init__(self, step: ProgressStep, tokens: Tokens,
                 answer: Callable[[Answer], None]) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setSpacing(tokens.spacing // 2)
        layout.addWidget(label(tr("办理进度"), "Title"))
        if (problem := problem_line(step.problem)) is not None:
            layout.addWidget(problem)
        body = QWidget()
        column = QVBoxLayout(body)
        column.setSpacing(tokens.spacing)
        for view in step.applications:
            column.addWidget(application_card(view, tokens, answer))
        if not step.applications and step.problem is None:
            column.addWidget(label(tr("暂无办件记录"), "Subtitle"))
        column.addStretch(1)
        layout.addWidget(touch_scroll(body), 1)
        # the result documents' print buttons below the list, never scrolled out of view; the
        # first is the screen's one primary action, bottom right
        documents = QHBoxLayout()
        documents.setSpacing(tokens.spacing)
        hint = label(tr("查询完毕请点“首页”"), "Muted")
        documents.addWidget(hint, 1)
        printable = [d for view in step.applications for d in view.documents]
        for index, document in reversed(list(enumerate(printable))):
            documents.addWidget(button(tr("打印：{name}", name=render(document.label)),
                                       lambda key=document.key: answer(Choose(key)),
                                       "Primary" if index == 0 else ""))
        layout.addLayout(documents)
