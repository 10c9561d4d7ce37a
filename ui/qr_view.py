"""A QR code drawn on screen from its text (segno makes the matrix, Qt paints the modules)."""

from __future__ import annotations

import segno
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

QUIET = 4  # modules of white around the code, as scanners need


class QrView(QWidget):
    def __init__(self, text: str, size: int) -> None:
        super().__init__()
        self.text = text
        self.matrix = [list(row) for row in segno.make(text, error="m").matrix]
        self.setFixedSize(size, size)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("white"))
        count = len(self.matrix) + 2 * QUIET
        module = min(self.width(), self.height()) / count
        painter.setPen(QColor("black"))
        for y, row in enumerate(self.matrix):
            for x, dark in enumerate(row):
                if dark:
                    painter.fillRect(QRectF((x + QUIET) * module, (y + QUIET) * module,
                                            module + 0.5, module + 0.5), QColor("black"))
        painter.end()
