"""POST /api/v1/identity/verifications: who is at the kiosk, at which GB/T 39047 level.

The verifier is the app's (`create_app(verifier=...)`); the answer's token proves the
verification to later requests of the same terminal (applications, the by-holder lookup).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from central.contract import Verification, VerificationRequest
from central.errors import ERROR_RESPONSES
from central.identity.verifications import in_china, record
from central.openapi import json_body
from central.routes.citizen_requests import (
    MAX_VERIFICATION_BODY,
    REFUSALS,
    Refused,
    authenticated,
    body_up_to,
    json_response,
    parsed,
)

router = APIRouter(tags=["identity"])


@router.post(
    "/identity/verifications",
    response_model=Verification,
    responses={**REFUSALS, **ERROR_RESPONSES},
    openapi_extra={"requestBody": json_body(VerificationRequest)},
)
def post_verification(request: Request,
                      body: Annotated[bytes, Depends(body_up_to(MAX_VERIFICATION_BODY))]
                      ) -> Response:
    state = request.app.state
    try:
        with state.write_lock, state.sessions() as session:
            now = state.clock()
            terminal_id = authenticated(session, request, body, now).id
            session.commit()
        verification_request = parsed(VerificationRequest, body)
    except Refused as exc:
        return exc.response
    # outside the write lock: a deployment's verifier may take seconds to answer
    check = state.verifier.verify(verification_request, in_china(now).date())
    with state.write_lock, state.sessions() as session:
        answer = record(session, state.citizen_keys, terminal_id, check, now)
        session.commit()
    return json_response(answer)
