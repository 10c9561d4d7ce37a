"""Parts every flow screen shares: the title with "第 2 步，共 5 步", the last problem, rows of
large choice buttons, and the spinner of a screen where the kiosk is at work."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from common.i18n import Text
from flows.steps import Answer, Choice, Choose, Progress
from ui.i18n import render, tr
from ui.spinner import Spinner
from ui.tokens import Tokens
from ui.widgets import button, label


def header(title: str, progress: Progress | None, subtitle: str = "") -> QWidget:
    """The screen's title, and where the person is in the flow on the right."""
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    heading = label(title, "Title")
    layout.addWidget(heading, 1)
    if subtitle:
        layout.addWidget(label(subtitle, "Subtitle", wrap=False))
    if progress is not None:
        count = label(tr("第 {number} 步，共 {total} 步", number=progress.number,
                         total=progress.total), "StepCount", wrap=False)
        count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(count)
    return row


def at_work(layout: QVBoxLayout, tokens: Tokens, progress: Progress | None,
            title: str) -> Spinner:
    """The top of a screen where the kiosk is at work ("正在核验身份…", "正在打印…"): the step
    count, a turning spinner and the title under it; the caller adds the rest and a stretch."""
    if progress is not None:
        layout.addWidget(header("", progress))
    layout.addStretch(1)
    spinner = Spinner(tokens.primary, tokens.target_min * 2)
    layout.addWidget(spinner, 0, Qt.AlignmentFlag.AlignHCenter)
    layout.addSpacing(tokens.spacing)
    heading = label(title, "Title")
    heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
    layout.addWidget(heading)
    return spinner


def problem_line(problem: Text | str | None) -> QWidget | None:
    """What went wrong with the last attempt, in the one place the person looks for it."""
    if problem is None:
        return None
    return label(render(problem), "Problem")


def choice_row(choices: Sequence[Choice], answer: Callable[[Answer], None]) -> QWidget:
    """The step's choices as one row of large buttons, the primary one in blue and last: at
    the right end, where every screen keeps its main action. One primary button a screen:
    when a flow marks more than one choice, the first it marks is the one."""
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(24)
    layout.addStretch(1)
    main = next((c for c in choices if c.primary), None)
    for choice in [*(c for c in choices if c is not main), *([main] if main else [])]:
        # no stretch factor: each button is given its name's width before any is widened
        # (stretch would share the row out evenly and cut a long name short)
        layout.addWidget(button(render(choice.label), lambda key=choice.key: answer(Choose(key)),
                                "Primary" if choice is main else ""))
    return row


def option_grid(options: Sequence[str], tokens: Tokens, exclusive: bool,
                chosen: Sequence[str] = ()) -> tuple[QWidget, list[QPushButton]]:
    """Large toggle buttons for a radio (one of) or checkbox (any of) choice; no small dots
    to aim at. Elder mode puts fewer on a row, and a row narrower than the words holds fewer."""
    host = _OptionGrid(max(1, tokens.tile_columns - 1), tokens.spacing // 2)
    group = QButtonGroup(host)
    group.setExclusive(exclusive)
    for option in options:
        toggle = button(option, lambda: None, "Option")
        toggle.setCheckable(True)
        toggle.setProperty("option", option)
        if not exclusive:  # a box that shows ticked or not, not only a colour
            # the box flips on the label as shown (in plain words, ui.plain_words), not the
            # option as the catalogue writes it
            toggle.toggled.connect(
                lambda on, t=toggle: t.setText(("☑ " if on else "☐ ") + t.text()[2:]))
            toggle.setText("☐ " + option)
        toggle.setChecked(option in chosen)
        group.addButton(toggle)
        host.toggles.append(toggle)
    host.lay_out(host.most)
    return host, host.toggles


class _OptionGrid(QWidget):
    """Toggles in rows of at most `most`; fewer a row when the width cannot hold their words
    (a long insurance name in elder type on an upright screen), since Qt cuts a button's
    words without an ellipsis."""

    def __init__(self, most: int, spacing: int) -> None:
        super().__init__()
        self.most = most
        self.toggles: list[QPushButton] = []
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setSpacing(spacing)
        self._columns = 0

    def lay_out(self, columns: int) -> None:
        if columns == self._columns:
            return
        self._columns = columns
        for toggle in self.toggles:
            self._grid.removeWidget(toggle)
        for index, toggle in enumerate(self.toggles):
            self._grid.addWidget(toggle, index // columns, index % columns)
        self.updateGeometry()  # more rows: the form around it makes room

    def resizeEvent(self, event: QResizeEvent) -> None:
        widest = max((t.sizeHint().width() for t in self.toggles), default=0)
        spacing = self._grid.spacing()
        fits = (event.size().width() + spacing) // (widest + spacing) if widest else self.most
        self.lay_out(max(1, min(self.most, fits)))
        super().resizeEvent(event)


def checked_options(toggles: Sequence[QPushButton]) -> tuple[str, ...]:
    return tuple(t.property("option") for t in toggles if t.isChecked())
