"""The console's JSON API under /console/api: the same data and rules as the pages.

Authenticated by the console login cookie; every POST needs the X-CSRF-Token header (its value
comes from GET /console/api/me). A terminal or alert outside the viewer's hall is a 404.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel

from central.console import views
from central.console.users import LoggedIn, Viewer
from central.console.web import require_csrf, require_login
from central.contract import ErrorBody
from central.errors import error_response

NOT_LOGGED_IN = {401: {"model": ErrorBody, "description": "Not logged in to the console"}}
CSRF_REFUSED = {403: {"model": ErrorBody, "description": "X-CSRF-Token missing or wrong, or a "
                                                         "cross-site Origin"}}


def _not_found_doc(what: str) -> dict[int | str, dict[str, Any]]:
    return {404: {"model": ErrorBody, "description": f"No such {what}, or another hall's"}}


router = APIRouter(prefix="/console/api", tags=["console"], responses=NOT_LOGGED_IN)

Login = Annotated[LoggedIn, Depends(require_login)]
CsrfLogin = Annotated[LoggedIn, Depends(require_csrf)]


class Me(BaseModel):
    username: str
    role: str
    hall: str | None
    csrf_token: str


class TerminalDetail(BaseModel):
    terminal: views.TerminalView
    events: list[views.EventView]
    commands: list[views.CommandView]
    alerts: list[views.AlertView]


def _not_found(what: str):
    return error_response(404, f"no such {what}")


@router.get("/me", response_model=Me)
def me(login: Login) -> Me:
    viewer: Viewer = login.viewer
    return Me(username=viewer.username, role=viewer.role, hall=viewer.hall,
              csrf_token=login.csrf_token)


@router.get("/terminals", response_model=list[views.TerminalView])
def terminals(request: Request, login: Login, hall: str | None = None,
              status: Annotated[views.StatusFilter | None, Query()] = None,
              ) -> list[views.TerminalView]:
    with request.app.state.sessions() as session:
        return views.list_terminals(session, login.viewer, request.app.state.clock(), hall,
                                    status)


@router.get("/terminals/{terminal_id}", response_model=TerminalDetail,
            responses=_not_found_doc("terminal"))
def terminal(request: Request, login: Login, terminal_id: str):
    now = request.app.state.clock()
    with request.app.state.sessions() as session:
        record = views.find_terminal(session, login.viewer, terminal_id)
        if record is None:
            return _not_found("terminal")
        return TerminalDetail(
            terminal=views.terminal_view(record, now),
            events=views.events(session, terminal_id),
            commands=views.commands(session, terminal_id),
            alerts=views.alerts(session, login.viewer, terminal_id=terminal_id, limit=50),
        )


@router.post("/terminals/{terminal_id}/commands", response_model=views.CommandView,
             status_code=201, responses={
                 400: {"model": ErrorBody, "description": "The body is not JSON"},
                 **CSRF_REFUSED, **_not_found_doc("terminal")})
def command(request: Request, login: CsrfLogin, terminal_id: str,
            body: views.CommandRequest):
    now = request.app.state.clock()
    with request.app.state.sessions() as session:
        record = views.find_terminal(session, login.viewer, terminal_id)
        if record is None:
            return _not_found("terminal")
        issued = views.issue_command(session, login.viewer, record, body, now)
        session.commit()
        return views.command_view(issued)


@router.get("/alerts", response_model=list[views.AlertView])
def alerts(request: Request, login: Login, hall: str | None = None,
           unacknowledged: bool = False) -> list[views.AlertView]:
    with request.app.state.sessions() as session:
        return views.alerts(session, login.viewer, unacknowledged_only=unacknowledged,
                            hall=hall)


@router.post("/alerts/{alert_id}/ack", response_model=views.AlertView,
             responses={**CSRF_REFUSED, **_not_found_doc("alert")})
def acknowledge(request: Request, login: CsrfLogin, alert_id: int):
    with request.app.state.sessions() as session:
        alert = views.acknowledge(session, login.viewer, alert_id, request.app.state.clock())
        if alert is None:
            return _not_found("alert")
        session.commit()
        return alert


@router.get("/stats", response_model=views.Stats)
def stats(request: Request, login: Login, hall: str | None = None,
          terminal: str | None = None) -> views.Stats:
    with request.app.state.sessions() as session:
        return views.stats(session, login.viewer, request.app.state.clock(), hall, terminal)
