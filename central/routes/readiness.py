"""POST /api/v1/readiness: a terminal's readiness report (boot self-test); the latest is kept.

Signed like every terminal request, so a terminal reports only for itself. No
Idempotency-Key: storing replaces the terminal's one report, so a repeat changes nothing, and
an older report arriving late is not kept over a newer one (`central.readiness`).
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from central.contract.readiness import ReadinessReceived, ReadinessReport
from central.deps import NowDep, PlatformDep, SessionDep
from central.errors import ERROR_RESPONSES
from central.openapi import json_body
from central.readiness import record_readiness
from central.routes.signed import UNAUTHORIZED, SignedBody, authenticated, json_response, parsed

router = APIRouter(tags=["terminals"])


@router.post(
    "/readiness",
    response_model=ReadinessReceived,
    responses={**UNAUTHORIZED, **ERROR_RESPONSES},
    openapi_extra={"requestBody": json_body(ReadinessReport)},
)
def post_readiness(request: Request, body: SignedBody, session: SessionDep,
                   platform: PlatformDep, now: NowDep) -> Response:
    # signed in and stored in one write, as a heartbeat is: a refused report spends no nonce
    with platform.writing(session):
        terminal = authenticated(request, body, session, platform, now)
        answer = record_readiness(session, terminal, parsed(ReadinessReport, body), now)
    return json_response(answer)
