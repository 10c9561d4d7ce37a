"""What every citizen-service route does first: read the body (with a limit that fits scanned
pages, unlike a heartbeat's), check the terminal's signature, read the Idempotency-Key, and
parse the contract model. Each step raises `Refused` with the answer to give.

`submit_once` is a whole POST that takes an Idempotency-Key (an application, an evaluation):
201 for a new submission, 200 with the same answer for a repeat, 409 for a key reused with
another body; `idempotent_post` describes it to OpenAPI.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, Protocol, TypeVar

from fastapi import Request, Response
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from central.applications import KeyReused, SubmissionRefused
from central.contract import HEADER_IDEMPOTENCY_KEY, IDEMPOTENCY_KEY_PATTERN, ErrorBody
from central.db import TerminalRecord
from central.errors import ERROR_RESPONSES, error_response
from central.openapi import idempotency_key_header, json_body
from central.routes.signed_body import signed_body
from central.terminal_auth import TerminalAuthError, authenticate, signed_path

M = TypeVar("M", bound=BaseModel)

MAX_VERIFICATION_BODY = 2 * 1024 * 1024  # a face JPEG and the card's photo
MAX_APPLICATION_BODY = 32 * 1024 * 1024  # a few dozen scanned pages
MAX_SMALL_BODY = 64 * 1024

REFUSALS = {
    401: {"model": ErrorBody, "description": "Unsigned, mis-signed, replayed or stale "
                                             "request, or unknown terminal"},
}


class Refused(Exception):
    def __init__(self, response: Response) -> None:
        super().__init__(response.status_code)
        self.response = response


def body_up_to(limit: int) -> Callable[[Request], Awaitable[bytes]]:
    """A dependency giving the body as sent (the signature covers these bytes), read only
    when it may be taken (`central.routes.signed_body`)."""
    return signed_body(limit)


def authenticated(session: Session, request: Request, body: bytes,
                  now: datetime) -> TerminalRecord:
    try:
        return authenticate(session, request.method, signed_path(request), request.headers,
                            body, now, demo=request.app.state.demo)
    except TerminalAuthError as exc:
        raise Refused(error_response(401, exc.message, code=exc.code)) from None


def idempotency_key(request: Request) -> str:
    key = request.headers.get(HEADER_IDEMPOTENCY_KEY, "")
    if not re.fullmatch(IDEMPOTENCY_KEY_PATTERN, key):
        raise Refused(error_response(
            400, f"{HEADER_IDEMPOTENCY_KEY} is required: 16 to 64 of [A-Za-z0-9_-]",
            code="IDEMPOTENCY_KEY_REQUIRED"))
    return key


def parsed(model: type[M], body: bytes) -> M:
    try:
        return model.model_validate_json(body)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "body"
        # the message names the field only: values may be personal data
        raise Refused(error_response(
            422, f"not a {model.__name__}: {where}: {first['msg']}")) from None


def json_response(model: BaseModel, status_code: int = 200) -> Response:
    return Response(model.model_dump_json(), status_code=status_code,
                    media_type="application/json")


class Submitted(Protocol):
    """What a submission gave: the answer, and whether it was new or a repeat of its key."""

    @property
    def answer(self) -> BaseModel: ...

    @property
    def created(self) -> bool: ...


def idempotent_post(accepted: type[BaseModel], submission: type[BaseModel]) -> dict[str, Any]:
    """The `router.post` arguments describing a `submit_once` route."""
    return {
        "status_code": 201,
        "response_model": accepted,
        "responses": {
            200: {"model": accepted, "description": "A repeat of an earlier key"},
            400: {"model": ErrorBody, "description": "Idempotency-Key missing or malformed"},
            409: {"model": ErrorBody, "description": "The key came with another body"},
            **REFUSALS, **ERROR_RESPONSES},
        "openapi_extra": {"requestBody": json_body(submission),
                          "parameters": [idempotency_key_header(required=True)]},
    }


def submit_once(request: Request, body: bytes, model: type[M],
                submit: Callable[[Session, str, str, M, datetime], Submitted]) -> Response:
    """Check the signature, read the key and the `model`, and `submit(session, terminal_id,
    key, submission, now)` under the write lock; the answer as 201 (new) or 200 (a repeat)."""
    state = request.app.state
    try:
        with state.write_lock, state.sessions() as session:
            now = state.clock()
            terminal = authenticated(session, request, body, now)
            session.commit()  # the nonce is spent whatever follows
            key = idempotency_key(request)
            submission = parsed(model, body)
            outcome = submit(session, terminal.id, key, submission, now)
            session.commit()
    except Refused as exc:
        return exc.response
    except SubmissionRefused as exc:
        return error_response(422, exc.message, code=exc.code)
    except KeyReused as exc:
        return error_response(409, str(exc), code="IDEMPOTENCY_KEY_REUSED")
    return json_response(outcome.answer, 201 if outcome.created else 200)
