"""The port through which flows send a result to the person's phone by SMS, with the
platform's models (`central.contract.sms`).

The kiosk names what to send (a kind and a reference, e.g. a queue ticket's token) and the
number; the platform writes the text. Implemented by `kiosk.phone_messages.PlatformPhoneMessages`.
Every method raises `ServiceUnavailable` when the message was not sent, never an HTTP client's
exception; `MessageRefused` (a kind of it) when the platform answered no (the daily limit …).
"""

from __future__ import annotations

from typing import Protocol

from central.contract.sms import SmsKind, SmsSent
from common.citizen_services import ServiceUnavailable

__all__ = ["MessageRefused", "PhoneMessages", "ServiceUnavailable"]


class MessageRefused(ServiceUnavailable):
    """The platform refused the message; `code` says why (SMS_PHONE_LIMIT …)."""

    def __init__(self, code: str) -> None:
        # the flow words it by `code`: the platform's message is for staff, not the person
        super().__init__(code, user_message="", health_code="SMS_REFUSED", refused=True)
        self.code = code


class PhoneMessages(Protocol):
    async def send(self, kind: SmsKind, reference: str, phone: str,
                   idempotency_key: str) -> SmsSent:
        """Sent (or recorded by the platform) once per key: a repeat is the same message."""
        ...
