"""What flows need from outside, as ports: the platform's citizen services.

The kiosk core implements them (`kiosk.citizen_services`), tests fake them. Every method that
talks to the platform raises `kiosk.platform_client.PlatformError` when it cannot: its
`user_message` is the sentence for the person, its `health_code` the one for the manager.
Devices are used through their own ports (`devices.cards.CardReader`, the cameras, printers).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from central.contract import (
    ApplicationAccepted,
    ApplicationProgress,
    ApplicationSubmission,
    CertificateRequest,
    EvaluationSubmission,
    Verification,
    VerificationRequest,
)
from kiosk.platform_client import IssuedCertificate


@dataclass(frozen=True)
class Submitted:
    """An application is safe in the outbox (on disk, sealed) and maybe already accepted."""

    local_number: str
    accepted: ApplicationAccepted | None  # None: queued offline, the receipt says 待受理
    # why it is queued, for the manager's log (never shown as is); None when accepted
    queued_because: str | None = None


class CitizenServices(Protocol):
    async def verify_identity(self, request: VerificationRequest) -> Verification:
        """Raises PlatformError when the platform cannot be asked (offline, timeout …)."""
        ...

    async def submit_application(self, submission: ApplicationSubmission) -> Submitted:
        """Commits to the outbox first (the `local_number` of `submission` is ignored: the
        outbox assigns it), then tries to deliver at once for a short while. Never raises for
        the network: an undelivered application is `Submitted` with `accepted=None`."""
        ...

    async def rate(self, evaluation: EvaluationSubmission) -> None:
        """Commits the evaluation to the outbox; delivered in the background."""
        ...

    async def progress(self, acceptance_number: str) -> ApplicationProgress | None:
        """None when the platform knows no such number."""
        ...

    async def progress_by_receipt_code(self, code: str) -> ApplicationProgress | None:
        """The application of a scanned receipt QR; None when the code is not genuine."""
        ...

    async def applications_of(self, verification_id: str) -> list[ApplicationProgress]:
        """The verified holder's applications (by-holder lookup)."""
        ...

    async def document(self, path: str) -> bytes:
        """A result document's PDF (ResultDocument.path)."""
        ...

    def local_status(self, local_number: str) -> ApplicationAccepted | None:
        """The platform's answer for an application queued earlier, once delivered."""
        ...

    async def issue_certificate(self, request: CertificateRequest,
                                idempotency_key: str) -> IssuedCertificate:
        """The whole certificate (PDF and verification code), online only. Raises
        `kiosk.platform_client.CertificateNotIssued` with the sentence for the person."""
        ...
