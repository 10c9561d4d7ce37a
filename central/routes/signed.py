"""What the routes terminals sign take, as dependencies, and how they answer:

    SignedBody        the body as sent (the signature covers these exact bytes), up to 64 kB
                      unless the route says more with `dependencies=[body_limit(n)]`
    TerminalDep       the terminal that signed the request (`central.terminal_auth`); its
                      nonce is spent, committed, whatever the route answers after
    IdempotencyKey    the Idempotency-Key a write must carry
    signed_json(M)    the body as the contract model M

Each raises `Refused`, answered as an `ErrorBody`: 401 with the signature's code, 400 without
an Idempotency-Key, 422 for a body that is not M. A request that is not signed is refused as
such (401) whatever else is wrong with it, since the others depend on `TerminalDep`; a route
lists `IdempotencyKey` before its model, so a missing key is a 400 before the body is looked
at. `authenticated` and `parsed` are the same checks for a route that does them in its own
write (the heartbeat).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request, Response
from fastapi.params import Depends as DependsParam
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from central.contract import HEADER_IDEMPOTENCY_KEY, IDEMPOTENCY_KEY_PATTERN, ErrorBody
from central.db import TerminalRecord
from central.deps import NowDep, PlatformDep, PlatformState, SessionDep
from central.errors import Refused
from central.routes.signed_body import MAX_BODY, read_signed_body
from central.terminal_auth import authenticate, signed_path

M = TypeVar("M", bound=BaseModel)

# for OpenAPI: every signed route may answer this
UNAUTHORIZED: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "Unsigned, mis-signed, replayed or stale request, "
                                             "or unknown terminal"},
}


def body_limit(limit: int) -> DependsParam:
    """For a route's `dependencies`: its `SignedBody` may be up to `limit` bytes (a route's own
    dependencies come before those of its parameters, so this is known before the body is
    read)."""

    async def allow(request: Request) -> None:
        request.state.body_limit = limit

    return Depends(allow)


async def _body(request: Request, platform: PlatformDep) -> bytes:
    limit = getattr(request.state, "body_limit", MAX_BODY)
    return await read_signed_body(request, platform, limit)


SignedBody = Annotated[bytes, Depends(_body)]


def authenticated(request: Request, body: bytes, session: Session, platform: PlatformState,
                  now: datetime) -> TerminalRecord:
    """The terminal that signed the request, its nonce recorded in `session` (uncommitted)."""
    return authenticate(session, request.method, signed_path(request), request.headers, body,
                        now, demo=platform.demo)


def _terminal(request: Request, body: SignedBody, platform: PlatformDep, session: SessionDep,
              now: NowDep) -> TerminalRecord:
    with platform.writing(session):  # the nonce is a write: it takes its turn
        return authenticated(request, body, session, platform, now)


TerminalDep = Annotated[TerminalRecord, Depends(_terminal)]


def parsed(model: type[M], body: bytes) -> M:
    """`body` as `model`; 422 naming the first field that is wrong."""
    try:
        return model.model_validate_json(body)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "body"
        # the message names the field only: values may be personal data
        raise Refused(422, f"not a {model.__name__}: {where}: {first['msg']}") from None


def signed_json(model: type[M]) -> DependsParam:
    """A dependency: the signed body as `model` (`parsed`)."""

    async def parse(_terminal: TerminalDep, body: SignedBody) -> BaseModel:
        # a few kB parse in less time than a hop to a thread takes; scanned pages do not
        if len(body) <= MAX_BODY:
            return parsed(model, body)
        return await run_in_threadpool(parsed, model, body)

    return Depends(parse)


async def _idempotency_key(request: Request, _terminal: TerminalDep) -> str:
    key = request.headers.get(HEADER_IDEMPOTENCY_KEY, "")
    if not re.fullmatch(IDEMPOTENCY_KEY_PATTERN, key):
        raise Refused(400, f"{HEADER_IDEMPOTENCY_KEY} is required: 16 to 64 of [A-Za-z0-9_-]",
                      code="IDEMPOTENCY_KEY_REQUIRED")
    return key


IdempotencyKey = Annotated[str, Depends(_idempotency_key)]


def json_response(model: BaseModel, status_code: int = 200) -> Response:
    return Response(model.model_dump_json(), status_code=status_code,
                    media_type="application/json")
