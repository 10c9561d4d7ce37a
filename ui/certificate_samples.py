"""The certificate screens with a real certificate, for `python main.py screenshot`.

The embedded platform issues it to the simulator's resident card (张三) through the kiosk's
own citizen services, so the preview shows exactly what the demo prints.
"""

from __future__ import annotations

import base64
import io
import uuid
from datetime import date

from PIL import Image

from central.contract import (
    CertificateRequest,
    FaceSample,
    IdentityEvidenceIn,
    VerificationRequest,
)
from common.citizen_services import CitizenServices
from devices.idcard.simulator import sample_cards
from flows.certificate import (
    STEPS,
    CertificatePreviewStep,
    first_options,
    not_issued_step,
    options_step,
)
from flows.steps import Progress, Step
from kiosk.catalog_source import CatalogSource
from kiosk.pii import mask_name
from kiosk.platform_client import CertificateNotIssued, PlatformErrorKind


def _face_jpeg() -> str:
    out = io.BytesIO()
    Image.new("RGB", (64, 64), (200, 170, 150)).save(out, format="JPEG")
    return base64.b64encode(out.getvalue()).decode("ascii")


async def certificate_steps(services: CitizenServices,
                            catalog: CatalogSource) -> list[tuple[str, Step]]:
    """(name, step) for the options, the preview and a refusal; [] without SS-001."""
    service = catalog.catalog.service("SS-001") if catalog.catalog else None
    if service is None:
        return []
    card = sample_cards()["resident"]
    values = first_options(service, {"name": card.name, "id_no": card.id_number},
                           date.today())
    steps: list[tuple[str, Step]] = [("certificate-options", options_step(service, values))]
    verification = await services.verify_identity(VerificationRequest(
        evidence=IdentityEvidenceIn(kind="id_card", name=card.name, id_number=card.id_number,
                                    dedicated_reader=True),
        face=FaceSample(jpeg_b64=_face_jpeg(), quality=0.9, liveness_passed=True)))
    if verification.verification_id and verification.holder:
        options = {k: list(v) if isinstance(v, tuple) else v for k, v in values.items()
                   if k in ("period", "insurance_types")}
        issued = await services.issue_certificate(CertificateRequest(
            service_id=service.id, verification_id=verification.verification_id,
            holder=verification.holder, options=options), uuid.uuid4().hex)
        steps.append(("certificate-preview", CertificatePreviewStep(
            service.name, issued.title, mask_name(card.name), issued.code, issued.pdf,
            Progress(4, STEPS))))
    refusal = CertificateNotIssued(
        PlatformErrorKind.CLIENT_ERROR, "NO_RECORDS", 422, reason="没有查询到您的参保记录。",
        advice="如您刚参加社会保险，记录可能尚未归集，请到社保经办窗口咨询或拨打 12333。")
    steps.append(("certificate-refused", not_issued_step(service, refusal)))
    return steps
