"""The kiosk's platform client asking for certificates from the real platform: the whole PDF
and its code, the platform's own reason when it refuses, and "needs the network" for every
other failure — never a half document."""

from __future__ import annotations

import base64
import dataclasses
import io
import json
import uuid
from pathlib import Path

import pytest
from PIL import Image

from central.app import KnownTerminal
from central.contract import (
    CertificateRequest,
    FaceSample,
    Holder,
    IdentityEvidenceIn,
    VerificationRequest,
)
from central.identity.id_number import check_character
from central.server import EmbeddedPlatform
from kiosk.platform_client import (
    CERTIFICATE_NEEDS_NETWORK,
    CertificateNotIssued,
    PlatformClient,
    PlatformErrorKind,
    TerminalCredentials,
)

TERMINAL = KnownTerminal("CLIENT-01", "测试大厅", "client-terminal-key-0123456789abcdef")
ZHANG_SAN = Holder(name="张三", id_number="110101199003070011")
NO_RECORDS = Holder(name="王小明", id_number="11010119851201017" + check_character(
    "11010119851201017"))


def face() -> str:
    out = io.BytesIO()
    Image.new("RGB", (32, 32), (200, 170, 150)).save(out, format="JPEG")
    return base64.b64encode(out.getvalue()).decode("ascii")


@pytest.fixture
def platform(tmp_path: Path):
    with EmbeddedPlatform(f"sqlite:///{tmp_path / 'central.sqlite3'}", terminals=[TERMINAL],
                          sweep_interval_s=0, faults=True) as running:
        yield running


@pytest.fixture
def client(platform: EmbeddedPlatform):
    with PlatformClient(platform.base_url, timeout_s=5, retries=1, backoff_s=0.05,
                        credentials=TerminalCredentials(TERMINAL.id, TERMINAL.key)) as client:
        yield client


def request_for(client: PlatformClient, holder: Holder) -> CertificateRequest:
    verification = client.verify_identity(VerificationRequest(
        evidence=IdentityEvidenceIn(kind="id_card", name=holder.name,
                                    id_number=holder.id_number, dedicated_reader=True),
        face=FaceSample(jpeg_b64=face(), quality=0.9, liveness_passed=True)))
    assert verification.verification_id
    return CertificateRequest(service_id="SS-001", verification_id=verification.verification_id,
                              holder=holder, options={"period": ["2025-01", "2025-06"]})


def test_the_whole_pdf_and_its_code_and_the_same_again_for_the_same_key(client) -> None:
    request, key = request_for(client, ZHANG_SAN), uuid.uuid4().hex
    first = client.issue_certificate(request, key)
    assert first.pdf.startswith(b"%PDF-") and first.pdf.rstrip().endswith(b"%%EOF")
    assert first.verify_url.endswith(f"/verify/{first.code}")
    again = client.issue_certificate(request, key)
    assert again.code == first.code and again.pdf == first.pdf


def test_a_refusal_carries_the_platforms_reason_and_advice(client) -> None:
    with pytest.raises(CertificateNotIssued) as refused:
        client.issue_certificate(request_for(client, NO_RECORDS), uuid.uuid4().hex)
    assert refused.value.refused
    assert refused.value.user_message == "没有查询到您的参保记录。"
    assert "12333" in refused.value.advice


@pytest.mark.parametrize("fault", ["http500", "malformed_json", "unexpected_json"])
def test_a_platform_fault_says_a_certificate_needs_the_network(client, platform, fault) -> None:
    request = request_for(client, ZHANG_SAN)
    platform.set_fault(fault)
    with pytest.raises(CertificateNotIssued) as failed:
        client.issue_certificate(request, uuid.uuid4().hex)
    assert failed.value.user_message == CERTIFICATE_NEEDS_NETWORK
    assert not failed.value.refused


def test_a_platform_that_is_gone_says_a_certificate_needs_the_network(client, platform) -> None:
    request = request_for(client, ZHANG_SAN)
    platform.stop()
    with pytest.raises(CertificateNotIssued) as failed:
        client.issue_certificate(request, uuid.uuid4().hex)
    assert failed.value.kind is PlatformErrorKind.UNREACHABLE
    assert failed.value.user_message == "证明需要联网开具，请稍后再试或到窗口办理。"


def test_a_pdf_that_is_not_base64_says_a_certificate_needs_the_network(client,
                                                                        monkeypatch) -> None:
    request = request_for(client, ZHANG_SAN)
    attempt = client._attempt

    def garbled(*args):
        answer = attempt(*args)
        issued = json.loads(answer.body)
        issued["pdf_b64"] = "not base64!"
        return dataclasses.replace(answer, body=json.dumps(issued).encode())

    monkeypatch.setattr(client, "_attempt", garbled)
    with pytest.raises(CertificateNotIssued) as failed:
        client.issue_certificate(request, uuid.uuid4().hex)
    assert failed.value.kind is PlatformErrorKind.MALFORMED
    assert failed.value.status == 200 and "bad PDF data" in failed.value.detail
    assert failed.value.user_message == CERTIFICATE_NEEDS_NETWORK


def test_a_key_http_cannot_carry_is_a_failure_like_any_other(client) -> None:
    # the ValueError comes before any answer: it was taken for bad base64, whose handler read
    # the answer's status and raised UnboundLocalError instead of CertificateNotIssued
    request = request_for(client, ZHANG_SAN)
    with pytest.raises(CertificateNotIssued) as failed:
        client.issue_certificate(request, "键")
    assert failed.value.kind is PlatformErrorKind.UNEXPECTED
    assert failed.value.user_message == CERTIFICATE_NEEDS_NETWORK
