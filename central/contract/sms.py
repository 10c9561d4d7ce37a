"""A result sent to the person's phone by SMS (`central.sms`), asked for by a terminal.

    POST /api/v1/sms    (signed, Idempotency-Key) `SmsRequest` → `SmsSent`

The terminal never sends the text: it names a kind and a reference (a queue ticket's token, an
appointment's confirmation token)
and the platform writes the message from its own template, so a terminal cannot make the
platform text anyone anything. The person's consent travels with the request and must be true.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from central.contract import ContractModel

PHONE = r"^1[3-9]\d{9}$"  # a mainland mobile number
# each kind: a template and what its reference is (queue_ticket: a ticket's token; appointment:
# a booked appointment's confirmation token)
SmsKind = Literal["queue_ticket", "appointment"]
REFERENCE = r"^[A-Za-z0-9_-]{1,64}$"
SmsState = Literal["sent", "logged"]  # logged: kept in the platform's outbox (reference gateway)


class SmsRequest(ContractModel):
    kind: SmsKind
    reference: str = Field(pattern=REFERENCE)
    phone: str = Field(pattern=PHONE)
    consent: bool  # the person agreed on screen; False is refused


class SmsSent(ContractModel):
    masked_phone: str = Field(max_length=11)  # 138****5678
    state: SmsState
