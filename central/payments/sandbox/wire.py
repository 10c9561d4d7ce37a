"""What a provider API answers, before the server puts it on the connection."""

from __future__ import annotations

import json
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    drop: bool = False  # the work is done, and the connection is closed without an answer


def compact_json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


MAX_BODY = 64 * 1024  # what any request to the sandbox may carry
