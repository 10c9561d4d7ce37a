"""POST /api/v1/evaluations (with Idempotency-Key): 好差评 from a terminal."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from central.contract import EvaluationAccepted, EvaluationSubmission
from central.evaluations import record_evaluation
from central.routes.citizen_requests import (
    MAX_SMALL_BODY,
    body_up_to,
    idempotent_post,
    submit_once,
)

router = APIRouter(tags=["evaluations"])


@router.post("/evaluations", **idempotent_post(EvaluationAccepted, EvaluationSubmission))
def post_evaluation(request: Request,
                    body: Annotated[bytes, Depends(body_up_to(MAX_SMALL_BODY))]) -> Response:
    return submit_once(request, body, EvaluationSubmission,
                       lambda session, terminal_id, key, evaluation, now: record_evaluation(
                           session, terminal_id=terminal_id, idempotency_key=key,
                           evaluation=evaluation, now=now))
