"""TEST AND DEMO ONLY: make the platform misbehave on purpose, to exercise the kiosk's handling.

`FaultInjector` wraps the application and is only put in place by
`EmbeddedPlatform(..., faults=True)`; it is off (`None`) until a fault is set, and it only
touches /api/v1 requests, so /docs keeps working during a demo.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Literal, get_args

from starlette.types import ASGIApp, Receive, Scope, Send

from central.contract import API_PREFIX, ErrorBody

log = logging.getLogger(__name__)

FaultKind = Literal["http500", "malformed_json", "unexpected_json", "slow"]
FAULT_KINDS: tuple[str, ...] = get_args(FaultKind)

_CANNED: dict[str, tuple[int, bytes]] = {
    "http500": (500, ErrorBody(code="INTERNAL", message="injected fault").model_dump_json()
                .encode()),
    # cut off mid-document, as a proxy dropping the connection would leave it
    "malformed_json": (200, b'{"version": "0123456789abcdef", "services": [{"id": "SS-0'),
    "unexpected_json": (200, b'{"status": "ok", "items": [1, 2, 3], "version": null}'),
}


class FaultInjector:
    """ASGI wrapper answering /api/v1 requests wrongly while a fault is set."""

    def __init__(self, app: ASGIApp, slow_seconds: float = 5.0) -> None:
        self.app = app
        self.kind: FaultKind | None = None
        self.slow_seconds = slow_seconds
        self.delays_released = False  # set while the platform stops, so it stops promptly

    def set(self, kind: FaultKind | None, slow_seconds: float | None = None) -> None:
        if kind is not None and kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault {kind!r}; expected None or one of {FAULT_KINDS}")
        if slow_seconds is not None:
            self.slow_seconds = slow_seconds
        self.kind = kind
        log.warning("fault injection: %s", kind or "off")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = self.kind  # read once: another thread may change it mid-request
        if kind is None or scope["type"] != "http" or not scope["path"].startswith(API_PREFIX):
            await self.app(scope, receive, send)
            return
        if kind == "slow":
            await self._delay()
            await self.app(scope, receive, send)
            return
        status, body = _CANNED[kind]
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})

    async def _delay(self) -> None:
        # in short steps: `delays_released` is flipped from another thread
        deadline = asyncio.get_running_loop().time() + self.slow_seconds
        while not self.delays_released:
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                return
            await asyncio.sleep(min(remaining, 0.05))
