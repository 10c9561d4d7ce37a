"""What a client may cost the platform before it has been told no: the size and number of a
request's header fields, how long it may take to send its head and each part of its body,
and that a connection whose body was not read is closed after the answer.

uvicorn has none of this for httptools (its `h11_max_incomplete_event_size` is h11's only; it
never times out a connection that has not finished its head), so there are two layers:

- `LimitedHttpTools`, uvicorn's httptools protocol with a deadline for each request head
  (from the connection, or from the request's first byte) and a cap on the bytes buffered
  while the head is incomplete; over either it answers 408 / 431 and closes;
- `RequestLimits`, an ASGI middleware: the exact cap on a complete head's fields (count and
  bytes, 431), a deadline for each part of a body the application waits for, one log line
  when a client goes away mid-body or is timed out, and `connection: close` on any answer
  given before the body was all received (the rest is then never read).

Route limits (64 kB for a heartbeat, 32 MiB for an application) are the routes' own:
`central.routes.signed_body`. `uvicorn_config` is the one place both
`EmbeddedPlatform` and `serve` get their server configuration from.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

import uvicorn
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from central.errors import error_response

log = logging.getLogger(__name__)

CLOSE = {"Connection": "close"}


@dataclass(frozen=True)
class ConnectionLimits:
    max_head_bytes: int = 32 * 1024  # request line and header fields
    max_header_fields: int = 100
    head_timeout_s: float = 10.0  # the whole head, from the connection or its first byte
    body_idle_timeout_s: float = 30.0  # between two parts of a body the application awaits
    keep_alive_s: int = 5  # idle between requests (uvicorn's own timer)


LIMITS = ConnectionLimits()  # the platform's, in `serve` and `EmbeddedPlatform` alike


def uvicorn_config(app: ASGIApp, limits: ConnectionLimits = LIMITS,
                   **options: Any) -> uvicorn.Config:
    """The server configuration of the platform serving `app`, limits applied."""
    return uvicorn.Config(RequestLimits(app, limits), http=limited_httptools(limits),
                          timeout_keep_alive=limits.keep_alive_s, **options)


# --- the connection: heads ------------------------------------------------------------------

def limited_httptools(limits: ConnectionLimits) -> type[HttpToolsProtocol]:
    """uvicorn's httptools protocol holding each request head to `limits`."""

    class Limited(LimitedHttpTools):
        pass

    Limited.limits = limits
    return Limited


class LimitedHttpTools(HttpToolsProtocol):
    limits = LIMITS

    # the head being received: bytes so far (None between a head's end and the next request)
    _head_bytes: int | None = 0
    _head_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:
        super().connection_made(transport)
        self._head_bytes = 0
        self._arm_head_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_head_timer()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._head_bytes is not None:
            self._head_bytes += len(data)  # with a body's first bytes, perhaps: a bound only
        super().data_received(data)
        if (self._head_bytes is not None and self._head_bytes > self.limits.max_head_bytes
                and not self.transport.is_closing()):
            self._refuse(431, "Request Header Fields Too Large")

    def on_message_begin(self) -> None:
        super().on_message_begin()
        if self._head_bytes is None:  # the next request on a kept-alive connection
            self._head_bytes = 0
            self._arm_head_timer()

    def on_headers_complete(self) -> None:
        self._head_bytes = None
        self._cancel_head_timer()
        super().on_headers_complete()

    def _arm_head_timer(self) -> None:
        self._cancel_head_timer()
        self._head_timer = self.loop.call_later(self.limits.head_timeout_s, self._head_timed_out)

    def _cancel_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if self.transport.is_closing():
            return
        if self._head_bytes:  # a request was begun: say why it ends
            self._refuse(408, "Request Timeout")
        else:  # nothing sent at all: nothing to answer
            self.transport.close()

    def _refuse(self, status: int, reason: str) -> None:
        self._cancel_head_timer()
        text = reason.encode("ascii")
        self.transport.write(
            b"HTTP/1.1 %d %s\r\ncontent-type: text/plain; charset=utf-8\r\n"
            b"content-length: %d\r\nconnection: close\r\n\r\n%s"
            % (status, text, len(text), text))
        self.transport.close()


# --- the request: fields and body -----------------------------------------------------------

class RequestLimits:
    """The ASGI side of `ConnectionLimits` (see the module's description)."""

    def __init__(self, app: ASGIApp, limits: ConnectionLimits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = scope["headers"]
        size = len(scope.get("raw_path") or b"") + len(scope.get("query_string") or b"") + sum(
            len(name) + len(value) + 4 for name, value in headers)
        if len(headers) > self.limits.max_header_fields or size > self.limits.max_head_bytes:
            response = error_response(
                431, f"at most {self.limits.max_header_fields} header fields and "
                     f"{self.limits.max_head_bytes} bytes of request head",
                code="HEADERS_TOO_LARGE", headers=CLOSE)
            await response(scope, receive, send)
            return
        body = _BodyWatch(scope, receive, self.limits.body_idle_timeout_s)
        await self.app(scope, body.receive, body.send_for(send))


class _BodyWatch:
    """Follows one request's body as the application receives it."""

    def __init__(self, scope: Scope, receive: Receive, idle_timeout_s: float) -> None:
        self.scope = scope
        self._receive = receive
        self.idle_timeout_s = idle_timeout_s
        self.declared: int | None = None
        has_body = False
        for name, value in scope["headers"]:
            if name == b"content-length" and value.isdigit():
                self.declared = int(value)
                has_body = self.declared > 0
            elif name == b"transfer-encoding":
                has_body = True
        self.complete = not has_body  # the whole body has been received
        self.received = 0
        self.ended = False  # gone or timed out: the application has been told "disconnect"

    async def receive(self) -> Message:
        if self.complete:
            return await self._receive()  # a wait for the disconnect has no deadline
        if self.ended:
            return {"type": "http.disconnect"}
        try:
            message = await asyncio.wait_for(self._receive(), self.idle_timeout_s)
        except TimeoutError:
            self.ended = True
            log.info("%s: no body for %g s after %s; the connection is closed",
                     self._request(), self.idle_timeout_s, self._progress())
            return {"type": "http.disconnect"}
        if message["type"] == "http.request":
            self.received += len(message.get("body", b""))
            self.complete = not message.get("more_body", False)
        elif message["type"] == "http.disconnect":
            self.ended = True
            log.info("%s: the client went away after %s", self._request(), self._progress())
        return message

    def send_for(self, send: Send) -> Send:
        async def send_closing(message: Message) -> None:
            if message["type"] == "http.response.start" and not self.complete:
                # the rest of the body is never read: the connection cannot carry another
                headers = list(message.get("headers", []))
                if not any(name.lower() == b"connection" for name, _ in headers):
                    message = {**message, "headers": [*headers, (b"connection", b"close")]}
            await send(message)

        return send_closing

    def _request(self) -> str:
        # the route's template, not the path: paths may carry identifiers
        route = getattr(self.scope.get("route"), "path", None) or "unmatched route"
        return f"{self.scope.get('method')} {route}"

    def _progress(self) -> str:
        total = f" of {self.declared}" if self.declared is not None else " (chunked)"
        return f"{self.received}{total} body bytes"
