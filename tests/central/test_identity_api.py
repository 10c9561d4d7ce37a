"""POST /api/v1/identity/verifications with the reference verifier: levels 4 and 5, each
failure a kiosk must handle, the 60+ relaxation, citizen QR codes, signed requests only."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from central.db import IdentityVerificationRecord
from central.identity.reference import (
    LI_XIUYING,
    SOMEONE_ELSE,
    SOMEONE_ELSE_ELDERLY,
    ZHANG_SAN,
)
from tests.central.citizen import JSON, VERIFICATIONS, good_face, id_card, jpeg, qr_code, verify


def test_an_id_card_read_by_the_dedicated_reader_with_a_live_face_is_level_5(client) -> None:
    answer = verify(client, id_card(), good_face())
    assert (answer.verified, answer.level, answer.failure) == (True, 5, None)
    assert answer.holder == ZHANG_SAN
    assert answer.verification_id and answer.expires_at
    assert answer.expires_at - datetime.now(UTC) > timedelta(minutes=10)


def test_a_social_security_card_with_a_live_face_is_level_4(client) -> None:
    answer = verify(client, id_card(kind="ss_card", dedicated_reader=False), good_face())
    assert (answer.verified, answer.level) == (True, 4)


def test_the_platform_keeps_no_token_no_face_and_no_id_number(client) -> None:
    answer = verify(client, id_card(), good_face())
    with client.app.state.sessions() as session:
        [record] = session.scalars(select(IdentityVerificationRecord)).all()
    stored = " ".join(str(value) for value in vars(record).values())
    assert answer.verification_id not in stored
    assert ZHANG_SAN.id_number not in stored
    assert record.level == 5


def test_someone_elses_face_is_a_mismatch(client) -> None:
    answer = verify(client, id_card(SOMEONE_ELSE), good_face())
    assert (answer.verified, answer.failure, answer.verification_id) == (
        False, "FACE_MISMATCH", None)


def test_a_poor_or_not_live_or_missing_face_is_face_quality(client) -> None:
    for face in (good_face(quality=0.2), good_face(liveness_passed=False),
                 good_face(jpeg_b64="bm90IGEganBlZw=="), None):
        answer = verify(client, id_card(), face)
        assert (answer.verified, answer.failure) == (False, "FACE_QUALITY"), face


def test_a_wrong_check_digit_or_no_name_is_an_invalid_document(client) -> None:
    wrong_digit = ZHANG_SAN.id_number[:17] + "5"
    for evidence in (id_card(id_number=wrong_digit), id_card(name=""),
                     id_card(id_number="11010119900307001")):
        answer = verify(client, evidence, good_face())
        assert (answer.verified, answer.failure) == (False, "DOCUMENT_INVALID")


def test_an_expired_document_is_refused_and_a_long_term_one_is_not(client) -> None:
    yesterday = datetime.now(UTC).date() - timedelta(days=2)
    expired = verify(client, id_card(valid_to=yesterday), good_face())
    assert (expired.verified, expired.failure) == (False, "DOCUMENT_EXPIRED")
    long_term = verify(client, id_card(valid_to=None), good_face())
    assert long_term.verified


def test_a_demo_citizen_code_resolves_to_its_holder(client) -> None:
    answer = verify(client, qr_code("DEMO-EID-ZHANGSAN"), good_face())
    assert (answer.verified, answer.level, answer.holder) == (True, 4, ZHANG_SAN)
    unknown = verify(client, qr_code("DEMO-EID-NOBODY"), good_face())
    assert (unknown.verified, unknown.failure, unknown.holder) == (False, "CODE_UNKNOWN", None)
    other = verify(client, qr_code("DEMO-EID-LIUJIANGUO"), good_face())
    assert (other.verified, other.failure) == (False, "FACE_MISMATCH")


def test_a_holder_aged_60_or_more_passes_on_the_relaxed_rule(client) -> None:
    not_live = good_face(liveness_passed=False)
    relaxed = verify(client, id_card(LI_XIUYING, valid_to=None), not_live,
                     elderly_relaxed=True)
    assert (relaxed.verified, relaxed.elderly_relaxed_applied, relaxed.level) == (True, True, 5)
    mismatch = verify(client, id_card(SOMEONE_ELSE_ELDERLY, valid_to=None), good_face(),
                      elderly_relaxed=True)
    assert (mismatch.verified, mismatch.elderly_relaxed_applied) == (True, True)
    # the service does not allow it, or there is no face at all: refused as anyone else
    strict = verify(client, id_card(LI_XIUYING, valid_to=None), not_live)
    assert (strict.verified, strict.failure) == (False, "FACE_QUALITY")
    faceless = verify(client, id_card(LI_XIUYING, valid_to=None), None, elderly_relaxed=True)
    assert (faceless.verified, faceless.failure) == (False, "FACE_QUALITY")


def test_the_relaxed_rule_does_not_apply_under_60(client) -> None:
    answer = verify(client, id_card(SOMEONE_ELSE), good_face(), elderly_relaxed=True)
    assert (answer.verified, answer.failure) == (False, "FACE_MISMATCH")


def test_a_document_alone_is_level_3_and_enough_when_no_more_is_required(client) -> None:
    answer = verify(client, id_card(), None, required_level=3)
    assert (answer.verified, answer.level) == (True, 3)


def test_an_unsigned_request_is_refused(client) -> None:
    body = b'{"evidence": {"kind": "qr_code", "code": "DEMO-EID-ZHANGSAN"}}'
    response = client.post(VERIFICATIONS, content=body, headers=JSON, auth=None)
    assert response.status_code == 401
    assert response.json()["code"] == "SIGNATURE_MISSING"


def test_malformed_json_is_422_with_an_error_body_that_echoes_nothing(client) -> None:
    response = client.post(VERIFICATIONS, content=b'{"evidence": {"kind": "passport", '
                           b'"id_number": "110101199003070011"}}', headers=JSON)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "VALIDATION_FAILED" and "evidence.kind" in body["message"]
    assert "110101199003070011" not in response.text
    broken = client.post(VERIFICATIONS, content=b'{"evidence": ', headers=JSON)
    assert broken.status_code == 422 and broken.json()["code"] == "VALIDATION_FAILED"


def test_a_face_and_card_photo_of_real_size_are_accepted(client) -> None:
    big_face = good_face(jpeg_b64=jpeg(size=(640, 480), noisy=True))
    assert len(big_face.jpeg_b64) > 64 * 1024  # more than a heartbeat may carry
    answer = verify(client, id_card(document_photo_b64=jpeg(size=(102, 126), noisy=True)),
                    big_face)
    assert answer.verified


def test_demo_holders_are_valid_numbers() -> None:
    from central.identity.id_number import birth_date

    assert birth_date(SOMEONE_ELSE.id_number) == date(1985, 6, 12)
    assert birth_date(SOMEONE_ELSE_ELDERLY.id_number) == date(1952, 3, 1)
