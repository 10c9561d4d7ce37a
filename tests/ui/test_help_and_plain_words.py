"""The one help path and plain words, on the real window: 呼叫工作人员 stays reachable and
undimmed over any overlay, a screen's own 呼叫工作人员 is the bar's; official terms are shown
and read aloud in plain words; a receipt that did not print leaves its number on screen, large
and read aloud; the receipt-number keypad counts digits."""

from __future__ import annotations

import asyncio

import pytest
from PySide6.QtWidgets import QLabel

from common.i18n import tr
from devices.registry import build_devices
from flows.ask import AnswerStep
from flows.steps import (
    CALL_STAFF,
    CALL_STAFF_KEY,
    Choice,
    Entered,
    KeypadStep,
    MessageStep,
    Nav,
    ReceiptStep,
)
from kiosk.settings import load_settings
from kiosk.terminal import Terminal
from tests.ui.conftest import StaticCatalog, buttons, shown_kiosk, tap, texts, until
from ui.keypad import BACKSPACE
from ui.sample_steps import sample_steps
from ui.screens import screen_for
from ui.screens.receipt import ReceiptScreen
from ui.tokens import STANDARD
from ui.widgets import label
from ui.window import message_overlay

SAMPLES = dict(sample_steps())
NUMBER = "SL20261123000042"


@pytest.fixture
def kiosk(qapp, qtbot, seed_catalog):
    terminal = Terminal(load_settings(), build_devices(load_settings().devices),
                        StaticCatalog(seed_catalog))
    kiosk = shown_kiosk(qapp, qtbot, terminal)
    yield kiosk
    qapp.removeEventFilter(kiosk.activity)


@pytest.fixture
def asked_to_say(kiosk) -> list[str]:
    """Every text handed to the simulated speaker."""
    speaker = kiosk.terminal.devices.by_family["speech"].speaker
    said: list[str] = []
    say = speaker.say

    def recording(text, *args, **kwargs):
        said.append(text)
        return say(text, *args, **kwargs)

    speaker.say = recording
    return said


def centre_of(widget, window):
    return widget.mapTo(window, widget.rect().center())


def colour_at(window, widget):
    """The colour of `widget`'s face as the window draws it (a point left of its label)."""
    point = widget.mapTo(window, widget.rect().topLeft())
    image = window.grab().toImage()
    return image.pixelColor(point.x() + 8, point.y() + widget.height() // 2).name()


# -- the one help path --------------------------------------------------------------------------

def test_call_staff_stays_undimmed_and_reachable_over_an_overlay(loop, kiosk, qtbot):
    window = kiosk.window
    staff, back = window.staff_button, window.back_button
    staff_before, back_before = colour_at(window, staff), colour_at(window, back)
    window.show_overlay(message_overlay("请说出您要办理的事项", [label("正在听，请说…")], []))
    qtbot.waitExposed(window.overlay)

    # the overlay dims and blocks the rest of the bar, not 呼叫工作人员
    assert window.childAt(centre_of(staff, window)) is staff
    assert window.childAt(centre_of(back, window)) is not back
    assert colour_at(window, staff) == staff_before
    assert colour_at(window, back) != back_before

    under = window.overlay
    tap(qtbot, staff)
    help_card = window.help_overlay
    assert help_card is not None and help_card.isVisible()
    assert "请到服务台找工作人员帮您办理。" in texts(help_card)
    tap(qtbot, buttons(help_card)["知道了"])
    # closes back to what was on screen before: the voice overlay is still there
    assert window.help_overlay is None and window.overlay is under and under.isVisible()


def test_the_help_has_one_name_and_a_screens_own_button_is_the_bars(loop, kiosk, qtbot):
    window = kiosk.window
    assert window.staff_button.text() == CALL_STAFF.render() == "呼叫工作人员"
    step = AnswerStep("今天晚饭吃什么好呢", (), "staff", tr("这个问题需要工作人员为您解答"), "",
                      (Choice(CALL_STAFF_KEY, CALL_STAFF, primary=True),))

    async def scenario():
        asked = asyncio.ensure_future(kiosk.shell.ask(step))
        await until(lambda: kiosk.shell.waiting)
        shown = texts(window.current_screen)
        assert "请点“呼叫工作人员”，工作人员会帮您。" in shown and "人工帮办" not in shown
        tap(qtbot, buttons(window.current_screen)["呼叫工作人员"])
        await until(lambda: window.help_overlay is not None)
        assert window.help_overlay.isVisible()
        assert kiosk.shell.waiting, "the shell answered it: the flow never sees it"
        kiosk.shell.answer(Nav.HOME)
        assert await asked is Nav.HOME

    loop.run_until_complete(scenario())


# -- plain words --------------------------------------------------------------------------------

def test_a_status_word_is_shown_and_read_in_plain_words(loop, kiosk, asked_to_say):
    kiosk.shell.set_elder_mode(True)
    kiosk.shell.show(SAMPLES["progress"])  # 在办 now, 办结 for the older application
    shown = texts(kiosk.window.current_screen)
    assert "正在办理    2026-11-24 09:15" in shown and "\n在办" not in shown
    assert "已办完    2026-10-23 16:10" in shown and "办结" not in shown
    spoken = asked_to_say[-1]
    assert "正在办理 2026-11-24 09:15" in spoken and "已办完" in spoken and "办结" not in spoken


def test_standard_mode_keeps_category_names_and_plain_words_elsewhere(loop, kiosk,
                                                                      asked_to_say):
    step = MessageStep(tr("即办件：材料齐全当场办结"), (tr("请将材料正面朝上放在高拍仪下。"),),
                       (Choice("skip", tr("暂无此材料（容缺）"), primary=True),))
    kiosk.shell.show(step)
    shown = texts(kiosk.window.current_screen)
    assert "即办件：材料齐全当场办完" in shown  # an official category: kept in standard mode
    assert "请将材料正面朝上放在拍照台上。" in shown and "高拍仪" not in shown
    assert "暂无此材料（可以以后补交）" in buttons(kiosk.window.current_screen)

    kiosk.shell.set_elder_mode(True)
    shown = texts(kiosk.window.current_screen)
    assert "当场办好：材料齐全当场办完" in shown and "即办件" not in shown
    assert asked_to_say[-1].startswith("当场办好：材料齐全当场办完。请将材料正面朝上放在拍照台上")
    assert "可以以后补交" in asked_to_say[-1] and "容缺" not in asked_to_say[-1]


def test_an_overlay_and_speech_from_elsewhere_use_the_plain_words(loop, kiosk, asked_to_say):
    kiosk.window.show_overlay(message_overlay("人工帮办", [label("请取回放在高拍仪上的原件。")],
                                              []))
    assert "请取回放在拍照台上的原件。" in texts(kiosk.window.overlay)
    assert "呼叫工作人员" in texts(kiosk.window.overlay)
    kiosk.read_aloud.say("您的申请已办结。")
    assert asked_to_say[-1] == "您的申请已办完。"


def test_english_keeps_its_own_words(loop, kiosk):
    kiosk.shell.set_language("en")
    assert kiosk.shell.plain("高拍仪") == "高拍仪"
    kiosk.shell.set_language("zh_CN")
    assert kiosk.shell.plain("高拍仪") == "拍照台"


# -- a receipt that did not print -----------------------------------------------------------------

def test_a_receipt_not_printed_leaves_the_number_large_and_read_aloud(loop, kiosk,
                                                                     asked_to_say):
    kiosk.shell.show(ReceiptStep("居住证申领", "张*三", NUMBER, False, "2026-11-23 10:42",
                                 "可凭回执二维码或受理编号在自助终端查询进度",
                                 f"ZWRC:{NUMBER}:K7Q2M9X4A1B3C5D6", printed=False,
                                 print_problem=tr("打印机没纸了，凭条没有打印好。")))
    screen = kiosk.window.current_screen
    assert isinstance(screen, ReceiptScreen)
    shown = texts(screen)
    assert "打印机没纸了，小票没有打印好。 请用手机拍下上面的编号和二维码" in shown
    assert "凭本" not in shown and "请在出纸口取走" not in shown
    assert screen.number.text() == "SL 2026 1123 0000 42"
    number_size = screen.number.fontInfo().pixelSize()
    others = [w.fontInfo().pixelSize() for w in screen.findChildren(QLabel)
              if w is not screen.number and w.text()]
    assert number_size > max(others), "the largest text on the screen"
    assert screen.qr.isVisible() and "请用手机拍下此码" in shown
    # read in standard mode too: the digits one by one, in groups of four
    assert "您的受理编号是：二零二六，一一二三，零零零零，四二。" in asked_to_say[-1]


def test_a_printed_receipt_is_not_read_in_standard_mode(loop, kiosk, asked_to_say):
    kiosk.shell.show(SAMPLES["receipt"])
    assert not hasattr(kiosk.window.current_screen, "number")
    assert asked_to_say == []


# -- the receipt-number keypad ------------------------------------------------------------------

def test_the_keypad_counts_the_digits_and_takes_no_more(qapp, qtbot):
    answers: list = []
    screen = screen_for(KeypadStep(tr("输入受理编号"), tr("请输入受理编号的数字"), digits=14),
                        STANDARD, answers.append)
    qtbot.addWidget(screen)
    screen.resize(1856, 800)
    screen.show()
    assert screen.count.text() == "共 14 位数字，已输入 0 位"
    for key in "2026112300":
        tap(qtbot, screen.keypad.keys[key])
    assert screen.count.text() == "共 14 位数字，已输入 10 位"
    for key in "004299":  # two too many
        tap(qtbot, screen.keypad.keys[key])
    assert screen.field.text() == "20261123000042"
    assert screen.count.text() == "共 14 位数字，已输入完整"
    tap(qtbot, screen.keypad.keys[BACKSPACE])
    assert screen.count.text() == "共 14 位数字，已输入 13 位"
    tap(qtbot, screen.keypad.keys["2"])
    tap(qtbot, buttons(screen)["确定"])
    assert answers == [Entered("20261123000042")]
