"""Reading an HTTP answer from a server the kiosk does not control (the platform, a hall's
queue system): the body bounded in size and in time, and a network failure in the operating
system's words. Each client turns `BodyRefused` into its own error type."""

from __future__ import annotations

import time
from typing import Literal

import requests


class BodyRefused(Exception):
    """The body was larger than allowed, or still arriving at the deadline."""

    def __init__(self, why: Literal["too_large", "too_slow"], detail: str) -> None:
        super().__init__(detail)
        self.why = why


def read_bounded(response: requests.Response, limit: int, deadline: float) -> bytes:
    """The whole body, at most `limit` bytes, arrived by `deadline` (time.monotonic).

    A declared length over the limit is refused before a byte is read. read1 returns whatever
    has arrived (each wait bounded by the socket's read timeout); iter_content would block
    until a whole chunk is in, hiding a server that trickles.
    """
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise BodyRefused("too_large", f"body of {declared} bytes")
    chunks: list[bytes] = []
    size = 0
    while chunk := response.raw.read1(64 * 1024, decode_content=True):
        size += len(chunk)
        if size > limit:
            raise BodyRefused("too_large", f"body over {limit} bytes")
        if time.monotonic() > deadline:
            raise BodyRefused("too_slow", "body still arriving")
        chunks.append(chunk)
    return b"".join(chunks)


def network_reason(exc: BaseException) -> str:
    """The operating system's words for a network failure ("Connection refused"), if any.

    requests wraps urllib3 wraps the socket error; its own text repeats the whole URL chain.
    """
    seen: set[int] = set()
    todo: list[object] = [exc]
    while todo:
        err = todo.pop(0)
        if not isinstance(err, BaseException) or id(err) in seen:
            continue
        seen.add(id(err))
        if isinstance(err, OSError) and err.strerror:
            return err.strerror
        todo += [*err.args, getattr(err, "reason", None), err.__cause__, err.__context__]
    return type(exc).__name__
