"""Applications: submit (with Idempotency-Key), look up by number, by receipt code or by the
verified holder, and fetch a result document's PDF. All signed by the terminal."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request, Response
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
from central.errors import ERROR_RESPONSES, error_response
from central.identity.verifications import current, find_verification
from central.routes.citizen_requests import (
    MAX_APPLICATION_BODY,
    MAX_SMALL_BODY,
    REFUSALS,
    Refused,
    authenticated,
    body_up_to,
    idempotent_post,
    json_response,
    submit_once,
)
from central.throttle import SlidingWindow

router = APIRouter(tags=["applications"])

NOT_FOUND = {404: {"model": ErrorBody, "description": "No such application"}}
SmallBody = Annotated[bytes, Depends(body_up_to(MAX_SMALL_BODY))]


@router.post("/applications", **idempotent_post(ApplicationAccepted, ApplicationSubmission))
def post_application(request: Request,
                     body: Annotated[bytes, Depends(body_up_to(MAX_APPLICATION_BODY))]
                     ) -> Response:
    state = request.app.state
    return submit_once(request, body, ApplicationSubmission,
                       lambda session, terminal_id, key, submission, now: applications.submit(
                           session, terminal_id=terminal_id, idempotency_key=key,
                           submission=submission, verifier=state.verifier,
                           keys=state.citizen_keys, now=now))


@router.get("/applications", response_model=ApplicationList,
            responses={403: {"model": ErrorBody, "description": "The verification is unknown, "
                                                                "expired or another terminal's"},
                       **REFUSALS, **ERROR_RESPONSES})
def get_applications_of_holder(
    request: Request, body: SmallBody,
    verification_id: Annotated[str, Header(
        alias=HEADER_VERIFICATION, min_length=1, max_length=128,
        description="The token of the person's verification at this terminal (a header, "
                    "so that it stays out of URLs and access logs)")],
) -> Response:
    state = request.app.state
    try:
        with state.sessions() as session:
            now = state.clock()
            terminal = authenticated(session, request, body, now)
            session.commit()
            verification = current(find_verification(session, verification_id, terminal.id),
                                   now)
            if verification is None:
                return error_response(403, "the verification is unknown, expired or another "
                                           "terminal's: verify the person again")
            found = [applications.progress(session, record)
                     for record in applications.of_holder(session, verification.holder_key)]
    except Refused as exc:
        return exc.response
    return json_response(ApplicationList(applications=found))


@router.get("/applications/by-receipt-code/{code}", response_model=ApplicationProgress,
            responses={**NOT_FOUND, **REFUSALS, **ERROR_RESPONSES})
def get_application_by_receipt_code(request: Request, body: SmallBody, code: str) -> Response:
    keys = request.app.state.citizen_keys
    # the code is signed: holding it is holding the receipt, valid in any hall
    return _progress_of(request, body,
                        lambda session, _terminal: applications.find_by_receipt_code(
                            session, keys, code),
                        "not a genuine receipt code")


@router.get("/applications/{number}", response_model=ApplicationProgress,
            responses={**NOT_FOUND, 429: {"model": ErrorBody, "description": "Too many "
                                                "look-ups by number from this terminal"},
                       **REFUSALS, **ERROR_RESPONSES})
def get_application(request: Request, body: SmallBody, number: str) -> Response:
    # a number is a date and six random digits: guessable. So a terminal sees only its own
    # hall's applications by number (elsewhere: the receipt's QR code or the person's card),
    # and at most LOOKUPS_PER_MINUTE of them; another hall's answers as a missing one does
    return _progress_of(request, body, lambda session, terminal: _in_hall(
        session, applications.find(session, number), terminal), "no application with this number",
        throttle=request.app.state.number_lookups)


def _in_hall(session: Session, record: ApplicationRecord | None,
             terminal: TerminalRecord) -> ApplicationRecord | None:
    if record is None:
        return None
    submitted_at = session.get(TerminalRecord, record.terminal_id)
    return record if submitted_at is not None and submitted_at.hall == terminal.hall else None


def _progress_of(request: Request, body: bytes,
                 find: Callable[[Session, TerminalRecord], ApplicationRecord | None],
                 missing: str, throttle: SlidingWindow | None = None) -> Response:
    """One application's progress for a signed request; 404 with `missing` when `find` (by
    number or by receipt code, for the asking terminal) finds none; 429 past `throttle`."""
    state = request.app.state
    try:
        with state.sessions() as session:
            terminal = authenticated(session, request, body, state.clock())
            session.commit()
            wait_s = throttle.hit(terminal.id) if throttle is not None else None
            if wait_s is not None:
                return error_response(429, "too many look-ups by number from this terminal",
                                      headers={"Retry-After": str(math.ceil(wait_s))})
            record = find(session, terminal)
            if record is None:
                return error_response(404, missing)
            answer = applications.progress(session, record)
    except Refused as exc:
        return exc.response
    return json_response(answer)


@router.get("/applications/{number}/documents/{document_id}",
            responses={200: {"content": {"application/pdf": {}},
                             "description": "The document as PDF"},
                       **NOT_FOUND, **REFUSALS, **ERROR_RESPONSES})
def get_result_document(request: Request, body: SmallBody, number: str,
                        document_id: str) -> Response:
    state = request.app.state
    try:
        with state.sessions() as session:
            authenticated(session, request, body, state.clock())
            session.commit()
            pdf = applications.document_pdf(session, number, document_id)
    except Refused as exc:
        return exc.response
    if pdf is None:
        return error_response(404, "no such document")
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{document_id}.pdf"'})
