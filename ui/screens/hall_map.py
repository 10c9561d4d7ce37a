"""大厅导航's screen (`flows.directions`): the hall's floor plan, scaled to fit, with the area
that serves the person's service outlined and its name large beside it (said aloud in every
mode: where to go is what the person came to this screen for).

The plan arrives pre-scaled by the kiosk core (`kiosk.hall_map_source`, at most 1600 px a
side), so the one decode here is small; it is decoded once and only scaled when painted.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen, QPixmap
from PySide6.QtWidgets import QSizePolicy, QVBoxLayout, QWidget

from central.contract.hall_map import Rect
from flows.directions import HallMapStep
from flows.steps import Answer, Choice
from ui.i18n import render, tr
from ui.screens.step_parts import choice_row
from ui.tokens import Tokens
from ui.widgets import card, label, side_by_side

HIGHLIGHT = QColor("#E8590C")  # an orange outline reads on a pale plan in both themes


class PlanView(QWidget):
    """The plan fitted to the widget, aspect kept, with one rectangle outlined."""

    def __init__(self, png: bytes, highlight: Rect | None, tokens: Tokens) -> None:
        super().__init__()
        self.pixmap = QPixmap()
        self.pixmap.loadFromData(png, "PNG")
        self.highlight = highlight
        self._line = max(4, tokens.spacing // 3)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(QSize(tokens.target_min * 4, tokens.target_min * 3))

    def plan_rect(self) -> QRectF:
        """Where the plan is drawn: centred, as large as fits."""
        if self.pixmap.isNull():
            return QRectF()
        scale = min(self.width() / self.pixmap.width(), self.height() / self.pixmap.height())
        w, h = self.pixmap.width() * scale, self.pixmap.height() * scale
        return QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h)

    def highlight_rect(self) -> QRectF | None:
        if self.highlight is None or self.pixmap.isNull():
            return None
        plan, r = self.plan_rect(), self.highlight
        return QRectF(plan.x() + r.x * plan.width(), plan.y() + r.y * plan.height(),
                      r.w * plan.width(), r.h * plan.height())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawPixmap(self.plan_rect(), self.pixmap, QRectF(self.pixmap.rect()))
        area = self.highlight_rect()
        if area is not None:
            fill = QColor(HIGHLIGHT)
            fill.setAlpha(60)
            painter.fillRect(area, fill)
            painter.setPen(QPen(HIGHLIGHT, self._line))
            painter.drawRect(area)
        painter.end()


class HallMapScreen(QWidget):
    def __init__(self, step: HallMapStep, tokens: Tokens,
                 answer: Callable[[Answer], None]) -> None:
        super().__init__()
        self._step = step
        layout = QVBoxLayout(self)
        layout.setSpacing(tokens.spacing // 2)
        layout.addWidget(label(render(step.title), "Title"))
        if step.age is not None:
            layout.addWidget(label(render(step.age), "Banner"))
        row = side_by_side(self)  # the words under the plan on an upright screen
        row.setSpacing(tokens.spacing)
        self.plan = PlanView(step.plan, step.highlight, tokens)
        row.addWidget(self.plan, 3)
        frame, column = card()
        column.setSpacing(tokens.spacing // 2)
        if step.area_name is not None:
            column.addWidget(label(tr("办理地点"), "Muted"))
            self.area = label(step.area_name, "BigNumber")
            column.addWidget(self.area)
        for line in step.lines:
            column.addWidget(label(render(line), "SectionTitle" if step.area_name is None
                                   else ""))
        column.addStretch(1)
        row.addWidget(frame, 2)
        layout.addLayout(row, 1)
        layout.addWidget(choice_row((Choice("done", tr("完成"), primary=True),), answer))

    def announcement(self) -> str:
        """Said in every mode: where to go, or what to do when no area serves it."""
        return render(self._step.said) if self._step.said is not None else ""
