"""The identity verifier port: what the platform asks of whoever decides who a person is.

A deployment plugs in its own (e.g. the public-security photo comparison service) by passing
it to `central.app.create_app(verifier=...)`; without one the platform runs the
development-only `ReferenceVerifier`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from central.contract import Holder, VerificationFailure, VerificationRequest


@dataclass(frozen=True)
class IdentityCheck:
    """A verifier's verdict on one request."""

    verified: bool
    level: int  # GB/T 39047: 3 document, 4 + live face, 5 + dedicated reader; 0 when refused
    failure: VerificationFailure | None = None
    elderly_relaxed_applied: bool = False
    holder: Holder | None = None  # whom the evidence names; None when it names no one


class IdentityVerifier(Protocol):
    def verify(self, request: VerificationRequest, today: date) -> IdentityCheck:
        """`today` is the calendar day in China, for document expiry and age."""
        ...
