"""POST /api/v1/heartbeats: a terminal reports its state and gets its commands back.

Signed like every terminal request (`central.terminal_auth`); the terminal is the one that
signed, so a terminal can only ever report for itself.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from central.contract import Heartbeat, HeartbeatAnswer
from central.deps import NowDep, PlatformDep, SessionDep
from central.errors import ERROR_RESPONSES
from central.heartbeats import record_heartbeat
from central.openapi import json_body
from central.releases import target_version
from central.routes.signed import UNAUTHORIZED, SignedBody, authenticated, json_response, parsed

router = APIRouter(tags=["terminals"])


@router.post(
    "/heartbeats",
    response_model=HeartbeatAnswer,
    responses={**UNAUTHORIZED, **ERROR_RESPONSES},
    openapi_extra={"requestBody": json_body(Heartbeat)},
)
def post_heartbeat(request: Request, body: SignedBody, session: SessionDep,
                   platform: PlatformDep, now: NowDep) -> Response:
    # not `TerminalDep`: the busiest route signs in and records in one write (one commit, one
    # thread), and a heartbeat that is refused spends no nonce
    with platform.writing(session):
        terminal = authenticated(request, body, session, platform, now)
        heartbeat = parsed(Heartbeat, body)
        answer = record_heartbeat(session, terminal, heartbeat, now)
        target = target_version(session, terminal, heartbeat, now)  # remote update
        if target is not None:
            answer = answer.model_copy(update={"target_version": target})
    platform.heartbeats_received.add()
    return json_response(answer)
