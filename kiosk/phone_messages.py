"""The SMS port (`common.phone_messages`) over the platform's POST /sms, in a worker thread.

Nothing is kept on the kiosk: the number goes to the platform in the request and is dropped;
a message that could not be sent is not queued for later (the person is standing here and is
told, and a number in a local queue would be personal data at rest for nothing)."""

from __future__ import annotations

import asyncio

from central.contract.sms import SmsKind, SmsRequest, SmsSent
from common.phone_messages import MessageRefused
from kiosk.platform_client import PlatformClient, PlatformError

# what the platform's refusals mean for the person (central.sms)
LIMIT_STATUS = 429


class PlatformPhoneMessages:
    def __init__(self, client: PlatformClient) -> None:
        self._client = client

    async def send(self, kind: SmsKind, reference: str, phone: str,
                   idempotency_key: str) -> SmsSent:
        request = SmsRequest(kind=kind, reference=reference, phone=phone, consent=True)
        return await asyncio.to_thread(self._send, request, idempotency_key)

    def _send(self, request: SmsRequest, idempotency_key: str) -> SmsSent:
        try:
            return self._client.send_sms(request, idempotency_key)
        except PlatformError as exc:
            if exc.status == LIMIT_STATUS:
                raise MessageRefused("SMS_LIMIT") from None
            if exc.status in (404, 409, 422):
                raise MessageRefused("SMS_REFUSED") from None
            raise
