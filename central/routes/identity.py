"""POST /api/v1/identity/verifications: who is at the kiosk, at which GB/T 39047 level.

The verifier is the app's (`create_app(verifier=...)`); the answer's token proves the
verification to later requests of the same terminal (applications, the by-holder lookup).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from central.contract import Verification, VerificationRequest
from central.errors import ERROR_RESPONSES
from central.identity.verifications import verify_and_record
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
    openapi_extra={"requestBody": {"required": True, "content": {
        "application/json": {"schema": VerificationRequest.model_json_schema()}}}},
)
def post_verification(request: Request,
                      body: Annotated[bytes, Depends(body_up_to(MAX_VERIFICATION_BODY))]
                      ) -> Response:
    state = request.app.state
    try:
        with state.write_lock, state.sessions() as session:
            now = state.clock()
            terminal = authenticated(session, request, body, now)
            verification_request = parsed(VerificationRequest, body)
            answer = verify_and_record(session, state.verifier, state.citizen_keys,
                                       terminal.id, verification_request, now)
            session.commit()
    except Refused as exc:
        return exc.response
    return json_response(answer)
