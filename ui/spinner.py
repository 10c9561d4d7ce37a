"""A turning arc that shows work in progress; a timer repaints it, so nothing waits."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget


class Spinner(QWidget):
    def __init__(self, colour: str, size: int) -> None:
        super().__init__()
        self.colour = QColor(colour)
        self.angle = 0
        self.setFixedSize(size, size)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._turn)
        self._timer.start(40)

    def _turn(self) -> None:
        self.angle = (self.angle + 12) % 360
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        width = max(4.0, self.width() / 10)
        ring = QRectF(self.rect()).adjusted(width, width, -width, -width)
        faint = QColor(self.colour)
        faint.setAlpha(50)
        painter.setPen(QPen(faint, width))
        painter.drawEllipse(ring)
        painter.setPen(QPen(self.colour, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        painter.drawArc(ring, -self.angle * 16, 100 * 16)
        painter.end()
