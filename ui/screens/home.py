"""Home: the search entry, a row of 取号, 办件进度查询, 便民服务 and 大厅导航 (those the kiosk
offers), and the service themes as large tiles."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from flows.ask import OpenSearch
from flows.convenience import OpenConvenience
from flows.directions import OpenHallMap
from flows.queue_ticket import OpenQueue
from flows.steps import Answer, HomeStep, OpenProgress, OpenTheme
from ui.i18n import render, tr
from ui.tokens import Tokens
from ui.widgets import Pager, button, label


class HomeScreen(QWidget):
    def __init__(self, step: HomeStep, tokens: Tokens, answer: Callable[[Answer], None]) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setSpacing(tokens.spacing)
        if step.notice is not None:  # what the last person must not forget (their card),
            # in the greeting's place: elder mode has no room for both
            layout.addWidget(label(render(step.notice), "Pending"))
        else:
            layout.addWidget(label(tr("您好，请选择要办理的事项"), "Title"))
        # a button that looks like the search box: the box itself, with its keyboard, is
        # the search screen's (flows.ask); the whole width, so its words fit upright too
        layout.addWidget(button(tr("搜索：输入要办的事或拼音，也可点下方“语音提问”直接说"),
                                lambda: answer(OpenSearch()), "ServiceRow"))
        # below it, what is not a theme's service: a row of equal buttons
        entries = QHBoxLayout()
        entries.setSpacing(tokens.spacing)
        if step.queue:
            self.queue_button = button(tr("取号"), lambda: answer(OpenQueue()), "ServiceRow")
            entries.addWidget(self.queue_button, 1)
        self.progress_button = button(tr("办件进度查询"), lambda: answer(OpenProgress()),
                                      "ServiceRow")
        entries.addWidget(self.progress_button, 1)
        if step.convenience:  # 便民服务 (flows.convenience)
            self.convenience_button = button(tr("便民服务"), lambda: answer(OpenConvenience()),
                                             "ServiceRow")
            entries.addWidget(self.convenience_button, 1)
        if step.hall_map:  # 大厅导航 (flows.directions)
            self.hall_map_button = button(tr("大厅导航"), lambda: answer(OpenHallMap()),
                                          "ServiceRow")
            entries.addWidget(self.hall_map_button, 1)
        layout.addLayout(entries)
        if step.unavailable is not None:
            message = label(render(step.unavailable), "Title")
            message.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(message, 1)
            return
        tiles = [
            button(tr("{theme}\n{count} 项", theme=tile.theme, count=tile.service_count),
                   lambda theme=tile.theme: answer(OpenTheme(theme)), "Tile")
            for tile in step.tiles
        ]
        self.pager = Pager(tiles, tokens.tiles_per_page, tokens.tile_columns)
        layout.addWidget(self.pager, 1)
