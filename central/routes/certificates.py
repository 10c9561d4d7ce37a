"""POST /api/v1/certificates: a terminal asks for a certificate for the person it verified.

Signed like every terminal request. The holder is whom the `verification_id` proves: a
verification this terminal made, still valid, at the service's identity level, whose holder
is the one named in the request (the platform keeps only a keyed hash of the ID number); the
platform's issuer (`create_app(certificate_issuer=...)`, the development-only `DemoIssuer`
unless a deployment gives its own) fills in the records.
A certificate that cannot be issued is a 422 `CertificateRefused` with the reason and what to
do instead, both sentences for the person. `Idempotency-Key` is optional: a terminal that
resends after a lost answer gets the same certificate, not a second one.

GET /api/v1/certificates/{code}/verification: what the public page /verify/{code} says, as
JSON, for a counter's or a bank's own system. Public, like the page.
"""

from __future__ import annotations

import hmac
import re
from datetime import datetime, timedelta, timezone
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request, Response
from sqlalchemy.orm import Session

from central import certificates
from central.contract import (
    IDEMPOTENCY_KEY_PATTERN,
    CertificateCheck,
    CertificateIssued,
    CertificateRefused,
    CertificateRequest,
    ErrorBody,
    Service,
    is_certificate_service,
)
from central.db import ServiceRecord
from central.deps import NowDep, PlatformDep, PlatformState, SessionDep, SignerDep
from central.errors import ERROR_RESPONSES, Refused
from central.identity.verifications import current, find_verification
from central.openapi import json_body
from central.platform_secret import load_citizen_keys
from central.routes.signed import UNAUTHORIZED, TerminalDep, json_response, signed_json

router = APIRouter(tags=["certificates"])

CHINA = timezone(timedelta(hours=8))  # the date printed on a certificate is the hall's


def public_url(request: Request, platform: PlatformState) -> str:
    """Where citizens, counters and banks reach this platform: configured, or as asked."""
    return (platform.public_url or str(request.base_url)).rstrip("/")


def verified(session: Session, asked: CertificateRequest, terminal_id: str, level: int,
             now: datetime) -> bool:
    """Whether the request's verification proves its holder, now, at `level` or above."""
    record = current(find_verification(session, asked.verification_id, terminal_id), now)
    if record is None or record.level < level:
        return False
    keys = load_citizen_keys(session, now)
    return hmac.compare_digest(record.holder_key, keys.holder_key(asked.holder.id_number))


def _refusal(code: str, reason: str, advice: str) -> Response:
    body = CertificateRefused(code=code, message=f"certificate not issued: {code}",
                              reason=reason, advice=advice)
    return Response(body.model_dump_json(), status_code=422, media_type="application/json")


async def _idempotency_key(
    _terminal: TerminalDep,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
) -> str | None:
    """The optional Idempotency-Key; 422 when it is malformed."""
    if idempotency_key is not None and not re.fullmatch(IDEMPOTENCY_KEY_PATTERN,
                                                        idempotency_key):
        raise Refused(422, "malformed Idempotency-Key")
    return idempotency_key


@router.post(
    "/certificates",
    response_model=CertificateIssued,
    responses={**UNAUTHORIZED, **ERROR_RESPONSES,
               409: {"model": ErrorBody, "description": "The Idempotency-Key was used before "
                                                        "for another certificate"},
               # a refusal with its reason and advice, or (ErrorBody) a request that does not
               # match the API: a malformed Idempotency-Key or body
               422: {"model": CertificateRefused | ErrorBody,
                     "description": "Not issued: no records, options invalid, not offered, "
                                    "or the verification is unknown or expired; or the "
                                    "request does not match the API"}},
    openapi_extra={"requestBody": json_body(CertificateRequest)},
)
def post_certificate(
    request: Request, signer: SignerDep, terminal: TerminalDep,
    idempotency_key: Annotated[str | None, Depends(_idempotency_key)],
    asked: Annotated[CertificateRequest, signed_json(CertificateRequest)],
    session: SessionDep, platform: PlatformDep, now: NowDep,
) -> Response:
    with platform.writing(session):
        record = session.get(ServiceRecord, asked.service_id)
        service = Service.model_validate(record.body) if record is not None else None
        if service is None or not is_certificate_service(service):
            return _refusal("NOT_OFFERED", "本平台暂不能在自助终端出具此证明。",
                            "请到窗口办理，工作人员会为您出具。")
        if not verified(session, asked, terminal.id, service.auth.identity_level, now):
            return _refusal("VERIFICATION_INVALID", "身份核验已失效。",
                            "请返回重新核验身份后再开具。")
        try:
            result = certificates.issue(
                session, issuer=platform.certificate_issuer, signer=signer, terminal=terminal,
                service=service, holder=asked.holder, options=asked.options,
                idempotency_key=idempotency_key, public_url=public_url(request, platform),
                now=now, local_now=now.astimezone(CHINA))
        except certificates.KeyReused:
            raise Refused(409, "Idempotency-Key already used for another certificate",
                          code="IDEMPOTENCY_KEY_REUSED") from None
        if isinstance(result, certificates.Refusal):
            return _refusal(result.code, result.reason, result.advice)
    return json_response(certificates.issued_answer(result, public_url(request, platform)))


@router.get("/certificates/{code}/verification", response_model=CertificateCheck)
def get_certificate_check(signer: SignerDep, session: SessionDep, code: str) -> Response:
    result = certificates.check(session, signer, code)
    return Response(result.model_dump_json(), media_type="application/json",
                    headers={"Cache-Control": "no-store"})


@router.get("/signing-key", response_class=Response,
            responses={200: {"content": {"application/x-pem-file": {}},
                             "description": "The platform's Ed25519 public key (PEM)"}})
def get_signing_key(signer: SignerDep) -> Response:
    return Response(signer.public_key_pem(), media_type="application/x-pem-file")
