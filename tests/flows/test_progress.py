"""进度查询: by the receipt's QR code, by the acceptance number, by ID card; results on A4."""

from __future__ import annotations

import pytest

from central.contract import ApplicationProgress, ProgressEvent, receipt_code
from devices.printer.simulated import PAPER_OUT
from flows.progress import BY_CARD, BY_NUMBER, look_up_progress
from flows.steps import Choose, Entered, KeypadStep, MessageStep, Nav, ProgressStep
from tests.flows.kiosk_harness import CARDS, NOW, Kiosk
from tests.flows.scripted_ui import ScriptedUi, Wait

NUMBER = "SL20260115000042"  # as the platform numbers them: SL and 14 digits


def render(text) -> str:
    return text if isinstance(text, str) else text.render()


@pytest.fixture
def kiosk(seed_catalog) -> Kiosk:
    kiosk = Kiosk(ScriptedUi([]), seed_catalog)
    kiosk.platform.applications[NUMBER] = ApplicationProgress(
        acceptance_number=NUMBER, service_id="SS-015", service_name="居住证申领",
        applicant_masked="张*", submitted_at=NOW, status="补齐补正",
        timeline=[ProgressEvent(status="已受理", at=NOW),
                  ProgressEvent(status="补齐补正", at=NOW, note="请补交居住登记证明")])
    kiosk.platform.by_holder[CARDS["resident"].id_number] = [NUMBER]
    return kiosk


def scan(kiosk: Kiosk, text: str) -> Wait:
    return Wait(lambda step: kiosk.code_scanner.scan(text))


def test_by_the_receipt_qr_code(kiosk):
    kiosk.ui.script = [scan(kiosk, receipt_code(NUMBER, "sig" + NUMBER)), Nav.HOME]
    kiosk.run(look_up_progress)
    (shown,) = kiosk.ui.of_type(ProgressStep)
    (application,) = shown.applications
    assert application.number == NUMBER and application.status == "补齐补正"
    assert [e.status for e in application.timeline] == ["已受理", "补齐补正"]
    assert application.timeline[-1].note == "请补交居住登记证明"
    assert application.masked_name == "张*"
    assert kiosk.counts == ["services"]


def test_a_tampered_receipt_code_is_refused(kiosk):
    kiosk.ui.script = [scan(kiosk, receipt_code(NUMBER, "forged")), Choose("back"), Nav.HOME]
    kiosk.run(look_up_progress)
    assert not kiosk.ui.of_type(ProgressStep)
    assert render(kiosk.ui.of_type(MessageStep)[1].title) == "回执核验未通过"


def test_a_code_that_is_not_a_receipt_says_so(kiosk):
    kiosk.ui.script = [scan(kiosk, "https://example.com/pay?id=1"), Choose("back"), Nav.HOME]
    kiosk.run(look_up_progress)
    assert render(kiosk.ui.of_type(MessageStep)[1].title) == "这不是办件回执上的二维码"


def test_by_number_digits_only_a_wrong_count_told_before_asking_the_platform(kiosk):
    digits = NUMBER.removeprefix("SL")
    asked: list[str] = []
    progress = kiosk.platform.progress

    async def counted(number):
        asked.append(number)
        return await progress(number)

    kiosk.platform.progress = counted
    kiosk.ui.script = [Choose(BY_NUMBER), Entered(digits[:10]), Entered("20269999999999"),
                       Entered(digits), Nav.HOME]
    kiosk.run(look_up_progress)
    first, short, unknown = kiosk.ui.of_type(KeypadStep)
    assert first.error is None and first.digits == 14
    assert render(first.hint) == "请输入小票上“受理编号”的数字，共 14 位，前面的字母不用输入。"
    assert render(short.error) == "受理编号共 14 位数字，您输入了 10 位，还少 4 位。"
    assert short.value == digits[:10], "the digits typed are kept to finish"
    assert render(unknown.error) == ("没有找到编号为 20269999999999 的办件，"
                                     "请对照小票核对每一位数字。")
    # 10 digits were never sent; the prefix was added to each number that was
    assert asked == ["SL20269999999999", NUMBER]
    assert kiosk.ui.of_type(ProgressStep)[0].applications[0].number == NUMBER


@pytest.mark.parametrize(("typed", "told"), [
    ("", "请输入受理编号的数字，共 14 位。"),
    ("202601150000421", "受理编号共 14 位数字，您输入了 15 位，多了 1 位。"),
])
def test_by_number_nothing_or_too_many_digits_is_told(kiosk, typed, told):
    kiosk.ui.script = [Choose(BY_NUMBER), Entered(typed), Nav.HOME, Nav.HOME]
    kiosk.run(look_up_progress)
    assert render(kiosk.ui.of_type(KeypadStep)[1].error) == told


def test_a_number_typed_with_its_prefix_is_found_too(kiosk):
    kiosk.ui.script = [Choose(BY_NUMBER), Entered(f" {NUMBER.lower()} "), Nav.HOME]
    kiosk.run(look_up_progress)
    assert kiosk.ui.of_type(ProgressStep)[0].applications[0].number == NUMBER


def test_by_id_card_shows_the_holders_applications(kiosk):
    kiosk.ui.script = [Choose(BY_CARD), Wait(lambda step: kiosk.id_reader.insert(
        CARDS["resident"])), Wait(), Nav.HOME]
    notice = kiosk.run(look_up_progress)
    assert [a.number for a in kiosk.ui.of_type(ProgressStep)[0].applications] == [NUMBER]
    assert kiosk.session.get("person") is None, "forgotten after the lookup"
    assert "取走" in render(notice)


def test_offline_says_progress_needs_the_platform(kiosk):
    kiosk.platform.down = True
    kiosk.ui.script = [Choose(BY_NUMBER), Entered(NUMBER), Choose("back"), Nav.HOME]
    kiosk.run(look_up_progress)
    told = kiosk.ui.of_type(MessageStep)[1]
    assert render(told.title) == "暂时无法查询" and "连不上" in render(told.lines[0])
    assert not kiosk.ui.of_type(ProgressStep)


def test_a_finished_applications_document_prints_on_a4(kiosk):
    kiosk.platform.finished(NUMBER)
    kiosk.ui.script = [Choose(BY_NUMBER), Entered(NUMBER),
                       lambda step: Choose(step.applications[0].documents[0].key),
                       Choose("back"), Nav.HOME]
    kiosk.run(look_up_progress)
    application = kiosk.ui.of_type(ProgressStep)[0].applications[0]
    assert application.status == "办结" and application.documents[0].label == "居住证领取通知"
    assert render(kiosk.ui.of_type(MessageStep)[1].title) == "打印完成"
    (printed,) = kiosk.a4_printer.previews
    assert printed.preview.startswith(b"%PDF-")
    assert kiosk.counts == ["services", "prints"]


def test_an_a4_printer_out_of_paper_is_told(kiosk):
    kiosk.platform.finished(NUMBER)
    kiosk.a4_printer.set_health(PAPER_OUT)
    kiosk.ui.script = [Choose(BY_NUMBER), Entered(NUMBER),
                       lambda step: Choose(step.applications[0].documents[0].key),
                       Choose("back"), Nav.HOME]
    kiosk.run(look_up_progress)
    told = kiosk.ui.of_type(MessageStep)[1]
    assert render(told.title) == "未能打印" and "缺纸" in render(told.lines[0])
    assert "prints" not in kiosk.counts
