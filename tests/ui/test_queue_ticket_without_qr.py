"""The ticket of a queue without a page per ticket (a hall's NovoSGA): the number large, no
code to scan, and when the slip did not print, the number alone to photograph."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from flows.queue_ticket import QueueTicketStep
from flows.steps import Step
from tests.ui.conftest import texts
from ui.qr_view import QrView
from ui.queue_samples import queue_steps
from ui.screens import screen_for
from ui.screens.queue_ticket import QueueTicketScreen
from ui.style import style_sheet
from ui.tokens import STANDARD

SAMPLES = dict(queue_steps())


@pytest.fixture
def show(qapp: QApplication, qtbot: QtBot) -> Callable[[Step], QWidget]:
    qapp.setStyleSheet(style_sheet(STANDARD))

    def _show(step: Step) -> QWidget:
        screen = screen_for(step, STANDARD, lambda _answer: None)
        qtbot.addWidget(screen)
        screen.resize(1856, 800)
        screen.show()
        return screen

    return _show


def test_no_follow_url_shows_no_code_and_asks_to_photograph_the_number(
        show: Callable[[Step], QWidget]) -> None:
    step = SAMPLES["queue-ticket-no-qr"]
    assert isinstance(step, QueueTicketStep) and step.follow_url == ""
    screen = show(step)
    assert isinstance(screen, QueueTicketScreen)
    shown = texts(screen)
    assert "C042" in shown and "二楼 C 区 9-12 号窗口" in shown
    assert "请用手机拍下上面的排队号。" in shown and "二维码" not in shown
    assert screen.qr is None and not screen.findChildren(QrView)


def test_a_follow_url_still_shows_its_code(show: Callable[[Step], QWidget]) -> None:
    screen = show(SAMPLES["queue-ticket-unprinted"])
    assert isinstance(screen, QueueTicketScreen)
    assert screen.qr is not None and screen.qr.isVisible()
    assert "请用手机拍下上面的排队号和二维码。" in texts(screen)
