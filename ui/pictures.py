"""Simple vector pictures of where things go: the ID card on the reader, the social-security
card in its slot, a QR code under the scanner, a phone's pay code (付款码) under the scanner, a
face in the camera's frame, a page under the document camera.

One style for all: rounded outlines in the primary colour on white, the device in grey and
the thing the person holds in a light fill, an arrow saying which way it goes. Drawn with
QPainter so they scale to any theme without image files.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPixmap,
    QPolygonF,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from ui.tokens import Tokens

GREY = QColor(120, 130, 145)
CARD_FILL = QColor(225, 236, 250)


class Picture(QWidget):
    """One of the pictures by name ("id_card", "ss_card", "qr_code", "face", "page")."""

    def __init__(self, kind: str, tokens: Tokens, height: int | None = None) -> None:
        super().__init__()
        if kind not in DRAWINGS:
            raise ValueError(f"no picture {kind!r}")
        self.kind = kind
        self.colour = QColor(tokens.primary)
        self.setMinimumHeight(height or tokens.target_min * 2)
        self.setMinimumWidth(round((height or tokens.target_min * 2) * 1.3))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        side = min(self.width() / 1.3, float(self.height()))
        box = QRectF(0, 0, side * 1.3, side)
        box.moveCenter(QRectF(self.rect()).center())
        # every drawing works in a 130 x 100 box
        painter.translate(box.topLeft())
        painter.scale(box.width() / 130, box.height() / 100)
        DRAWINGS[self.kind](painter, self.colour)
        painter.end()


def _pen(colour: QColor, width: float = 2.5) -> QPen:
    return QPen(colour, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                Qt.PenJoinStyle.RoundJoin)


def _arrow(painter: QPainter, colour: QColor, start: QPointF, end: QPointF) -> None:
    painter.setPen(_pen(colour, 3))
    painter.drawLine(start, end)
    direction = end - start
    length = max((direction.x() ** 2 + direction.y() ** 2) ** 0.5, 1e-6)
    unit = QPointF(direction.x() / length, direction.y() / length)
    normal = QPointF(-unit.y(), unit.x())
    head = QPolygonF([end, end - unit * 7 + normal * 5, end - unit * 7 - normal * 5])
    painter.setBrush(colour)
    painter.drawPolygon(head)
    painter.setBrush(Qt.BrushStyle.NoBrush)


def _card(painter: QPainter, colour: QColor, rect: QRectF, chip: bool) -> None:
    painter.setPen(_pen(colour))
    painter.setBrush(CARD_FILL)
    painter.drawRoundedRect(rect, 3, 3)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    # a photo box and two lines of text, or a chip
    if chip:
        painter.drawRoundedRect(QRectF(rect.left() + 6, rect.top() + rect.height() * 0.35,
                                       10, 8), 1.5, 1.5)
    else:
        painter.drawRect(QRectF(rect.right() - 14, rect.top() + 5, 9, 12))
    for row in (0.3, 0.55, 0.8):
        y = rect.top() + rect.height() * row
        painter.drawLine(QPointF(rect.left() + (20 if chip else 6), y),
                         QPointF(rect.right() - (6 if chip else 20), y))


def draw_id_card(painter: QPainter, colour: QColor) -> None:
    # the reader: a flat pad seen in perspective; the card lies flat on it
    painter.setPen(_pen(GREY))
    pad = QPolygonF([QPointF(20, 70), QPointF(110, 70), QPointF(125, 95), QPointF(5, 95)])
    painter.setBrush(QColor(235, 238, 242))
    painter.drawPolygon(pad)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawLine(QPointF(45, 83), QPointF(85, 83))
    _card(painter, colour, QRectF(38, 18, 54, 34), chip=False)
    _arrow(painter, colour, QPointF(65, 55), QPointF(65, 78))


def draw_ss_card(painter: QPainter, colour: QColor) -> None:
    # the slot in the front of the kiosk; the card goes in chip first
    painter.setPen(_pen(GREY))
    painter.setBrush(QColor(235, 238, 242))
    painter.drawRoundedRect(QRectF(25, 72, 80, 22), 4, 4)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setPen(_pen(GREY, 4))
    painter.drawLine(QPointF(38, 80), QPointF(92, 80))
    _card(painter, colour, QRectF(38, 10, 54, 34), chip=True)
    _arrow(painter, colour, QPointF(65, 48), QPointF(65, 74))


def _scanner_window(painter: QPainter, colour: QColor) -> None:
    # the scanner window in the kiosk's front, with the pen and fill set for the phone above it
    painter.setPen(_pen(GREY))
    painter.setBrush(QColor(235, 238, 242))
    painter.drawRoundedRect(QRectF(20, 80, 90, 16), 4, 4)
    painter.setPen(_pen(colour, 3))
    painter.drawLine(QPointF(40, 88), QPointF(90, 88))
    painter.setPen(_pen(colour))
    painter.setBrush(CARD_FILL)


def draw_qr_code(painter: QPainter, colour: QColor) -> None:
    # a phone showing a code, held over the scanner window
    _scanner_window(painter, colour)
    painter.drawRoundedRect(QRectF(47, 5, 36, 60), 5, 5)
    painter.setBrush(colour)
    for x, y in ((53, 15), (67, 15), (53, 29)):
        painter.drawRect(QRectF(x, y, 10, 10))
    painter.drawRect(QRectF(69, 31, 4, 4))
    painter.drawRect(QRectF(74, 36, 4, 4))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    _arrow(painter, colour, QPointF(65, 67), QPointF(65, 80))


def draw_pay_code(painter: QPainter, colour: QColor) -> None:
    # a phone showing its pay code (a barcode over a QR code), held over the scanner window
    _scanner_window(painter, colour)
    painter.drawRoundedRect(QRectF(45, 3, 40, 64), 5, 5)
    painter.setPen(QPen(colour, 1.6))
    for x in (50, 52.5, 56, 58, 61.5, 64, 66, 69.5, 72, 75.5, 78, 80):
        painter.drawLine(QPointF(x, 10), QPointF(x, 24))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    for x, y in ((55, 30), (67, 30), (55, 42)):
        painter.drawRect(QRectF(x, y, 8, 8))
    painter.drawRect(QRectF(68, 43, 3, 3))
    painter.drawRect(QRectF(72, 47, 3, 3))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    _arrow(painter, colour, QPointF(65, 69), QPointF(65, 80))


def draw_face(painter: QPainter, colour: QColor) -> None:
    painter.setPen(_pen(colour))
    corner = 10
    for x, y, dx, dy in ((30, 8, 1, 1), (100, 8, -1, 1), (30, 92, 1, -1), (100, 92, -1, -1)):
        painter.drawLine(QPointF(x, y), QPointF(x + dx * corner, y))
        painter.drawLine(QPointF(x, y), QPointF(x, y + dy * corner))
    painter.setBrush(CARD_FILL)
    painter.drawEllipse(QRectF(47, 20, 36, 44))
    path = QPainterPath(QPointF(38, 92))
    path.cubicTo(QPointF(40, 70), QPointF(90, 70), QPointF(92, 92))
    painter.drawPath(path)
    painter.setBrush(colour)
    painter.drawEllipse(QPointF(58, 40), 2.5, 2.5)
    painter.drawEllipse(QPointF(72, 40), 2.5, 2.5)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawArc(QRectF(57, 44, 16, 10), 200 * 16, 140 * 16)


def draw_page(painter: QPainter, colour: QColor) -> None:
    # the camera's arm above the tray, a page lying in the tray
    painter.setPen(_pen(GREY))
    painter.drawLine(QPointF(110, 95), QPointF(110, 10))
    painter.drawLine(QPointF(110, 10), QPointF(70, 10))
    painter.setBrush(QColor(235, 238, 242))
    painter.drawRoundedRect(QRectF(60, 6, 14, 9), 2, 2)
    painter.drawRect(QRectF(10, 88, 110, 7))
    painter.setPen(_pen(colour))
    painter.setBrush(CARD_FILL)
    painter.drawRect(QRectF(35, 40, 50, 45))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    for y in (50, 60, 70):
        painter.drawLine(QPointF(42, y), QPointF(78, y))
    painter.setPen(QPen(colour, 1.5, Qt.PenStyle.DashLine))
    painter.drawLine(QPointF(67, 16), QPointF(35, 40))
    painter.drawLine(QPointF(67, 16), QPointF(85, 40))


def lock_icon(size: int, colour: str) -> QPixmap:
    """The lock mark of a field shared from a card: shown, not editable."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.scale(size / 20, size / 20)
    ink = QColor(colour)
    painter.setPen(_pen(ink, 2))
    painter.drawArc(QRectF(5, 2, 10, 12), 0, 180 * 16)
    painter.drawLine(QPointF(5, 8), QPointF(5, 10))
    painter.drawLine(QPointF(15, 8), QPointF(15, 10))
    painter.setBrush(ink)
    painter.drawRoundedRect(QRectF(3, 9, 14, 10), 2, 2)
    painter.end()
    return pixmap


class FaceLevel(QWidget):
    """A face for a satisfaction level, 5 (big smile) to 1 (deep frown); drawn, no emoji
    font needed. Transparent to taps: it sits inside the level's button."""

    def __init__(self, level: int, colour: str, size: int) -> None:
        super().__init__()
        self.level = level
        self.colour = QColor(colour)
        self.setFixedSize(size, size)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.scale(self.width() / 40, self.height() / 40)
        painter.setPen(_pen(self.colour, 2.5))
        painter.setBrush(QColor(255, 214, 90) if self.level >= 3 else QColor(200, 215, 235))
        painter.drawEllipse(QRectF(3, 3, 34, 34))
        painter.setBrush(self.colour)
        painter.drawEllipse(QPointF(14, 16), 2.2, 2.2)
        painter.drawEllipse(QPointF(26, 16), 2.2, 2.2)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        bend = (self.level - 3) * 4  # smile up, frown down
        mouth = QPainterPath(QPointF(12, 27 - bend / 2))
        mouth.quadTo(QPointF(20, 27 + bend), QPointF(28, 27 - bend / 2))
        painter.drawPath(mouth)
        painter.end()


DRAWINGS: dict[str, Callable[[QPainter, QColor], None]] = {
    "id_card": draw_id_card,
    "ss_card": draw_ss_card,
    "qr_code": draw_qr_code,
    "pay_code": draw_pay_code,
    "face": draw_face,
    "page": draw_page,
}
