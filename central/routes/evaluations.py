"""POST /api/v1/evaluations (with Idempotency-Key): 好差评 from a terminal."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Response

from central.contract import EvaluationAccepted, EvaluationSubmission
from central.deps import NowDep, PlatformDep, SessionDep
from central.evaluations import record_evaluation
from central.routes.citizen_requests import idempotent_post, submitted
from central.routes.signed import IdempotencyKey, TerminalDep, signed_json

router = APIRouter(tags=["evaluations"])


@router.post("/evaluations", **idempotent_post(EvaluationAccepted, EvaluationSubmission))
def post_evaluation(
    terminal: TerminalDep, key: IdempotencyKey,
    evaluation: Annotated[EvaluationSubmission, signed_json(EvaluationSubmission)],
    session: SessionDep, platform: PlatformDep, now: NowDep,
) -> Response:
    return submitted(platform, session, lambda: record_evaluation(
        session, terminal_id=terminal.id, idempotency_key=key, evaluation=evaluation, now=now))
