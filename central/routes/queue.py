"""取号 routes (`central.contract.queue`): the groups and tickets of the terminal's hall, signed;
and the public page a ticket's QR code opens on the person's phone.

The page says the number, the window area, the people ahead and the estimated wait: nothing
about the person (a ticket holds nothing about them). Its token is random and long, so the
pages of other tickets cannot be guessed from one.
"""

from __future__ import annotations

from html import escape
from typing import Annotated

from fastapi import APIRouter, Path, Request, Response
from fastapi.responses import HTMLResponse

from central import queue, queue_offline
from central.applications import KeyReused
from central.contract import ErrorBody
from central.contract.queue import (
    TICKET_TOKEN,
    LeaseRequest,
    OfflineTicket,
    QueueGroups,
    QueueLeases,
    Ticket,
    TicketRequest,
)
from central.deps import NowDep, PlatformDep, SessionDep
from central.errors import ERROR_RESPONSES, Refused
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

router = APIRouter(tags=["queue"])
page_router = APIRouter(include_in_schema=False)
Token = Annotated[str, Path(pattern=TICKET_TOKEN)]
STATES = {"waiting": "等候中", "called": "已叫号，请到窗口办理", "served": "已办理",
          "gone": "已过号"}
REASONS = {"age_70": "70 岁以上", "pregnant": "孕期（需窗口核验）",
           "disability": "残疾人（需窗口核验）", "appointment": "预约签到"}


@router.get("/queue/groups", response_model=QueueGroups,
            responses={**UNAUTHORIZED, **ERROR_RESPONSES})
def get_groups(terminal: TerminalDep, session: SessionDep, now: NowDep) -> Response:
    return json_response(queue.groups(session, terminal.hall, now))


@router.post("/queue/tickets", **idempotent_post(Ticket, TicketRequest))
def post_ticket(terminal: TerminalDep, key: IdempotencyKey,
                asked: Annotated[TicketRequest, signed_json(TicketRequest)],
                request: Request, session: SessionDep, platform: PlatformDep,
                now: NowDep) -> Response:
    try:
        with platform.writing(session):
            taken = queue.take_ticket(session, hall=terminal.hall, terminal_id=terminal.id,
                                      idempotency_key=key, request=asked, now=now,
                                      public_url=public_url(request, platform))
    except queue.QueueRefused as exc:
        raise Refused(422, exc.message, code=exc.code) from None
    except KeyReused as exc:
        raise Refused(409, str(exc), code="IDEMPOTENCY_KEY_REUSED") from None
    return json_response(taken.ticket, 201 if taken.created else 200)


@router.get("/queue/tickets/{token}", response_model=Ticket,
            responses={404: {"model": ErrorBody, "description": "No such ticket in the hall"},
                       **UNAUTHORIZED, **ERROR_RESPONSES})
def get_ticket(terminal: TerminalDep, token: Token, request: Request, session: SessionDep,
               platform: PlatformDep) -> Response:
    record = queue.find(session, token)
    if record is None or record.hall != terminal.hall:
        raise Refused(404, "no such ticket", code="QUEUE_TICKET_UNKNOWN")
    return json_response(queue.ticket_of(session, record, public_url(request, platform)))


@page_router.get("/queue/ticket/{token}")
def ticket_page(token: str, request: Request, session: SessionDep,
                platform: PlatformDep) -> Response:
    """The ticket's status for the person's phone: a self-contained page, no scripts."""
    record = queue.find(session, token[:64])
    if record is None and queue_offline.lease_of_token(session, token[:64]) is not None:
        return _page(*NOT_YET_RECEIVED, 200)  # an offline ticket on its way (queue_offline)
    if record is None:
        return _page("未查询到该排队号", "<p>请核对小票上的二维码，或到服务台询问。</p>", 404)
    ticket = queue.ticket_of(session, record, public_url(request, platform))
    rows = [("排队号", ticket.number), ("业务", ticket.group_name),
            ("窗口", ticket.window_area), ("状态", STATES[ticket.state])]
    if ticket.priority is not None:
        rows.append(("优先", REASONS[ticket.priority]))
    if ticket.state == "waiting":
        rows += [("前面还有", f"{ticket.people_ahead} 人"),
                 ("预计等候", f"约 {ticket.wait_minutes} 分钟")]
    if ticket.issued_offline:
        rows.append(("取号方式", "排队系统离线时在自助终端取号，已同步"))
    body = "<dl>" + "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in rows)
    return _page(f"排队号 {ticket.number}", body + "</dl><p>刷新本页查看最新情况。</p>", 200)


# -- 取号 offline (central.queue_offline) ------------------------------------------------------

NOT_YET_RECEIVED = ("排队系统尚未收到该排队号",
                    "<p>此号是排队系统离线时在自助终端取的，终端恢复连接后会自动同步。</p>"
                    "<p>请留意叫号，以窗口叫号为准；稍后刷新本页查看。</p>")


@router.post("/queue/leases", response_model=QueueLeases,
             responses={**UNAUTHORIZED, **ERROR_RESPONSES})
def post_leases(terminal: TerminalDep, asked: Annotated[LeaseRequest, signed_json(LeaseRequest)],
                request: Request, session: SessionDep, platform: PlatformDep,
                now: NowDep) -> Response:
    """The terminal's blocks of numbers for a day. No Idempotency-Key: what is granted follows
    from what the terminal holds and has used, so asking again grants nothing more."""
    try:
        with platform.writing(session):
            leases = queue_offline.leases(session, hall=terminal.hall, terminal_id=terminal.id,
                                          day=asked.day, now=now,
                                          public_url=public_url(request, platform))
    except queue.QueueRefused as exc:
        raise Refused(422, exc.message, code=exc.code) from None
    return json_response(leases)


@router.post("/queue/offline-tickets", **idempotent_post(Ticket, OfflineTicket))
def post_offline_ticket(terminal: TerminalDep, key: IdempotencyKey,
                        asked: Annotated[OfflineTicket, signed_json(OfflineTicket)],
                        request: Request, session: SessionDep, platform: PlatformDep,
                        now: NowDep) -> Response:
    """A ticket the terminal gave while the platform was away, into the day's queue."""
    try:
        with platform.writing(session):
            taken = queue_offline.reconcile(
                session, hall=terminal.hall, terminal_id=terminal.id, idempotency_key=key,
                offline=asked, now=now, public_url=public_url(request, platform))
    except queue.QueueRefused as exc:
        raise Refused(422, exc.message, code=exc.code) from None
    except KeyReused as exc:
        raise Refused(409, str(exc), code="IDEMPOTENCY_KEY_REUSED") from None
    return json_response(taken.ticket, 201 if taken.created else 200)


def _page(title: str, body: str, status: int) -> Response:
    html = ("<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{escape(title)}</title><style>body{{font-family:sans-serif;"
            "margin:1.5em;font-size:1.2em}dt{color:#555}dd{margin:0 0 .6em;font-size:1.4em;"
            f"font-weight:bold}}</style></head><body><h1>{escape(title)}</h1>{body}"
            "</body></html>")
    return HTMLResponse(html, status_code=status, headers=HEADERS)
