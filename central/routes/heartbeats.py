"""POST /api/v1/heartbeats: a terminal reports its state and gets its commands back.

Signed like every terminal request (`central.terminal_auth`); the terminal is the one that
signed, so a terminal can only ever report for itself.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from pydantic import ValidationError

from central.contract import ErrorBody, Heartbeat, HeartbeatAnswer
from central.errors import ERROR_RESPONSES, error_response
from central.heartbeats import record_heartbeat
from central.openapi import json_body
from central.routes.signed_body import raw_body
from central.terminal_auth import TerminalAuthError, authenticate, signed_path

router = APIRouter(tags=["terminals"])

UNAUTHORIZED = {401: {"model": ErrorBody, "description": "Unsigned, mis-signed, replayed or "
                                                          "stale request, or unknown terminal"}}


def refused(exc: TerminalAuthError) -> Response:
    return error_response(401, exc.message, code=exc.code)


@router.post(
    "/heartbeats",
    response_model=HeartbeatAnswer,
    responses={**UNAUTHORIZED, **ERROR_RESPONSES},
    openapi_extra={"requestBody": json_body(Heartbeat)},
)
def post_heartbeat(request: Request, body: Annotated[bytes, Depends(raw_body)]) -> Response:
    state = request.app.state
    with state.write_lock, state.sessions() as session:
        now = state.clock()
        try:
            terminal = authenticate(session, "POST", signed_path(request), request.headers,
                                    body, now, demo=state.demo)
        except TerminalAuthError as exc:
            return refused(exc)
        try:
            heartbeat = Heartbeat.model_validate_json(body)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(part) for part in first["loc"]) or "body"
            return error_response(422, f"not a Heartbeat: {where}: {first['msg']}")
        answer = record_heartbeat(session, terminal, heartbeat, now)
        session.commit()
    request.app.state.heartbeats_received.add()
    return Response(answer.model_dump_json(), media_type="application/json")
