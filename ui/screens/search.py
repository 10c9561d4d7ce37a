"""Search and its answer: the search box with the pinyin keyboard, suggestions while typing,
hot and recent searches; then the answer with the button that opens the service.

What a person typed is shown as text: it is escaped before any highlighting markup is added,
so `<b>` typed on the keyboard appears as the three characters it is.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from flows.ask import AnswerStep, Search, SearchStep, Span, Suggestion
from flows.steps import CALL_STAFF, CALL_STAFF_KEY, Answer, Choose, Nav, OpenService
from ui.i18n import render, tr
from ui.tokens import Tokens
from ui.widgets import button, card, label, touch_scroll

CHIP_COLUMNS = 2
ELDER_SUGGESTIONS = 4  # in one row above the elder keyboard


def highlighted(text: str, spans: Sequence[Span], colour: str) -> str:
    """`text` as rich text with `spans` in bold colour; everything in it escaped."""
    out: list[str] = []
    position = 0
    for start, end in spans:
        out.append(html.escape(text[position:start]))
        out.append(f'<b style="color:{colour}">{html.escape(text[start:end])}</b>')
        position = end
    out.append(html.escape(text[position:]))
    return "".join(out)


def rich_label(markup: str, name: str = "") -> QLabel:
    widget = QLabel(markup)
    widget.setTextFormat(Qt.TextFormat.RichText)  # only markup built by `highlighted`
    widget.setWordWrap(True)
    widget.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
    if name:
        widget.setObjectName(name)
    return widget


def rich_button(markup: str, plain: str, on_tap: Callable[[], None], name: str = "") -> QPushButton:
    """A button whose label highlights words; `plain` is what read-aloud says."""
    widget = button("", on_tap, name)
    widget.setAccessibleName(plain)
    row = QHBoxLayout(widget)
    row.setContentsMargins(18, 4, 18, 4)
    row.addWidget(rich_label(markup))
    return widget


class SearchScreen(QWidget):
    def __init__(self, step: SearchStep, tokens: Tokens, answer: Callable[[Answer], None]) -> None:
        super().__init__()
        self._step = step
        self._tokens = tokens
        self._answer = answer
        self._shown_limit = 3 if tokens.name == "elder" else 4  # what fits above the keyboard
        # elder mode, under its larger keyboard: the suggestions in one row of four across the
        # screen, the hot list and the title making room for them while there are some
        self._elder = tokens.name == "elder"
        self._suggestion_columns = ELDER_SUGGESTIONS if self._elder else 1
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(tokens.spacing // 2)
        self.title = label(tr("请说出或输入您要办理的事项"), "Title")
        layout.addWidget(self.title)

        row = QHBoxLayout()
        self.field = QLineEdit(step.query)
        self.field.setPlaceholderText(tr("事项名称、拼音或首字母，如“社保证明”“sbzm”"))
        self.field.setMaxLength(200)
        self.field.textChanged.connect(self._typed)
        self.field.returnPressed.connect(self._search)
        row.addWidget(self.field, 1)
        layout.addLayout(row)
        if step.problem is not None:
            layout.addWidget(label(render(step.problem), "Problem"))

        # under the keyboard the lists may not all fit: they scroll rather than push it off
        lists_area = QWidget()
        columns = QHBoxLayout(lists_area)
        columns.setContentsMargins(0, 0, 0, 0)
        columns.setSpacing(tokens.spacing)
        self.suggestions_card, suggestions = card()
        heading = label(tr("您是不是要找"), "SectionTitle")
        suggestions.addWidget(heading)
        if self._elder:  # one row: the highlighted words say what these are, read aloud too
            heading.hide()
            suggestions.setContentsMargins(12, 8, 12, 8)
        self._suggestion_rows = QGridLayout()
        self._suggestion_rows.setSpacing(tokens.spacing // 2)
        suggestions.addLayout(self._suggestion_rows)
        suggestions.addStretch(1)
        columns.addWidget(self.suggestions_card, 3)

        self.lists, lists_layout = card()
        lists = self.lists
        lists_layout.addWidget(label(tr("热门搜索"), "SectionTitle"))
        lists_layout.addLayout(self._chips(step.hot[: self._shown_limit]))
        if step.recent:
            lists_layout.addWidget(label(tr("本次搜索过"), "SectionTitle"))
            lists_layout.addLayout(self._chips(step.recent[: self._shown_limit // 2 or 1]))
        lists_layout.addStretch(1)
        columns.addWidget(lists, 2)
        layout.addWidget(touch_scroll(lists_area), 1)
        # 搜索 bottom right, where every screen keeps its main action, just above the keyboard
        actions = QHBoxLayout()
        actions.addStretch(1)
        self.search_button = button(tr("搜索"), self._search, "Primary")
        actions.addWidget(self.search_button)
        layout.addLayout(actions)
        self._typed(step.query)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.field.setFocus()  # the keyboard comes up with the screen

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self.field.clearFocus()  # now, not on the next pass: the keyboard leaves with the screen

    def spoken_text(self) -> str:
        hot = "、".join(self._step.hot[:3])
        return tr("请说出或输入您要办理的事项。点击下方“语音提问”可以直接说。") + (
            tr("大家常办：{hot}。", hot=hot) if hot else "")

    def _chips(self, queries: Sequence[str]) -> QGridLayout:
        grid = QGridLayout()
        grid.setSpacing(self._tokens.spacing // 2)
        for index, query in enumerate(queries):
            chip = button(query, lambda query=query: self._answer(Search(query)))
            grid.addWidget(chip, index // CHIP_COLUMNS, index % CHIP_COLUMNS)
        return grid

    def _typed(self, text: str) -> None:
        while (item := self._suggestion_rows.takeAt(0)) is not None:
            if (widget := item.widget()) is not None:
                widget.hide()
                widget.deleteLater()
        limit = ELDER_SUGGESTIONS if self._elder else self._shown_limit
        shown = self._step.suggest(text)[:limit] if text.strip() else ()
        columns = self._suggestion_columns
        for index, suggestion in enumerate(shown):
            self._suggestion_rows.addWidget(self._suggestion_row(suggestion),
                                            index // columns, index % columns)
        self.suggestions_card.setVisible(bool(shown))
        if self._elder:  # the suggestions take the room of the hot list and the title
            self.lists.setVisible(not shown)
            self.title.setVisible(not shown)

    def _suggestion_row(self, suggestion: Suggestion) -> QPushButton:
        markup = highlighted(suggestion.text, suggestion.marks, self._tokens.primary)
        return rich_button(markup, suggestion.text,
                           lambda: self._answer(Search(suggestion.text)), "ServiceRow")

    def _search(self) -> None:
        self._answer(Search(self.field.text()))


class AnswerScreen(QWidget):
    def __init__(self, step: AnswerStep, tokens: Tokens, answer: Callable[[Answer], None]) -> None:
        super().__init__()
        self._step = step
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(tokens.spacing)
        layout.addWidget(label(render(step.heading), "Title"))

        asked, asked_layout = card()
        heard = tr("您说的是：") if step.spoken else tr("您问的是：")
        asked_layout.addWidget(rich_label(
            html.escape(heard) + highlighted(step.question, step.marks, tokens.primary)))
        layout.addWidget(asked)

        actions: list[QPushButton] = []
        if step.kind == "answer":
            (choice,) = step.choices
            found, found_layout = card()
            found_layout.addWidget(label(str(choice.label), "SectionTitle"))
            found_layout.addWidget(label(step.answer))
            layout.addWidget(found)
            actions.append(button(tr("查看办事指南：{name}", name=choice.label),
                                  lambda: answer(OpenService(choice.key)), "Primary"))
        elif step.kind == "clarify":
            for choice in step.choices:
                layout.addWidget(button(f"{choice.label}    ›",
                                        lambda key=choice.key: answer(OpenService(key)),
                                        "ServiceRow"))
        else:
            staff, staff_layout = card()
            staff_layout.addWidget(label(tr("请点“{staff}”，工作人员会帮您。",
                                            staff=render(CALL_STAFF))))
            layout.addWidget(staff)
            # 呼叫工作人员 (CALL_STAFF_KEY) is answered by the shell, as the bar's button is
            actions += [button(render(choice.label),
                               lambda key=choice.key: answer(
                                   Choose(key) if key == CALL_STAFF_KEY else OpenService(key)),
                               "Primary" if index == 0 else "")
                        for index, choice in enumerate(step.choices)]
        layout.addStretch(1)
        # 重新搜索 and then the main action, bottom right as on every screen
        row = QHBoxLayout()
        row.setSpacing(tokens.spacing)
        row.addWidget(button(tr("重新搜索"), lambda: answer(Nav.BACK)))
        row.addStretch(1)
        for action in reversed(actions):
            row.addWidget(action)
        layout.addLayout(row)

    def announcement(self) -> str:
        """Said on arrival in every mode: the person asked a question."""
        return render(self._step.spoken_text())

    def spoken_text(self) -> str:
        return self.announcement()
