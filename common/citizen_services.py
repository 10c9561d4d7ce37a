"""The port through which flows use the platform's citizen services, with its results and
its one error type.

Defined here, below both sides, because flows call it and the kiosk core implements it
(`kiosk.citizen_services.PlatformCitizenServices`) while the core sits below flows; tests fake
it. Every method that talks to the platform raises `ServiceUnavailable` when it cannot, never
an HTTP client's exception.

Paying a fee (`central.contract.payments`): the application is committed first and held
(`hold_application`), the payment follows, then the application is released naming the paid
order or none (`release_application`). A flow that cannot finish (the person walked away, the
platform stopped answering mid-payment) hands the held application back (`leave_application`):
the kiosk finds out what became of its payment and releases it accordingly, never asking anyone
to pay twice. The kiosk journals each payment before the platform hears of it, so the same holds
after a crash. Devices are used through their own families' ports
(`devices.cards.CardReader`, the cameras, `devices.printer`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
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
from central.contract.payments import (
    PaymentChannel,
    PaymentOrder,
    PaymentOrderRequest,
    PaymentQr,
    PaymentState,
)


class ServiceUnavailable(Exception):
    """The platform could not be asked, or would not do what was asked.

    `user_message` is the sentence for the person (Simplified Chinese, marked for translation),
    `health_code` the one for the manager console, `advice` what the person can do instead when
    the platform said so. `transient`: worth another attempt in a moment (the network, a
    gateway). `refused`: the platform said no to the request itself; asking the same again
    gets the same no.
    """

    def __init__(self, message: str, *, user_message: str, health_code: str,
                 transient: bool = False, refused: bool = False, advice: str = "") -> None:
        super().__init__(message)
        self.user_message = user_message
        self.health_code = health_code
        self.transient = transient
        self.refused = refused
        self.advice = advice


@dataclass(frozen=True)
class IssuedCertificate:
    code: str  # the verification code printed on it, K7QM-3XPA-9RTW-HC4D
    title: str
    verify_url: str  # what its QR code opens
    issued_at: datetime
    pdf: bytes = field(repr=False)  # complete: checked to be a PDF before it is returned


@dataclass(frozen=True)
class Submitted:
    """An application is safe in the outbox (on disk, sealed) and maybe already accepted."""

    local_number: str
    accepted: ApplicationAccepted | None  # None: queued offline, the receipt says 待受理
    # why it is queued, for the manager's log (never shown as is); None when accepted
    queued_because: str | None = None


class CitizenServices(Protocol):
    async def verify_identity(self, request: VerificationRequest) -> Verification:
        """Raises ServiceUnavailable when the platform cannot be asked (offline, timeout …)."""
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
        `ServiceUnavailable` with the sentence for the person and, when the platform refused,
        its reason as `user_message` and what to do instead as `advice`."""
        ...

    # -- paying a fee (central.contract.payments) ------------------------------------------

    async def hold_application(self, submission: ApplicationSubmission) -> str:
        """Commits the application to the outbox like `submit_application`, but holds it (not
        delivered) until `release_application` or `leave_application`: an application whose
        fee the person is about to pay. Returns its local number."""
        ...

    async def release_application(self, local_number: str,
                                  payment_order_id: str | None) -> Submitted:
        """The held application goes, naming its order (paid, or unpaid: the person pays it
        later by its 缴款码; None: no order to pay), and is tried at once for a short while,
        as `submit_application`."""
        ...

    def leave_application(self, local_number: str, *, cancel_order_id: str | None) -> None:
        """The flow ends without releasing the held application; the kiosk cancels
        `cancel_order_id` (the person walked away from it), finds out in the background what
        became of the application's payment and releases it: with the order when paid,
        without when nothing was charged. Never raises, never waits."""
        ...

    async def create_payment(self, request: PaymentOrderRequest,
                             idempotency_key: str) -> PaymentOrder:
        """The order for the fee (state `unpaid`). The attempt is journaled on disk under
        `idempotency_key` before the platform is asked; asking again with the same key gets the
        same order."""
        ...

    async def pay_with_code(self, order_id: str, auth_code: str) -> PaymentOrder:
        """Hands over the pay code the scanner read: `paid`, `paying` (wait for a change) or
        `unpaid` with `failure`. On `ServiceUnavailable` the code may or may not have been
        charged: ask with `wait_for_payment`, never hand the code over again."""
        ...

    async def payment_qr(self, order_id: str, channel: PaymentChannel) -> PaymentQr:
        """The QR code to show for `channel`."""
        ...

    async def wait_for_payment(self, order_id: str, state: PaymentState,
                               wait_s: float) -> PaymentOrder:
        """The order as soon as it is no longer `state`, or after `wait_s` as it stands."""
        ...

    async def cancel_payment(self, order_id: str) -> PaymentOrder:
        """The person gave up: an open QR code is closed, a charge still being decided is
        reversed by the platform in due time; the answer says how the order stands (`paid`
        when it was paid before the cancel arrived)."""
        ...
