"""One screen per kind of flow step; `screen_for` picks it from `SCREENS`."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from flows.certificate import CertificatePreviewStep
from flows.id_copy import CheckSideStep, PlaceCardStep, PurposeStep
from flows.printing import PrintingStep, PrintOptionsStep
from flows.steps import Answer, GuideStep, HomeStep, Step, ThemeStep
from ui.screens.certificate import CertificateScreen
from ui.screens.copies import (
    CheckSideScreen,
    PlaceCardScreen,
    PrintingScreen,
    PrintOptionsScreen,
    PurposeScreen,
)
from ui.screens.guide import GuideScreen
from ui.screens.home import HomeScreen
from ui.screens.theme import ThemeScreen
from ui.tokens import Tokens

ScreenFactory = Callable[[Step, Tokens, Callable[[Answer], None]], QWidget]

# a new step class gets its screen here, and nowhere else
SCREENS: dict[type[Step], ScreenFactory] = {
    HomeStep: HomeScreen,
    ThemeStep: ThemeScreen,
    GuideStep: GuideScreen,
    # issue 7: printing
    CertificatePreviewStep: CertificateScreen,
    PlaceCardStep: PlaceCardScreen,
    CheckSideStep: CheckSideScreen,
    PurposeStep: PurposeScreen,
    PrintOptionsStep: PrintOptionsScreen,
    PrintingStep: PrintingScreen,
}


def screen_for(step: Step, tokens: Tokens, answer: Callable[[Answer], None]) -> QWidget:
    factory = SCREENS.get(type(step))
    if factory is None:
        raise TypeError(f"no screen for {type(step).__name__}")
    return factory(step, tokens, answer)
