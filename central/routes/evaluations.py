"""POST /api/v1/evaluations (with Idempotency-Key): 好差评 from a terminal."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from central.applications import KeyReused, SubmissionRefused
from central.contract import ErrorBody, EvaluationAccepted, EvaluationSubmission
from central.errors import ERROR_RESPONSES, error_response
from central.evaluations import record_evaluation
from central.routes.citizen_requests import (
    MAX_SMALL_BODY,
    REFUSALS,
    Refused,
    authenticated,
    body_up_to,
    idempotency_key,
    json_response,
    parsed,
)

router = APIRouter(tags=["evaluations"])


@router.post(
    "/evaluations",
    status_code=201,
    response_model=EvaluationAccepted,
    responses={200: {"model": EvaluationAccepted, "description": "A repeat of an earlier key"},
               400: {"model": ErrorBody, "description": "Idempotency-Key missing or malformed"},
               409: {"model": ErrorBody, "description": "The key came with another body"},
               **REFUSALS, **ERROR_RESPONSES},
    openapi_extra={"requestBody": {"required": True, "content": {
        "application/json": {"schema": EvaluationSubmission.model_json_schema()}}}},
)
def post_evaluation(request: Request,
                    body: Annotated[bytes, Depends(body_up_to(MAX_SMALL_BODY))]) -> Response:
    state = request.app.state
    try:
        with state.write_lock, state.sessions() as session:
            now = state.clock()
            terminal = authenticated(session, request, body, now)
            session.commit()  # the nonce is spent whatever follows
            key = idempotency_key(request)
            evaluation = parsed(EvaluationSubmission, body)
            rated = record_evaluation(session, terminal_id=terminal.id, idempotency_key=key,
                                      evaluation=evaluation, now=now)
            session.commit()
    except Refused as exc:
        return exc.response
    except SubmissionRefused as exc:
        return error_response(422, exc.message, code=exc.code)
    except KeyReused as exc:
        return error_response(409, str(exc), code="IDEMPOTENCY_KEY_REUSED")
    return json_response(rated.answer, 201 if rated.created else 200)
