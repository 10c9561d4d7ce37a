"""One screen per kind of flow step; `screen_for` picks it from `SCREENS`."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar, cast

from PySide6.QtWidgets import QWidget

from flows.appointment import AppointmentBookedStep, AppointmentListStep
from flows.ask import AnswerStep, SearchStep
from flows.certificate import CertificatePreviewStep
from flows.convenience import ConvenienceGridStep, ConvenienceInfoStep, DeeplinkStep
from flows.directions import HallMapStep
from flows.id_copy import CheckSideStep, PlaceCardStep, PurposeStep
from flows.printing import PrintingStep, PrintOptionsStep
from flows.queue_ticket import QueueChoiceStep, QueueTicketStep
from flows.send_to_phone import SmsConfirmStep, SmsConsentStep
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
    PayCodeStep,
    PayingStep,
    PaymentStep,
    PayQrStep,
    ProgressStep,
    ReceiptStep,
    ReviewStep,
    ScanStep,
    SignatureStep,
    SituationStep,
    Step,
    ThemesStep,
    ThemeStep,
)
from ui.screens.appointment import AppointmentBookedScreen, AppointmentListScreen
from ui.screens.busy import BusyScreen
from ui.screens.certificate import CertificateScreen
from ui.screens.consent import ConsentScreen
from ui.screens.convenience import ConvenienceGridScreen, ConvenienceInfoScreen, DeeplinkScreen
from ui.screens.copies import (
    CheckSideScreen,
    PlaceCardScreen,
    PrintingScreen,
    PrintOptionsScreen,
    PurposeScreen,
)
from ui.screens.elder_home import ThemesScreen, home_screen
from ui.screens.evaluation import EvaluationScreen
from ui.screens.face import FaceScreen
from ui.screens.form import FormScreen
from ui.screens.guide import GuideScreen
from ui.screens.hall_map import HallMapScreen
from ui.screens.identity import IdentityScreen
from ui.screens.keypad_entry import KeypadEntryScreen
from ui.screens.message import MessageScreen
from ui.screens.payment import PayCodeScreen, PayingScreen, PaymentScreen, PayQrScreen
from ui.screens.progress import ProgressScreen
from ui.screens.queue_ticket import QueueChoiceScreen, QueueTicketScreen
from ui.screens.receipt import ReceiptScreen
from ui.screens.review import ReviewScreen
from ui.screens.scan import ScanScreen
from ui.screens.search import AnswerScreen, SearchScreen
from ui.screens.send_to_phone import SmsConfirmScreen, SmsConsentScreen
from ui.screens.signature import SignatureScreen
from ui.screens.situation import SituationScreen
from ui.screens.theme import ThemeScreen
from ui.tokens import Tokens

ScreenFactory = Callable[[Step, Tokens, Callable[[Answer], None]], QWidget]

S = TypeVar("S", bound=Step)


def _pair(step: type[S], screen: Callable[[S, Tokens, Callable[[Answer], None]], QWidget],
          ) -> tuple[type[Step], ScreenFactory]:
    """A step class and its screen, checked to take that step; `screen_for` only ever gives a
    screen the step it was paired with, which is why the cast holds."""
    return step, cast(ScreenFactory, screen)


# a new step class gets its screen here, and nowhere else
SCREENS: dict[type[Step], ScreenFactory] = dict([
    _pair(HomeStep, home_screen),  # 长辈模式 has its own (ui.screens.elder_home)
    _pair(ThemesStep, ThemesScreen),
    _pair(ThemeStep, ThemeScreen),
    _pair(GuideStep, GuideScreen),
    # asking in plain words
    _pair(SearchStep, SearchScreen),
    _pair(AnswerStep, AnswerScreen),
    # identity → declaration → receipt → evaluation; progress
    _pair(IdentityStep, IdentityScreen),
    _pair(LiveFaceStep, FaceScreen),
    _pair(SituationStep, SituationScreen),
    _pair(ConsentStep, ConsentScreen),
    _pair(FormStep, FormScreen),
    _pair(ScanStep, ScanScreen),
    _pair(SignatureStep, SignatureScreen),
    _pair(ReviewStep, ReviewScreen),
    _pair(ReceiptStep, ReceiptScreen),
    _pair(EvaluationStep, EvaluationScreen),
    # paying a fee (flows.payment), between the review and the receipt
    _pair(PaymentStep, PaymentScreen),
    _pair(PayCodeStep, PayCodeScreen),
    _pair(PayQrStep, PayQrScreen),
    _pair(PayingStep, PayingScreen),
    _pair(KeypadStep, KeypadEntryScreen),
    _pair(ProgressStep, ProgressScreen),
    _pair(MessageStep, MessageScreen),
    _pair(BusyStep, BusyScreen),
    # printing
    _pair(CertificatePreviewStep, CertificateScreen),
    _pair(PlaceCardStep, PlaceCardScreen),
    _pair(CheckSideStep, CheckSideScreen),
    _pair(PurposeStep, PurposeScreen),
    _pair(PrintOptionsStep, PrintOptionsScreen),
    _pair(PrintingStep, PrintingScreen),
    # 取号 (flows.queue_ticket)
    _pair(QueueChoiceStep, QueueChoiceScreen),
    _pair(QueueTicketStep, QueueTicketScreen),
    # 预约 (flows.appointment): its date and slot questions are 取号's tiles
    _pair(AppointmentBookedStep, AppointmentBookedScreen),
    _pair(AppointmentListStep, AppointmentListScreen),
    # 大厅导航 (flows.directions) and 发送到手机 (flows.send_to_phone)
    _pair(HallMapStep, HallMapScreen),
    _pair(SmsConsentStep, SmsConsentScreen),
    _pair(SmsConfirmStep, SmsConfirmScreen),
    # 便民服务 (flows.convenience)
    _pair(ConvenienceGridStep, ConvenienceGridScreen),
    _pair(ConvenienceInfoStep, ConvenienceInfoScreen),
    _pair(DeeplinkStep, DeeplinkScreen),
])


def screen_for(step: Step, tokens: Tokens, answer: Callable[[Answer], None]) -> QWidget:
    factory = SCREENS.get(type(step))
    if factory is None:
        raise TypeError(f"no screen for {type(step).__name__}")
    return factory(step, tokens, answer)
