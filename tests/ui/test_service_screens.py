"""Issue 6's screens as a person meets them: what is shown, and what tapping answers."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QLabel, QPushButton

from common.i18n import tr
from flows.steps import (
    SCAN_DONE,
    SCAN_RETAKE,
    SCAN_SKIP,
    SKIP,
    Choice,
    Choose,
    Consented,
    Entered,
    FieldView,
    FormFilled,
    FormStep,
    KeypadStep,
    MessageStep,
    Progress,
    Rated,
    ScanStep,
    SignatureStep,
    Signed,
)
from tests.ui.conftest import buttons, texts
from ui.payment_samples import payment_steps
from ui.sample_steps import sample_steps
from ui.screens import screen_for
from ui.shell import Shell
from ui.style import style_sheet
from ui.tokens import ELDER, STANDARD
from ui.window import KioskWindow

SAMPLES = dict(sample_steps())


@pytest.fixture
def show(qapp, qtbot):
    """Shows a step's screen at the kiosk's size and records what the person answers."""
    answers: list = []
    qapp.setStyleSheet(style_sheet(STANDARD))

    def _show(step, tokens=STANDARD):
        screen = screen_for(step, tokens, answers.append)
        qtbot.addWidget(screen)
        screen.resize(1856, 800)
        screen.show()
        return screen

    _show.answers = answers
    return _show


def tap(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def turn_to(qtbot, screen, widget) -> None:
    """The form's pages turned with 下一页 until `widget` shows, as a person would (fields come
    in the order they are filled in)."""
    for _ in range(screen.pages.count):
        if widget.isVisible():
            break
        tap(qtbot, screen.next_button)
    assert widget.isVisible(), "the field is on no page the form turns to"


def tap_on_its_page(qtbot, screen, widget) -> None:
    turn_to(qtbot, screen, widget)
    tap(qtbot, widget)


def type_chinese(widget, text: str) -> None:
    """What a pinyin input method (Qt Virtual Keyboard) does: commit the chosen words."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def keys(screen):
    return screen.keypad.keys


def test_the_keypad_types_into_the_tapped_field_and_the_form_sends_it(show, qtbot):
    screen = show(FormStep("居住证申领", (
        FieldView("name", "姓名", "text", True, True, value="张*三"),
        FieldView("id_no", "公民身份号码", "keypad", True, True, value="110***********123X"),
        FieldView("mobile", "手机号码", "keypad", True, False),
        FieldView("guardian_id", "监护人身份证号", "keypad", False, False),
    ), Progress(5, 7)))
    assert "第 5 步，共 7 步" in texts(screen)
    # locked fields are shown as they came (masked) and cannot be typed into
    assert "张*三" in texts(screen) and "110***********123X" in texts(screen)
    assert [f.key for f, _ in screen.keypad_fields] == ["mobile", "guardian_id"]
    assert not keys(screen)["X"].isVisible()  # a phone number has no X
    for digit in "13812345679":
        tap(qtbot, keys(screen)[digit])
    tap(qtbot, keys(screen)["⌫"])
    tap(qtbot, keys(screen)["8"])
    guardian = screen.keypad_fields[1][1]
    tap(qtbot, guardian)
    assert keys(screen)["X"].isVisible()  # an ID number may end in X
    for key in "11010519491231002X":
        tap(qtbot, keys(screen)[key])
    tap(qtbot, screen.next_button)
    assert show.answers == [FormFilled({"mobile": "13812345678",
                                        "guardian_id": "11010519491231002X"})]


def test_a_long_form_in_elder_mode_comes_in_pages_that_say_what_is_left(show, qtbot):
    screen = show(SAMPLES["form"], ELDER)
    pages = screen.pages
    assert pages.count > 1
    frames = {key: widget.parentWidget() for key, widget in screen.inputs.items()}
    seen: list[str] = []
    for page in range(pages.count):
        shown = [key for key, frame in frames.items() if frame.isVisible()]
        assert shown and not set(shown) & set(seen)  # each field on one page only
        seen += shown
        left = len(frames) - len(seen)
        if left:
            assert screen.more.text().endswith(f"后面还有 {left} 项") and screen.more.isVisible()
            assert screen.next_button.text() == "下一页"
        else:
            assert screen.next_button.text() == "下一步" and not screen.more.isVisible()
        if page:
            assert screen.previous_button.isVisible()
        tap(qtbot, screen.next_button)
    assert sorted(seen) == sorted(frames)
    assert len(show.answers) == 1  # 下一步 on the last page answers the flow


def test_clear_empties_the_field(show, qtbot):
    screen = show(FormStep("x", (FieldView("mobile", "手机号码", "keypad", True, False,
                                           value="138"),)))
    tap(qtbot, keys(screen)["clear"])
    tap(qtbot, screen.next_button)
    assert show.answers == [FormFilled({"mobile": ""})]


def test_an_error_shows_in_red_under_its_own_field(show):
    screen = show(FormStep("x", (
        FieldView("mobile", "手机号码", "keypad", True, False, value="1381234567",
                  error=tr("请输入11位手机号码")),
        FieldView("address", "居住地址", "text", True, False, value="朝阳区"),
    )))
    error = next(w for w in screen.findChildren(QLabel) if w.objectName() == "Error")
    assert error.text() == "请输入11位手机号码" and error.isVisible()
    field = screen.inputs["mobile"]
    assert error.parent() is field.parent()  # in the mobile field's block, not the address's
    assert error.mapTo(screen, QPoint(0, 0)).y() > field.mapTo(screen, QPoint(0, 0)).y()
    assert error.mapTo(screen, QPoint(0, 0)).y() < (
        screen.inputs["address"].mapTo(screen, QPoint(0, 0)).y())


def test_dates_choices_and_text_are_answered_without_a_keyboard_for_dates(show, qtbot):
    screen = show(FormStep("x", (
        FieldView("since", "来本市日期", "date", True, False, value="2025-03-31"),
        FieldView("period", "租期", "date_range", True, False,
                  value=("2025-03-01", "2026-02-28")),
        FieldView("basis", "申领条件", "radio", True, False, ("就业", "住所", "就读")),
        FieldView("notify", "通知方式", "checkbox", False, False, ("短信", "电话")),
        FieldView("address", "居住地址", "text", True, False),
        FieldView("born", "出生日期", "date", False, False),
    )))
    since = screen.inputs["since"]
    tap_on_its_page(qtbot, screen, since.steppers["month"][0])  # 31 March → April has 30 days
    period = screen.inputs["period"].findChildren(type(since))
    tap_on_its_page(qtbot, screen, period[1].steppers["year"][0])
    options = {b.property("option"): b for b in screen.findChildren(QPushButton)
               if b.property("option")}  # on this page or a later one
    tap_on_its_page(qtbot, screen, options["住所"])
    tap_on_its_page(qtbot, screen, options["就读"])  # one of: the last tap wins
    tap_on_its_page(qtbot, screen, options["短信"])
    tap_on_its_page(qtbot, screen, options["电话"])
    tap_on_its_page(qtbot, screen, options["短信"])  # ticked off again
    turn_to(qtbot, screen, screen.inputs["address"])
    type_chinese(screen.inputs["address"], "建国路88号")
    for _ in range(screen.pages.count):  # 下一页 to the last page, then 下一步
        if show.answers:
            break
        tap(qtbot, screen.next_button)
    assert show.answers == [FormFilled({
        "since": "2025-04-30", "period": ("2025-03-01", "2027-02-28"), "basis": "就读",
        "notify": ("电话",), "address": "建国路88号",
        "born": "",  # an untouched empty date stays empty, not today
    })]


def test_the_signature_pad_refuses_an_empty_pad_and_gives_a_png_after_a_stroke(show, qtbot):
    screen = show(SignatureStep("居住证申领", progress=Progress(7, 7)))
    tap(qtbot, screen.confirm_button)
    assert show.answers == []
    assert "请先在框内签名" in texts(screen)
    pad = screen.pad
    qtbot.mousePress(pad, Qt.MouseButton.LeftButton, pos=QPoint(100, 100))
    for x in range(110, 400, 10):
        qtbot.mouseMove(pad, QPoint(x, 100 + (x % 60)))
    qtbot.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=QPoint(400, 120))
    tap(qtbot, screen.clear_button)  # 清除 really clears
    tap(qtbot, screen.confirm_button)
    assert show.answers == []
    qtbot.mousePress(pad, Qt.MouseButton.LeftButton, pos=QPoint(100, 100))
    for x in range(110, 400, 10):
        qtbot.mouseMove(pad, QPoint(x, 100 + (x % 60)))
    qtbot.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=QPoint(400, 120))
    tap(qtbot, screen.confirm_button)
    assert len(show.answers) == 1 and isinstance(show.answers[0], Signed)
    png = show.answers[0].png
    assert png.startswith(b"\x89PNG")
    image = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_GRAYSCALE)
    # cropped to the ink: about the stroke's 300 px, with dark ink on white
    assert 300 <= image.shape[1] <= 360
    assert (image < 100).sum() > 300 and image[0, 0] == 255


def test_consent_starts_with_nothing_agreed_and_sends_what_was_ticked(show, qtbot):
    screen = show(SAMPLES["consent"])
    assert screen.granted() == frozenset()
    tap(qtbot, screen.toggles["face"])
    assert "☑ 已同意" in buttons(screen)
    tap(qtbot, buttons(screen)["确认并继续"])
    tap(qtbot, buttons(screen)["不同意"])
    assert show.answers == [Consented(frozenset({"face"})), Consented(frozenset())]


def test_scan_offers_retake_and_done_once_a_page_is_taken_and_skip_only_when_allowed(
        show, qtbot):
    first = show(ScanStep("劳动合同", (), may_skip=False))
    assert set(buttons(first)) & {"重拍上一页", "完成，下一步", "暂无此材料（容缺）"} == set()
    assert "已拍摄 0 页" in texts(first)
    screen = show(SAMPLES["scan"])
    assert "已拍摄 2 页" in texts(screen)
    assert len(screen.thumbnails) == 2 and not screen.thumbnails[0].pixmap().isNull()
    for text in ("重拍上一页", "暂无此材料（容缺）", "完成，下一步"):
        tap(qtbot, buttons(screen)[text])
    assert show.answers == [Choose(SCAN_RETAKE), Choose(SCAN_SKIP), Choose(SCAN_DONE)]


def _decode(widget) -> str:
    image = widget.grab().toImage().convertToFormat(widget.grab().toImage().Format.Format_RGB888)
    array = np.frombuffer(image.constBits(), np.uint8).reshape(
        image.height(), image.bytesPerLine())[:, :image.width() * 3].reshape(
        image.height(), image.width(), 3)
    text, _points, _ = cv2.QRCodeDetector().detectAndDecode(np.ascontiguousarray(array))
    return text


def test_the_receipt_shows_the_number_and_a_qr_a_scanner_reads(show):
    screen = show(SAMPLES["receipt"])
    shown = texts(screen)
    assert "SL20261123000042" in shown and "张*三" in shown and "已受理" in shown
    assert "待受理" not in shown
    assert _decode(screen.qr) == "ZWRC:SL20261123000042:K7Q2M9X4A1B3C5D6"


def test_a_pending_receipt_says_waiting_and_that_it_was_not_printed(show):
    shown = texts(show(SAMPLES["receipt-pending"]))
    assert "待受理 · 网络恢复后自动提交" in shown and "本机编号" in shown
    assert "打印机没纸了，凭条没有打印好。" in shown and "凭本" not in shown


def test_evaluation_one_tap_for_good_and_reasons_for_the_two_lowest(show, qtbot):
    screen = show(SAMPLES["evaluation"])
    assert not screen.reasons_box.isVisible()
    tap(qtbot, screen.levels[4])
    assert show.answers == [Rated(4)]
    tap(qtbot, screen.levels[2])
    assert len(show.answers) == 1 and screen.reasons_box.isVisible()
    assert not screen.levels[5].isVisible() and "您的评价：不满意" in texts(screen)
    tap(qtbot, buttons(screen)["重新选择"])  # back to the faces, nothing sent
    assert screen.levels[5].isVisible() and len(show.answers) == 1
    tap(qtbot, screen.levels[2])
    tap(qtbot, next(b for b in screen.reasons if "操作复杂" in b.text()))
    tap(qtbot, screen.submit_button)
    tap(qtbot, buttons(screen)["跳过"])
    assert show.answers[1:] == [Rated(2, ("操作复杂",)), Choose(SKIP)]


def test_keypad_entry_sends_what_was_typed(show, qtbot):
    screen = show(KeypadStep(tr("输入受理编号"), tr("受理编号印在回执上"), "20261123",
                             tr("未找到该受理编号，请核对后重试")))
    assert "未找到该受理编号，请核对后重试" in texts(screen)
    for key in "0042":
        tap(qtbot, screen.keypad.keys[key])
    tap(qtbot, buttons(screen)["确定"])
    assert show.answers == [Entered("202611230042")]


def test_progress_shows_the_latest_status_first_and_prints_documents(show, qtbot):
    screen = show(SAMPLES["progress"])
    shown = texts(screen)
    assert shown.index("在办    2026-11-24 09:15") < shown.index("已受理    2026-11-23 10:42")
    assert "朝阳分局户政科审核中" in shown and "SL20261123000042" in shown
    tap(qtbot, buttons(screen)["打印：参保登记证明"])
    assert show.answers == [Choose("DOC-1")]


def test_message_choices_answer_their_keys(show, qtbot):
    screen = show(MessageStep(tr("人脸比对未通过"), (tr("请重新拍照"),),
                              (Choice("retry", tr("重新拍照"), primary=True),
                               Choice("staff", tr("呼叫工作人员"))), "error"))
    assert "人脸比对未通过" in texts(screen)
    tap(qtbot, buttons(screen)["呼叫工作人员"])
    assert show.answers == [Choose("staff")]


def test_identity_shows_each_method_and_tapping_one_chooses_it(show, qtbot):
    screen = show(SAMPLES["identity"])
    shown = texts(screen)
    for words in ("请将身份证平放在读卡区", "社保卡", "二维码", "未能读取证件", "第 1 步，共 7 步"):
        assert words in shown
    choose = [b for b in screen.findChildren(QPushButton) if b.text() == "用这种方式"]
    assert len(choose) == 3
    tap(qtbot, choose[2])
    assert show.answers == [Choose("qr_code")]


def test_the_busy_spinner_turns_while_the_flow_works(show, qtbot):
    screen = show(SAMPLES["busy"])
    start = screen.spinner.angle
    qtbot.waitUntil(lambda: screen.spinner.angle != start, timeout=30_000)
    assert "正在核验身份" in texts(screen)


# the service path's screens and the payment screens (ui.payment_samples)
EVERY_SCREEN = {**SAMPLES, **dict(payment_steps())}


@pytest.mark.parametrize("name", list(EVERY_SCREEN))
def test_every_screen_fits_the_kiosk_screen_in_both_modes(qapp, qtbot, name):
    window = KioskWindow("朝阳区政务服务中心")
    qtbot.addWidget(window)
    shell = Shell(qapp, window, "zh_CN")
    window.resize(1920, 1080)
    window.show()
    for elder in (False, True):
        shell.set_elder_mode(elder)
        shell.show(EVERY_SCREEN[name])
        qapp.processEvents()
        needed = window.minimumSizeHint()
        assert needed.height() <= 1080 and needed.width() <= 1920, (elder, needed)
        assert window.current_screen.height() >= window.current_screen.minimumSizeHint().height()
    assert ELDER.font_body > STANDARD.font_body


def test_the_reasons_for_a_low_rating_fit_the_screen_in_elder_mode(qapp, qtbot):
    window = KioskWindow("朝阳区政务服务中心")
    qtbot.addWidget(window)
    shell = Shell(qapp, window, "zh_CN")
    window.resize(1920, 1080)
    window.show()
    shell.set_elder_mode(True)
    shell.show(SAMPLES["evaluation"])
    window.current_screen.pick(1)
    qapp.processEvents()
    assert window.current_screen.reasons_box.isVisible()
    assert window.minimumSizeHint().height() <= 1080
