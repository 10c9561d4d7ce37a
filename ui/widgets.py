"""Small touch widgets shared by the screens: labels, kinetic scrolling, paging."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QScroller,
    QVBoxLayout,
    QWidget,
)

from ui.i18n import tr


def label(text: str, name: str = "", wrap: bool = True) -> QLabel:
    widget = QLabel(text)
    widget.setTextFormat(Qt.TextFormat.PlainText)  # catalog text is data, never markup
    widget.setWordWrap(wrap)
    if name:
        widget.setObjectName(name)
    return widget


def button(text: str, on_tap: Callable[[], object], name: str = "") -> QPushButton:
    """`on_tap` is called with nothing on every click; what it returns is dropped."""
    widget = QPushButton(text)
    widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    if name:
        widget.setObjectName(name)
    # not connect(on_tap): Qt would pass `checked` into a lambda's default arguments
    widget.clicked.connect(lambda: on_tap())
    return widget


class _TurnWithWindow(QObject):
    """Lays a side-by-side box out top to bottom while its window stands upright."""

    def __init__(self, host: QWidget, box: QBoxLayout) -> None:
        super().__init__(host)
        self._box = box
        host.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Show, QEvent.Type.Resize) and isinstance(watched,
                                                                                   QWidget):
            window = watched.window()
            upright = window.height() > window.width()
            self._box.setDirection(QBoxLayout.Direction.TopToBottom if upright
                                   else QBoxLayout.Direction.LeftToRight)
        return False


def side_by_side(host: QWidget) -> QBoxLayout:
    """A box whose parts sit side by side on a landscape screen and one above the other on an
    upright (portrait) one, decided by `host`'s window: a wide part would otherwise hold the
    window wider than an upright screen."""
    box = QBoxLayout(QBoxLayout.Direction.LeftToRight)
    _TurnWithWindow(host, box)
    return box


def card() -> tuple[QFrame, QVBoxLayout]:
    frame = QFrame()
    frame.setObjectName("Card")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(24, 20, 24, 20)
    return frame, layout


def touch_scroll(content: QWidget) -> QScrollArea:
    """A scroll area a finger can flick (kinetic), no scroll bar to aim at."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setWidget(content)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    QScroller.grabGesture(area.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)
    return area


class Pager(QWidget):
    """Shows a few choices at a time with large 上一页 / 下一页 buttons: no drag needed."""

    def __init__(self, items: Sequence[QWidget], per_page: int, columns: int = 1) -> None:
        super().__init__()
        self._items = list(items)
        self._per_page = max(1, per_page)
        self._columns = columns
        self.page = 0
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self._grid_host = QWidget()
        self._grid = QGridLayout(self._grid_host)
        self._grid.setSpacing(16)
        layout.addWidget(self._grid_host, 1)
        nav = QHBoxLayout()
        self._prev = button(tr("上一页"), lambda: self.show_page(self.page - 1))
        self._next = button(tr("下一页"), lambda: self.show_page(self.page + 1))
        self._where = label("", "Muted")
        self._where.setAlignment(Qt.AlignmentFlag.AlignCenter)
        nav.addWidget(self._prev)
        nav.addWidget(self._where, 1)
        nav.addWidget(self._next)
        self._nav = QWidget()
        self._nav.setLayout(nav)
        layout.addWidget(self._nav)
        self.show_page(0)

    @property
    def pages(self) -> int:
        return max(1, -(-len(self._items) // self._per_page))

    def show_page(self, page: int) -> None:
        self.page = min(max(page, 0), self.pages - 1)
        for item in self._items:
            self._grid.removeWidget(item)
            item.hide()
        start = self.page * self._per_page
        for index, item in enumerate(self._items[start:start + self._per_page]):
            self._grid.addWidget(item, index // self._columns, index % self._columns)
            item.show()
        self._nav.setVisible(self.pages > 1)
        self._prev.setEnabled(self.page > 0)
        self._next.setEnabled(self.page < self.pages - 1)
        self._where.setText(tr("第 {page} 页，共 {pages} 页", page=self.page + 1, pages=self.pages))
