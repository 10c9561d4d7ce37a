"""The console's pages: login, overview with charts, terminals, one terminal, alerts.

Server-rendered; the parts that change on their own (the terminal table, a terminal's state)
are fragments that htmx reloads every few seconds, and commands and acknowledgements are forms
that htmx posts (they work as plain forms without JavaScript too).
"""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, Response
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from central.console import views
from central.console.login_guard import LoginGuard
from central.console.users import (
    LoggedIn,
    LoginResult,
    check_login,
    close_session,
    open_session,
)
from central.console.web import (
    CONSOLE,
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    current_login,
    is_https,
    login_csrf_token,
    redirect,
    render,
    require_csrf,
    require_login,
    safe_next,
    set_login_csrf_cookie,
    set_session_cookie,
)
from central.errors import error_response

router = APIRouter(prefix=CONSOLE, include_in_schema=False)
log = logging.getLogger(__name__)

Login = Annotated[LoggedIn, Depends(require_login)]
CsrfLogin = Annotated[LoggedIn, Depends(require_csrf)]
LIVE_SECONDS = 3  # how often htmx reloads the live parts (app.state.live_seconds overrides)


def _is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def _base(request: Request, login: LoggedIn, page: str) -> dict:
    with request.app.state.sessions() as session:
        unacked = views.unacknowledged_count(session, login.viewer)
    live = getattr(request.app.state, "live_seconds", LIVE_SECONDS)
    return {"page": page, "unacked": unacked, "live_seconds": live}


# -- login -----------------------------------------------------------------------------------

@router.get("/login")
def login_page(request: Request, next: str | None = None) -> Response:
    if current_login(request) is not None:
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
async def login(request: Request, username: Annotated[str, Form()],
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
    guard = _login_guard(request)
    refusal = guard.admit(address, username)
    token: str | None = None
    result = LoginResult(None)
    if refusal is None:
        async with guard.hashes.slot(guard.hash_wait_s) as free:
            if free:
                token, result = await run_in_threadpool(_check_and_open, request, username,
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


def _login_guard(request: Request) -> LoginGuard:
    state = request.app.state
    guard = getattr(state, "login_guard", None)
    if guard is None:  # one per platform; a test may put its own in place first
        guard = state.login_guard = LoginGuard()
    return guard


def _check_and_open(request: Request, username: str,
                    password: str) -> tuple[str | None, LoginResult]:
    state = request.app.state
    now = state.clock()
    with state.sessions() as session:
        result = check_login(session, username, password, now, state.write_lock)
        if result.viewer is None:
            return None, result
        with state.write_lock:
            token = open_session(session, result.viewer, now)
            session.commit()
    return token, result


@router.post("/logout")
def logout(request: Request, _login: CsrfLogin) -> Response:
    with request.app.state.sessions() as session:
        close_session(session, request.cookies.get(SESSION_COOKIE))
        session.commit()
    response = redirect(f"{CONSOLE}/login")
    response.delete_cookie(SESSION_COOKIE, path=CONSOLE, secure=is_https(request),
                           httponly=True, samesite="strict")
    return response


# -- overview --------------------------------------------------------------------------------

@router.get("")
@router.get("/")
def overview(request: Request, login: Login, hall: str | None = None) -> Response:
    now = request.app.state.clock()
    viewer = login.viewer
    with request.app.state.sessions() as session:
        stats = views.stats(session, viewer, now, hall)
        problems = [t for t in views.list_terminals(session, viewer, now, hall)
                    if t.status in ("offline", "degraded") or t.maintenance]
        recent = views.alerts(session, viewer, unacknowledged_only=True, hall=hall, limit=10)
        halls = views.halls(session, viewer)
    return render(request, "overview.html", {
        **_base(request, login, "overview"), "stats": stats, "problems": problems[:12],
        "alerts": recent, "halls": halls, "hall": hall,
        "chart": stats.model_dump(mode="json"),  # |tojson: data, never markup
    }, login=login)


# -- terminals -------------------------------------------------------------------------------

@router.get("/terminals")
def terminals(request: Request, login: Login, hall: str | None = None,
              status: str | None = None) -> Response:
    with request.app.state.sessions() as session:
        halls = views.halls(session, login.viewer)
    context = {**_base(request, login, "terminals"), "halls": halls, "hall": hall or "",
               "status": status or "", **_terminal_rows(request, login, hall, status)}
    return render(request, "terminals.html", context, login=login)


@router.get("/terminals/table")
def terminal_table(request: Request, login: Login, hall: str | None = None,
                   status: str | None = None) -> Response:
    return render(request, "_terminal_table.html", _terminal_rows(request, login, hall, status),
                  login=login)


def _terminal_rows(request: Request, login: LoggedIn, hall: str | None,
                   status: str | None) -> dict:
    status = status if status in ("online", "degraded", "offline", "never",
                                  "maintenance") else None
    with request.app.state.sessions() as session:
        rows = views.list_terminals(session, login.viewer, request.app.state.clock(),
                                    hall or None, status)
    return {"terminals": rows, "query": {"hall": hall or "", "status": status or ""}}


@router.get("/terminals/{terminal_id}")
def terminal(request: Request, login: Login, terminal_id: str) -> Response:
    context = _terminal_context(request, login, terminal_id)
    if context is None:
        return _not_found(request, login)
    return render(request, "terminal.html", {**_base(request, login, "terminals"), **context},
                  login=login)


@router.get("/terminals/{terminal_id}/live")
def terminal_live(request: Request, login: Login, terminal_id: str) -> Response:
    context = _terminal_context(request, login, terminal_id)
    if context is None:
        return _not_found(request, login)
    return render(request, "_terminal_live.html", context, login=login)


def _terminal_context(request: Request, login: LoggedIn, terminal_id: str) -> dict | None:
    now = request.app.state.clock()
    with request.app.state.sessions() as session:
        record = views.find_terminal(session, login.viewer, terminal_id)
        if record is None:
            return None
        stats = views.stats(session, login.viewer, now, terminal_id=terminal_id)
        return {
            "terminal": views.terminal_view(record, now),
            "events": views.events(session, terminal_id, limit=50),
            "device_history": views.events(session, terminal_id, limit=50, device_only=True),
            "commands": views.commands(session, terminal_id, limit=10),
            "alerts": views.alerts(session, login.viewer, terminal_id=terminal_id, limit=20),
            "chart": stats.model_dump(mode="json"),  # |tojson: data, never markup
        }


@router.post("/terminals/{terminal_id}/commands")
async def command(request: Request, login: CsrfLogin, terminal_id: str) -> Response:
    form = await request.form()
    try:
        body = views.CommandRequest(kind=form.get("kind"), text=form.get("text"))
    except ValidationError:
        return error_response(422, "unknown command")
    return await _issue(request, login, terminal_id, body)


async def _issue(request: Request, login: LoggedIn, terminal_id: str,
                 body: views.CommandRequest) -> Response:
    def issue() -> bool:
        with request.app.state.sessions() as session:
            record = views.find_terminal(session, login.viewer, terminal_id)
            if record is None:
                return False
            views.issue_command(session, login.viewer, record, body, request.app.state.clock())
            session.commit()
            return True

    if not await run_in_threadpool(issue):
        return _not_found(request, login)
    if _is_htmx(request):
        return await run_in_threadpool(terminal_live, request, login, terminal_id)
    return redirect(f"{CONSOLE}/terminals/{terminal_id}")


# -- alerts ----------------------------------------------------------------------------------

@router.get("/alerts")
def alerts(request: Request, login: Login, all: bool = False,
           hall: str | None = None) -> Response:
    with request.app.state.sessions() as session:
        rows = views.alerts(session, login.viewer, unacknowledged_only=not all, hall=hall)
        halls = views.halls(session, login.viewer)
    return render(request, "alerts.html", {**_base(request, login, "alerts"), "alerts": rows,
                                           "show_all": all, "halls": halls, "hall": hall or ""},
                  login=login)


@router.post("/alerts/{alert_id}/ack")
def acknowledge(request: Request, login: CsrfLogin, alert_id: int) -> Response:
    with request.app.state.sessions() as session:
        alert = views.acknowledge(session, login.viewer, alert_id, request.app.state.clock())
        session.commit()
    if alert is None:
        return _not_found(request, login)
    if _is_htmx(request):
        return render(request, "_alert_row.html", {"alert": alert}, login=login)
    return redirect(f"{CONSOLE}/alerts")


def _not_found(request: Request, login: LoggedIn) -> Response:
    return render(request, "not_found.html", {**_base(request, login, ""), "page": ""}, 404,
                  login=login)
