"""POST /api/v1/applications: accepted once per Idempotency-Key, identity from a verification
or from evidence sent along, refusals recorded rather than lost, the application's pages kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from central.contract import ApplicationAccepted, ApplicationProgress, parse_receipt_code
from central.db import ApplicationFileRecord, ApplicationRecord
from central.identity.reference import LI_XIUYING, SOMEONE_ELSE, ZHANG_SAN
from tests.central.citizen import (
    APPLICATIONS,
    apply,
    good_face,
    id_card,
    jpeg,
    new_key,
    post_application,
    submission,
    verify,
)


@pytest.fixture
def client(clocked_client):
    return clocked_client


def progress_of(client, number: str) -> ApplicationProgress:
    response = client.get(f"{APPLICATIONS}/{number}")
    assert response.status_code == 200, response.text
    return ApplicationProgress.model_validate_json(response.content)


def test_a_verified_person_gets_an_acceptance_number_and_a_signed_receipt_code(client) -> None:
    verification = verify(client, id_card(), good_face())
    body = submission(verification_id=verification.verification_id)
    accepted = apply(client, body)
    assert accepted.status == "已受理"
    assert accepted.local_number == body.local_number
    today = datetime.now(UTC).astimezone().strftime("%Y%m%d")
    assert accepted.acceptance_number.startswith("SL")
    assert len(accepted.acceptance_number) == 16 and accepted.acceptance_number[2:].isdigit()
    assert abs(int(accepted.acceptance_number[2:10]) - int(today)) <= 1  # China's day
    number, signature = parse_receipt_code(accepted.receipt_code) or ("", "")
    assert number == accepted.acceptance_number and len(signature) == 16
    assert "法定15日内办结" in accepted.next_steps and "邮寄到家" in accepted.next_steps


def test_the_pages_and_signature_are_the_application(client) -> None:
    verification = verify(client, id_card(), good_face())
    accepted = apply(client, submission(verification_id=verification.verification_id))
    with client.app.state.sessions() as session:
        record = session.scalars(select(ApplicationRecord).where(
            ApplicationRecord.number == accepted.acceptance_number)).one()
        files = session.scalars(select(ApplicationFileRecord).where(
            ApplicationFileRecord.application_id == record.id)).all()
    kinds = sorted((f.kind, f.position) for f in files)
    assert kinds == [("page", 1), ("page", 2), ("signature", 1)]  # no face: not consented
    assert all(f.data[:2] in (b"\xff\xd8", b"\x89P") for f in files)
    assert record.form["address"] == "北京市东城区示范路1号"


def test_the_same_key_twice_is_one_application_with_the_same_answer(client) -> None:
    verification = verify(client, id_card(), good_face())
    body = submission(verification_id=verification.verification_id)
    key = new_key()
    first = post_application(client, body, key)
    again = post_application(client, body, key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert ApplicationAccepted.model_validate_json(again.content) == \
        ApplicationAccepted.model_validate_json(first.content)
    with client.app.state.sessions() as session:
        assert len(session.scalars(select(ApplicationRecord)).all()) == 1


def test_the_same_key_with_another_body_is_a_conflict(client) -> None:
    verification = verify(client, id_card(), good_face())
    key = new_key()
    body = submission(verification_id=verification.verification_id)
    assert post_application(client, body, key).status_code == 201
    changed = body.model_copy(update={"local_number": "L-other"})
    response = post_application(client, changed, key)
    assert response.status_code == 409
    assert response.json()["code"] == "IDEMPOTENCY_KEY_REUSED"


def test_a_submission_queued_offline_is_verified_by_its_evidence(client, clock) -> None:
    body = submission(evidence=id_card(), face=good_face(),
                      submitted_at=clock.now - timedelta(hours=3))
    clock.advance(60)
    accepted = apply(client, body)
    assert accepted.status == "已受理"
    assert progress_of(client, accepted.acceptance_number).status == "已受理"


def test_an_expired_verification_falls_back_to_the_evidence(client, clock) -> None:
    verification = verify(client, id_card(), good_face())
    clock.advance(3 * 3600)  # queued for three hours
    late = submission(verification_id=verification.verification_id,
                      submitted_at=clock.now - timedelta(minutes=1))
    refused = apply(client, late)
    assert refused.status == "不予受理"
    rescued = apply(client, late.model_copy(update={"evidence": id_card(), "face": good_face(),
                                                    "local_number": "L-rescued"}))
    assert rescued.status == "已受理"


def test_a_verification_valid_when_submit_was_pressed_still_counts(client, clock) -> None:
    verification = verify(client, id_card(), good_face())
    pressed = clock.now + timedelta(minutes=5)
    clock.advance(2 * 3600)  # the network was down; the kiosk sends it now
    accepted = apply(client, submission(verification_id=verification.verification_id,
                                        submitted_at=pressed))
    assert accepted.status == "已受理"


def test_a_failed_identity_is_recorded_as_refused_with_the_reason(client) -> None:
    accepted = apply(client, submission(SOMEONE_ELSE, evidence=id_card(SOMEONE_ELSE),
                                        face=good_face()))
    assert accepted.status == "不予受理"
    assert "人脸" in accepted.next_steps and "窗口" in accepted.next_steps
    timeline = progress_of(client, accepted.acceptance_number).timeline
    assert [e.status for e in timeline] == ["不予受理"]
    assert "人脸与证件持有人不一致" in timeline[0].note


def test_each_identity_failure_gives_its_reason(client) -> None:
    cases = {
        "证件已过有效期": id_card(valid_to=datetime.now(UTC).date() - timedelta(days=3)),
        "证件信息无效": id_card(id_number=ZHANG_SAN.id_number[:17] + "9"),
    }
    for reason, evidence in cases.items():
        accepted = apply(client, submission(evidence=evidence, face=good_face()))
        assert accepted.status == "不予受理" and reason in accepted.next_steps
    poor = apply(client, submission(evidence=id_card(), face=good_face(quality=0.1)))
    assert "活体" in poor.next_steps
    nothing = apply(client, submission())
    assert nothing.status == "不予受理" and "未附有效的身份核验" in nothing.next_steps


def test_a_verification_of_someone_else_does_not_cover_the_applicant(client) -> None:
    verification = verify(client, id_card(), good_face())
    accepted = apply(client, submission(LI_XIUYING, verification_id=verification.verification_id))
    assert accepted.status == "不予受理"


def test_another_terminals_verification_does_not_count(client, make_app) -> None:
    from central.app import KnownTerminal
    from tests.central.conftest import SignAsTerminal
    from tests.central.helpers import register

    other = KnownTerminal("TEST-0002", "另一大厅", "another-terminal-key-0123456789")
    register(client.app, other)
    verification = verify(client, id_card(), good_face())
    body = submission(verification_id=verification.verification_id)
    response = client.post(APPLICATIONS, content=body.model_dump_json(),
                           headers={"Content-Type": "application/json",
                                    "Idempotency-Key": new_key()},
                           auth=SignAsTerminal(other, client.app.state.clock))
    assert response.status_code == 201
    assert response.json()["status"] == "不予受理"


def test_the_60_plus_rule_accepts_an_elder_whose_face_was_not_compared(client) -> None:
    elder = submission(LI_XIUYING, evidence=id_card(LI_XIUYING, valid_to=None),
                       face=good_face(liveness_passed=False))
    accepted = apply(client, elder)
    assert accepted.status == "已受理"
    with client.app.state.sessions() as session:
        record = session.scalars(select(ApplicationRecord)).one()
    assert record.elderly_relaxed_applied


def test_an_unknown_service_or_a_missing_required_field_is_422(client) -> None:
    unknown = post_application(client, submission(service_id="SS-999"), new_key())
    assert unknown.status_code == 422 and unknown.json()["code"] == "SERVICE_UNKNOWN"
    form = dict(submission().form)
    del form["address"]
    form["basis"] = "  "
    incomplete = post_application(client, submission(form=form), new_key())
    assert incomplete.status_code == 422
    body = incomplete.json()
    assert body["code"] == "FORM_INCOMPLETE"
    assert "address" in body["message"] and "basis" in body["message"]


def test_a_missing_or_malformed_key_is_refused(client) -> None:
    assert post_application(client, submission(), None).status_code == 400
    response = post_application(client, submission(), "short")
    assert response.status_code == 400 and response.json()["code"] == "IDEMPOTENCY_KEY_REQUIRED"


def test_malformed_json_is_422_with_an_error_body(client) -> None:
    response = post_application(client, b'{"service_id": "SS-015", "local_number": 7',
                                new_key())
    assert response.status_code == 422 and response.json()["code"] == "VALIDATION_FAILED"
    page = post_application(client, submission(
        evidence=id_card(), face=good_face(), signature_png_b64="not base64!"), new_key())
    assert page.status_code == 422 and page.json()["code"] == "NOT_BASE64"


def test_an_unsigned_submission_is_refused(client) -> None:
    response = client.post(APPLICATIONS, content=submission().model_dump_json(),
                           headers={"Content-Type": "application/json",
                                    "Idempotency-Key": new_key()}, auth=None)
    assert response.status_code == 401 and response.json()["code"] == "SIGNATURE_MISSING"


def test_scanned_pages_of_several_megabytes_are_accepted(client) -> None:
    page = jpeg(size=(1200, 900), noisy=True)
    body = submission(evidence=id_card(), face=good_face())
    material = body.materials[0].model_copy(update={"pages_jpeg_b64": [page] * 3})
    accepted = apply(client, body.model_copy(update={"materials": [material]}))
    assert accepted.status == "已受理"
    assert len(page) * 3 > 2 * 1024 * 1024
