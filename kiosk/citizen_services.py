"""The citizen services port (`common.citizen_services`) over the platform and the outbox.

Reads and the identity check go straight to the platform, each in a worker thread. Writes
(applications, evaluations) go through the outbox: committed and sealed on disk first, then
delivered by `OutboxSync` with the item's id as the Idempotency-Key, so "submitted" never
depends on the network and a repeat after a crash or a lost answer is never a second
application. A submission is tried at once for `submit_wait_s`; after that it is the
background's job and the receipt says 待受理 with the local number.

Payments go through `kiosk.payments.Payments`: journaled, with the application held in the
outbox until its payment is settled.
"""

from __future__ import annotations

import asyncio
import logging
import re

from pydantic import BaseModel, ValidationError

from central.contract import (
    ApplicationAccepted,
    ApplicationProgress,
    ApplicationSubmission,
    CertificateRequest,
    EvaluationSubmission,
    Verification,
    VerificationRequest,
    parse_receipt_code,
)
from central.contract.payments import (
    PaymentChannel,
    PaymentOrder,
    PaymentOrderRequest,
    PaymentQr,
    PaymentState,
)
from common.citizen_services import IssuedCertificate, Submitted
from kiosk.payments import Payments
from kiosk.platform_client import PlatformClient, PlatformError, PlatformErrorKind
from offline_cache.outbox import OutboxItem, OutboxState
from offline_cache.outbox_sync import Delivered, OutboxSync, Refused, RetryLater, SendOutcome

log = logging.getLogger(__name__)

APPLICATION = "application"
EVALUATION = "evaluation"

# a genuine receipt code is "ZWRC:" + acceptance number + ":" + base64url signature; anything
# else a scanner returns is refused here (the platform signs the path it sees decoded)
_RECEIPT_CODE = re.compile(r"^[A-Za-z0-9:_-]{1,200}$")


def send_outbox_item(client: PlatformClient, item: OutboxItem) -> SendOutcome:
    """Deliver one outbox item (blocking: runs in OutboxSync's worker thread)."""
    fields = item.payload
    if not isinstance(fields, dict):
        return Refused(f"stored {item.kind} is not a record")
    try:
        if item.kind == APPLICATION:
            submission = ApplicationSubmission.model_validate(
                {**fields, "local_number": item.local_number})
            accepted = client.submit_application(submission, idempotency_key=item.id)
            return Delivered(accepted.model_dump_json())
        if item.kind == EVALUATION:
            evaluation = EvaluationSubmission.model_validate(fields)
            answer = client.submit_evaluation(evaluation, idempotency_key=item.id)
            return Delivered(answer.model_dump_json())
        return Refused(f"unknown outbox kind {item.kind!r}")
    except ValidationError as exc:
        # where, never the values: they are the person's data
        places = sorted({".".join(map(str, error["loc"])) for error in exc.errors()})
        return Refused(f"stored {item.kind} no longer valid at {', '.join(places)[:150]}")
    except PlatformError as exc:
        if exc.refused:
            return Refused(f"{exc.health_code}: {exc.detail}")
        return RetryLater(f"{exc.health_code}: {exc.detail}")


class PlatformCitizenServices:
    """`CitizenServices` over a platform client and the outbox sync worker."""

    def __init__(self, client: PlatformClient, sync: OutboxSync,
                 submit_wait_s: float = 8.0, payments: Payments | None = None) -> None:
        self._client = client
        self._sync = sync
        self._submit_wait_s = submit_wait_s
        self._payments = payments  # None: no payments at this terminal
        # acceptances of queued applications, by local number: local_status is asked on the
        # event loop, so it reads memory, filled here (off the loop) and on each delivery
        self._accepted: dict[str, ApplicationAccepted] = {}
        for local_number, result in sync.outbox.results(APPLICATION).items():
            self._remember(local_number, result)
        sync.on_delivered = self._delivered

    async def verify_identity(self, request: VerificationRequest) -> Verification:
        return await asyncio.to_thread(self._client.verify_identity, request)

    async def submit_application(self, submission: ApplicationSubmission) -> Submitted:
        item = await self._sync.enqueue(APPLICATION, _payload(submission, "local_number"))
        return await self._deliver_now(item)

    async def _deliver_now(self, item: OutboxItem) -> Submitted:
        now = await self._sync.try_now(item.id, self._submit_wait_s)
        if now is not None and now.state is OutboxState.DELIVERED:
            accepted = self._accepted.get(item.local_number)
            if accepted is not None:
                return Submitted(item.local_number, accepted)
        because = ("still being sent" if now is None or not now.last_error
                   else f"{now.state}: {now.last_error}")
        log.info("application %s queued: %s", item.local_number, because)
        return Submitted(item.local_number, None, queued_because=because)

    async def rate(self, evaluation: EvaluationSubmission) -> None:
        await self._sync.enqueue(EVALUATION, _payload(evaluation))
        self._sync.wake()

    async def progress(self, acceptance_number: str) -> ApplicationProgress | None:
        return await asyncio.to_thread(self._client.application, acceptance_number)

    async def progress_by_receipt_code(self, code: str) -> ApplicationProgress | None:
        code = code.strip()
        if parse_receipt_code(code) is None or not _RECEIPT_CODE.match(code):
            return None
        return await asyncio.to_thread(self._client.application_by_receipt_code, code)

    async def applications_of(self, verification_id: str) -> list[ApplicationProgress]:
        return await asyncio.to_thread(self._client.applications_of, verification_id)

    async def document(self, path: str) -> bytes:
        return await asyncio.to_thread(self._client.document, path)

    def local_status(self, local_number: str) -> ApplicationAccepted | None:
        return self._accepted.get(local_number)

    async def issue_certificate(self, request: CertificateRequest,
                                idempotency_key: str) -> IssuedCertificate:
        # straight to the platform, never the outbox: a certificate is printed now or not at all
        return await asyncio.to_thread(self._client.issue_certificate, request, idempotency_key)

    # -- paying a fee -------------------------------------------------------------------------

    async def hold_application(self, submission: ApplicationSubmission) -> str:
        item = await self._paying().hold(APPLICATION, _payload(submission, "local_number"))
        return item.local_number

    async def release_application(self, local_number: str,
                                  payment_order_id: str | None) -> Submitted:
        item = await self._paying().release(local_number, payment_order_id)
        if item is None:  # not held: nothing to send (a bug; logged by release)
            return Submitted(local_number, self._accepted.get(local_number),
                             queued_because="not held")
        return await self._deliver_now(item)

    def leave_application(self, local_number: str, *, cancel_order_id: str | None) -> None:
        if self._payments is not None:
            self._payments.leave(local_number, cancel_order_id)

    async def create_payment(self, request: PaymentOrderRequest,
                             idempotency_key: str) -> PaymentOrder:
        return await self._paying().create(request, idempotency_key)

    async def pay_with_code(self, order_id: str, auth_code: str) -> PaymentOrder:
        return await self._paying().pay_with_code(order_id, auth_code)

    async def payment_qr(self, order_id: str, channel: PaymentChannel) -> PaymentQr:
        return await self._paying().qr(order_id, channel)

    async def wait_for_payment(self, order_id: str, state: PaymentState,
                               wait_s: float) -> PaymentOrder:
        return await self._paying().wait(order_id, state, wait_s)

    async def cancel_payment(self, order_id: str) -> PaymentOrder:
        return await self._paying().cancel(order_id)

    def _paying(self) -> Payments:
        if self._payments is None:
            raise PlatformError(PlatformErrorKind.UNEXPECTED, "no payments at this terminal")
        return self._payments

    def _delivered(self, item: OutboxItem, result: str) -> None:
        if item.kind == APPLICATION:
            self._remember(item.local_number, result)

    def _remember(self, local_number: str, result: str) -> None:
        try:
            self._accepted[local_number] = ApplicationAccepted.model_validate_json(result)
        except ValidationError:
            log.error("stored acceptance of %s does not read as one", local_number)


def _payload(model: BaseModel, *without: str) -> dict[str, object]:
    """The model as JSON-able data for the sealed outbox."""
    return model.model_dump(mode="json", exclude=set(without))
