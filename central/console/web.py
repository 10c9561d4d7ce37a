"""Login cookie, CSRF protection and security headers of the console.

- The session cookie holds a random token (the database keeps only its hash); it is HttpOnly,
  SameSite=Strict, limited to /console, and Secure whenever the console is served over https
  (directly or behind a proxy that says so with X-Forwarded-Proto).
- Every state-changing request carries the session's CSRF token (a form field, or the
  X-CSRF-Token header that htmx and API clients send), and a cross-site Origin is refused.
  The login form, before there is a session, uses a double-submit cookie.
- Pages are never cached and may not be framed; scripts only from the console's own files.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, Request, Response
from fastapi.responses import RedirectResponse
from fastapi.templating import Jinja2Templates
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from central import labels
from central.console.users import LoggedIn, session_for
from central.deps import NowDep, SessionDep
from central.errors import Refused

CONSOLE = "/console"
SESSION_COOKIE = "console_session"
LOGIN_CSRF_COOKIE = "console_login_csrf"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).resolve().parent / "templates"))

SECURITY_HEADERS = [
    (b"content-security-policy",
     b"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
     b"img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; "
     b"base-uri 'none'; object-src 'none'"),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
]


class NotLoggedIn(Exception):
    """The request needs a logged-in user; answered by a redirect or a 401."""


class CsrfRefused(Refused):
    """A state-changing request without the right CSRF token or from another origin."""

    def __init__(self, message: str) -> None:
        super().__init__(403, message, code="CSRF_REFUSED")


def is_https(request: Request) -> bool:
    return request.url.scheme == "https"


def current_login(request: Request, session: SessionDep, now: NowDep) -> LoggedIn | None:
    """A dependency: who is logged in, by the session cookie; None for nobody."""
    return session_for(session, request.cookies.get(SESSION_COOKIE), now)


OptionalLogin = Annotated[LoggedIn | None, Depends(current_login)]


async def require_login(login: OptionalLogin) -> LoggedIn:
    if login is None:
        raise NotLoggedIn
    return login


Login = Annotated[LoggedIn, Depends(require_login)]


def check_origin(request: Request) -> None:
    origin = request.headers.get("origin")
    if origin is not None and origin != f"{request.url.scheme}://{request.url.netloc}":
        raise CsrfRefused("cross-site request refused")


async def require_csrf(request: Request, login: Login) -> LoggedIn:
    """A logged-in user whose request carries their session's CSRF token."""
    check_origin(request)
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")):
        value = (await request.form()).get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not sent or not hmac.compare_digest(sent, login.csrf_token):
        raise CsrfRefused("missing or wrong CSRF token")
    return login


CsrfLogin = Annotated[LoggedIn, Depends(require_csrf)]


def set_session_cookie(response: Response, request: Request, token: str) -> None:
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="strict",
                        secure=is_https(request), path=CONSOLE)


def login_csrf_token(request: Request) -> str:
    token = request.cookies.get(LOGIN_CSRF_COOKIE)
    return token if token and 20 <= len(token) <= 100 else secrets.token_urlsafe(24)


def set_login_csrf_cookie(response: Response, request: Request, token: str) -> None:
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict",
                        secure=is_https(request), path=CONSOLE)


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def login_redirect(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return redirect(f"{CONSOLE}/login?next={quote(target)}")


def safe_next(target: str | None) -> str:
    """Only a path inside the console: never an open redirect elsewhere."""
    if (target and target.startswith(CONSOLE) and not target.startswith("//")
            and "\\" not in target):
        return target
    return f"{CONSOLE}/"


class SecurityHeaders:
    """Adds the console's security headers and no-store to everything under /console."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(CONSOLE):
            await self.app(scope, receive, send)
            return
        static = scope["path"].startswith(f"{CONSOLE}/static/")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += SECURITY_HEADERS
                if not static:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


# -- template helpers ------------------------------------------------------------------------

def local_time(value: datetime | None, fmt: str = "%m-%d %H:%M:%S") -> str:
    return value.astimezone().strftime(fmt) if value else "—"


def ago(seconds: float | None) -> str:
    if seconds is None:
        return "从未"
    seconds = max(0, int(seconds))
    if seconds < 60:
        return f"{seconds} 秒前"
    if seconds < 3600:
        return f"{seconds // 60} 分钟前"
    if seconds < 86400:
        return f"{seconds // 3600} 小时前"
    return f"{seconds // 86400} 天前"


def duration(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    seconds = int(seconds)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return f"{days} 天 {hours} 小时"
    if hours:
        return f"{hours} 小时 {minutes} 分钟"
    return f"{minutes} 分钟"


TEMPLATES.env.filters.update(local_time=local_time, ago=ago, duration=duration, yuan=labels.yuan)
TEMPLATES.env.globals.update(labels=labels, CONSOLE=CONSOLE, CSRF_FIELD=CSRF_FIELD)


def render(request: Request, name: str, context: dict[str, Any], status_code: int = 200,
           login: LoggedIn | None = None) -> Response:
    context = {"login": login, **context}
    return TEMPLATES.TemplateResponse(request, name, context, status_code=status_code)


Clock = Callable[[], datetime]
