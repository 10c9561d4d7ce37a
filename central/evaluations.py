"""好差评 (GB/T 40756 §9.4.8): ratings from terminals, stored once per Idempotency-Key and tied
to the application rated — by its acceptance number, or, for one queued offline, by the local
number the same terminal gave it. A rating whose application has not arrived is kept anyway
with the numbers it named, so nothing is lost.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from central.applications import (
    SubmissionRefused,
    earlier_with_key,
    find,
    request_digest,
    utc,
)
from central.contract import EvaluationAccepted, EvaluationSubmission
from central.db import ApplicationRecord, EvaluationRecord, ServiceRecord


@dataclass(frozen=True)
class Rated:
    answer: EvaluationAccepted
    created: bool


def record_evaluation(session: Session, *, terminal_id: str, idempotency_key: str,
                      evaluation: EvaluationSubmission, now: datetime) -> Rated:
    """Store the rating (the caller commits), or answer a repeat of it."""
    digest = request_digest(evaluation)
    for _attempt in range(2):
        earlier = earlier_with_key(session, EvaluationRecord, terminal_id, idempotency_key,
                                   digest)
        if earlier is not None:
            return Rated(EvaluationAccepted(evaluation_id=earlier.id), created=False)
        if session.get(ServiceRecord, evaluation.service_id) is None:
            raise SubmissionRefused("SERVICE_UNKNOWN",
                                    f"no service {evaluation.service_id} in the catalog")
        record = EvaluationRecord(
            id=f"PJ{secrets.token_hex(8).upper()}", terminal_id=terminal_id,
            idempotency_key=idempotency_key, request_sha256=digest,
            service_id=evaluation.service_id,
            application_id=_application_id(session, terminal_id, evaluation),
            acceptance_number=evaluation.acceptance_number,
            local_number=evaluation.local_number, level=evaluation.level,
            reasons=list(evaluation.reasons), comment=evaluation.comment,
            rated_at=utc(evaluation.rated_at), received_at=now)
        try:
            with session.begin_nested():
                session.add(record)
            return Rated(EvaluationAccepted(evaluation_id=record.id), created=True)
        except IntegrityError:
            continue  # a twin request won the race: answer as it was answered
    raise RuntimeError("could not record the evaluation")


def _application_id(session: Session, terminal_id: str,
                    evaluation: EvaluationSubmission) -> int | None:
    if evaluation.acceptance_number:
        record = find(session, evaluation.acceptance_number)
        if record is not None:
            return record.id
    if evaluation.local_number:
        return session.scalars(select(ApplicationRecord.id).where(
            ApplicationRecord.terminal_id == terminal_id,
            ApplicationRecord.local_number == evaluation.local_number)).first()
    return None

