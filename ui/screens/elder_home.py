"""长辈模式's home and its 更多事项: a few large tiles instead of every theme.

Home in elder mode shows the hall's services for older people (`HomeStep.services`, at most
six, `flows.elder_home`), then a row of three: 语音提问 ("说出您要办的事") and 呼叫工作人员,
the bottom bar's own buttons as large as a tile (the shell connects them: `follow_bar`), and
更多事项, which lists every theme as the standard home does, below a row of what the standard
home offers beside its themes (办件进度查询, 便民服务, 大厅导航). No search box and no keyboard:
speaking or one tap.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from flows.convenience import OpenConvenience
from flows.directions import OpenHallMap
from flows.queue_ticket import OpenQueue
from flows.steps import (
    Answer,
    HomeStep,
    OpenProgress,
    OpenService,
    OpenTheme,
    OpenThemes,
    ServiceTile,
    ThemesStep,
)
from ui.i18n import render, tr
from ui.screens.home import HomeScreen
from ui.tokens import Tokens
from ui.widgets import Pager, button, label

COLUMNS = 3  # two on an upright screen
TILE_CHARACTERS = 10  # what a tile is wide enough for before the screen drops a column


def home_screen(step: HomeStep, tokens: Tokens, answer: Callable[[Answer], None]) -> QWidget:
    """The home for the mode: elder when elder mode is on and there are services to offer."""
    if tokens.name == "elder" and step.services and step.unavailable is None:
        return ElderHomeScreen(step, tokens, answer)
    return HomeScreen(step, tokens, answer)


def tile(text: str, on_tap: Callable[[], object]) -> QPushButton:
    """A large tile whose words wrap to its width (a long service name in portrait)."""
    widget = button("", on_tap, "Tile")
    widget.setAccessibleName(text)  # what is read aloud (ui.read_aloud)
    # the tiles share the screen's height (an upright screen has room to spare)
    widget.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
    inside = QVBoxLayout(widget)
    inside.setContentsMargins(12, 8, 12, 8)
    words = label(text)  # styled as "#Tile QLabel"
    words.setAlignment(Qt.AlignmentFlag.AlignCenter)
    words.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
    inside.addWidget(words)
    return widget


class ElderHomeScreen(QWidget):
    def __init__(self, step: HomeStep, tokens: Tokens, answer: Callable[[Answer], None]) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setSpacing(tokens.spacing)
        if step.notice is not None:  # the last person's reminder, in the greeting's place
            layout.addWidget(label(render(step.notice), "Pending"))
        else:
            layout.addWidget(label(tr("您好，请选择要办理的事项"), "Title"))
        self._grid = QGridLayout()
        self._grid.setSpacing(tokens.spacing)
        self.service_tiles = [tile(tr("取号") if service.queue else service.name,
                                   _opener(service, answer))
                              for service in step.services]
        self.voice_tile = tile(tr("语音提问\n说出您要办的事"), lambda: None)
        self.staff_tile = tile(tr("呼叫工作人员"), lambda: None)  # the bar's (follow_bar)
        self.more_tile = tile(tr("更多事项"), lambda: answer(OpenThemes()))
        # a tile at least this wide keeps a service's name on two lines at the elder size
        self._narrowest = TILE_CHARACTERS * tokens.font_tile + tokens.spacing
        self.columns = 0
        self._lay_out(COLUMNS)
        layout.addLayout(self._grid, 1)

    def _lay_out(self, columns: int) -> None:
        """The services in rows of `columns`, then 语音提问, 呼叫工作人员 and 更多事项."""
        if columns == self.columns:
            return
        self.columns = columns
        for widget in (*self.service_tiles, self.voice_tile, self.staff_tile, self.more_tile):
            self._grid.removeWidget(widget)
        for index, widget in enumerate(self.service_tiles):
            self._grid.addWidget(widget, index // columns, index % columns)
        first = -(-len(self.service_tiles) // columns)
        for index, widget in enumerate((self.voice_tile, self.staff_tile, self.more_tile)):
            self._grid.addWidget(widget, first + index // columns, index % columns)

    def resizeEvent(self, event: QResizeEvent) -> None:
        # an upright screen: two wider columns rather than three names broken in three lines
        self._lay_out(COLUMNS if event.size().width() >= COLUMNS * self._narrowest else 2)
        super().resizeEvent(event)

    def follow_bar(self, staff_button: QPushButton, voice_button: QPushButton) -> None:
        """The 呼叫工作人员 and 语音提问 tiles are the bottom bar's buttons, larger: the same
        name and the same action (the voice tile presses and lets go of the bar's push-to-talk);
        the voice tile is there only while the bar's button can listen."""
        self.staff_tile.setAccessibleName(staff_button.text())
        words = self.staff_tile.findChild(QLabel)
        assert words is not None, "a tile holds its words"
        words.setText(staff_button.text())
        self.staff_tile.clicked.connect(staff_button.click)
        self.voice_tile.setVisible(voice_button.isEnabled())
        self.voice_tile.pressed.connect(voice_button.pressed.emit)
        self.voice_tile.released.connect(voice_button.released.emit)


def _opener(service: ServiceTile, answer: Callable[[Answer], None]) -> Callable[[], None]:
    if service.queue:
        return lambda: answer(OpenQueue())
    if service.progress:
        return lambda: answer(OpenProgress())
    return lambda: answer(OpenService(service.service_id))


class ThemesScreen(QWidget):
    """更多事项: every theme as a tile, a few per page; 返回 goes back to the elder home."""

    def __init__(self, step: ThemesStep, tokens: Tokens,
                 answer: Callable[[Answer], None]) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setSpacing(tokens.spacing)
        layout.addWidget(label(tr("更多事项"), "Title"))
        # what the standard home offers beside its themes, the elder home has no room for
        entries = QHBoxLayout()
        entries.setSpacing(tokens.spacing)
        self.entries: dict[str, QPushButton] = {}  # by the step's field that offers it
        for key, offered, words, reply in (
                ("progress", step.progress, tr("办件进度查询"), OpenProgress()),
                ("convenience", step.convenience, tr("便民服务"), OpenConvenience()),
                ("hall_map", step.hall_map, tr("大厅导航"), OpenHallMap())):
            if offered:
                entry = button(words, lambda reply=reply: answer(reply), "ServiceRow")
                self.entries[key] = entry
                entries.addWidget(entry, 1)
        layout.addLayout(entries)
        tiles = [
            button(tr("{theme}\n{count} 项", theme=theme.theme, count=theme.service_count),
                   lambda name=theme.theme: answer(OpenTheme(name)), "Tile")
            for theme in step.tiles
        ]
        self.pager = Pager(tiles, tokens.tiles_per_page, tokens.tile_columns)
        layout.addWidget(self.pager, 1)
