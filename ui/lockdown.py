"""Locked down: nothing a person at the screen does leaves the kiosk.

The compositor (cage, deploy/kiosk.service) already shows one fullscreen window and nothing
else; this is the app's own share, for a keyboard someone plugs in and for whatever the window
system still forwards:

- shortcuts that close, switch or reach the desktop (Alt+F4, Alt+Tab, Ctrl+Alt+…, Super, Esc,
  F-keys) are eaten before any widget sees them; plain typing still reaches a focused field
  (a technician's keyboard, a scanner in keyboard mode);
- a close the window system asks for (Alt+F4 handled by a window manager, a compositor's close)
  is refused until the kiosk itself stops (`Lockdown.stop`);
- no context menus (a long press on a field would open cut/copy/paste), no native dialogs,
  no pinch or rotate gestures (there is nothing to zoom: `ui.zoom` has its own buttons);
- no pointer: a touch screen has nothing to point with.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

_EATEN_MODIFIERS = (Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier)
_EATEN_KEYS = frozenset({
    Qt.Key.Key_Escape, Qt.Key.Key_Super_L, Qt.Key.Key_Super_R, Qt.Key.Key_Meta,
    Qt.Key.Key_Menu, Qt.Key.Key_Hyper_L, Qt.Key.Key_Hyper_R, Qt.Key.Key_Alt,
    Qt.Key.Key_AltGr, Qt.Key.Key_Print, Qt.Key.Key_SysReq, Qt.Key.Key_PowerOff,
    Qt.Key.Key_Sleep, Qt.Key.Key_Suspend, Qt.Key.Key_Close, Qt.Key.Key_Launch0,
    *(getattr(Qt.Key, f"Key_F{n}") for n in range(1, 36)),
})
# (the scroller's flick is a gesture too, but reaches Qt as mouse events: not eaten)
_EATEN_EVENTS = frozenset({QEvent.Type.ContextMenu, QEvent.Type.NativeGesture,
                           QEvent.Type.Shortcut, QEvent.Type.WhatsThis,
                           QEvent.Type.QueryWhatsThis})


def is_escape_key(event: QKeyEvent) -> bool:
    """Whether a key press would be a way out rather than typing."""
    modifiers = event.modifiers()
    if modifiers & _EATEN_MODIFIERS:
        return True
    control = bool(modifiers & Qt.KeyboardModifier.ControlModifier)
    # Ctrl with a letter is an editing shortcut at most (Ctrl+W/Q close windows elsewhere)
    return control or Qt.Key(event.key()) in _EATEN_KEYS


class Lockdown(QObject):
    """The application-wide filter; `install(app, window)` once, in fullscreen mode."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.eaten = 0  # for the tests and the log: how many ways out were refused
        self.stopping = False

    def stop(self) -> None:
        """The kiosk is stopping (or staff leave to the desktop): its windows may close."""
        self.stopping = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease) and isinstance(
                event, QKeyEvent) and is_escape_key(event):
            return self._eat()
        if kind in _EATEN_EVENTS:
            return self._eat()
        if kind == QEvent.Type.Close and not self.stopping:
            # the window system asked; (Qt 6 closes a top-level widget through its window
            # system window too, so the kiosk's own stop says so first: `stop`)
            event.ignore()
            return self._eat()
        return False

    def _eat(self) -> bool:
        self.eaten += 1
        return True


def install(app: QApplication, window: QWidget) -> Lockdown:
    app.setAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs)
    app.setOverrideCursor(Qt.CursorShape.BlankCursor)
    window.setWindowFlags(window.windowFlags() | Qt.WindowType.FramelessWindowHint)
    window.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
    lockdown = Lockdown(window)
    app.installEventFilter(lockdown)
    return lockdown
