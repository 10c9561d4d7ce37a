"""Copies (身份证复印, 材料复印) and printing: the card on the document camera with its live
picture, each side shown for 重拍 / 确认, the purpose written across the copy, the copies
stepper with large − / + buttons and colour or black and white, and the printer at work."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from flows.id_copy import (
    CONFIRM,
    RETAKE,
    SIDE_NAMES,
    CheckSideStep,
    PlaceCardStep,
    PurposeStep,
)
from flows.printing import PrintingStep, PrintOptions, PrintOptionsStep
from flows.steps import Answer, Choose
from ui.i18n import render, tr
from ui.live_view import LiveView
from ui.screens.step_parts import at_work, header, problem_line
from ui.tokens import Tokens
from ui.widgets import button, card, label
from ui.zoom import TapToEnlarge


def _side_name(side: str) -> str:
    return tr(SIDE_NAMES[side])


class PlaceCardScreen(QWidget):
    def __init__(self, step: PlaceCardStep, tokens: Tokens,
                 answer: Callable[[Answer], None]) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setSpacing(tokens.spacing // 2)
        layout.addWidget(header(tr("身份证复印"), step.progress))
        if (problem := problem_line(step.problem)) is not None:
            layout.addWidget(problem)
        row = QHBoxLayout()
        row.setSpacing(tokens.spacing)
        self.live = LiveView("document", tokens)
        row.addWidget(self.live, 3)
        side, column = card()
        column.addWidget(label(tr("请将身份证{side}朝上，平放在高拍仪下",
                                  side=_side_name(step.side)), "SectionTitle"))
        if step.side == "front":
            column.addWidget(label(tr("放平不动，会自动拍摄。先拍人像面，再拍国徽面。")))
        else:
            column.addWidget(label(tr("请把身份证翻过来，国徽面朝上，放平不动，会自动拍摄。")))
        column.addWidget(label(tr("照片只保存在本机内存中，打印后即删除。"), "Muted"))
        column.addStretch(1)
        row.addWidget(side, 2)
        layout.addLayout(row, 1)


class CheckSideScreen(QWidget):
    def __init__(self, step: CheckSideStep, tokens: Tokens,
                 answer: Callable[[Answer], None]) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setSpacing(tokens.spacing // 2)
        layout.addWidget(header(tr("请确认{side}", side=_side_name(step.side)), step.progress))
        layout.addWidget(label(tr("复印件上的样子如下，看不清或有反光请重拍。")))
        self.picture = QLabel()
        self.picture.setTextFormat(Qt.TextFormat.PlainText)
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setObjectName("Thumb")
        pixmap = QPixmap()
        pixmap.loadFromData(step.image, "JPEG")
        height = tokens.target_min * 6
        self.picture.setPixmap(pixmap.scaledToHeight(height,
                                                     Qt.TransformationMode.SmoothTransformation))
        layout.addWidget(self.picture, 1)
        # tapping the picture, or 放大查看, shows the copy as large as the window allows
        self.zoom = TapToEnlarge(self.picture, lambda: pixmap, tokens)
        actions = QHBoxLayout()
        actions.setSpacing(tokens.spacing)
        # equal shares of the row: an upright screen in elder type has no room for gaps
        actions.addWidget(button(tr("放大查看"), self.zoom.enlarge), 1)
        actions.addWidget(button(tr("重拍"), lambda: answer(Choose(RETAKE))), 1)
        actions.addWidget(button(tr("确认"), lambda: answer(Choose(CONFIRM)), "Primary"), 1)
        layout.addLayout(actions)


class PurposeScreen(QWidget):
    def __init__(self, step: PurposeStep, tokens: Tokens,
                 answer: Callable[[Answer], None]) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setSpacing(tokens.spacing // 2)
        layout.addWidget(header(tr("复印件用途"), step.progress))
        layout.addWidget(label(tr("复印件上会加印“仅供办理……使用”，防止被挪作他用。请选择用途：")))
        grid = QGridLayout()
        grid.setSpacing(tokens.spacing // 2)
        columns = 3 if tokens.name == "standard" else 2
        for index, choice in enumerate(step.choices):
            tap = button(render(choice.label), lambda key=choice.key: answer(Choose(key)),
                         "Option")
            grid.addWidget(tap, index // columns, index % columns)
        layout.addLayout(grid)
        layout.addStretch(1)


class PrintOptionsScreen(QWidget):
    """The copies stepper and, where offered, colour or black and white; 开始打印 answers."""

    def __init__(self, step: PrintOptionsStep, tokens: Tokens,
                 answer: Callable[[Answer], None]) -> None:
        super().__init__()
        self.copies = step.copies
        self.max_copies = step.max_copies
        self.colour = step.colour if step.colour is not None else True
        self._pages = step.pages
        layout = QVBoxLayout(self)
        layout.setSpacing(tokens.spacing)
        layout.addWidget(header(render(step.title), step.progress))

        stepper, column = card()
        column.addWidget(label(tr("打印份数"), "SectionTitle"))
        row = QHBoxLayout()
        row.setSpacing(tokens.spacing)
        self.fewer = button("−", lambda: self._change(-1), "Stepper")
        self.more = button("+", lambda: self._change(+1), "Stepper")
        for stepper_button in (self.fewer, self.more):
            stepper_button.setFixedSize(tokens.target_min * 2, tokens.target_min * 2)
            stepper_button.setAccessibleName(tr("减少一份") if stepper_button is self.fewer
                                             else tr("增加一份"))
        self.count = label("", "Title", wrap=False)
        self.count.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.count.setMinimumWidth(tokens.target_min * 3)
        row.addStretch(1)
        row.addWidget(self.fewer)
        row.addWidget(self.count)
        row.addWidget(self.more)
        row.addStretch(1)
        column.addLayout(row)
        self.sheets = label("", "Muted")
        self.sheets.setAlignment(Qt.AlignmentFlag.AlignCenter)
        column.addWidget(self.sheets)
        layout.addWidget(stepper)

        self.colour_buttons: dict[bool, QPushButton] = {}
        if step.colour is not None:
            colours, colour_column = card()
            colour_column.addWidget(label(tr("打印颜色"), "SectionTitle"))
            choices = QHBoxLayout()
            choices.setSpacing(tokens.spacing)
            for colour, text in ((True, tr("彩色")), (False, tr("黑白（文字更清晰）"))):
                toggle = button(text, lambda c=colour: self._set_colour(c), "Option")
                toggle.setCheckable(True)
                choices.addWidget(toggle, 1)
                self.colour_buttons[colour] = toggle
            colour_column.addLayout(choices)
            layout.addWidget(colours)
        layout.addStretch(1)
        actions = QHBoxLayout()
        actions.addStretch(1)
        actions.addWidget(button(tr("开始打印"), lambda: answer(PrintOptions(self.copies,
                                                                            self.colour)),
                                 "Primary"), 1)
        layout.addLayout(actions)
        self._show()

    def _change(self, by: int) -> None:
        self.copies = min(max(self.copies + by, 1), self.max_copies)
        self._show()

    def _set_colour(self, colour: bool) -> None:
        self.colour = colour
        self._show()

    def _show(self) -> None:
        self.count.setText(tr("{count} 份", count=self.copies))
        self.fewer.setEnabled(self.copies > 1)
        self.more.setEnabled(self.copies < self.max_copies)
        self.sheets.setText(tr("共 {sheets} 张 A4 纸（最多 {most} 份）",
                               sheets=self.copies * self._pages, most=self.max_copies))
        for colour, toggle in self.colour_buttons.items():
            toggle.setChecked(colour == self.colour)


class PrintingScreen(QWidget):
    def __init__(self, step: PrintingStep, tokens: Tokens,
                 answer: Callable[[Answer], None]) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        self.spinner = at_work(layout, tokens, step.progress, render(step.title))
        if step.pages and step.pages_done:
            text = tr("共 {pages} 页，已打印 {done} 页", pages=step.pages, done=step.pages_done)
        elif step.pages:
            text = tr("共 {pages} 页", pages=step.pages)
        else:
            text = ""
        self.pages = label(text, "SectionTitle")
        self.pages.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.pages)
        note = label(tr("打印完成前请不要离开，复印件和原件都请带走。"), "Muted")
        note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(note)
        layout.addStretch(2)
