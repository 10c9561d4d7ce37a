"""The Qt side of `kiosk.hall_hours.HallScreen`: the attract loop and the closed screen, each
laid over the whole window, bars included (the closed screen is black from edge to edge; the
attract loop goes at the first touch, after which 呼叫工作人员 is there as always).

A touch on either lands on the cover, not on the home beneath, and reaches the runtime through
the app's activity filter (`ui.shell.ActivityFilter`): the attract loop goes, the dark screen
shows the hours.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget

from common.i18n import Text
from ui.i18n import render
from ui.screens.attract import AttractScreen, ClosedScreen
from ui.shell import Shell


class HallCovers(QObject):
    def __init__(self, shell: Shell, services: Callable[[], Sequence[str]]) -> None:
        """`services`: the names of the hall's most used services, for the attract loop."""
        super().__init__()
        self._shell = shell
        self._window = shell.window
        self._services = services
        self.cover: QWidget | None = None
        self._window.installEventFilter(self)  # the cover follows the window's size

    def show_attract(self, on: bool, /) -> None:
        if not on:
            if isinstance(self.cover, AttractScreen):
                self._uncover()
            return
        shell = self._shell
        self._lay(AttractScreen(shell.tokens, self._window.hall, self._services(),
                                chinese=shell.language.current == "zh_CN"))

    def show_closed(self, hours: Text | None, /) -> None:
        shell = self._shell
        # paused as for 暂停服务: the runtime starts no session on a touch, and the next step
        # shown (or show_maintenance(False)) ends it
        shell.show_maintenance(True)
        self._window.hide_help()
        self._lay(ClosedScreen(shell.tokens, self._window.hall,
                               render(hours) if hours is not None else None))

    def end_closed(self) -> None:
        if isinstance(self.cover, ClosedScreen):
            self._uncover()

    def _lay(self, cover: QWidget) -> None:
        self._uncover()
        self.cover = cover
        self._window.prepare(cover)
        cover.setParent(self._window)
        cover.setGeometry(self._window.rect())
        cover.show()
        cover.raise_()

    def _uncover(self) -> None:
        if self.cover is not None:
            self.cover.hide()
            self.cover.deleteLater()
            self.cover = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() == QEvent.Type.Resize \
                and self.cover is not None:
            self.cover.setGeometry(self._window.rect())
        return False
