"""The staff exit's hidden gesture: the four corners of the screen tapped in order (top left,
top right, bottom right, bottom left), each within `CORNER_PX` of its corner and all within
`WITHIN_S`. Taps are watched, never eaten: a person who taps a corner sees the kiosk as ever.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPointF
from PySide6.QtGui import QMouseEvent, QTouchEvent
from PySide6.QtWidgets import QWidget

CORNER_PX = 80
WITHIN_S = 4.0
TOP_LEFT, TOP_RIGHT, BOTTOM_RIGHT, BOTTOM_LEFT = range(4)
ORDER = (TOP_LEFT, TOP_RIGHT, BOTTOM_RIGHT, BOTTOM_LEFT)


class CornerGesture(QObject):
    """Watches every press on `window` (an application event filter) for the four corners."""

    def __init__(self, window: QWidget, on_done: Callable[[], None],
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(window)
        self._window = window
        self._on_done = on_done
        self._clock = clock
        self._taps: list[int] = []
        self._started = 0.0
        self._last_press: tuple[int, float, float] | None = None
        self.enabled = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (self.enabled and isinstance(watched, QWidget) and watched.window() is self._window
                and event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin)):
            where = _global_position(event)
            if where is None:
                return False
            # a press a child ignored comes again to its parent: count it once
            press = (_timestamp(event), where.x(), where.y())
            if press != self._last_press:
                self._last_press = press
                self.tap(self._window.mapFromGlobal(where))
        return False

    def tap(self, point: QPointF) -> None:
        """A press at `point` (window coordinates)."""
        corner = self._corner(point)
        now = self._clock()
        if self._taps and now - self._started > WITHIN_S:
            self._taps = []
        if corner is not None and self._taps and corner == self._taps[-1]:
            return  # a touch and the mouse press made of it: one tap
        if corner == TOP_LEFT:
            self._taps, self._started = [], now
        if corner is None or corner != ORDER[len(self._taps)]:
            self._taps = []
            return
        self._taps.append(corner)
        if len(self._taps) == len(ORDER):
            self._taps = []
            self._on_done()

    def _corner(self, point: QPointF) -> int | None:
        width, height = self._window.width(), self._window.height()
        left, top = point.x() < CORNER_PX, point.y() < CORNER_PX
        right, bottom = point.x() >= width - CORNER_PX, point.y() >= height - CORNER_PX
        for corner, (across, down) in enumerate(((left, top), (right, top), (right, bottom),
                                                 (left, bottom))):
            if across and down:
                return corner
        return None


def _global_position(event: QEvent) -> QPointF | None:
    if isinstance(event, QMouseEvent):
        return event.globalPosition()
    if isinstance(event, QTouchEvent) and event.points():
        return event.points()[0].globalPosition()
    return None


def _timestamp(event: QEvent) -> int:
    return event.timestamp() if isinstance(event, QMouseEvent | QTouchEvent) else 0
