"""The console's JSON API under /console/api: the same data and rules as the pages.

Authenticated by the console login cookie; every POST needs the X-CSRF-Token header (its value
comes from GET /console/api/me). A terminal, alert or reconciliation finding outside the
viewer's hall is a 404; resolving a finding is for administrators (403 for a hall manager).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel

from central import releases
from central.console import views
from central.console.users import Viewer
from central.console.web import CsrfLogin, Login
from central.contract import ErrorBody
from central.deps import NowDep, PlatformDep, SessionDep
from central.errors import Refused

NOT_LOGGED_IN: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "Not logged in to the console"}}
CSRF_REFUSED: dict[int | str, dict[str, Any]] = {
    403: {"model": ErrorBody,
          "description": "X-CSRF-Token missing or wrong, or a cross-site Origin"}}
# what a route with a JSON body answers to one that does not parse
NOT_JSON: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "The body is not JSON"}}


def _not_found_doc(what: str) -> dict[int | str, dict[str, Any]]:
    return {404: {"model": ErrorBody, "description": f"No such {what}, or another hall's"}}


router = APIRouter(prefix="/console/api", tags=["console"], responses=NOT_LOGGED_IN)



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


def _not_found(what: str) -> Refused:
    return Refused(404, f"no such {what}")


@router.get("/me", response_model=Me)
def me(login: Login) -> Me:
    viewer: Viewer = login.viewer
    return Me(username=viewer.username, role=viewer.role, hall=viewer.hall,
              csrf_token=login.csrf_token)


@router.get("/terminals", response_model=list[views.TerminalView])
def terminals(login: Login, session: SessionDep, now: NowDep, hall: str | None = None,
              status: Annotated[views.StatusFilter | None, Query()] = None,
              ) -> list[views.TerminalView]:
    return views.list_terminals(session, login.viewer, now, hall, status)


@router.get("/terminals/{terminal_id}", response_model=TerminalDetail,
            responses=_not_found_doc("terminal"))
def terminal(login: Login, session: SessionDep, now: NowDep, terminal_id: str) -> TerminalDetail:
    record = views.find_terminal(session, login.viewer, terminal_id)
    if record is None:
        raise _not_found("terminal")
    return TerminalDetail(
        terminal=views.terminal_view(record, now),
        events=views.events(session, terminal_id),
        commands=views.commands(session, terminal_id),
        alerts=views.alerts(session, login.viewer, terminal_id=terminal_id, limit=50),
    )


@router.post("/terminals/{terminal_id}/commands", response_model=views.CommandView,
             status_code=201,
             responses={**NOT_JSON, **CSRF_REFUSED, **_not_found_doc("terminal")})
def command(login: CsrfLogin, session: SessionDep, now: NowDep, terminal_id: str,
            body: views.CommandRequest) -> views.CommandView:
    record = views.find_terminal(session, login.viewer, terminal_id)
    if record is None:
        raise _not_found("terminal")
    issued = views.issue_command(session, login.viewer, record, body, now)
    session.commit()
    return views.command_view(issued)


@router.get("/alerts", response_model=list[views.AlertView])
def alerts(login: Login, session: SessionDep, hall: str | None = None,
           unacknowledged: bool = False) -> list[views.AlertView]:
    return views.alerts(session, login.viewer, unacknowledged_only=unacknowledged, hall=hall)


@router.post("/alerts/{alert_id}/ack", response_model=views.AlertView,
             responses={**CSRF_REFUSED, **_not_found_doc("alert")})
def acknowledge(login: CsrfLogin, session: SessionDep, now: NowDep,
                alert_id: int) -> views.AlertView:
    alert = views.acknowledge(session, login.viewer, alert_id, now)
    if alert is None:
        raise _not_found("alert")
    session.commit()
    return alert


@router.get("/stats", response_model=views.Stats)
def stats(login: Login, session: SessionDep, now: NowDep, hall: str | None = None,
          terminal: str | None = None) -> views.Stats:
    return views.stats(session, login.viewer, now, hall, terminal)


# -- payments (收费) and reconciliation (对账) ---------------------------------------------------

@router.get("/payments", response_model=views.PaymentTotals)
def payments(login: Login, session: SessionDep, now: NowDep, hall: str | None = None,
             terminal: str | None = None) -> views.PaymentTotals:
    """Today's payments (China's day) of the terminals the viewer may see."""
    return views.payment_totals(session, login.viewer, now, hall, terminal)


@router.get("/payments/findings", response_model=list[views.FindingView])
def findings(login: Login, session: SessionDep, hall: str | None = None,
             terminal: str | None = None, all: bool = False) -> list[views.FindingView]:
    """Reconciliation findings, open ones first (`all`: the resolved ones too)."""
    return views.findings(session, login.viewer, hall=hall, terminal_id=terminal,
                          include_resolved=all)


@router.get("/payments/runs", response_model=list[views.RunView])
def runs(_login: Login, session: SessionDep) -> list[views.RunView]:
    return views.reconciliation_runs(session, limit=60)


@router.post("/payments/findings/{finding_id}/resolve", response_model=views.FindingView,
             responses={**NOT_JSON, **CSRF_REFUSED, **_not_found_doc("finding"),
                        409: {"model": ErrorBody,
                              "description": "Resolved already, or nothing to give back"}})
def resolve_finding(login: CsrfLogin, session: SessionDep, now: NowDep,
                    platform: PlatformDep, finding_id: int,
                    body: views.ResolveRequest) -> views.FindingView:
    """Give a finding's money back (`refund`, through the payments' refund path) or mark it
    settled (`settle`), with a note; administrators only."""
    resolved = views.resolve_finding(session, login.viewer, finding_id, body, now)
    if resolved is None:
        raise _not_found("finding")
    view, refunding = resolved
    session.commit()
    if refunding:
        platform.payments.wake()
    return view


# -- remote update (central.releases): administrators only -------------------------------

ADMIN_ONLY: dict[int | str, dict[str, Any]] = {
    403: {"model": ErrorBody, "description": "Not an administrator (or a CSRF refusal)"}}


class Releases(BaseModel):
    versions: list[str]  # newest first
    rollouts: list[releases.RolloutView]


def _admin(viewer: Viewer) -> None:
    if not viewer.is_admin:
        raise Refused(403, "remote update is for administrators")


@router.get("/releases", response_model=Releases, responses=ADMIN_ONLY)
def release_list(login: Login, session: SessionDep) -> Releases:
    _admin(login.viewer)
    return Releases(versions=releases.versions(session), rollouts=releases.rollouts(session))


@router.post("/rollouts", response_model=releases.RolloutView, status_code=201, responses={
    400: {"model": ErrorBody, "description": "No such release, or no terminals"},
    **ADMIN_ONLY})
def rollout(login: CsrfLogin, session: SessionDep, now: NowDep,
            body: releases.RolloutRequest) -> releases.RolloutView:
    _admin(login.viewer)
    try:
        started = releases.start_rollout(session, body.version,
                                         releases.rollout_terminals(session, body),
                                         body.first_stage, login.viewer.username, now)
    except releases.ReleaseError as exc:
        raise Refused(400, str(exc)) from exc
    session.commit()
    return releases.rollout_view(session, started)
