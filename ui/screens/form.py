"""The service's form: each field by its input kind, locked fields shown masked, errors in red
under their field; the numeric keypad beside the form types into the field last tapped."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from flows.steps import Answer, FieldView, FormFilled, FormStep
from ui.date_picker import DatePicker
from ui.i18n import render, tr
from ui.keypad import Keypad, KeypadField
from ui.pictures import lock_icon
from ui.screens.step_parts import checked_options, header, option_grid
from ui.tokens import Tokens
from ui.widgets import button, card, label, touch_scroll

Value = str | tuple[str, ...]


def takes_x(field: FieldView) -> bool:
    """An ID number's check character may be X; no other number has one."""
    return "身份" in field.label or field.key.startswith("id_")


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
        layout.setSpacing(tokens.spacing // 2)
        layout.addWidget(header(tr("填写申请信息"), step.progress, step.service_name))
        layout.addWidget(label(tr("带 * 的为必填项；带锁的信息已从证件共享获取，无需填写"),
                               "Muted"))

        body = QWidget()
        column = QVBoxLayout(body)
        column.setSpacing(tokens.spacing)
        for field in step.fields:
            column.addWidget(self._field(field))
        column.addStretch(1)

        row = QHBoxLayout()
        row.setSpacing(tokens.spacing)
        row.addWidget(touch_scroll(body), 3)
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
        self.next_button = button(tr("下一步"), lambda: answer(FormFilled(self.values())),
                                  "Primary")
        side.addWidget(self.next_button)
        row.addLayout(side, 2)
        layout.addLayout(row, 1)

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
