"""Certificates on the platform: issued as a PDF to a verified holder (masked name and the
verification code in it), refused with a reason when there are no records, and checked by
anyone on /verify/{code}: genuine, a mistyped or forged code, a record changed afterwards."""

from __future__ import annotations

import base64
import io
import re
from datetime import UTC, datetime

import pdfplumber
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import update

from central.certificates import CODE_ALPHABET, has_demo_records
from central.contract import (
    CertificateCheck,
    CertificateIssued,
    CertificateRefused,
    FaceSample,
    Holder,
    IdentityEvidenceIn,
    Verification,
    VerificationRequest,
)
from central.db import CertificateRecord
from central.identity.id_number import check_character
from tests.central.conftest import TEST_TERMINAL

CERTIFICATES = "/api/v1/certificates"
ZHANG_SAN = Holder(name="张三", id_number="110101199003070011")
JPEG = base64.b64encode(b"\xff\xd8\xff\xe0" + b"\x00" * 64).decode()


def id_number(first17: str) -> str:
    return first17 + check_character(first17)


# the demo issuer has no records for a holder whose 17th character is 7
NOBODY = Holder(name="王小明", id_number=id_number("11010119851201017"))


def verify(terminal: TestClient, holder: Holder) -> str:
    """A verification of `holder` at level 5 (card read by the SAM, live face), made through
    POST /identity/verifications; returns its token."""
    request = VerificationRequest(
        evidence=IdentityEvidenceIn(kind="id_card", name=holder.name,
                                    id_number=holder.id_number, dedicated_reader=True),
        face=FaceSample(jpeg_b64=JPEG, quality=0.9, liveness_passed=True))
    response = terminal.post("/api/v1/identity/verifications",
                             content=request.model_dump_json(),
                             headers={"Content-Type": "application/json"})
    assert response.status_code == 200, response.text
    verification = Verification.model_validate_json(response.content)
    assert verification.verified and verification.verification_id
    return verification.verification_id


def ask(client: TestClient, token: str, holder: Holder = ZHANG_SAN, service_id: str = "SS-001",
        key: str | None = None, **options: str | list[str]):
    body = {"service_id": service_id, "verification_id": token, "holder": holder.model_dump(),
            "options": options or {"period": ["2024-01", "2024-12"],
                                   "insurance_types": ["企业职工基本养老保险", "失业保险"]}}
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(CERTIFICATES, json=body, headers=headers)


def issue_to_zhang_san(terminal: TestClient) -> CertificateIssued:
    response = ask(terminal, verify(terminal, ZHANG_SAN))
    assert response.status_code == 200, response.text
    return CertificateIssued.model_validate_json(response.content)


def pdf_text(issued: CertificateIssued) -> str:
    with pdfplumber.open(io.BytesIO(base64.b64decode(issued.pdf_b64))) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


@pytest.fixture
def app(make_app, database_url: str) -> FastAPI:
    return make_app(database_url, public_url="https://zwfw.example.gov.cn")


@pytest.fixture
def public(app: FastAPI):
    with TestClient(app) as client:  # no signature: anyone with a phone
        yield client


def test_a_verified_holder_gets_a_pdf_with_masked_name_and_verification_code(app, terminal):
    response = ask(terminal, verify(terminal, ZHANG_SAN))
    assert response.status_code == 200, response.text
    issued = CertificateIssued.model_validate_json(response.content)
    assert issued.title == "社会保险个人参保证明"
    assert issued.verify_url == f"https://zwfw.example.gov.cn/verify/{issued.code}"
    text = pdf_text(issued)
    assert "社会保险个人参保证明" in text
    assert "张*" in text and "110***********0011" in text
    assert "张三" not in text and "110101199003070011" not in text
    assert issued.code in text
    assert "企业职工基本养老保险" in text and "2024年01月至2024年12月" in text


def test_no_records_is_refused_with_the_reason_and_what_to_do(app, terminal):
    assert not has_demo_records(NOBODY.id_number)
    response = ask(terminal, verify(terminal, NOBODY), holder=NOBODY)
    assert response.status_code == 422
    refusal = CertificateRefused.model_validate_json(response.content)
    assert refusal.code == "NO_RECORDS"
    assert refusal.reason == "没有查询到您的参保记录。"
    assert "12333" in refusal.advice
    with app.state.sessions() as session:
        assert session.query(CertificateRecord).count() == 0


def test_a_verification_of_someone_else_does_not_issue_their_certificate(app, terminal):
    response = ask(terminal, verify(terminal, NOBODY), holder=ZHANG_SAN)
    assert response.status_code == 422
    assert CertificateRefused.model_validate_json(response.content).code == \
        "VERIFICATION_INVALID"


def test_options_out_of_order_are_refused_in_plain_words(app, terminal):
    response = ask(terminal, verify(terminal, ZHANG_SAN), period=["2025-06", "2024-01"])
    assert response.status_code == 422
    refusal = CertificateRefused.model_validate_json(response.content)
    assert refusal.code == "OPTIONS_INVALID"
    assert "开始月份晚于结束月份" in refusal.reason


def test_an_unsigned_request_is_refused(terminal, public):
    response = ask(public, verify(terminal, ZHANG_SAN))
    assert response.status_code == 401


def test_the_same_idempotency_key_gets_the_same_certificate(app, terminal):
    token = verify(terminal, ZHANG_SAN)
    first = CertificateIssued.model_validate_json(
        ask(terminal, token, key="cert-key-0123456789").content)
    again = CertificateIssued.model_validate_json(
        ask(terminal, token, key="cert-key-0123456789").content)
    other = CertificateIssued.model_validate_json(ask(terminal, token).content)
    assert again.code == first.code and again.pdf_b64 == first.pdf_b64
    assert other.code != first.code
    reused = ask(terminal, token, service_id="SS-010", key="cert-key-0123456789")
    assert reused.status_code == 409 and reused.json()["code"] == "IDEMPOTENCY_KEY_REUSED"


def test_the_verify_page_says_genuine_and_what_the_certificate_said(app, terminal, public):
    issued = issue_to_zhang_san(terminal)
    page = public.get(f"/verify/{issued.code}")
    assert page.status_code == 200
    assert "真实有效" in page.text
    for shown in ("社会保险个人参保证明", "张*", "110***********0011", "2024年01月至2024年12月",
                  TEST_TERMINAL.hall, issued.code):
        assert shown in page.text
    assert "张三" not in page.text
    # the page needs nothing from elsewhere: no scripts, no external style sheets or images
    assert not re.search(r"<script|<link|src=|https?://(?!zwfw)", page.text)

    check = CertificateCheck.model_validate_json(
        public.get(f"/api/v1/certificates/{issued.code}/verification").content)
    assert check.genuine and check.holder_masked == "张*" and check.service_id == "SS-001"


def test_a_code_with_one_character_changed_is_not_genuine(app, terminal, public):
    issued = issue_to_zhang_san(terminal)
    first = issued.code[0]
    tampered = next(c for c in CODE_ALPHABET if c != first) + issued.code[1:]
    page = public.get(f"/verify/{tampered}")
    assert page.status_code == 404
    assert "未查询到该证明" in page.text and "非本平台出具" in page.text
    assert "真实有效" not in page.text and "张*" not in page.text


def test_typed_code_in_lower_case_without_dashes_is_found(app, terminal, public):
    issued = issue_to_zhang_san(terminal)
    page = public.get(f"/verify/{issued.code.replace('-', '').lower()}")
    assert "真实有效" in page.text


def test_a_record_changed_behind_the_platforms_back_is_not_genuine(app, terminal, public):
    issued = issue_to_zhang_san(terminal)
    with app.state.sessions() as session:
        session.execute(update(CertificateRecord).where(CertificateRecord.code == issued.code)
                        .values(period="2010年01月至2024年12月"))
        session.commit()
    page = public.get(f"/verify/{issued.code}")
    assert "未查询到该证明" in page.text and "签名校验" in page.text
    assert "真实有效" not in page.text


def test_the_signature_checks_with_the_published_public_key(app, terminal, public):
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    from central.certificates import signed_content

    issued = issue_to_zhang_san(terminal)
    key = load_pem_public_key(public.get("/api/v1/signing-key").content)
    with app.state.sessions() as session:
        record = session.get(CertificateRecord, issued.code)
        signature = base64.urlsafe_b64decode(record.signature + "==")
        key.verify(signature, signed_content(record))  # raises if it does not check


def test_every_print_service_of_the_demo_issues_or_says_why_not(app, terminal):
    token = verify(terminal, ZHANG_SAN)
    year = str(datetime.now(UTC).year - 1)
    for service_id, options in (("SS-002", {"year": year}), ("SS-008", {}), ("SS-010", {}),
                                ("SS-023", {"period": ["2024-01", "2024-06"]})):
        response = ask(terminal, token, service_id=service_id, **options)
        assert response.status_code == 200, (service_id, response.text)
        issued = CertificateIssued.model_validate_json(response.content)
        assert issued.code in pdf_text(issued)
    refused = ask(terminal, token, service_id="SS-016")  # no demo records for 户籍证明
    assert CertificateRefused.model_validate_json(refused.content).code == "NOT_OFFERED"
    application = ask(terminal, token, service_id="SS-017")  # an application, not a print
    assert CertificateRefused.model_validate_json(application.content).code == "NOT_OFFERED"


def test_a_code_typed_into_the_verify_form_is_checked(app, terminal, public):
    issued = issue_to_zhang_san(terminal)
    form = public.get("/verify")
    assert form.status_code == 200 and 'name="code"' in form.text
    typed = public.get("/verify", params={"code": issued.code.replace("-", " ").lower()})
    assert "真实有效" in typed.text and issued.code in typed.text
    wrong = public.get("/verify", params={"code": "2222-3333-4444-5555"})
    assert "未查询到该证明" in wrong.text
