"""Every non-2xx answer of the platform as the contract's `ErrorBody` (code + message).

A route or a dependency that refuses a request raises `Refused` (the terminal's signature,
a missing Idempotency-Key, a body that is not the model, ...); one handler answers it.
Messages are for staff reading logs: they never echo request values, which may be personal
data, and a 500 never shows internals (the exception goes to the log only).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from central.contract import ErrorBody

log = logging.getLogger(__name__)

CODES = {
    400: "BAD_REQUEST",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    409: "CONFLICT",
    413: "PAYLOAD_TOO_LARGE",
    422: "VALIDATION_FAILED",
    429: "TOO_MANY_REQUESTS",
    500: "INTERNAL",
    503: "UNAVAILABLE",
}

# for OpenAPI: what the routes answer when things go wrong
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    422: {"model": ErrorBody, "description": "The request does not match the API"},
    500: {"model": ErrorBody, "description": "Internal error (details are in the platform log)"},
}


def error_response(status: int, message: str, code: str | None = None,
                   headers: Mapping[str, str] | None = None) -> JSONResponse:
    body = ErrorBody(code=code or CODES.get(status, f"HTTP_{status}"), message=message)
    return JSONResponse(body.model_dump(), status_code=status, headers=headers)


class Refused(Exception):
    """The request is refused: answered with `status` and an `ErrorBody` of `code` (by default
    the status's, `CODES`) and `message`."""

    def __init__(self, status: int, message: str, *, code: str | None = None,
                 headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.headers = dict(headers) if headers else None


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(Refused, _refused)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_middleware(InternalErrorGuard)


async def _refused(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Refused)
    return error_response(exc.status, exc.message, exc.code, exc.headers)


async def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    message = exc.detail if isinstance(exc.detail, str) else "request failed"
    return error_response(exc.status_code, message, headers=exc.headers)


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error.get("loc", ()))
        problems.append(f"{where}: {error.get('msg', 'invalid')}")
    return error_response(422, "; ".join(problems) or "invalid request")


class InternalErrorGuard:
    """Turns an unhandled exception into a logged 500 with an `ErrorBody`.

    A plain ASGI middleware rather than an exception handler: Starlette re-raises after its
    generic handler, which would log every failure twice and break test clients.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        response_started = False

        async def tracking_send(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            # the route template, not the path: paths may carry identifiers
            route = getattr(scope.get("route"), "path", "unmatched route")
            log.exception("unhandled error in %s %s", scope.get("method"), route)
            if response_started:
                raise  # too late to answer cleanly; the server drops the connection
            response = error_response(500, "internal error, see the platform log")
            await response(scope, receive, send)
