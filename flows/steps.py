"""What a flow asks the person at the screen, and what the person can answer.

A step is a typed value the Qt shell renders as a screen; an answer is what the person chose.
The same values drive the scripted UI in tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Protocol

from central.contract import Service
from flows.guide import Guide
from kiosk.i18n import Text


class Nav(Enum):
    """The bottom bar's buttons that every screen answers the same way."""

    BACK = "back"
    HOME = "home"


@dataclass(frozen=True)
class ThemeTile:
    theme: str
    service_count: int


@dataclass(frozen=True)
class HomeStep:
    tiles: tuple[ThemeTile, ...]
    # why there are no tiles (no catalog at all); None when there are
    unavailable: Text | None = None


@dataclass(frozen=True)
class ThemeStep:
    theme: str
    services: tuple[Service, ...]


@dataclass(frozen=True)
class GuideStep:
    guide: Guide


Step = HomeStep | ThemeStep | GuideStep


@dataclass(frozen=True)
class OpenTheme:
    theme: str


@dataclass(frozen=True)
class OpenService:
    service_id: str


Answer = Nav | OpenTheme | OpenService


class Ui(Protocol):
    """The port a flow talks through: show a step, wait for the person's answer."""

    async def ask(self, step: Step) -> Answer: ...
