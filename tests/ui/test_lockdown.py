"""Locked down (ui/lockdown.py): a keyboard plugged into the terminal, a long press, a pinch or
the window system's close button give no way out, while typing into a field still works and
the kiosk's own stop still closes the window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget

from ui import lockdown


@pytest.fixture
def kiosk_window(qapp: QApplication, qtbot):
    window = QWidget()
    field = QLineEdit(window)
    QVBoxLayout(window).addWidget(field)
    qtbot.addWidget(window)
    guard = lockdown.install(qapp, window)
    window.show()
    qtbot.waitExposed(window)
    field.setFocus()
    yield window, field, guard
    qapp.removeEventFilter(guard)
    while QApplication.overrideCursor() is not None:
        QApplication.restoreOverrideCursor()


WAYS_OUT = [
    (Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier),
    (Qt.Key.Key_Tab, Qt.KeyboardModifier.AltModifier),
    (Qt.Key.Key_Backspace, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier),
    (Qt.Key.Key_F2, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier),
    (Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier),
    (Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier),
    (Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
    (Qt.Key.Key_Super_L, Qt.KeyboardModifier.NoModifier),
    (Qt.Key.Key_D, Qt.KeyboardModifier.MetaModifier),
    (Qt.Key.Key_F11, Qt.KeyboardModifier.NoModifier),
]


def test_shortcuts_are_eaten_and_typing_still_reaches_the_field(kiosk_window):
    window, field, guard = kiosk_window
    for key, modifiers in WAYS_OUT:
        QTest.keyClick(field, key, modifiers)
    assert window.isVisible()
    assert guard.eaten >= len(WAYS_OUT)  # press and release alike
    QTest.keyClicks(field, "ab12")
    QTest.keyClick(field, Qt.Key.Key_Backspace)
    assert field.text() == "ab1"


def test_the_window_system_cannot_close_it_but_the_kiosk_can(kiosk_window, qtbot):
    window, _field, guard = kiosk_window
    handle = window.windowHandle()
    assert handle is not None
    handle.close()  # as a window manager's Alt+F4 or a compositor's close: a spontaneous event
    assert window.isVisible()
    assert not window.close()
    guard.stop()  # the kiosk's own stop
    assert window.close()
    assert not window.isVisible()


def test_no_context_menu_no_pointer_no_frame(kiosk_window, qapp):
    window, field, _guard = kiosk_window
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, QPoint(5, 5),
                              field.mapToGlobal(QPoint(5, 5)))
    assert qapp.sendEvent(field, event)  # taken by the lockdown, not by the field's menu
    assert QApplication.activePopupWidget() is None
    cursor = QApplication.overrideCursor()
    assert cursor is not None and cursor.shape() == Qt.CursorShape.BlankCursor
    assert window.windowFlags() & Qt.WindowType.FramelessWindowHint
    assert qapp.testAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs)
    assert QEvent.Type.ContextMenu in lockdown._EATEN_EVENTS
