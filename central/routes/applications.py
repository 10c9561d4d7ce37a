"""Applications: submit (with Idempotency-Key), look up by number, by receipt code or by the
verified holder, and fetch a result document's PDF. All signed by the terminal."""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import APIRouter, Header, Response
from sqlalchemy.orm import Session

from central import applications
from central.contract import (
    HEADER_VERIFICATION,
    ApplicationAccepted,
    ApplicationList,
    ApplicationProgress,
    ApplicationSubmission,
    ErrorBody,
)
from central.db import ApplicationRecord, TerminalRecord
from central.deps import NowDep, PlatformDep, SessionDep
from central.errors import ERROR_RESPONSES, Refused
from central.identity.verifications import current, find_verification
from central.routes.citizen_requests import MAX_APPLICATION_BODY, idempotent_post, submitted
from central.routes.signed import (
    UNAUTHORIZED,
    IdempotencyKey,
    TerminalDep,
    body_limit,
    json_response,
    signed_json,
)

router = APIRouter(tags=["applications"])

NOT_FOUND = {404: {"model": ErrorBody, "description": "No such application"}}


@router.post("/applications", dependencies=[body_limit(MAX_APPLICATION_BODY)],
             **idempotent_post(ApplicationAccepted, ApplicationSubmission))
def post_application(
    terminal: TerminalDep, key: IdempotencyKey,
    submission: Annotated[ApplicationSubmission, signed_json(ApplicationSubmission)],
    session: SessionDep, platform: PlatformDep, now: NowDep,
) -> Response:
    answer = submitted(platform, session, lambda: applications.submit(
        session, terminal_id=terminal.id, idempotency_key=key, submission=submission,
        verifier=platform.verifier, keys=platform.citizen_keys, now=now))
    if submission.payment_order_id is not None:
        platform.payments.wake()  # a refused application's fee goes back at once
    return answer


@router.get("/applications", response_model=ApplicationList,
            responses={403: {"model": ErrorBody, "description": "The verification is unknown, "
                                                                "expired or another terminal's"},
                       **UNAUTHORIZED, **ERROR_RESPONSES})
def get_applications_of_holder(
    terminal: TerminalDep, session: SessionDep, now: NowDep,
    verification_id: Annotated[str, Header(
        alias=HEADER_VERIFICATION, min_length=1, max_length=128,
        description="The token of the person's verification at this terminal (a header, "
                    "so that it stays out of URLs and access logs)")],
) -> Response:
    verification = current(find_verification(session, verification_id, terminal.id), now)
    if verification is None:
        raise Refused(403, "the verification is unknown, expired or another terminal's: "
                           "verify the person again")
    found = [applications.progress(session, record)
             for record in applications.of_holder(session, verification.holder_key)]
    return json_response(ApplicationList(applications=found))


@router.get("/applications/by-receipt-code/{code}", response_model=ApplicationProgress,
            responses={**NOT_FOUND, **UNAUTHORIZED, **ERROR_RESPONSES})
def get_application_by_receipt_code(_terminal: TerminalDep, session: SessionDep,
                                    platform: PlatformDep, code: str) -> Response:
    # the code is signed: holding it is holding the receipt, valid in any hall
    record = applications.find_by_receipt_code(session, platform.citizen_keys, code)
    return _progress(session, record, "not a genuine receipt code")


@router.get("/applications/{number}", response_model=ApplicationProgress,
            responses={**NOT_FOUND, 429: {"model": ErrorBody, "description": "Too many "
                                                "look-ups by number from this terminal"},
                       **UNAUTHORIZED, **ERROR_RESPONSES})
def get_application(terminal: TerminalDep, session: SessionDep, platform: PlatformDep,
                    number: str) -> Response:
    # a number is a date and six random digits: guessable. So a terminal sees only its own
    # hall's applications by number (elsewhere: the receipt's QR code or the person's card),
    # and at most LOOKUPS_PER_MINUTE of them; another hall's answers as a missing one does
    wait_s = platform.number_lookups.hit(terminal.id)
    if wait_s is not None:
        raise Refused(429, "too many look-ups by number from this terminal",
                      headers={"Retry-After": str(math.ceil(wait_s))})
    record = _in_hall(session, applications.find(session, number), terminal)
    return _progress(session, record, "no application with this number")


def _in_hall(session: Session, record: ApplicationRecord | None,
             terminal: TerminalRecord) -> ApplicationRecord | None:
    if record is None:
        return None
    submitted_at = session.get(TerminalRecord, record.terminal_id)
    return record if submitted_at is not None and submitted_at.hall == terminal.hall else None


def _progress(session: Session, record: ApplicationRecord | None, missing: str) -> Response:
    """The application's progress; 404 with `missing` when there is none."""
    if record is None:
        raise Refused(404, missing)
    return json_response(applications.progress(session, record))


@router.get("/applications/{number}/documents/{document_id}",
            responses={200: {"content": {"application/pdf": {}},
                             "description": "The document as PDF"},
                       **NOT_FOUND, **UNAUTHORIZED, **ERROR_RESPONSES})
def get_result_document(_terminal: TerminalDep, session: SessionDep, number: str,
                        document_id: str) -> Response:
    pdf = applications.document_pdf(session, number, document_id)
    if pdf is None:
        raise Refused(404, "no such document")
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{document_id}.pdf"'})
