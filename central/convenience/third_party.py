"""Asking a third party over HTTP with a deadline and a size cap, and what can go wrong.

Every adapter reads its answer through `fetch`: a connection refused or an error status is
`down`, no answer in time is `slow`, an answer too big or not in the agreed format is
`nonsense` (`ThirdPartyFault`). The platform then says so to the terminal (`ThirdParty` in
the contract) instead of failing the request: the kiosk shows its cached data or its tile's
`away_text`.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Literal

import requests
from pydantic import ValidationError

MAX_ANSWER_BYTES = 256 * 1024  # a weather answer is ~1 kB, an RSS feed of notices ~50 kB
Fault = Literal["slow", "down", "nonsense"]


class ThirdPartyFault(Exception):
    def __init__(self, fault: Fault, detail: str) -> None:
        super().__init__(f"{fault}: {detail[:200]}")
        self.fault: Fault = fault


def fetch(method: str, url: str, *, timeout_s: float, params: Mapping[str, str] | None = None,
          data: Mapping[str, str] | None = None, json: dict[str, str] | None = None,
          headers: Mapping[str, str] | None = None, max_bytes: int = MAX_ANSWER_BYTES) -> bytes:
    """The body of a 2xx answer, read whole within `timeout_s`; else `ThirdPartyFault`."""
    deadline = time.monotonic() + timeout_s
    try:
        with requests.request(method, url, params=params, data=data, json=json,
                              headers=dict(headers or {}), timeout=(timeout_s, timeout_s),
                              stream=True, allow_redirects=False) as answer:
            if not 200 <= answer.status_code < 300:
                raise ThirdPartyFault("down", f"HTTP {answer.status_code}")
            declared = answer.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise ThirdPartyFault("nonsense", f"{declared} bytes")
            body = bytearray()
            for chunk in answer.iter_content(16 * 1024):
                body += chunk
                if len(body) > max_bytes:
                    raise ThirdPartyFault("nonsense", "answer too big")
                if time.monotonic() > deadline:
                    raise ThirdPartyFault("slow", "answer still coming at the deadline")
            return bytes(body)
    except requests.Timeout as exc:
        raise ThirdPartyFault("slow", type(exc).__name__) from None
    except requests.RequestException as exc:
        raise ThirdPartyFault("down", type(exc).__name__) from None


def why_unreadable(exc: ValueError) -> str:
    """Why a third party's answer did not read, without its values (they may be someone's
    address or name): the fields that were wrong, or that it was not JSON."""
    if isinstance(exc, ValidationError):
        where = sorted({".".join(str(part) for part in error["loc"]) for error in exc.errors()})
        return f"{exc.error_count()} wrong: {', '.join(where)[:120]}"
    return "not JSON"
