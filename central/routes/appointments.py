"""预约 routes (`central.contract.appointments`), signed like the queue's; and the public page
the confirmation's QR code opens on the person's phone.

Booking, listing and cancelling act for the holder of a verification made at this terminal
(its token in a header, never in a URL); 签到 by the card sends the ID number in the signed
body, hashed at once. The page shows the service, the day and time, the window area and the
masked name: its token is random and long, so other confirmations cannot be guessed from one.
"""

from __future__ import annotations

from html import escape
from typing import Annotated

from fastapi import APIRouter, Header, Path, Request, Response
from fastapi.responses import HTMLResponse

from central import appointments
from central.applications import KeyReused
from central.contract import HEADER_VERIFICATION, ErrorBody
from central.contract.appointments import (
    APPOINTMENT_TOKEN,
    SERVICE_ID,
    Appointments,
    AppointmentSlots,
    Booking,
    BookingRequest,
    Cancellation,
    CheckIn,
    CheckInRequest,
)
from central.deps import NowDep, PlatformDep, SessionDep
from central.errors import ERROR_RESPONSES, Refused
from central.identity.verifications import current, find_verification
from central.openapi import json_body
from central.routes.certificates import public_url
from central.routes.citizen_requests import idempotent_post
from central.routes.signed import (
    UNAUTHORIZED,
    IdempotencyKey,
    TerminalDep,
    json_response,
    signed_json,
)
from central.routes.verify import HEADERS

router = APIRouter(tags=["appointments"])
page_router = APIRouter(include_in_schema=False)
Token = Annotated[str, Path(pattern=APPOINTMENT_TOKEN)]
ServiceId = Annotated[str, Path(pattern=SERVICE_ID)]
VerificationToken = Annotated[str, Header(
    alias=HEADER_VERIFICATION, min_length=1, max_length=128,
    description="The token of the person's verification at this terminal")]
NOT_VERIFIED = {403: {"model": ErrorBody, "description": "The verification is unknown, "
                                                      "expired or another terminal's"}}
NOT_FOUND = {404: {"model": ErrorBody, "description": "No such appointment of the holder"}}
STATES = {"booked": "已预约", "cancelled": "已取消", "checked_in": "已签到"}


def _holder_key(session: SessionDep, terminal_id: str, token: str, now: NowDep) -> str:
    verification = current(find_verification(session, token, terminal_id), now)
    if verification is None:
        raise Refused(403, "the verification is unknown, expired or another terminal's: "
                           "verify the person again", code="VERIFICATION_REQUIRED")
    return verification.holder_key


@router.get("/appointments/slots/{service_id}", response_model=AppointmentSlots,
            responses={404: {"model": ErrorBody, "description": "Not bookable in this hall"},
                       **UNAUTHORIZED, **ERROR_RESPONSES})
def get_slots(terminal: TerminalDep, service_id: ServiceId, session: SessionDep,
              now: NowDep) -> Response:
    try:
        return json_response(appointments.slots(session, terminal.hall, service_id, now))
    except appointments.NotBookable:
        raise Refused(404, "the service takes no appointments in this hall",
                      code="APPOINTMENT_NOT_BOOKABLE") from None


BOOKING_ROUTE = idempotent_post(Booking, BookingRequest)
BOOKING_ROUTE["responses"] = {**BOOKING_ROUTE["responses"], **NOT_VERIFIED}


@router.post("/appointments", **BOOKING_ROUTE)
def post_booking(terminal: TerminalDep, key: IdempotencyKey,
                 asked: Annotated[BookingRequest, signed_json(BookingRequest)],
                 verification: VerificationToken, request: Request, session: SessionDep,
                 platform: PlatformDep, now: NowDep) -> Response:
    holder_key = _holder_key(session, terminal.id, verification, now)
    try:
        with platform.writing(session):
            booked = appointments.book(
                session, hall=terminal.hall, terminal_id=terminal.id, idempotency_key=key,
                request=asked, holder_key=holder_key, now=now,
                public_url=public_url(request, platform))
    except KeyReused as exc:
        raise Refused(409, str(exc), code="IDEMPOTENCY_KEY_REUSED") from None
    return json_response(booked.booking, 201 if booked.created else 200)


@router.get("/appointments", response_model=Appointments,
            responses={**NOT_VERIFIED, **UNAUTHORIZED, **ERROR_RESPONSES})
def get_mine(terminal: TerminalDep, verification: VerificationToken, request: Request,
             session: SessionDep, platform: PlatformDep, now: NowDep) -> Response:
    holder_key = _holder_key(session, terminal.id, verification, now)
    url = public_url(request, platform)
    found = appointments.upcoming(session, holder_key, now)[-50:]
    return json_response(Appointments(
        appointments=[appointments.appointment_of(session, r, url) for r in found]))


@router.post("/appointments/{token}/cancel", response_model=Cancellation,
             responses={**NOT_FOUND, **NOT_VERIFIED, **UNAUTHORIZED, **ERROR_RESPONSES})
def post_cancel(terminal: TerminalDep, token: Token, verification: VerificationToken,
                request: Request, session: SessionDep, platform: PlatformDep,
                now: NowDep) -> Response:
    holder_key = _holder_key(session, terminal.id, verification, now)
    record = appointments.find(session, token)
    if record is None or record.holder_key != holder_key:  # another's is none of theirs
        raise Refused(404, "no such appointment of the holder", code="APPOINTMENT_UNKNOWN")
    with platform.writing(session):
        answer = appointments.cancel(session, record, now, public_url(request, platform))
    return json_response(answer)


@router.post("/appointments/check-in", response_model=CheckIn,
             responses={**UNAUTHORIZED, **ERROR_RESPONSES},
             openapi_extra={"requestBody": json_body(CheckInRequest)})
def post_check_in(terminal: TerminalDep,
                  asked: Annotated[CheckInRequest, signed_json(CheckInRequest)],
                  request: Request, session: SessionDep, platform: PlatformDep,
                  now: NowDep) -> Response:
    holder_key = (platform.citizen_keys.holder_key(asked.id_number)
                  if asked.id_number is not None else None)
    with platform.writing(session):
        answer = appointments.check_in(
            session, hall=terminal.hall, terminal_id=terminal.id, now=now,
            public_url=public_url(request, platform), token=asked.token, holder_key=holder_key)
    return json_response(answer)


@page_router.get("/appointment/{token}")
def confirmation_page(token: str, request: Request, session: SessionDep,
                      platform: PlatformDep) -> Response:
    """The confirmation on the person's phone: a self-contained page, no scripts."""
    record = appointments.find(session, token[:64])
    if record is None:
        return _page("未查询到该预约", "<p>请核对预约凭条上的二维码，或到服务台询问。</p>", 404)
    shown = appointments.appointment_of(session, record, public_url(request, platform))
    rows = [("事项", shown.service_name), ("日期", shown.day.isoformat()),
            ("时段", f"{shown.start}-{shown.end}"), ("地点", shown.window_area),
            ("预约人", shown.holder_masked), ("状态", STATES[shown.state])]
    body = "<dl>" + "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in rows)
    hint = "<p>请在预约时段开始前 30 分钟内到大厅自助终端扫码或刷身份证签到。</p>"
    return _page("预约凭证", body + "</dl>" + hint, 200)


def _page(title: str, body: str, status: int) -> Response:
    html = ("<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{escape(title)}</title><style>body{{font-family:sans-serif;"
            "margin:1.5em;font-size:1.2em}dt{color:#555}dd{margin:0 0 .6em;font-size:1.4em;"
            f"font-weight:bold}}</style></head><body><h1>{escape(title)}</h1>{body}"
            "</body></html>")
    return HTMLResponse(html, status_code=status, headers=HEADERS)
