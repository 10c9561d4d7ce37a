"""Reading a terminal's request body: only what may be taken, and only when it may be.

Every signed route reads its body through `read_signed_body` (the `SignedBody` dependency of
`central.routes.signed`: 64 kB unless the route says otherwise). Before a byte of the body is
read, a declared length over the limit is refused (413), and a request that
`central.terminal_auth.authenticate` would refuse whatever its body (signature headers missing
or malformed, the clock off) is not read at all: the body is empty and `authenticate` gives
the refusal with its code. A body is streamed and refused as it passes the limit (413). A
refusal given before the body's end closes the connection (`central.connection_limits`), so
the rest is never read.

The body of a terminal id that is not registered (or not enabled) is read as any other, up to
the limit, but hashed and dropped instead of kept: answering it sooner would tell an outsider
which ids exist, which `authenticate` takes care to hide (SIGNATURE_INVALID either way).
"""

from __future__ import annotations

import hashlib
import re

from fastapi import HTTPException, Request
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from central.contract import (
    HEADER_NONCE,
    HEADER_SIGNATURE,
    HEADER_TERMINAL,
    HEADER_TIMESTAMP,
    MAX_CLOCK_SKEW_S,
    NONCE_PATTERN,
    TERMINAL_ID_PATTERN,
)
from central.db import TerminalRecord
from central.deps import PlatformState

MAX_BODY = 64 * 1024  # a heartbeat is about 2 kB

CLOSE = {"Connection": "close"}


async def read_signed_body(request: Request, platform: PlatformState, limit: int) -> bytes:
    """The body as sent (the signature covers these exact bytes), when it may be taken."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isascii() and declared.isdigit():
        if int(declared) > limit:
            raise HTTPException(413, f"request body over {limit} bytes", headers=CLOSE)
        if int(declared) == 0:
            return b""
    elif declared is None and "transfer-encoding" not in request.headers:
        return b""  # HTTP/1.1: no length, not chunked, no body
    if not _may_be_signed(request, platform):
        return b""  # the route's `authenticate` refuses it, saying why
    keep = await _registered(request, platform)
    chunks: list[bytes] = []
    digest = hashlib.sha256()  # the work a kept body's signature costs, for a dropped one
    size = 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise HTTPException(413, f"request body over {limit} bytes", headers=CLOSE)
            if keep:
                chunks.append(chunk)
            else:
                digest.update(chunk)
    except ClientDisconnect:
        # gone, or timed out by `connection_limits` (which logged it): an answer for the log
        raise HTTPException(408, "the request body did not arrive", headers=CLOSE) from None
    return b"".join(chunks)  # empty for a stranger: `authenticate` refuses it


def _may_be_signed(request: Request, platform: PlatformState) -> bool:
    """Whether the signature headers could pass `authenticate`: each of its refusals that do
    not need the body or the database, so whatever is refused here is refused there too."""
    headers = request.headers
    terminal_id = headers.get(HEADER_TERMINAL) or ""
    timestamp = headers.get(HEADER_TIMESTAMP) or ""
    if not (re.fullmatch(TERMINAL_ID_PATTERN, terminal_id)
            and re.fullmatch(r"[0-9]{1,12}", timestamp)
            and re.fullmatch(NONCE_PATTERN, headers.get(HEADER_NONCE) or "")
            and headers.get(HEADER_SIGNATURE)):
        return False
    return abs(int(timestamp) - platform.clock().timestamp()) <= MAX_CLOCK_SKEW_S


async def _registered(request: Request, platform: PlatformState) -> bool:
    """Whether the request's terminal id is registered and enabled."""
    terminal_id = request.headers.get(HEADER_TERMINAL)

    def registered() -> bool:
        with platform.sessions() as session:
            terminal = session.get(TerminalRecord, terminal_id)
            return terminal is not None and terminal.enabled

    return await run_in_threadpool(registered)
