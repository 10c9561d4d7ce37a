"""Building blocks for the citizen-service tests: evidence, faces, submissions, signed posts."""

from __future__ import annotations

import base64
import io
import os
import uuid
from datetime import UTC, date, datetime
from typing import Any

from fastapi.testclient import TestClient
from PIL import Image

from central.contract import (
    HEADER_IDEMPOTENCY_KEY,
    ApplicationAccepted,
    ApplicationSubmission,
    Consent,
    FaceSample,
    Holder,
    IdentityEvidenceIn,
    ScannedMaterial,
    Verification,
    VerificationRequest,
)
from central.identity.reference import LI_XIUYING, SOMEONE_ELSE, ZHANG_SAN

VERIFICATIONS = "/api/v1/identity/verifications"
APPLICATIONS = "/api/v1/applications"
EVALUATIONS = "/api/v1/evaluations"
JSON = {"Content-Type": "application/json"}


def jpeg(colour: tuple[int, int, int] = (200, 170, 150), size: tuple[int, int] = (64, 64),
         *, noisy: bool = False) -> str:
    """A JPEG as base64; `noisy` makes it as large as a real photograph of that size."""
    image = (Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)) if noisy
             else Image.new("RGB", size, colour))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return base64.b64encode(out.getvalue()).decode("ascii")


def png() -> str:
    out = io.BytesIO()
    Image.new("L", (120, 40), 255).save(out, "PNG")
    return base64.b64encode(out.getvalue()).decode("ascii")


def good_face(**changes: Any) -> FaceSample:
    values: dict[str, Any] = {"jpeg_b64": jpeg(), "quality": 0.9, "liveness_passed": True}
    values.update(changes)
    return FaceSample(**values)


def id_card(holder: Holder = ZHANG_SAN, **changes: Any) -> IdentityEvidenceIn:
    values: dict[str, Any] = {"kind": "id_card", "name": holder.name,
                              "id_number": holder.id_number, "valid_to": date(2039, 5, 20),
                              "dedicated_reader": True}
    values.update(changes)
    return IdentityEvidenceIn(**values)


def qr_code(code: str) -> IdentityEvidenceIn:
    return IdentityEvidenceIn(kind="qr_code", code=code)


def verify(client: TestClient, evidence: IdentityEvidenceIn, face: FaceSample | None = None,
           **fields: Any) -> Verification:
    request = VerificationRequest(evidence=evidence, face=face, **fields)
    response = client.post(VERIFICATIONS, content=request.model_dump_json(), headers=JSON)
    assert response.status_code == 200, response.text
    return Verification.model_validate_json(response.content)


SS_015_FORM: dict[str, str | list[str]] = {
    "name": ZHANG_SAN.name, "id_no": ZHANG_SAN.id_number, "mobile": "13812345678",
    "address": "北京市东城区示范路1号", "basis": "就业", "delivery": "邮寄到家",
}


def submission(holder: Holder = ZHANG_SAN, *, verification_id: str | None = None,
               **changes: Any) -> ApplicationSubmission:
    """A 居住证申领 (SS-015) with two scanned pages, as the kiosk sends it."""
    values: dict[str, Any] = {
        "service_id": "SS-015", "local_number": f"L-{uuid.uuid4().hex[:8]}",
        "submitted_at": datetime.now(UTC), "applicant": holder,
        "verification_id": verification_id,
        "form": {**SS_015_FORM, "name": holder.name, "id_no": holder.id_number},
        "materials": [ScannedMaterial(name="合法稳定就业/合法稳定住所/连续就读证明（三选一）",
                                      pages_jpeg_b64=[jpeg((250, 250, 250)),
                                                      jpeg((240, 240, 240))])],
        "signature_png_b64": png(),
        "consent": Consent(shared_data=True, face=False, materials=True,
                           given_at=datetime.now(UTC)),
    }
    values.update(changes)
    return ApplicationSubmission(**values)


def new_key() -> str:
    return uuid.uuid4().hex


def post_application(client: TestClient, body: ApplicationSubmission | bytes,
                     key: str | None = None) -> Any:
    content = body if isinstance(body, bytes) else body.model_dump_json().encode()
    headers = dict(JSON)
    if key is not None:
        headers[HEADER_IDEMPOTENCY_KEY] = key
    return client.post(APPLICATIONS, content=content, headers=headers)


def apply(client: TestClient, body: ApplicationSubmission) -> ApplicationAccepted:
    response = post_application(client, body, new_key())
    assert response.status_code == 201, response.text
    return ApplicationAccepted.model_validate_json(response.content)


def verified_application(client: TestClient, holder: Holder = ZHANG_SAN
                         ) -> ApplicationAccepted:
    verification = verify(client, id_card(holder), good_face())
    assert verification.verified
    return apply(client, submission(holder, verification_id=verification.verification_id))


__all__ = ["LI_XIUYING", "SOMEONE_ELSE", "ZHANG_SAN"]
