"""The attract loop on an untouched home, and the screen of a closed hall (kiosk.hall_hours).

Neither is a step's screen: `ui.hall_covers` lays them over the whole window. The attract loop
is shown only after the last person's session was wiped and holds nothing of anyone: the
title, the prompt, the hall, the time and the names of the hall's most used services, turning
slowly; nothing on it needs the network. The closed screen is black, or says the hours after
a touch.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QDateTime, Qt, QTimer
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ui.i18n import tr
from ui.tokens import Tokens
from ui.widgets import label

# below the Chinese prompt on a Chinese kiosk, for a visitor who reads no Chinese; already
# English, so not marked for translation
TOUCH_TO_START_EN = "Touch the screen to start"
TURN_EVERY_S = 4  # a service name stays this long, long enough to be read calmly


class AttractScreen(QWidget):
    def __init__(self, tokens: Tokens, hall: str, services: Sequence[str],
                 chinese: bool) -> None:
        super().__init__()
        self.setObjectName("Attract")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(
            f"#Attract {{ background: {tokens.primary}; }}"
            f"#Attract QLabel {{ color: {tokens.on_primary}; background: transparent; }}"
            f"#AttractTitle {{ font-size: {tokens.font_title * 2}px; font-weight: bold; }}"
            f"#AttractPrompt {{ font-size: {round(tokens.font_title * 1.3)}px; }}"
            f"#AttractClock {{ font-size: {tokens.font_title * 2}px; }}"
            f"#AttractLine {{ font-size: {tokens.font_title}px; }}")
        layout = QVBoxLayout(self)
        layout.setSpacing(tokens.spacing * 2)
        self.clock = label("", "AttractClock", wrap=False)
        self.service = label("", "AttractLine")
        lines = [label(tr("政务服务自助终端"), "AttractTitle"),
                 label(tr("请触摸屏幕开始"), "AttractPrompt")]
        if chinese:
            lines.append(label(TOUCH_TO_START_EN, "AttractPrompt"))
        lines += [label(hall, "AttractLine"), self.clock, self.service]
        layout.addStretch(1)
        for line in lines:
            line.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(line)
        layout.addStretch(1)
        self._services = list(services)
        self._ticks = 0
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._tick)
        self._timer.start(1000)
        self._tick()

    def _tick(self) -> None:
        self.clock.setText(QDateTime.currentDateTime().toString("HH:mm"))
        if self._services and self._ticks % TURN_EVERY_S == 0:
            name = self._services[self._ticks // TURN_EVERY_S % len(self._services)]
            self.service.setText(tr("常用事项：{name}", name=name))
        self._ticks += 1


class ClosedScreen(QWidget):
    """Black; with `hours`, the hours in white (a touch on the dark screen)."""

    def __init__(self, tokens: Tokens, hall: str, hours: str | None) -> None:
        super().__init__()
        self.setObjectName("Closed")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(
            "#Closed { background: #000000; }"
            "#Closed QLabel { color: #FFFFFF; background: transparent; }"
            f"#ClosedHours {{ font-size: {tokens.font_title}px; font-weight: bold; }}"
            f"#ClosedHall {{ font-size: {tokens.font_body}px; }}")
        layout = QVBoxLayout(self)
        layout.setSpacing(tokens.spacing * 2)
        self.hours: QLabel | None = None
        if hours is None:
            return
        self.hours = label(hours, "ClosedHours")
        layout.addStretch(1)
        for line in (self.hours, label(hall, "ClosedHall")):
            line.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(line)
        layout.addStretch(1)
