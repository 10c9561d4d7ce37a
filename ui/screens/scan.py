"""Materials on the document camera: the live picture with the page outline, the pages taken
so far, and 重拍 / 完成 / 暂无此材料 (容缺 only)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from flows.steps import SCAN_DONE, SCAN_RETAKE, SCAN_SKIP, Answer, Choose, ScanStep
from ui.i18n import tr
from ui.live_view import LiveView
from ui.screens.step_parts import header, problem_line
from ui.tokens import Tokens
from ui.widgets import button, card, label

# what the buttons answer (flows.declaration reads the same keys)


class ScanScreen(QWidget):
    def __init__(self, step: ScanStep, tokens: Tokens, answer: Callable[[Answer], None]) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setSpacing(tokens.spacing // 2)
        layout.addWidget(header(tr("拍摄材料"), step.progress))
        layout.addWidget(label(step.material, "SectionTitle"))
        if (problem := problem_line(step.problem)) is not None:
            layout.addWidget(problem)
        row = QHBoxLayout()
        row.setSpacing(tokens.spacing)
        self.live = LiveView("document", tokens)
        row.addWidget(self.live, 3)

        side, column = card()
        column.addWidget(label(tr("请将材料正面朝上放在高拍仪下，放平后会自动拍摄；"
                                  "多页请一页一页放。")))
        column.addWidget(label(tr("已拍摄 {count} 页", count=len(step.pages)), "SectionTitle"))
        thumbs = QGridLayout()
        thumbs.setSpacing(8)
        size = tokens.target_min * 2
        per_row = 3 if tokens.name == "standard" else 2
        self.thumbnails: list[QLabel] = []
        for index, jpeg in enumerate(step.pages[-per_row * 2:]):  # the latest pages
            picture = QPixmap()
            picture.loadFromData(jpeg, "JPEG")
            thumb = QLabel()
            thumb.setTextFormat(Qt.TextFormat.PlainText)
            thumb.setObjectName("Thumb")
            thumb.setAlignment(Qt.AlignmentFlag.AlignCenter)
            thumb.setFixedSize(size, size)
            thumb.setPixmap(picture.scaled(size - 8, size - 8,
                                           Qt.AspectRatioMode.KeepAspectRatio,
                                           Qt.TransformationMode.SmoothTransformation))
            thumbs.addWidget(thumb, index // per_row, index % per_row)
            self.thumbnails.append(thumb)
        column.addLayout(thumbs)
        column.addStretch(1)
        row.addWidget(side, 2)
        layout.addLayout(row, 1)

        actions = QHBoxLayout()
        actions.setSpacing(tokens.spacing)
        if step.may_skip:
            actions.addWidget(button(tr("暂无此材料（容缺）"),
                                     lambda: answer(Choose(SCAN_SKIP))))
        actions.addStretch(1)
        if step.pages:
            # no stretch factors: each button gets its name's width (an even share cut the
            # longest short in elder mode on an upright screen)
            actions.addWidget(button(tr("重拍上一页"), lambda: answer(Choose(SCAN_RETAKE))))
            actions.addWidget(button(tr("完成，下一步"), lambda: answer(Choose(SCAN_DONE)),
                                     "Primary"))
        layout.addLayout(actions)
