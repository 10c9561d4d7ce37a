"""自助申报 driven by a scripted person on simulated devices, against a platform fake."""

from __future__ import annotations

import base64

import pytest

from common.i18n import tr
from devices.camera.simulated import SimulatedDocumentCamera
from devices.printer.simulated import PAPER_OUT
from flows.declaration import CARD_TAKEN, DRAFT, declare
from flows.identity import PERSON
from flows.steps import (
    SCAN_DONE,
    SCAN_RETAKE,
    SCAN_SKIP,
    SUBMIT,
    Choose,
    Consented,
    ConsentStep,
    FormFilled,
    FormStep,
    IdentityStep,
    LiveFaceStep,
    MessageStep,
    Nav,
    Rated,
    ReceiptStep,
    ReviewStep,
    ScanStep,
    SignatureStep,
    Signed,
    SituationStep,
)
from tests.flows.kiosk_harness import CARDS, Kiosk
from tests.flows.scripted_ui import ScriptedUi, Wait

ALL = frozenset({"shared_data", "face", "materials"})
SIGNATURE = b"\x89PNG signature"


def render(text) -> str:
    return text if isinstance(text, str) else text.render()


def insert(kiosk: Kiosk, card: str = "resident") -> Wait:
    return Wait(lambda step: kiosk.id_reader.insert(CARDS[card]))


def place(kiosk: Kiosk, seed: int) -> Wait:
    return Wait(lambda step: kiosk.document_camera.place_page(seed))


def filled(**values) -> FormFilled:
    return FormFilled(values)


SS015_FORM = filled(mobile="13812345678", address="北京市朝阳区样例路9号", delivery="窗口领取")


def ss015_until_review(kiosk: Kiosk) -> list:
    """Card, face, 情形 (就业), consent, the form, two materials of one page each, signature."""
    return [
        insert(kiosk), Wait(),
        Choose("合法稳定就业证明"),
        Consented(ALL),
        SS015_FORM,
        place(kiosk, 24), Choose(SCAN_DONE),
        place(kiosk, 7), Choose(SCAN_DONE),
        Signed(SIGNATURE),
    ]


@pytest.fixture
def kiosk(seed_catalog) -> Kiosk:
    return Kiosk(ScriptedUi([]), seed_catalog,
                 document_camera=SimulatedDocumentCamera(fps=15, still_frames=4))


def test_residence_permit_from_card_to_receipt_and_rating(kiosk):
    service = kiosk.service("SS-015")
    kiosk.ui.script = [*ss015_until_review(kiosk), Choose(SUBMIT), Choose("next"), Rated(5),
                       Choose("home")]
    assert kiosk.run(declare, service) is None

    shown = kiosk.ui.shown
    identity = kiosk.ui.of_type(IdentityStep)[0]
    assert identity.methods == ("id_card", "qr_code") and identity.progress.number == 1
    (situation,) = kiosk.ui.of_type(SituationStep)
    assert situation.options == ("合法稳定就业证明", "合法稳定住所证明", "连续就读证明")
    form = kiosk.ui.of_type(FormStep)[0]
    views = {f.key: f for f in form.fields}
    assert views["name"].locked and views["name"].value == "张*"
    assert views["id_no"].locked and views["id_no"].value == "110***********0011"
    assert views["basis"].locked and views["basis"].value == "就业", "decided by the 情形 answer"
    assert not views["mobile"].locked and views["mobile"].input == "keypad"
    scans = kiosk.ui.of_type(ScanStep)
    assert [s.material for s in scans] == ["近期免冠证件照"] * 2 + ["合法稳定就业证明"] * 2
    assert [len(s.pages) for s in scans] == [0, 1, 0, 1]
    thumbnail = scans[1].pages[0]
    assert thumbnail[:2] == b"\xff\xd8" and len(thumbnail) < 60_000, "a small JPEG to show"
    assert not scans[0].may_skip and scans[2].may_skip, "the 三选一 material is 容缺"
    review = kiosk.ui.of_type(ReviewStep)[0]
    rows = {r.label: r.value for r in review.rows}
    assert rows["手机号码"] == "138****5678" and rows["申领条件"] == "就业"
    assert rows["居住地址"].startswith("北京市朝阳区") and "9号" not in rows["居住地址"]
    assert review.materials == (("近期免冠证件照", 1), ("合法稳定就业证明", 1))
    assert review.fee is None and not review.offline
    assert [s.progress.number for s in (situation, form, scans[0], review)] == [2, 4, 5, 7]
    assert review.progress.total == 7

    (submission,) = kiosk.platform.submissions
    assert submission.service_id == "SS-015" and submission.verification_id == "v-1"
    assert submission.evidence is None and submission.face is None, "verified online already"
    assert submission.applicant.id_number == CARDS["resident"].id_number
    assert submission.situations == {"basis": "合法稳定就业证明"}
    assert submission.form["basis"] == "就业" and submission.form["mobile"] == "13812345678"
    assert [(m.name, len(m.pages_jpeg_b64)) for m in submission.materials] == [
        ("近期免冠证件照", 1), ("合法稳定就业/合法稳定住所/连续就读证明（三选一）", 1)]
    page = base64.b64decode(submission.materials[0].pages_jpeg_b64[0])
    assert page[:2] == b"\xff\xd8", "pages go as JPEG"
    assert base64.b64decode(submission.signature_png_b64) == SIGNATURE
    assert submission.consent.face and submission.consent.materials

    receipt = kiosk.ui.of_type(ReceiptStep)[0]
    accepted_number = next(iter(kiosk.platform.applications))
    assert receipt.number == accepted_number and not receipt.pending and receipt.printed
    assert receipt.qr_text.startswith("ZWRC:" + accepted_number)
    printed = kiosk.receipt_printer.last_text()
    assert accepted_number in printed and "张*" in printed and "张三" not in printed
    assert kiosk.receipt_printer.receipts[-1].qr.payload == receipt.qr_text
    assert len(kiosk.receipt_printer.previews) == 1

    (rating,) = kiosk.platform.ratings
    assert rating.level == 5 and rating.acceptance_number == accepted_number
    assert sorted(kiosk.counts) == ["prints", "ratings", "services"]
    finish = shown[-1]
    assert isinstance(finish, MessageStep) and "请取走您的身份证" in render(finish.lines[-1])
    assert kiosk.session.get(PERSON) is None, "the person is forgotten when the flow ends"


def test_retake_removes_the_last_page(kiosk):
    service = kiosk.service("SS-015")
    kiosk.ui.script = [insert(kiosk), Wait(), Choose("连续就读证明"), Consented(ALL),
                       SS015_FORM, place(kiosk, 24), Choose(SCAN_RETAKE), place(kiosk, 31),
                       Choose(SCAN_DONE), Choose(SCAN_SKIP), Signed(SIGNATURE), Choose(SUBMIT),
                       Nav.HOME, Choose("home")]
    kiosk.run(declare, service)
    scans = kiosk.ui.of_type(ScanStep)
    assert [len(s.pages) for s in scans] == [0, 1, 0, 1, 0]
    (submission,) = kiosk.platform.submissions
    photo, chosen = submission.materials
    assert len(photo.pages_jpeg_b64) == 1
    assert chosen.missing_tolerated and chosen.pages_jpeg_b64 == [], "容缺: brought later"
    assert kiosk.ui.of_type(ReviewStep)[0].materials[1] == ("连续就读证明", 0)


def test_a_required_material_cannot_be_finished_without_a_page(seed_catalog):
    kiosk = Kiosk(ScriptedUi([]), seed_catalog)  # no document camera at all
    kiosk.ui.script = [insert(kiosk), Wait(), Choose("合法稳定住所证明"), Consented(ALL),
                       SS015_FORM, Choose(SCAN_DONE), Nav.HOME]
    kiosk.run(declare, kiosk.service("SS-015"))
    first, again = kiosk.ui.of_type(ScanStep)
    assert render(first.problem) == "高拍仪暂时无法使用"
    assert render(again.problem) == "请至少拍摄一页"
    assert kiosk.platform.submissions == []


def test_platform_down_at_submit_gives_a_pending_receipt_with_the_local_number(kiosk):
    service = kiosk.service("SS-015")

    def platform_goes_down(step):
        kiosk.platform.down = True
        return Choose(SUBMIT)

    kiosk.ui.script = [*ss015_until_review(kiosk), platform_goes_down, Choose("next"),
                       Rated(4), Choose("home")]
    kiosk.run(declare, service)
    receipt = kiosk.ui.of_type(ReceiptStep)[0]
    assert receipt.pending and receipt.number == "K01-000001" and receipt.qr_text is None
    printed = kiosk.receipt_printer.last_text()
    assert "待受理 · 网络恢复后自动提交" in printed and "K01-000001" in printed
    assert kiosk.receipt_printer.receipts[-1].qr is None
    (rating,) = kiosk.platform.ratings
    assert rating.local_number == "K01-000001" and rating.acceptance_number is None


def test_a_pending_receipt_not_printed_never_points_at_the_slip(kiosk):
    kiosk.receipt_printer.run_out_of_paper()

    def platform_goes_down(step):
        kiosk.platform.down = True
        return Choose(SUBMIT)

    kiosk.ui.script = [*ss015_until_review(kiosk), platform_goes_down, Choose("next"),
                       Choose("skip"), Choose("home")]
    kiosk.run(declare, kiosk.service("SS-015"))
    receipt = kiosk.ui.of_type(ReceiptStep)[0]
    assert receipt.pending and not receipt.printed
    assert render(receipt.next_steps) == "网络恢复后本机自动提交，受理后可凭这个编号查询办理进度。"
    # the slip that would have been printed still says 凭本凭条: it was not printed
    assert "凭本" not in render(receipt.next_steps)


def test_printer_out_of_paper_is_told_and_the_number_stays_on_screen(kiosk):
    kiosk.receipt_printer.run_out_of_paper()
    kiosk.ui.script = [*ss015_until_review(kiosk), Choose(SUBMIT), Choose("next"), Choose("skip"),
                       Choose("home")]
    kiosk.run(declare, kiosk.service("SS-015"))
    receipt = kiosk.ui.of_type(ReceiptStep)[0]
    # what happened, without a second instruction (the screen says to photograph the number)
    assert not receipt.printed
    assert render(receipt.print_problem) == "打印机没纸了，凭条没有打印好。"
    assert receipt.number == next(iter(kiosk.platform.applications))
    assert receipt.qr_text, "the code to photograph"
    assert len(kiosk.platform.submissions) == 1, "still submitted"
    assert kiosk.counts == ["services"], "nothing printed, nothing rated"
    assert kiosk.receipt_printer.health() == PAPER_OUT
    # no slip to take away, so none is asked for
    assert kiosk.ui.of_type(MessageStep)[-1].lines == (tr("请取走您的身份证或社保卡。"),)


def test_card_removed_mid_form_ends_the_visit_and_forgets_everything(seed_catalog):
    kiosk = Kiosk(ScriptedUi([]), seed_catalog)
    seen_person = []

    def take_card_away(step):
        seen_person.append(kiosk.session.get(PERSON))
        seen_person.append(kiosk.session.get(DRAFT))
        kiosk.id_reader.remove()

    kiosk.ui.script = [insert(kiosk), Wait(), Consented(ALL), Wait(take_card_away)]
    notice = kiosk.run(declare, kiosk.service("SS-026"))
    assert None not in seen_person, "the person and the draft were kept while filling in"
    assert isinstance(kiosk.ui.shown[-1], FormStep)
    assert notice == CARD_TAKEN
    assert kiosk.session.get(PERSON) is None and kiosk.session.get(DRAFT) is None
    assert kiosk.platform.submissions == []


def test_invalid_input_is_shown_per_field_and_the_values_are_kept(seed_catalog):
    kiosk = Kiosk(ScriptedUi([]), seed_catalog)
    wrong_check_digit = "110101199003070012"
    kiosk.ui.script = [insert(kiosk), Wait(), Consented(ALL),
                       filled(spouse_id_no=wrong_check_digit, child_order="一孩"),
                       filled(spouse_id_no="110101199003070011", child_order="一孩"),
                       Signed(SIGNATURE), Nav.HOME]
    kiosk.run(declare, kiosk.service("SS-026"))
    first, second = kiosk.ui.of_type(FormStep)
    assert first.fields[2].error is None
    spouse = {f.key: f for f in second.fields}["spouse_id_no"]
    assert render(spouse.error) == "公民身份号码有误，请核对后重新输入"
    assert spouse.value == wrong_check_digit, "what was typed is kept to correct"
    assert {f.key: f for f in second.fields}["child_order"].value == "一孩"
    assert isinstance(kiosk.ui.shown[-1], ReviewStep)


def test_phone_and_date_are_checked(seed_catalog):
    kiosk = Kiosk(ScriptedUi([]), seed_catalog)
    bad = filled(mobile="12812345678", last_employer="某某公司", separation_date="2026-13-01")
    kiosk.ui.script = [insert(kiosk), Wait(), Consented(ALL), bad, Nav.HOME]
    kiosk.run(declare, kiosk.service("SS-006"))
    errors = {f.key: render(f.error) for f in kiosk.ui.of_type(FormStep)[1].fields if f.error}
    assert errors == {"mobile": "请输入 11 位手机号码",
                      "separation_date": "请按“年-月-日”输入日期，例如 2026-01-31"}


def test_declining_the_face_ends_with_the_counter(seed_catalog):
    kiosk = Kiosk(ScriptedUi([]), seed_catalog)
    kiosk.ui.script = [insert(kiosk), Wait(), Choose("合法稳定就业证明"),
                       Consented(frozenset({"shared_data", "materials"})), Choose("home")]
    notice = kiosk.run(declare, kiosk.service("SS-015"))
    consent = kiosk.ui.of_type(ConsentStep)[0]
    assert {i.key for i in consent.items} == {"shared_data", "face", "materials"}
    message = kiosk.ui.shown[-1]
    assert isinstance(message, MessageStep) and "人脸" in render(message.lines[0])
    assert "服务台" in render(message.lines[1])
    assert not kiosk.ui.of_type(FormStep) and kiosk.platform.submissions == []
    assert notice is not None and kiosk.session.get(PERSON) is None


def test_declining_materials_that_the_service_needs_ends_with_the_counter(seed_catalog):
    kiosk = Kiosk(ScriptedUi([]), seed_catalog)
    kiosk.ui.script = [insert(kiosk), Wait(), Choose("合法稳定就业证明"),
                       Consented(frozenset({"shared_data", "face"})), Choose("home")]
    kiosk.run(declare, kiosk.service("SS-015"))
    assert "拍摄的材料" in render(kiosk.ui.shown[-1].lines[0])


def test_an_online_only_service_while_offline_is_refused_before_anything(seed_catalog):
    kiosk = Kiosk(ScriptedUi([Choose("home")]), seed_catalog)
    kiosk.status.online = False
    kiosk.run(declare, kiosk.service("SS-003"))
    (message,) = kiosk.ui.shown
    assert "需要联网办理" in render(message.lines[0])


def test_offline_verification_queues_with_evidence_and_face(seed_catalog):
    """Platform down at verify, for a service that may be queued: go on, send the evidence."""
    kiosk = Kiosk(ScriptedUi([]), seed_catalog)
    kiosk.platform.down = True
    kiosk.ui.script = [insert(kiosk), Wait(), Consented(ALL),
                       filled(spouse_id_no="110101199003070011", child_order="二孩"),
                       Signed(SIGNATURE), Choose(SUBMIT), Choose("next"), Choose("skip"),
                       Choose("home")]
    kiosk.run(declare, kiosk.service("SS-026"))
    assert kiosk.ui.of_type(ReviewStep)[0].offline
    (submission,) = kiosk.platform.submissions
    assert submission.verification_id is None
    assert submission.evidence.kind == "id_card" and submission.evidence.dedicated_reader
    assert submission.face is not None and submission.face.liveness_passed
    assert kiosk.ui.of_type(ReceiptStep)[0].pending


def test_signature_is_required(seed_catalog):
    kiosk = Kiosk(ScriptedUi([]), seed_catalog)
    kiosk.ui.script = [insert(kiosk), Wait(), Consented(ALL),
                       filled(spouse_id_no="110101199003070011", child_order="一孩"),
                       Signed(b""), Nav.HOME]
    kiosk.run(declare, kiosk.service("SS-026"))
    first, again = kiosk.ui.of_type(SignatureStep)
    assert first.problem is None and render(again.problem) == "请在签名区内签名"


def test_back_from_the_form_returns_to_consent_with_values_kept(seed_catalog):
    kiosk = Kiosk(ScriptedUi([]), seed_catalog)
    kiosk.ui.script = [insert(kiosk), Wait(), Consented(ALL), Nav.BACK, Consented(ALL),
                       lambda step: Nav.HOME]
    kiosk.run(declare, kiosk.service("SS-026"))
    assert [type(s) for s in kiosk.ui.shown[-4:]] == [ConsentStep, FormStep, ConsentStep,
                                                      FormStep]


def test_the_fee_is_shown_with_where_to_pay(kiosk):
    kiosk.ui.script = [insert(kiosk), Wait(), Consented(ALL),
                       filled(mobile="13812345678", delivery="窗口领取"),
                       place(kiosk, 24), Choose(SCAN_DONE), Signed(SIGNATURE), Nav.HOME]
    kiosk.run(declare, kiosk.service("SS-022"))
    review = kiosk.ui.shown[-1]
    assert isinstance(review, ReviewStep)
    assert render(review.fee) == "10 元：提交后可在本机缴纳（微信、支付宝），也可以稍后缴纳"
    assert review.progress.total == 7, "the fee is a step of its own"


def test_offline_the_fee_is_paid_at_the_counter(kiosk):
    kiosk.status.online = False
    kiosk.ui.script = [insert(kiosk), Wait(), Consented(ALL),
                       filled(mobile="13812345678", delivery="窗口领取"),
                       place(kiosk, 24), Choose(SCAN_DONE), Signed(SIGNATURE), Nav.HOME]
    kiosk.run(declare, kiosk.service("SS-022"))
    review = kiosk.ui.shown[-1]
    assert isinstance(review, ReviewStep) and review.offline
    assert render(review.fee) == "10 元：网络中断，本机暂不能缴费，提交后请到收费窗口缴纳"
    assert review.progress.total == 6


def test_identity_screen_shows_the_face_step_for_the_person(seed_catalog):
    kiosk = Kiosk(ScriptedUi([]), seed_catalog)
    kiosk.ui.script = [insert(kiosk), Wait(), Nav.HOME]
    kiosk.run(declare, kiosk.service("SS-026"))
    face = kiosk.ui.of_type(LiveFaceStep)[0]
    assert face.masked_name == "张*" and not face.elderly
