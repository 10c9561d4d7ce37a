"""POST /api/v1/identity/verifications: who is at the kiosk, at which GB/T 39047 level.

The verifier is the app's (`create_app(verifier=...)`); the answer's token proves the
verification to later requests of the same terminal (applications, the by-holder lookup).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Response

from central.contract import Verification, VerificationRequest
from central.deps import NowDep, PlatformDep, SessionDep
from central.errors import ERROR_RESPONSES
from central.identity.verifications import in_china, record
from central.openapi import json_body
from central.routes.citizen_requests import MAX_VERIFICATION_BODY
from central.routes.signed import UNAUTHORIZED, TerminalDep, body_limit, json_response, signed_json

router = APIRouter(tags=["identity"])


@router.post(
    "/identity/verifications",
    response_model=Verification,
    responses={**UNAUTHORIZED, **ERROR_RESPONSES},
    openapi_extra={"requestBody": json_body(VerificationRequest)},
    dependencies=[body_limit(MAX_VERIFICATION_BODY)],
)
def post_verification(
    terminal: TerminalDep,
    asked: Annotated[VerificationRequest, signed_json(VerificationRequest)],
    session: SessionDep, platform: PlatformDep, now: NowDep,
) -> Response:
    # a deployment's verifier may take seconds to answer: not while holding the write lock
    check = platform.verifier.verify(asked, in_china(now).date())
    with platform.writing(session):
        answer = record(session, platform.citizen_keys, terminal.id, check, now)
    return json_response(answer)
