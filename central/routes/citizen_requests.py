"""What the citizen-service routes share: how large their bodies may be (scanned pages, unlike a
heartbeat), and the POSTs that take an Idempotency-Key (an application, an evaluation).

`submitted` answers such a POST: 201 for a new submission, 200 with the same answer for a
repeat, 409 for a key reused with another body, 422 for a submission that cannot be one;
`idempotent_post` describes it to OpenAPI.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from fastapi import Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from central.applications import KeyReused, SubmissionRefused
from central.contract import ErrorBody
from central.deps import PlatformState
from central.errors import ERROR_RESPONSES, Refused
from central.openapi import idempotency_key_header, json_body
from central.routes.signed import UNAUTHORIZED, json_response

MAX_VERIFICATION_BODY = 2 * 1024 * 1024  # a face JPEG and the card's photo
MAX_APPLICATION_BODY = 32 * 1024 * 1024  # a few dozen scanned pages


class Submitted(Protocol):
    """What a submission gave: the answer, and whether it was new or a repeat of its key."""

    @property
    def answer(self) -> BaseModel: ...

    @property
    def created(self) -> bool: ...


def idempotent_post(accepted: type[BaseModel], submission: type[BaseModel]) -> dict[str, Any]:
    """The `router.post` arguments describing a `submitted` route."""
    return {
        "status_code": 201,
        "response_model": accepted,
        "responses": {
            200: {"model": accepted, "description": "A repeat of an earlier key"},
            400: {"model": ErrorBody, "description": "Idempotency-Key missing or malformed"},
            409: {"model": ErrorBody, "description": "The key came with another body"},
            **UNAUTHORIZED, **ERROR_RESPONSES},
        "openapi_extra": {"requestBody": json_body(submission),
                          "parameters": [idempotency_key_header(required=True)]},
    }


def submitted(platform: PlatformState, session: Session,
              submit: Callable[[], Submitted]) -> Response:
    """`submit()`, written; the answer as 201 (new) or 200 (a repeat)."""
    try:
        with platform.writing(session):
            outcome = submit()
    except SubmissionRefused as exc:
        raise Refused(422, exc.message, code=exc.code) from None
    except KeyReused as exc:
        raise Refused(409, str(exc), code="IDEMPOTENCY_KEY_REUSED") from None
    return json_response(outcome.answer, 201 if outcome.created else 200)
