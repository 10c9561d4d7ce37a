"""The on-screen numeric keypad: large keys for numbers, phone and ID numbers.

No system keyboard for numbers (DESIGN: a numeric keypad for numbers): the field it writes into
is read-only, so no keyboard pops up over it, and the keys are as large as the tokens say.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QGridLayout, QLineEdit, QPushButton, QSizePolicy, QWidget

from ui.i18n import tr
from ui.tokens import Tokens
from ui.widgets import button

BACKSPACE = "⌫"


class KeypadField(QLineEdit):
    """A field that only the keypad writes into (read-only: no system keyboard pops up);
    tapping it makes it the keypad's target."""

    tapped = Signal()

    def __init__(self, tokens: Tokens, value: str = "") -> None:
        super().__init__(value)
        self.setReadOnly(True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setMinimumHeight(tokens.target_min)
        self.setObjectName("KeypadField")

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.tapped.emit()
        event.accept()

    def set_active(self, active: bool) -> None:
        self.setProperty("active", active)
        self.style().unpolish(self)
        self.style().polish(self)


class Keypad(QWidget):
    """0-9, X (ID numbers only), backspace and clear, typing into `target`."""

    changed = Signal(str)  # the target's new text

    def __init__(self, tokens: Tokens, target: QLineEdit | None = None,
                 allow_x: bool = False, max_length: int = 32) -> None:
        super().__init__()
        self.target = target
        self.max_length = max_length
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(tokens.spacing // 2)
        self.keys: dict[str, QPushButton] = {}
        rows = (("1", "2", "3"), ("4", "5", "6"), ("7", "8", "9"), ("X", "0"))
        for r, row in enumerate(rows):
            for c, key in enumerate(row):
                self._add(grid, key, key, r, c)
        # the two editing keys tall on the right: four rows fit the elder screen too
        for key, text, row in ((BACKSPACE, BACKSPACE, 0), ("clear", tr("清除"), 2)):
            grid.addWidget(self._add_key(text, key), row, 3, 2, 1)
        self.set_allow_x(allow_x)

    def _add_key(self, text: str, key: str) -> QPushButton:
        key_button = button(text, lambda: self.press(key), "Key")
        # as large as the room the screen gives the keypad, never smaller than the tokens say
        key_button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self.keys[key] = key_button
        return key_button

    def _add(self, grid: QGridLayout, text: str, key: str, row: int, column: int) -> None:
        grid.addWidget(self._add_key(text, key), row, column)

    def set_allow_x(self, allow: bool) -> None:
        # the X key only where an ID number's check character may be X; elsewhere it is gone
        # (its place kept, so the other keys do not move)
        policy = self.keys["X"].sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.keys["X"].setSizePolicy(policy)
        self.keys["X"].setVisible(allow)

    def set_target(self, target: QLineEdit | None, allow_x: bool = False) -> None:
        self.target = target
        self.set_allow_x(allow_x)

    def press(self, key: str) -> None:
        if self.target is None:
            return
        text = self.target.text()
        if key == "clear":
            text = ""
        elif key == BACKSPACE:
            text = text[:-1]
        elif len(text) < self.max_length:
            text += key
        self.target.setText(text)
        self.changed.emit(text)
