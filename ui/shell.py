"""The Qt side of the `Ui` port: shows each flow step as a screen and returns the answer.

The shell renders and forwards; it decides nothing about the business. It also owns what is the
same on every screen: the bars, elder mode, the language, the offline banner, "继续办理？".
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from common.i18n import Text
from common.plain_words import glossary
from flows.messages import STAFF_DESK
from flows.printing import PrintingStep
from flows.steps import (
    CALL_STAFF,
    CALL_STAFF_KEY,
    Answer,
    BusyStep,
    Choose,
    HomeStep,
    Nav,
    PayingStep,
    Step,
)
from kiosk.catalog_source import CatalogStatus, offline_banner_time
from kiosk.session import CitizenSession
from ui.i18n import Language, render, tr
from ui.live_view import LiveCameras
from ui.plain_words import show_plain_words
from ui.screens import screen_for
from ui.screens.elder_home import ElderHomeScreen
from ui.screens.maintenance import MaintenanceScreen
from ui.style import style_sheet
from ui.tokens import Tokens, tokens_for
from ui.widgets import button, label
from ui.window import KioskWindow, message_overlay

ACTIVITY_EVENTS = {QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.KeyPress}


def leaving_loses_work(step: Step) -> str | None:
    """Why 返回 and 首页 are off on this step's screen, or None: leaving now would lose what is
    under way (a document half printed, a payment being confirmed, an identity being checked)."""
    if isinstance(step, PrintingStep):
        return tr("正在打印，打印完成后才能返回或回到首页")
    if isinstance(step, PayingStep):
        return tr("正在确认付款，确认完成后才能返回或回到首页")
    if isinstance(step, BusyStep):
        return tr("正在办理，完成后才能返回或回到首页")
    return None


class ActivityFilter(QObject):
    """Tells the idle watch about every touch, wherever it lands."""

    def __init__(self, on_activity: Callable[[], None]) -> None:
        super().__init__()
        self._on_activity = on_activity

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in ACTIVITY_EVENTS:
            self._on_activity()
        return False


class Shell:
    def __init__(self, app: QApplication, window: KioskWindow, default_language: str) -> None:
        self.app = app
        self.window = window
        self.language = Language(app)
        self.default_language = default_language
        self.elder_mode = False
        self.step: Step | None = None
        self.on_elder_mode: Callable[[bool], None] = lambda elder: None
        # speech stops when the screen changes (DESIGN: never talks over the next screen)
        self.on_screen_change: Callable[[], None] = lambda: None
        # told of each step's screen once shown (read aloud, the voice button's state)
        self.screen_shown: list[Callable[[Step, QWidget], None]] = []
        # told when a person's visit ends (what they chose for it goes back to the default)
        self.session_ended: list[Callable[[], None]] = []
        self._answer: asyncio.Future[Answer] | None = None
        self._status: CatalogStatus | None = None
        self._notice: str | None = None
        self.paused = False  # 暂停服务 is shown (maintenance)
        self._paused_reason: Text | None = None  # the failed device, for staff
        # the cameras whose live picture screens show (the kiosk sets them from its devices)
        self.live = LiveCameras({})
        # official terms in the words of the person at the screen (common/plain_words.toml),
        # on every screen and overlay before it appears, and in all that is read aloud
        self.glossary = glossary()
        window.prepare = self._in_plain_words

        window.back_button.clicked.connect(lambda: self.answer(Nav.BACK))
        window.home_button.clicked.connect(lambda: self.answer(Nav.HOME))
        window.staff_button.clicked.connect(self.show_call_staff)
        window.elder_button.toggled.connect(self.set_elder_mode)
        window.language_button.clicked.connect(self.toggle_language)
        self.language.switch(default_language)
        self.window.retranslate(default_language)
        self.apply_tokens()

    @property
    def tokens(self) -> Tokens:
        return tokens_for(self.elder_mode)

    @property
    def _plain_words_apply(self) -> bool:
        # the glossary is Chinese; English has its own translations
        return self.language.current == "zh_CN"

    def _in_plain_words(self, widget: QWidget) -> None:
        if self._plain_words_apply:
            show_plain_words(widget, self.glossary, elder=self.elder_mode)

    def plain(self, text: str) -> str:
        """`text` in plain words, as every screen shows it: what speech says."""
        if not self._plain_words_apply:
            return text
        return self.glossary.plain(text, elder=self.elder_mode)

    # -- the Ui port -------------------------------------------------------------------------
    async def ask(self, step: Step) -> Answer:
        self.show(step)
        self._answer = asyncio.get_running_loop().create_future()
        try:
            return await self._answer
        finally:
            self._answer = None

    @property
    def waiting(self) -> bool:
        """A flow is waiting for the person's answer to the screen shown."""
        return self._answer is not None and not self._answer.done()

    def answer(self, answer: Answer) -> None:
        if answer == Choose(CALL_STAFF_KEY):  # a screen's own 呼叫工作人员: the bar's, exactly
            self.show_call_staff()
            return
        if self._answer is not None and not self._answer.done():
            self._answer.set_result(answer)

    def show(self, step: Step) -> None:
        self.on_screen_change()
        self.step = step
        self.paused = False
        self._render()

    def show_unavailable(self, text: Text) -> None:
        """Home without services, saying why."""
        self.show(HomeStep((), unavailable=text))

    # -- what every screen shares ------------------------------------------------------------
    def _render(self) -> None:
        if self.paused:
            self._render_maintenance()
            return
        if self.step is None:
            return
        screen = screen_for(self.step, self.tokens, self.answer)
        self.window.show_screen(screen)
        self.live.show_in(screen)
        on_home = isinstance(self.step, HomeStep)
        self.window.back_button.setEnabled(not on_home)
        self.window.home_button.setEnabled(not on_home)
        self.window.lock_leaving(leaving_loses_work(self.step))
        self.window.language_button.setVisible(on_home)
        for listener in self.screen_shown:
            listener(self.step, screen)
        if isinstance(screen, ElderHomeScreen):  # its 语音提问 and 呼叫工作人员 are the bar's
            screen.follow_bar(self.window.staff_button, self.window.voice_button)

    def apply_tokens(self) -> None:
        self.app.setStyleSheet(style_sheet(self.tokens))
        self.window.keyboard.apply(self.tokens)
        self.window.elder_button.blockSignals(True)
        self.window.elder_button.setChecked(self.elder_mode)
        self.window.elder_button.blockSignals(False)

    def set_elder_mode(self, elder: bool) -> None:
        if elder == self.elder_mode:
            return
        self.elder_mode = elder
        self.apply_tokens()
        self._render()
        self.on_elder_mode(elder)

    def toggle_language(self) -> None:
        self.set_language("en" if self.language.current == "zh_CN" else "zh_CN")

    def set_language(self, language: str) -> None:
        self.language.switch(language)
        self.window.retranslate(language)
        self.show_catalog_status(self._status)
        self.show_notice(self._notice)
        self._render()

    def show_notice(self, text: str | None) -> None:
        """A manager's notice in the top bar (None: none); shown as written, in Chinese."""
        self._notice = text
        self.window.set_notice(tr("公告：{text}", text=text) if text else None)

    def show_maintenance(self, paused: bool, reason: Text | None = None) -> None:
        """暂停服务 instead of any step while `paused` (with `reason` while a required device
        has failed); the next step shown ends it."""
        self.paused = paused
        self._paused_reason = reason
        if paused:
            self.step = None
            self.window.hide_overlay()
            self._render_maintenance()

    def _render_maintenance(self) -> None:
        screen = MaintenanceScreen(self.tokens, self._paused_reason)
        self.window.show_screen(screen)
        self.live.show_in(screen)  # no camera runs behind 暂停服务
        self.window.back_button.setEnabled(False)
        self.window.home_button.setEnabled(False)
        self.window.lock_leaving(None)
        self.window.language_button.setVisible(False)

    def show_catalog_status(self, status: CatalogStatus | None) -> None:
        self._status = status
        if status is None:
            self.window.network_label.setText(tr("正在连接…"))
            self.window.set_banner(None)
        elif status.online:
            self.window.network_label.setText(tr("● 网络正常"))
            self.window.set_banner(None)
        else:
            self.window.network_label.setText(tr("○ 网络中断"))
            when = offline_banner_time(status)
            self.window.set_banner(
                tr("离线服务 · 数据更新于 {time}", time=when) if when
                else tr("离线服务 · 暂无可用数据")
            )

    def show_call_staff(self) -> None:
        """The one help path: on its own layer, over any overlay, which it closes back to."""
        ok = button(tr("知道了"), self.window.hide_help, "Primary")
        self.window.show_help(message_overlay(render(CALL_STAFF), [label(render(STAFF_DESK))],
                                              [ok]))

    def end_session(self, _session: CitizenSession) -> None:
        """Back to how the next person should find the kiosk."""
        self.window.hide_overlay()
        self.window.hide_help()
        self.window.keyboard.forget()
        self.set_elder_mode(False)
        for listener in self.session_ended:
            listener()
        if self.language.current != self.default_language:
            self.set_language(self.default_language)

    def show_continue_question(self, seconds: int, keep: Callable[[], object]) -> QLabel:
        """The "继续办理？" overlay with `seconds` on its countdown; returns the countdown's
        label (also what the screen audit and the screenshots show)."""
        countdown = label(str(seconds), "Countdown", wrap=False)
        self.window.show_overlay(message_overlay(
            tr("继续办理？"),
            [countdown, label(tr("倒计时结束后将返回首页，并清除您本次的信息。"))],
            [button(tr("继续办理"), keep, "Primary")],
        ))
        return countdown

    async def ask_to_continue(self, countdown_s: float) -> bool:
        """Shows "继续办理？" with a countdown; True when the person taps to continue."""
        decided: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        remaining = [round(countdown_s)]
        seconds = self.show_continue_question(
            remaining[0], lambda: decided.done() or decided.set_result(True))

        def tick() -> None:
            remaining[0] -= 1
            seconds.setText(str(max(remaining[0], 0)))
            if remaining[0] <= 0 and not decided.done():
                decided.set_result(False)

        timer = QTimer()
        timer.timeout.connect(tick)
        timer.start(1000)
        try:
            return await decided
        finally:
            timer.stop()
            self.window.hide_overlay()
