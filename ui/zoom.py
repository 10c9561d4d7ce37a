"""Enlarging a document preview: tap the picture (or 放大查看) and it fills the window, with a
large 关闭.

A certificate page shown beside its facts is about 600 px tall: its text is about 2 mm on the
kiosk's 21.5" screen. Enlarged, a portrait page is as wide as the window and scrolls with a
finger (kinetic, no scroll bar to aim at); a landscape picture (an ID card side) is as large as
fits. The enlarged view is an overlay of the window, so the screen under it keeps its state,
and it closes by itself when that screen goes (the flow moved on, the session ended).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QPixmap, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from ui.i18n import tr
from ui.tokens import Tokens
from ui.widgets import button, label, touch_scroll

MOST_UPSCALE = 2.5  # beyond this a rendered page only gets blurrier, not easier to read


class ZoomView(QWidget):
    """The picture over the whole window: a title, 关闭 and the picture, scrolled if taller."""

    def __init__(self, pixmap: QPixmap, tokens: Tokens) -> None:
        super().__init__()
        self.setObjectName("Dialog")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._pixmap = pixmap
        self._source: QWidget | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(tokens.spacing, tokens.spacing // 2, tokens.spacing,
                                  tokens.spacing // 2)
        layout.setSpacing(tokens.spacing // 2)
        top = QHBoxLayout()
        top.addWidget(label(tr("放大查看：上下滑动可看全部内容"), "SectionTitle"), 1)
        # larger than any other target: the way out must be found at once (elder: 23 mm)
        self.close_button = button(tr("关闭"), self.close_zoom, "Primary")
        # in its own style sheet: the application's, polished later, would override a fixed size
        self.close_button.setStyleSheet(f"min-height: {tokens.target_min + 12}px; "
                                        f"min-width: {tokens.target_min * 3}px;")
        top.addWidget(self.close_button)
        layout.addLayout(top)
        self.picture = QLabel()
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.area: QScrollArea = touch_scroll(self.picture)
        self.area.setObjectName("Zoom")
        layout.addWidget(self.area, 1)
        self.area.viewport().installEventFilter(self)  # fitted whenever its room changes

    def spoken_text(self) -> str:
        return tr("已放大。看完请点右上角“关闭”。")

    def follow(self, source: QWidget) -> None:
        """Closes when `source` (the screen's picture) is hidden or goes."""
        self._source = source
        source.installEventFilter(self)
        source.destroyed.connect(self.close_zoom)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._source and event.type() == QEvent.Type.Hide:
            self.close_zoom()
        elif watched is self.area.viewport() and event.type() == QEvent.Type.Resize:
            self._fit()
        return False

    def close_zoom(self) -> None:
        window = self.parentWidget()
        hide_overlay = getattr(window, "hide_overlay", None)
        if getattr(window, "overlay", None) is self and callable(hide_overlay):
            hide_overlay()  # the kiosk window forgets it as its overlay
        else:
            self.hide()
            self.deleteLater()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        if self._pixmap.isNull():
            return
        area = self.area.viewport().size()
        width = max(1, area.width() - 4)
        scale = width / self._pixmap.width()
        if self._pixmap.width() >= self._pixmap.height():  # a card, a landscape page: all of it
            scale = min(scale, max(1, area.height() - 4) / self._pixmap.height())
        scale = min(scale, MOST_UPSCALE)
        self.picture.setPixmap(self._pixmap.scaledToWidth(
            max(1, round(self._pixmap.width() * scale)),
            Qt.TransformationMode.SmoothTransformation))


def enlarge(source: QWidget, pixmap: QPixmap | None, tokens: Tokens) -> ZoomView | None:
    """Shows `pixmap` enlarged over `source`'s window; None when there is nothing to show."""
    if pixmap is None or pixmap.isNull():
        return None
    window = source.window()
    view = ZoomView(pixmap, tokens)
    show_overlay = getattr(window, "show_overlay", None)
    if callable(show_overlay):  # the kiosk window: one overlay at a time, kept sized
        show_overlay(view)
    else:
        view.setParent(window)
        view.setGeometry(window.rect())
        view.show()
        view.raise_()
    view.follow(source)
    layout = view.layout()
    if layout is not None:
        layout.activate()  # its room is known now, not on the next pass
    view._fit()
    return view


class TapToEnlarge(QObject):
    """Makes a picture enlarge on a tap; `pixmap()` gives the full-size picture."""

    def __init__(self, picture: QWidget, pixmap: Callable[[], QPixmap | None],
                 tokens: Tokens) -> None:
        super().__init__(picture)
        self._picture = picture
        self._pixmap = pixmap
        self._tokens = tokens
        picture.setCursor(Qt.CursorShape.PointingHandCursor)
        picture.setAccessibleName(tr("点击图片可放大"))
        picture.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._picture and event.type() == QEvent.Type.MouseButtonRelease:
            self.enlarge()
            return True
        return False

    def enlarge(self) -> ZoomView | None:
        return enlarge(self._picture, self._pixmap(), self._tokens)
