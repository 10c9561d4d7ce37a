"""One screen per kind of flow step; `screen_for` picks it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from flows.steps import Answer, GuideStep, HomeStep, Step, ThemeStep
from ui.screens.guide import GuideScreen
from ui.screens.home import HomeScreen
from ui.screens.theme import ThemeScreen
from ui.tokens import Tokens


def screen_for(step: Step, tokens: Tokens, answer: Callable[[Answer], None]) -> QWidget:
    match step:
        case HomeStep():
            return HomeScreen(step, tokens, answer)
        case ThemeStep():
            return ThemeScreen(step, tokens, answer)
        case GuideStep():
            return GuideScreen(step, tokens, answer)
    raise TypeError(f"no screen for {type(step).__name__}")
