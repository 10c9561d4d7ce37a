"""The touchscreen signature pad: strokes by finger (or mouse), given back as a PNG.

The one place in the kiosk where a drag is needed. Strokes are kept as points in the pad's own
coordinates and painted with anti-aliasing; the PNG is black ink on white, cropped to the
signature with a margin, so the platform stores the signature and not an empty canvas.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QTouchEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from ui.tokens import Tokens

INK = QColor(10, 20, 40)
MARGIN = 16  # px of white kept around the signature in the PNG


class SignaturePad(QWidget):
    changed = Signal()  # a stroke was drawn or the pad cleared

    def __init__(self, tokens: Tokens) -> None:
        super().__init__()
        self.tokens = tokens
        self.strokes: list[list[QPointF]] = []
        self.pen_width = 4.0 if tokens.name == "standard" else 5.0
        self.setObjectName("SignaturePad")
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumHeight(tokens.target_min * 3)

    @property
    def is_empty(self) -> bool:
        return not self.strokes

    def clear(self) -> None:
        self.strokes.clear()
        self.update()
        self.changed.emit()

    # -- input: touch first, the mouse for a demo PC ---------------------------------------

    def event(self, event: QEvent) -> bool:
        kind = event.type()
        if kind in (event.Type.TouchBegin, event.Type.TouchUpdate, event.Type.TouchEnd):
            assert isinstance(event, QTouchEvent), "Qt sends touch events of these types"
            points = event.points()
            if points:
                where = points[0].position()
                if kind == event.Type.TouchBegin:
                    self._begin(where)
                else:
                    self._extend(where)
            event.accept()
            return True
        return super().event(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._begin(event.position())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._extend(event.position())

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._extend(event.position())

    def _begin(self, where: QPointF) -> None:
        self.strokes.append([QPointF(where)])
        self.update()
        self.changed.emit()

    def _extend(self, where: QPointF) -> None:
        if not self.strokes:
            self._begin(where)
            return
        if self.strokes[-1][-1] != where:
            self.strokes[-1].append(QPointF(where))
            self.update()

    # -- drawing ------------------------------------------------------------------------------

    def _paths(self) -> list[QPainterPath]:
        paths = []
        for stroke in self.strokes:
            path = QPainterPath(stroke[0])
            if len(stroke) == 1:  # a dot: a tap is a mark too
                path.lineTo(stroke[0] + QPointF(0.5, 0.5))
            for point in stroke[1:]:
                path.lineTo(point)
            paths.append(path)
        return paths

    def _paint_strokes(self, painter: QPainter) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(INK, self.pen_width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                   Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        for path in self._paths():
            painter.drawPath(path)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        painter = QPainter(self)
        # the line to sign on, as on paper
        painter.setPen(QPen(QColor(self.tokens.border), 2, Qt.PenStyle.DashLine))
        y = self.height() * 0.75
        painter.drawLine(QPointF(self.width() * 0.08, y), QPointF(self.width() * 0.92, y))
        self._paint_strokes(painter)
        painter.end()

    def png(self) -> bytes | None:
        """The signature as a PNG, cropped to the ink; None while nothing is drawn."""
        if self.is_empty:
            return None
        bounds = QRectF()
        for path in self._paths():
            bounds = bounds.united(path.boundingRect())
        bounds.adjust(-MARGIN, -MARGIN, MARGIN, MARGIN)
        image = QImage(max(1, round(bounds.width())), max(1, round(bounds.height())),
                       QImage.Format.Format_RGB32)
        image.fill(QColor("white"))
        painter = QPainter(image)
        painter.translate(-bounds.topLeft())
        self._paint_strokes(painter)
        painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        # the stub types `format` as bytes only; PySide6 takes a str for a const char *
        image.save(buffer, "PNG")  # pyright: ignore[reportCallIssue, reportArgumentType]
        buffer.close()
        return bytes(data.data())
