"""The Qt side of the `Ui` port: shows each flow step as a screen and returns the answer.

The shell renders and forwards; it decides nothing about the business. It also owns what is the
same on every screen: the bars, elder mode, the language, the offline banner, "继续办理？".
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from flows.steps import Answer, HomeStep, Nav, Step
from kiosk.catalog_source import CatalogStatus, offline_banner_time
from kiosk.session import CitizenSession
from ui.i18n import Language, tr
from ui.live_view import LiveCameras
from ui.screens import screen_for
from ui.screens.maintenance import MaintenanceScreen
from ui.style import style_sheet
from ui.tokens import Tokens, tokens_for
from ui.widgets import button, label
from ui.window import KioskWindow, message_overlay

ACTIVITY_EVENTS = {QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.KeyPress}


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
        self._answer: asyncio.Future[Answer] | None = None
        self._status: CatalogStatus | None = None
        self._notice: str | None = None
        self.paused = False  # 暂停服务 is shown (maintenance)
        # the cameras whose live picture screens show (the kiosk sets them from its devices)
        self.live = LiveCameras({})

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
        if self._answer is not None and not self._answer.done():
            self._answer.set_result(answer)

    def show(self, step: Step) -> None:
        self.on_screen_change()
        self.step = step
        self.paused = False
        self._render()

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
        self.window.language_button.setVisible(on_home)
        for listener in self.screen_shown:
            listener(self.step, screen)

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

    def show_maintenance(self, paused: bool) -> None:
        """暂停服务 instead of any step while `paused`; the next step shown ends it."""
        self.paused = paused
        if paused:
            self.step = None
            self.window.hide_overlay()
            self._render_maintenance()

    def _render_maintenance(self) -> None:
        screen = MaintenanceScreen(self.tokens)
        self.window.show_screen(screen)
        self.live.show_in(screen)  # no camera runs behind 暂停服务
        self.window.back_button.setEnabled(False)
        self.window.home_button.setEnabled(False)
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
        ok = button(tr("知道了"), self.window.hide_overlay, "Primary")
        self.window.show_overlay(message_overlay(
            tr("呼叫工作人员"),
            [label(tr("请在原地稍候，或到服务台找工作人员帮您办理。"))],
            [ok],
        ))

    def end_session(self, _session: CitizenSession) -> None:
        """Back to how the next person should find the kiosk."""
        self.window.hide_overlay()
        self.window.keyboard.forget()
        self.set_elder_mode(False)
        if self.language.current != self.default_language:
            self.set_language(self.default_language)

    async def ask_to_continue(self, countdown_s: float) -> bool:
        """Shows "继续办理？" with a countdown; True when the person taps to continue."""
        decided: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        remaining = [round(countdown_s)]
        seconds = label(str(remaining[0]), "Countdown")
        keep = button(tr("继续办理"), lambda: decided.done() or decided.set_result(True),
                      "Primary")
        self.window.show_overlay(message_overlay(
            tr("继续办理？"),
            [seconds, label(tr("倒计时结束后将返回首页，并清除您本次的信息。"))],
            [keep],
        ))

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
