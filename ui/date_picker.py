"""A touch date picker: year, month and day each with large ＋ and － buttons; no typing.

Starts on the field's value, or today; until the person taps a button an empty field stays
empty (so nobody submits today's date by accident) and the picker says so.
"""

from __future__ import annotations

import calendar
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ui.i18n import tr
from ui.tokens import Tokens
from ui.widgets import button, label


def _parse(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


class DatePicker(QWidget):
    changed = Signal(str)

    def __init__(self, tokens: Tokens, value: str = "", today: date | None = None) -> None:
        super().__init__()
        start = _parse(value)
        self.chosen = start is not None
        self.date = start or today or date.today()
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(tokens.spacing // 2)
        grid.setVerticalSpacing(4)
        self.values: dict[str, QLabel] = {}
        self.steppers = {}
        for column, (part, unit) in enumerate((("year", tr("年")), ("month", tr("月")),
                                               ("day", tr("日")))):
            up = button("+", lambda p=part: self.step(p, 1), "Stepper")
            down = button("−", lambda p=part: self.step(p, -1), "Stepper")
            shown = label("", "DateValue", wrap=False)
            shown.setAlignment(Qt.AlignmentFlag.AlignCenter)
            cell = QVBoxLayout()
            cell.setSpacing(4)
            cell.addWidget(up)
            value_row = QHBoxLayout()
            value_row.addWidget(shown, 1)
            value_row.addWidget(label(unit, wrap=False))
            cell.addLayout(value_row)
            cell.addWidget(down)
            grid.addLayout(cell, 0, column)
            self.values[part] = shown
            self.steppers[part] = (up, down)
        self.hint = label(tr("未选择：请点 + 或 − 选择日期"), "Muted")
        grid.addWidget(self.hint, 1, 0, 1, 3)
        self._show()

    def value(self) -> str:
        return self.date.isoformat() if self.chosen else ""

    def step(self, part: str, by: int) -> None:
        year, month, day = self.date.year, self.date.month, self.date.day
        if part == "year":
            year = min(max(year + by, 1900), 2100)
        elif part == "month":
            month = (month - 1 + by) % 12 + 1
        else:
            day = (day - 1 + by) % calendar.monthrange(year, month)[1] + 1
        day = min(day, calendar.monthrange(year, month)[1])  # 31 March → April: the 30th
        self.date = date(year, month, day)
        self.chosen = True
        self._show()
        self.changed.emit(self.value())

    def _show(self) -> None:
        self.values["year"].setText(str(self.date.year))
        self.values["month"].setText(str(self.date.month))
        self.values["day"].setText(str(self.date.day))
        self.hint.setVisible(not self.chosen)
