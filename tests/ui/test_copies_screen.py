"""The copy screens answer what the person tapped: the copies stepper stays within 1 to 5,
colour or black and white, 重拍 / 确认, a purpose; the printing screen says where a resumed job
is."""

from __future__ import annotations

import cv2
import pytest
from PySide6.QtCore import Qt

from common.i18n import tr
from devices.camera.scenes import sample_card
from flows.id_copy import CONFIRM, NO_PURPOSE, RETAKE, CheckSideStep, PurposeStep
from flows.printing import PrintingStep, PrintOptions, PrintOptionsStep
from flows.steps import Choice, Choose, Progress
from tests.ui.conftest import buttons, texts
from ui.screens.copies import CheckSideScreen, PrintingScreen, PrintOptionsScreen, PurposeScreen
from ui.tokens import tokens_for


def shown(qtbot, screen_class, step, elder=False):
    answers: list = []
    widget = screen_class(step, tokens_for(elder), answers.append)
    qtbot.addWidget(widget)
    widget.resize(1600, 900)
    widget.show()
    return widget, answers


def tap(qtbot, widget, text: str) -> None:
    qtbot.mouseClick(buttons(widget)[text], Qt.MouseButton.LeftButton)


@pytest.mark.parametrize("elder", [False, True])
def test_the_stepper_stays_between_one_and_five_and_the_choice_is_answered(qtbot, elder):
    step = PrintOptionsStep(tr("复印设置"), 1, 5, True, 2, Progress(2, 3))
    widget, answers = shown(qtbot, PrintOptionsScreen, step, elder)
    assert not widget.fewer.isEnabled()
    for _ in range(7):  # more taps than there are copies to give
        if widget.more.isEnabled():
            qtbot.mouseClick(widget.more, Qt.MouseButton.LeftButton)
    assert not widget.more.isEnabled()
    assert "5 份" in texts(widget) and "共 10 张" in texts(widget)
    qtbot.mouseClick(widget.fewer, Qt.MouseButton.LeftButton)
    tap(qtbot, widget, "黑白（文字更清晰）")
    tap(qtbot, widget, "开始打印")
    assert answers == [PrintOptions(4, colour=False)]


def test_without_a_colour_choice_none_is_offered(qtbot):
    widget, answers = shown(qtbot, PrintOptionsScreen,
                            PrintOptionsStep(tr("复印份数"), 1, 5, None, 1))
    assert "彩色" not in buttons(widget)
    tap(qtbot, widget, "开始打印")
    assert answers == [PrintOptions(1, colour=True)]


def test_a_side_is_confirmed_or_retaken(qtbot):
    side = cv2.imencode(".jpg", sample_card())[1].tobytes()
    widget, answers = shown(qtbot, CheckSideScreen, CheckSideStep("front", side))
    assert not widget.picture.pixmap().isNull()
    tap(qtbot, widget, "重拍")
    tap(qtbot, widget, "确认")
    assert answers == [Choose(RETAKE), Choose(CONFIRM)]


def test_a_purpose_is_chosen_by_its_printed_text(qtbot):
    step = PurposeStep((Choice("仅供办理社保业务使用", tr("社保业务")),
                        Choice(NO_PURPOSE, tr("不加注"))))
    widget, answers = shown(qtbot, PurposeScreen, step)
    tap(qtbot, widget, "社保业务")
    tap(qtbot, widget, "不加注")
    assert answers == [Choose("仅供办理社保业务使用"), Choose(NO_PURPOSE)]


def test_the_printing_screen_says_what_is_already_out(qtbot):
    widget, _ = shown(qtbot, PrintingScreen, PrintingStep(tr("正在打印，请稍候…"), 3, 1))
    assert "共 3 页，已打印 1 页" in texts(widget)
