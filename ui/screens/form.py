"""The service's form: each field by its input kind, locked fields shown masked, errors in red
under their field; the numeric keypad beside the form types into the field last tapped."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from flows.steps import Answer, FieldView, FormFilled, FormStep
from ui.date_picker import DatePicker
from ui.i18n import render, tr
from ui.keypad import Keypad, KeypadField
from ui.pictures import lock_icon
from ui.screens.step_parts import checked_options, header, option_grid
from ui.tokens import Tokens
from ui.widgets import button, card, label

Value = str | tuple[str, ...]


def takes_x(field: FieldView) -> bool:
    """An ID number's check character may be X; no other number has one."""
    return "身份" in field.label or field.key.startswith("id_")


class FieldPages(QWidget):
    """The form's fields a page at a time: as many as fit the height the screen gives them,
    so none is ever below the fold; the screen turns the pages with large buttons."""

    changed = Signal()

    def __init__(self, frames: list[QWidget], spacing: int, first: int = 0) -> None:
        super().__init__()
        self._frames = frames
        self._spacing = spacing
        self._first = first  # the field to show first (the first with an error)
        self.page = 0
        self._pages: list[list[int]] = [list(range(len(frames)))]
        self._laid_out = False
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(spacing)
        for frame in frames:
            column.addWidget(frame)
        column.addStretch(1)
        # takes the height it is given; what does not fit goes to the next page
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Ignored)

    @property
    def count(self) -> int:
        return len(self._pages)

    def after_this_page(self) -> int:
        """How many fields are on the pages after this one."""
        return sum(len(page) for page in self._pages[self.page + 1:])

    def turn(self, by: int) -> None:
        self.page = min(max(self.page + by, 0), self.count - 1)
        self._show()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._paginate(event.size().width(), event.size().height())

    def _height(self, frame: QWidget, width: int) -> int:
        layout = frame.layout()
        if layout is not None and layout.hasHeightForWidth():
            return layout.totalHeightForWidth(width)
        return frame.sizeHint().height()

    def _paginate(self, width: int, height: int) -> None:
        pages: list[list[int]] = []
        current: list[int] = []
        used = 0
        for index, frame in enumerate(self._frames):
            need = self._height(frame, width) + (self._spacing if current else 0)
            if current and used + need > height:
                pages.append(current)
                current, need, used = [], need - self._spacing, 0
            current.append(index)
            used += need
        pages.append(current)
        if pages == self._pages and self._laid_out:
            return
        # the same field stays in view when the pages change (elder mode, a turned screen)
        keep = self._pages[self.page][0] if self._laid_out else self._first
        self._laid_out = True
        self._pages = pages
        self.page = next((n for n, page in enumerate(pages) if keep in page), 0)
        self._show()

    def _show(self) -> None:
        shown = set(self._pages[self.page])
        for index, frame in enumerate(self._frames):
            frame.setVisible(index in shown)
        self.changed.emit()


def _shown(value: Value) -> str:
    return "、".join(value) if isinstance(value, tuple) else value


class FormScreen(QWidget):
    def __init__(self, step: FormStep, tokens: Tokens, answer: Callable[[Answer], None]) -> None:
        super().__init__()
        self.tokens = tokens
        self.readers: dict[str, Callable[[], Value]] = {}  # the editable fields' values
        self.inputs: dict[str, QWidget] = {}
        self.errors: dict[str, str] = {}
        self.keypad_fields: list[tuple[FieldView, KeypadField]] = []
        layout = QVBoxLayout(self)
        layout.setSpacing(8)  # elder mode's keypad, with the offline banner, fills 1080 px
        layout.addWidget(header(tr("填写申请信息"), step.progress, step.service_name))
        layout.addWidget(label(tr("带 * 的为必填项；带锁的信息已从证件共享获取，无需填写"),
                               "Muted"))

        self.pages = FieldPages([self._field(field) for field in step.fields], tokens.spacing,
                                first=next((n for n, f in enumerate(step.fields)
                                            if f.error is not None), 0))
        self.pages.changed.connect(self._paged)
        self.more = label("", "StepCount")  # "还有 3 项": what the next page holds, in words
        keep = self.more.sizePolicy()
        keep.setRetainSizeWhenHidden(True)  # the fields' height, and so the pages, stay put
        self.more.setSizePolicy(keep)

        # side by side when wide; the keypad under the fields on a portrait screen
        row = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self._row = row
        row.setSpacing(tokens.spacing)
        fields = QVBoxLayout()
        fields.addWidget(self.pages, 1)
        fields.addWidget(self.more)
        row.addLayout(fields, 3)
        side = QVBoxLayout()
        side.setSpacing(tokens.spacing)
        self.keypad: Keypad | None = None
        self.typing_into = label("", "SectionTitle")
        if self.keypad_fields:
            panel, panel_layout = card()
            panel_layout.addWidget(self.typing_into)
            self.keypad = Keypad(tokens)
            panel_layout.addWidget(self.keypad)
            side.addWidget(panel)
            self.select(self.keypad_fields[0][1])
        side.addStretch(1)
        actions = QHBoxLayout()
        actions.setSpacing(tokens.spacing)
        self.previous_button = button(tr("上一页"), lambda: self.pages.turn(-1))
        actions.addWidget(self.previous_button)
        # 下一页 while fields are left on later pages, then 下一步: the one primary action
        self.next_button = button(tr("下一步"), lambda: self._next(answer), "Primary")
        actions.addWidget(self.next_button, 1)
        side.addLayout(actions)
        row.addLayout(side, 2)
        layout.addLayout(row, 1)
        self._paged()

    def showEvent(self, event: QShowEvent) -> None:
        self._orient()
        super().showEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._orient()
        super().resizeEvent(event)

    def _orient(self) -> None:
        """The keypad under the fields on an upright (portrait) screen, beside them otherwise;
        decided by the window, which this screen's own width would hold too wide."""
        window = self.window()
        portrait = window.height() > window.width()
        self._row.setDirection(QBoxLayout.Direction.TopToBottom if portrait
                               else QBoxLayout.Direction.LeftToRight)

    def _next(self, answer: Callable[[Answer], None]) -> None:
        if self.pages.page < self.pages.count - 1:
            self.pages.turn(1)
        else:
            answer(FormFilled(self.values()))

    def _paged(self) -> None:
        pages = self.pages
        left = pages.after_this_page()
        last = pages.page >= pages.count - 1
        self.next_button.setText(tr("下一步") if last else tr("下一页"))
        self.previous_button.setVisible(pages.page > 0)
        self.more.setText(tr("第 {page} 页，共 {pages} 页；后面还有 {count} 项",
                             page=pages.page + 1, pages=pages.count, count=left) if left else "")
        self.more.setVisible(bool(left))

    def values(self) -> dict[str, Value]:
        return {key: read() for key, read in self.readers.items()}

    def select(self, target: KeypadField) -> None:
        if self.keypad is None:
            return
        for field, widget in self.keypad_fields:
            widget.set_active(widget is target)
            if widget is target:
                self.keypad.set_target(widget, allow_x=takes_x(field))
                self.typing_into.setText(tr("正在输入：{field}", field=field.label))

    # -- one field ----------------------------------------------------------------------------

    def _field(self, field: FieldView) -> QWidget:
        frame = QWidget()
        frame.setProperty("required", field.required)  # the screen audit keeps it in view
        column = QVBoxLayout(frame)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(6)
        title_row = QHBoxLayout()
        title_row.setSpacing(8)
        if field.locked:
            lock = QLabel()
            lock.setTextFormat(Qt.TextFormat.PlainText)
            lock.setPixmap(lock_icon(round(self.tokens.font_body * 1.1), self.tokens.text_muted))
            lock.setToolTip(tr("已锁定"))
            title_row.addWidget(lock)
        title_row.addWidget(label(field.label + (" *" if field.required else ""),
                                  "SectionTitle"), 1)
        column.addLayout(title_row)
        widget = self._locked(field) if field.locked else self._input(field)
        self.inputs[field.key] = widget
        column.addWidget(widget)
        if field.error is not None:
            self.errors[field.key] = render(field.error)
            column.addWidget(label(render(field.error), "Error"))
        return frame

    def _locked(self, field: FieldView) -> QWidget:
        # masked by the flow already; shown as it came, never unmasked here
        return label(_shown(field.value) or tr("（无）"), "Locked")

    def _input(self, field: FieldView) -> QWidget:
        kind, key, value = field.input, field.key, field.value
        if kind == "keypad":
            entry = KeypadField(self.tokens, _shown(value))
            entry.tapped.connect(lambda e=entry: self.select(e))
            self.keypad_fields.append((field, entry))
            self.readers[key] = lambda: entry.text().strip()
            return entry
        if kind == "date":
            picker = DatePicker(self.tokens, _shown(value))
            self.readers[key] = picker.value
            return picker
        if kind == "date_range":
            start, end = (value if isinstance(value, tuple) and len(value) == 2 else ("", ""))
            host = QWidget()
            row = QHBoxLayout(host)
            row.setContentsMargins(0, 0, 0, 0)
            row.setSpacing(self.tokens.spacing)
            pickers = []
            for caption, initial in ((tr("开始"), start), (tr("结束"), end)):
                part = QVBoxLayout()
                part.addWidget(label(caption, "Muted"))
                picker = DatePicker(self.tokens, initial)
                part.addWidget(picker)
                row.addLayout(part, 1)
                pickers.append(picker)
            self.readers[key] = lambda: (pickers[0].value(), pickers[1].value())
            return host
        if kind in ("radio", "select", "checkbox"):
            exclusive = kind != "checkbox"
            chosen = value if isinstance(value, tuple) else (value,)
            grid, toggles = option_grid(field.options, self.tokens, exclusive, chosen)
            if exclusive:
                self.readers[key] = lambda: next(iter(checked_options(toggles)), "")
            else:
                self.readers[key] = lambda: checked_options(toggles)
            return grid
        if kind == "image":
            self.readers[key] = lambda: value
            return label(tr("此项请在“拍摄材料”步骤用高拍仪拍摄"), "Muted")
        entry = QLineEdit(_shown(value))  # text: Qt Virtual Keyboard (pinyin) opens on tap
        entry.setPlaceholderText(tr("点此输入"))
        self.readers[key] = lambda: entry.text().strip()
        return entry
