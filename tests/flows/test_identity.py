"""人证核验: cards, codes, the live face, the platform's answer, and every way it goes wrong."""

from __future__ import annotations

import asyncio

from central.contract import Verification
from devices.camera.face import FaceCaptureFailed
from devices.camera.simulated import SimulatedFaceCamera
from devices.sscard.simulator import sample_card
from flows.identity import PERSON, verify_identity
from flows.steps import BusyStep, Choose, IdentityStep, LiveFaceStep, MessageStep, Nav
from kiosk.identity import EvidenceSource, from_qr_code
from kiosk.platform_client import PlatformError, PlatformErrorKind
from tests.flows.kiosk_harness import CARDS, NOW, Kiosk, face_capture
from tests.flows.scripted_ui import ScriptedUi, Wait

MISMATCH = Verification(verified=False, level=0, failure="FACE_MISMATCH")


def render(text) -> str:
    return text if isinstance(text, str) else text.render()


def insert(kiosk: Kiosk, card: str = "resident") -> Wait:
    return Wait(lambda step: kiosk.id_reader.insert(CARDS[card]))


def messages(kiosk: Kiosk) -> list[str]:
    return [" ".join(render(line) for line in s.lines) for s in kiosk.ui.of_type(MessageStep)]


def test_an_id_card_and_a_live_face_verified_at_level_5(seed_catalog):
    kiosk = Kiosk(ScriptedUi([]), seed_catalog)
    kiosk.ui.script = [insert(kiosk), Wait()]
    person = kiosk.run(verify_identity, kiosk.service("SS-015"))
    assert person.level == 5 and person.masked_name == "张*"
    assert kiosk.session.get(PERSON) is person
    (request,) = kiosk.platform.verification_requests
    assert request.evidence.kind == "id_card" and request.evidence.dedicated_reader
    assert request.face.liveness_passed and request.required_level == 4
    assert kiosk.face_camera.asked_liveness == [True]
    assert person.prefill() == {"name": "张三", "id_no": "110101199003070011",
                                "address": "北京市东城区示范路1号", "sex": "男",
                                "birth_date": "1990-03-07", "nation": "汉"}
    assert [type(s) for s in kiosk.ui.shown] == [IdentityStep, LiveFaceStep, BusyStep]


def test_face_mismatch_retry_then_another_method_then_staff(seed_catalog):
    kiosk = Kiosk(ScriptedUi([]), seed_catalog)
    kiosk.platform.verdicts = [MISMATCH, MISMATCH, MISMATCH]
    kiosk.ui.script = [
        insert(kiosk), Wait(), Choose("retry"),  # the same card, the face again
        Wait(), Choose("other"),  # back to the identity screen
        Wait(lambda step: kiosk.ss_reader.insert(sample_card())), Wait(),
        Choose("staff"), Choose("home"),
    ]
    assert kiosk.run(verify_identity, kiosk.service("SS-005")) is None
    kinds = [r.evidence.kind for r in kiosk.platform.verification_requests]
    assert kinds == ["id_card", "id_card", "ss_card"]
    failures = kiosk.ui.of_type(MessageStep)
    assert [render(f.title) for f in failures[:3]] == ["身份核验未通过"] * 3
    assert "人脸与证件不一致" in render(failures[0].lines[0])
    assert [c.key for c in failures[0].choices] == ["retry", "other", "staff"]
    assert "服务台" in messages(kiosk)[-1]
    assert len(kiosk.ui.of_type(IdentityStep)) == 2
    assert kiosk.ui.of_type(IdentityStep)[1].methods == ("id_card", "ss_card")
    assert kiosk.session.get(PERSON) is None


def test_aged_60_plus_face_is_captured_without_a_blink_and_the_check_is_relaxed(seed_catalog):
    kiosk = Kiosk(ScriptedUi([]), seed_catalog)
    kiosk.ui.script = [insert(kiosk, "elder"), Wait()]
    person = kiosk.run(verify_identity, kiosk.service("SS-015"))
    assert kiosk.ui.of_type(LiveFaceStep)[0].elderly
    assert kiosk.face_camera.asked_liveness == [False]
    request = kiosk.platform.verification_requests[0]
    assert request.elderly_relaxed and request.face is not None
    assert person.verification.elderly_relaxed_applied


def test_aged_60_plus_where_the_face_is_the_point_must_blink(seed_catalog):
    kiosk = Kiosk(ScriptedUi([]), seed_catalog)
    kiosk.ui.script = [insert(kiosk, "elder"), Wait()]
    kiosk.run(verify_identity, kiosk.service("SS-005"))  # 养老金资格认证: not relaxed
    assert not kiosk.ui.of_type(LiveFaceStep)[0].elderly
    assert kiosk.face_camera.asked_liveness == [True]
    assert not kiosk.platform.verification_requests[0].elderly_relaxed


def test_the_real_simulated_face_camera_captures_an_elder_without_a_blink(seed_catalog):
    camera = SimulatedFaceCamera(auto_blink=False)
    camera.show_face()
    kiosk = Kiosk(ScriptedUi([]), seed_catalog, face_camera=camera)
    kiosk.ui.script = [insert(kiosk, "elder"), Wait()]
    try:
        person = kiosk.run(verify_identity, kiosk.service("SS-015"))
    finally:
        camera.stop()
    assert person.face is not None and person.face.liveness == "not_required"
    sample = kiosk.platform.verification_requests[0].face
    assert 0 < sample.quality <= 1 and not sample.liveness_passed


def test_an_expired_card_and_an_unreadable_card_are_told_on_the_identity_screen(seed_catalog):
    kiosk = Kiosk(ScriptedUi([]), seed_catalog)
    kiosk.ui.script = [insert(kiosk, "hmt_residence"),
                       Wait(lambda step: kiosk.id_reader.fail_read()),
                       Nav.HOME]
    assert kiosk.run(verify_identity, kiosk.service("SS-015")) is None
    first, expired, unreadable = kiosk.ui.of_type(IdentityStep)
    assert first.problem is None
    assert "证件已过期" in render(expired.problem)
    assert "读取" in render(unreadable.problem) or "读" in render(unreadable.problem)
    assert kiosk.platform.verification_requests == []


def test_a_citizen_qr_code_is_resolved_by_the_platform(seed_catalog):
    kiosk = Kiosk(ScriptedUi([]), seed_catalog)
    kiosk.ui.script = [Wait(lambda step: kiosk.code_scanner.scan("CTID:8f2a9c-one-time")), Wait()]
    person = kiosk.run(verify_identity, kiosk.service("SS-015"))
    request = kiosk.platform.verification_requests[0]
    assert request.evidence.kind == "qr_code" and request.evidence.code == "CTID:8f2a9c-one-time"
    assert request.evidence.name == "" and not request.evidence.dedicated_reader
    assert person.name == "王五" and person.masked_name == "王*"
    assert person.prefill()["id_no"] == "110101199003070011"
    assert not person.from_card


def test_a_receipt_code_at_the_identity_screen_is_not_taken_for_an_identity(seed_catalog):
    kiosk = Kiosk(ScriptedUi([]), seed_catalog)
    kiosk.ui.script = [Wait(lambda step: kiosk.code_scanner.scan("ZWRC:2026015000001:abc")),
                       Nav.BACK]
    assert kiosk.run(verify_identity, kiosk.service("SS-015")) is None
    assert "不是身份二维码" in render(kiosk.ui.of_type(IdentityStep)[1].problem)


def test_platform_down_for_an_online_only_service_sends_the_person_to_staff(seed_catalog):
    kiosk = Kiosk(ScriptedUi([]), seed_catalog)
    kiosk.platform.down = True
    kiosk.ui.script = [insert(kiosk), Wait(), Choose("home")]
    assert kiosk.run(verify_identity, kiosk.service("SS-003")) is None
    assert "需要联网核验身份" in messages(kiosk)[-1]


def test_platform_down_for_a_queueable_service_goes_on_unverified(seed_catalog):
    kiosk = Kiosk(ScriptedUi([]), seed_catalog)
    kiosk.platform.verdicts = [PlatformError(PlatformErrorKind.TIMEOUT, "slow")]
    kiosk.ui.script = [insert(kiosk), Wait()]
    person = kiosk.run(verify_identity, kiosk.service("SS-015"))
    assert person.verification is None and person.face is not None
    assert person.level == 5, "what the evidence supports, for the platform to confirm"


def test_a_qr_code_cannot_go_on_offline(seed_catalog):
    kiosk = Kiosk(ScriptedUi([]), seed_catalog)
    kiosk.platform.down = True
    kiosk.ui.script = [Wait(lambda step: kiosk.code_scanner.scan("CTID:offline")), Wait(),
                       Choose("other"), Nav.HOME]
    assert kiosk.run(verify_identity, kiosk.service("SS-015")) is None
    failure = kiosk.ui.of_type(MessageStep)[0]
    assert "二维码暂时无法核验" in render(failure.lines[0])
    assert [c.key for c in failure.choices] == ["other", "staff"]


def test_a_failed_face_capture_is_told_then_offered_choices(seed_catalog):
    kiosk = Kiosk(ScriptedUi([]), seed_catalog)
    too_dark = FaceCaptureFailed("TIMED_OUT", "未能完成人脸采集，请重试或联系工作人员")
    kiosk.face_camera.outcomes = [too_dark, too_dark, face_capture()]
    kiosk.ui.script = [insert(kiosk), Wait(), Wait(), Choose("retry"), Wait()]
    person = kiosk.run(verify_identity, kiosk.service("SS-015"))
    faces = kiosk.ui.of_type(LiveFaceStep)
    assert faces[0].problem is None and "人脸采集" in render(faces[1].problem)
    assert person is not None and len(kiosk.platform.verification_requests) == 1


def test_tapping_a_method_keeps_listening_to_every_reader(seed_catalog):
    kiosk = Kiosk(ScriptedUi([]), seed_catalog)
    kiosk.ui.script = [Choose("qr_code"), insert(kiosk), Wait()]
    person = kiosk.run(verify_identity, kiosk.service("SS-015"))
    assert person.evidence.source is EvidenceSource.ID_CARD


def test_leaving_the_busy_screen_cancels_the_verification_wait(seed_catalog):
    kiosk = Kiosk(ScriptedUi([]), seed_catalog)
    never = asyncio.Event()

    async def slow(request):
        await never.wait()

    kiosk.platform.verify_identity = slow
    kiosk.ui.script = [insert(kiosk), Wait()]

    async def walk_away(ctx, service):
        task = asyncio.ensure_future(verify_identity(ctx, service))
        while not kiosk.ui.of_type(BusyStep):
            await asyncio.sleep(0.01)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        return task.cancelled()

    assert kiosk.run(walk_away, kiosk.service("SS-015"))
    assert kiosk.session.get(PERSON) is None


def test_qr_evidence_knows_nobody_until_the_platform_says():
    evidence = from_qr_code("CTID:abc", NOW)
    assert not evidence.resolved and evidence.source is EvidenceSource.QR_CODE
    assert "CTID" not in repr(evidence)
    assert evidence.supported_level(live_face=True) == 4
