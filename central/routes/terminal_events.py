"""POST /api/v1/terminal-events (with Idempotency-Key): staff at a terminal's screen.

What the terminal queued (`central.contract.staff`): each event recorded once by its id, so a
batch sent again after a lost answer changes nothing.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Response

from central.contract.staff import StaffEvents, StaffEventsRecorded
from central.deps import NowDep, PlatformDep, SessionDep
from central.routes.citizen_requests import idempotent_post
from central.routes.signed import IdempotencyKey, TerminalDep, json_response, signed_json
from central.staff_events import record_staff_events

router = APIRouter(tags=["terminals"])


@router.post("/terminal-events", **idempotent_post(StaffEventsRecorded, StaffEvents))
def post_terminal_events(
    terminal: TerminalDep, _key: IdempotencyKey,
    events: Annotated[StaffEvents, signed_json(StaffEvents)],
    session: SessionDep, platform: PlatformDep, now: NowDep,
) -> Response:
    with platform.writing(session):
        recorded = record_staff_events(session, terminal.id, events.events, now)
    return json_response(StaffEventsRecorded(recorded=recorded), 201 if recorded else 200)
