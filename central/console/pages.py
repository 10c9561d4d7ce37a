"""The console's pages: login, overview with charts, terminals, one terminal, alerts, payments
(收费 and 对账).

Server-rendered; the parts that change on their own (the terminal table, a terminal's state)
are fragments that htmx reloads every few seconds, and commands and acknowledgements are forms
that htmx posts (they work as plain forms without JavaScript too).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from central import releases
from central.console import views
from central.console.users import (
    LoggedIn,
    LoginResult,
    Viewer,
    check_login,
    close_session,
    open_session,
)
from central.console.web import (
    CONSOLE,
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    CsrfLogin,
    Login,
    OptionalLogin,
    is_https,
    login_csrf_token,
    redirect,
    render,
    safe_next,
    set_login_csrf_cookie,
    set_session_cookie,
)
from central.deps import NowDep, PlatformDep, PlatformState, SessionDep
from central.errors import Refused, error_response
from central.readiness import latest_readiness

router = APIRouter(prefix=CONSOLE, include_in_schema=False)
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Page:
    """What a console page is drawn from (the request, who is logged in, a database session,
    the time) and how it is drawn."""

    request: Request
    login: LoggedIn
    session: Session
    platform: PlatformState
    now: datetime

    @property
    def viewer(self) -> Viewer:
        return self.login.viewer

    def render(self, template: str, context: dict, *, frame: str | None = None,
               status_code: int = 200) -> Response:
        """`template` with `context`; a whole page also gets what its frame shows: which
        `frame` is lit in the menu, the alerts not yet seen, how often the live parts
        reload."""
        if frame is not None:
            context = {"page": frame, "live_seconds": self.platform.live_seconds,
                       "unacked": views.unacknowledged_count(self.session, self.viewer),
                       **context}
        return render(self.request, template, context, status_code, login=self.login)

    def not_found(self) -> Response:
        return self.render("not_found.html", {}, frame="", status_code=404)


async def _page(request: Request, login: Login, session: SessionDep, platform: PlatformDep,
                now: NowDep) -> Page:
    return Page(request, login, session, platform, now)


async def _action(request: Request, login: CsrfLogin, session: SessionDep,
                  platform: PlatformDep, now: NowDep) -> Page:
    return Page(request, login, session, platform, now)


# a page, and a form's POST: a page whose request carries the session's CSRF token
PageDep = Annotated[Page, Depends(_page)]
ActionDep = Annotated[Page, Depends(_action)]


def _is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


# -- login -----------------------------------------------------------------------------------

@router.get("/login")
def login_page(request: Request, login: OptionalLogin, next: str | None = None) -> Response:
    if login is not None:
        return redirect(safe_next(next))
    return _login_form(request, next, None)


def _login_form(request: Request, next_url: str | None, error: str | None,
                status_code: int = 200) -> Response:
    token = login_csrf_token(request)
    response = render(request, "login.html", {"next": safe_next(next_url), "error": error,
                                              "csrf_token": token}, status_code)
    set_login_csrf_cookie(response, request, token)
    return response


@router.post("/login")
async def login(request: Request, platform: PlatformDep, username: Annotated[str, Form()],
                password: Annotated[str, Form()], csrf_token: Annotated[str, Form()] = "",
                next: Annotated[str, Form()] = "") -> Response:
    """Throttled by address and by name (429), at most a few password hashes at a time (503),
    and one answer, 401 "用户名或密码错误", for an unknown user, a wrong password and a locked
    account alike (see `central.console.login_guard` and `check_login`)."""
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE)
    origin = request.headers.get("origin")
    if (not cookie or cookie != csrf_token
            or (origin is not None and origin != f"{request.url.scheme}://{request.url.netloc}")):
        return _login_form(request, next, "页面已过期，请重新登录。", 403)
    username = username.strip()
    address = request.client.host if request.client else "unknown"
    guard = platform.login_guard
    refusal = guard.admit(address, username)
    token: str | None = None
    result = LoginResult(None)
    if refusal is None:
        async with guard.hashes.slot(guard.hash_wait_s) as free:
            if free:
                token, result = await run_in_threadpool(_check_and_open, platform, username,
                                                        password)
            else:
                refusal = guard.busy()
                guard.refund(address, username)  # nothing was checked
    if refusal is not None:
        log.warning("console login refused (%d) for %r from %s", refusal.status,
                    username[:64], address)
        response = _login_form(request, next, refusal.message, refusal.status)
        response.headers["Retry-After"] = str(refusal.retry_after_s)
        return response
    if token is None:
        if result.locked_until is not None:  # for staff; the caller learns nothing of it
            log.warning("console login for %r from %s refused: locked until %s",
                        username[:64], address, result.locked_until.isoformat())
        return _login_form(request, next, "用户名或密码错误。", 401)
    guard.refund(address, username)  # a login that succeeds does not count against anyone
    response = redirect(safe_next(next))
    set_session_cookie(response, request, token)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path=CONSOLE, secure=is_https(request),
                           httponly=True, samesite="strict")
    return response


def _check_and_open(platform: PlatformState, username: str,
                    password: str) -> tuple[str | None, LoginResult]:
    now = platform.clock()  # once a hashing slot is free
    with platform.sessions() as session:
        result = check_login(session, username, password, now, platform.write_lock)
        if result.viewer is None:
            return None, result
        with platform.writing(session):
            token = open_session(session, result.viewer, now)
    return token, result


@router.post("/logout")
def logout(request: Request, _login: CsrfLogin, session: SessionDep) -> Response:
    close_session(session, request.cookies.get(SESSION_COOKIE))
    session.commit()
    response = redirect(f"{CONSOLE}/login")
    response.delete_cookie(SESSION_COOKIE, path=CONSOLE, secure=is_https(request),
                           httponly=True, samesite="strict")
    return response


# -- overview --------------------------------------------------------------------------------

@router.get("")
@router.get("/")
def overview(page: PageDep, hall: str | None = None) -> Response:
    session, viewer, now = page.session, page.viewer, page.now
    stats = views.stats(session, viewer, now, hall)
    problems = [t for t in views.list_terminals(session, viewer, now, hall)
                if t.status in ("offline", "degraded") or t.maintenance]
    return page.render("overview.html", {
        "stats": stats, "problems": problems[:12],
        "alerts": views.alerts(session, viewer, unacknowledged_only=True, hall=hall, limit=10),
        "halls": views.halls(session, viewer), "hall": hall,
        "chart": stats.model_dump(mode="json"),  # |tojson: data, never markup
    }, frame="overview")


# -- terminals -------------------------------------------------------------------------------

@router.get("/terminals")
def terminals(page: PageDep, hall: str | None = None, status: str | None = None) -> Response:
    return page.render("terminals.html", {
        "halls": views.halls(page.session, page.viewer), "hall": hall or "",
        "status": status or "", **_terminal_rows(page, hall, status)}, frame="terminals")


@router.get("/terminals/table")
def terminal_table(page: PageDep, hall: str | None = None,
                   status: str | None = None) -> Response:
    return page.render("_terminal_table.html", _terminal_rows(page, hall, status))


def _terminal_rows(page: Page, hall: str | None, status: str | None) -> dict:
    status = status if status in ("online", "degraded", "offline", "never",
                                  "maintenance") else None
    rows = views.list_terminals(page.session, page.viewer, page.now, hall or None, status)
    return {"terminals": rows, "query": {"hall": hall or "", "status": status or ""}}


@router.get("/terminals/{terminal_id}")
def terminal(page: PageDep, terminal_id: str) -> Response:
    context = _terminal_context(page, terminal_id)
    if context is None:
        return page.not_found()
    return page.render("terminal.html", context, frame="terminals")


@router.get("/terminals/{terminal_id}/live")
def terminal_live(page: PageDep, terminal_id: str) -> Response:
    context = _terminal_context(page, terminal_id)
    if context is None:
        return page.not_found()
    return page.render("_terminal_live.html", context)


def _terminal_context(page: Page, terminal_id: str) -> dict | None:
    session, viewer, now = page.session, page.viewer, page.now
    record = views.find_terminal(session, viewer, terminal_id)
    if record is None:
        return None
    stats = views.stats(session, viewer, now, terminal_id=terminal_id)
    return {
        "terminal": views.terminal_view(record, now),
        "events": views.events(session, terminal_id, limit=50),
        "device_history": views.events(session, terminal_id, limit=50, device_only=True),
        "commands": views.commands(session, terminal_id, limit=10),
        "alerts": views.alerts(session, viewer, terminal_id=terminal_id, limit=20),
        "chart": stats.model_dump(mode="json"),  # |tojson: data, never markup
        "payments": views.payment_totals(session, viewer, now, terminal_id=terminal_id),
        "findings": views.findings(session, viewer, terminal_id=terminal_id,
                                   include_resolved=True, limit=20),
        "readiness": latest_readiness(session, terminal_id, now),
    }


@router.post("/terminals/{terminal_id}/commands")
async def command(action: ActionDep, terminal_id: str) -> Response:
    form = await action.request.form()
    try:
        # validated as any body: a file or a missing kind is refused like an unknown one
        body = views.CommandRequest.model_validate({"kind": form.get("kind"),
                                                    "text": form.get("text")})
    except ValidationError:
        return error_response(422, "unknown command")
    return await run_in_threadpool(_issue, action, terminal_id, body)


def _issue(action: Page, terminal_id: str, body: views.CommandRequest) -> Response:
    record = views.find_terminal(action.session, action.viewer, terminal_id)
    if record is None:
        return action.not_found()
    views.issue_command(action.session, action.viewer, record, body, action.now)
    action.session.commit()
    if _is_htmx(action.request):
        return terminal_live(action, terminal_id)
    return redirect(f"{CONSOLE}/terminals/{terminal_id}")


# -- alerts ----------------------------------------------------------------------------------

@router.get("/alerts")
def alerts(page: PageDep, all: bool = False, hall: str | None = None) -> Response:
    return page.render("alerts.html", {
        "alerts": views.alerts(page.session, page.viewer, unacknowledged_only=not all,
                               hall=hall),
        "show_all": all, "halls": views.halls(page.session, page.viewer), "hall": hall or ""},
        frame="alerts")


@router.post("/alerts/{alert_id}/ack")
def acknowledge(action: ActionDep, alert_id: int) -> Response:
    alert = views.acknowledge(action.session, action.viewer, alert_id, action.now)
    action.session.commit()
    if alert is None:
        return action.not_found()
    if _is_htmx(action.request):
        return action.render("_alert_row.html", {"alert": alert})
    return redirect(f"{CONSOLE}/alerts")


# -- payments (收费) and reconciliation (对账) ---------------------------------------------------

@router.get("/payments")
def payments(page: PageDep, hall: str | None = None, all: bool = False) -> Response:
    session, viewer = page.session, page.viewer
    return page.render("payments.html", {
        "totals": views.payment_totals(session, viewer, page.now, hall),
        "findings": views.findings(session, viewer, hall=hall, include_resolved=all),
        "runs": views.reconciliation_runs(session),
        "halls": views.halls(session, viewer), "hall": hall or "", "show_all": all,
    }, frame="payments")


@router.post("/payments/findings/{finding_id}/resolve")
async def resolve_finding(action: ActionDep, finding_id: int) -> Response:
    form = await action.request.form()
    try:
        # validated as any body: a file or a missing action is refused like an unknown one
        body = views.ResolveRequest.model_validate({"action": form.get("action"),
                                                    "note": form.get("note") or ""})
    except ValidationError:
        return error_response(422, "refund or settle, with a note of at most 200 characters")
    return await run_in_threadpool(_resolve, action, finding_id, body)


def _resolve(action: Page, finding_id: int, body: views.ResolveRequest) -> Response:
    try:
        resolved = views.resolve_finding(action.session, action.viewer, finding_id, body,
                                         action.now)
    except Refused as exc:
        action.session.rollback()
        message = "对账问题只能由系统管理员处理。" if exc.status == 403 else exc.message
        return action.render("refused.html", {"message": message}, frame="payments",
                             status_code=exc.status)
    if resolved is None:
        return action.not_found()
    view, refunding = resolved
    action.session.commit()
    if refunding:
        action.platform.payments.wake()  # the payments' resolver gives the money back now
    if _is_htmx(action.request):
        return action.render("_finding_row.html", {"finding": view})
    return redirect(f"{CONSOLE}/payments")


# -- remote update (发布与升级): administrators only ----------------------------------------

@router.get("/releases")
def releases_page(page: PageDep, error: str | None = None) -> Response:
    if not page.viewer.is_admin:
        return page.not_found()
    return page.render("releases.html", {
        "versions": releases.versions(page.session), "rollouts": releases.rollouts(page.session),
        "halls": views.halls(page.session, page.viewer), "error": error}, frame="releases")


@router.post("/releases")
async def start_rollout(action: ActionDep) -> Response:
    form = await action.request.form()
    try:
        body = releases.RolloutRequest.model_validate({
            "version": form.get("version"), "hall": form.get("hall") or None,
            "terminal_ids": str(form.get("terminal_ids") or "").replace(",", " ").split(),
            "first_stage": form.get("first_stage") or 1})
    except ValidationError:
        return error_response(422, "a version, a hall or terminal ids, a first stage of 1-500")
    return await run_in_threadpool(_start_rollout, action, body)


def _start_rollout(action: Page, body: releases.RolloutRequest) -> Response:
    if not action.viewer.is_admin:
        return action.not_found()
    try:
        releases.start_rollout(action.session, body.version,
                               releases.rollout_terminals(action.session, body),
                               body.first_stage, action.viewer.username, action.now)
    except releases.ReleaseError as exc:
        return releases_page(action, str(exc))
    action.session.commit()
    return redirect(f"{CONSOLE}/releases")
