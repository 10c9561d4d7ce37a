"""One screen per kind of flow step; `screen_for` picks it from `SCREENS`."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from flows.ask import AnswerStep, SearchStep
from flows.certificate import CertificatePreviewStep
from flows.id_copy import CheckSideStep, PlaceCardStep, PurposeStep
from flows.printing import PrintingStep, PrintOptionsStep
from flows.steps import (
    Answer,
    BusyStep,
    ConsentStep,
    EvaluationStep,
    FormStep,
    GuideStep,
    HomeStep,
    IdentityStep,
    KeypadStep,
    LiveFaceStep,
    MessageStep,
    ProgressStep,
    ReceiptStep,
    ReviewStep,
    ScanStep,
    SignatureStep,
    SituationStep,
    Step,
    ThemeStep,
)
from ui.screens.busy import BusyScreen
from ui.screens.certificate import CertificateScreen
from ui.screens.consent import ConsentScreen
from ui.screens.copies import (
    CheckSideScreen,
    PlaceCardScreen,
    PrintingScreen,
    PrintOptionsScreen,
    PurposeScreen,
)
from ui.screens.evaluation import EvaluationScreen
from ui.screens.face import FaceScreen
from ui.screens.form import FormScreen
from ui.screens.guide import GuideScreen
from ui.screens.home import HomeScreen
from ui.screens.identity import IdentityScreen
from ui.screens.keypad_entry import KeypadEntryScreen
from ui.screens.message import MessageScreen
from ui.screens.progress import ProgressScreen
from ui.screens.receipt import ReceiptScreen
from ui.screens.review import ReviewScreen
from ui.screens.scan import ScanScreen
from ui.screens.search import AnswerScreen, SearchScreen
from ui.screens.signature import SignatureScreen
from ui.screens.situation import SituationScreen
from ui.screens.theme import ThemeScreen
from ui.tokens import Tokens

ScreenFactory = Callable[[Step, Tokens, Callable[[Answer], None]], QWidget]

# a new step class gets its screen here, and nowhere else
SCREENS: dict[type[Step], ScreenFactory] = {
    HomeStep: HomeScreen,
    ThemeStep: ThemeScreen,
    GuideStep: GuideScreen,
    # issue 8: asking in plain words
    SearchStep: SearchScreen,
    AnswerStep: AnswerScreen,
    # issue 6: identity → declaration → receipt → evaluation; progress
    IdentityStep: IdentityScreen,
    LiveFaceStep: FaceScreen,
    SituationStep: SituationScreen,
    ConsentStep: ConsentScreen,
    FormStep: FormScreen,
    ScanStep: ScanScreen,
    SignatureStep: SignatureScreen,
    ReviewStep: ReviewScreen,
    ReceiptStep: ReceiptScreen,
    EvaluationStep: EvaluationScreen,
    KeypadStep: KeypadEntryScreen,
    ProgressStep: ProgressScreen,
    MessageStep: MessageScreen,
    BusyStep: BusyScreen,
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
