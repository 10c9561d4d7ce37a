"""Paying a fee at the kiosk (收费, GB/T 40756 §9.8.5.5): what a terminal and the platform say
to each other about a payment.

The platform, never the terminal, talks to the payment providers (WeChat Pay, Alipay) and
computes the amount from the catalog; a terminal only asks for an order, hands over the pay
code the scanner read (被扫) or shows the QR code the platform gives (主扫), and asks how the
order stands. Every request is signed like a heartbeat; the writes carry `Idempotency-Key` (the
terminal's own attempt id, journaled before it asks), so a resend after a crash or a lost answer
gets the first answer and never a second order or a second charge.

- `POST /api/v1/payments` (`PaymentOrderRequest`) → `PaymentOrder`, state `unpaid`
- `POST /api/v1/payments/{order_id}/pay-code` (`PayCodeRequest`) → `PaymentOrder`: `paid`,
  `paying` (the person is entering a password, or the provider has not answered yet: ask again
  with `GET`), or `unpaid` with `failure` (a definite no: nothing was charged; another attempt
  may follow)
- `POST /api/v1/payments/{order_id}/qr` (`QrRequest`) → `PaymentQr`
- `GET /api/v1/payments/{order_id}?wait_s=N` → `PaymentOrder`, answered as soon as the state
  differs from `?state=` or after N seconds (N ≤ 20): the terminal waits for a change without
  asking every second
- `POST /api/v1/payments/{order_id}/cancel` → `PaymentOrder`: the person gave up; an open QR
  code is closed, a charge still being decided is reversed by the platform in due time
- an application for a fee-bearing service names its order (`payment_order_id` of
  `ApplicationSubmission`): paid, or still unpaid when the person chose to pay later by its
  缴款码 (the platform links them all the same); the platform refunds a paid order whose
  application it refuses.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from central.contract import PAYMENT_ORDER_ID_PATTERN, ContractModel

# nontax: the order's 缴款码 paid elsewhere (a bank counter, a government app), as the 非税
# collection system told the platform
PaymentChannel = Literal["wechat", "alipay", "nontax"]
# unpaid: nothing charged (yet); paying: a charge is being decided (USERPAYING, no answer);
# paid; refunded: paid, then given back (the application was refused, a second charge);
# closed: will never be paid (the person gave up, the QR code expired, reversed);
# unresolved: the provider's answers left it open: staff resolve it (reconciliation)
PaymentState = Literal["unpaid", "paying", "paid", "refunded", "closed", "unresolved"]
# why the last attempt was not paid, as the provider said it; the kiosk words it for the person
PaymentFailure = Literal[
    "NOT_ENOUGH",  # insufficient balance
    "CODE_INVALID",  # a wrong, used or expired pay code
    "DECLINED",  # the person cancelled on the phone, a wrong password, a risk check
    "TIMED_OUT",  # still open at the deadline, then reversed: not charged
    "PROVIDER_ERROR",  # the provider could not take the payment now: not charged
]
# a WeChat Pay 付款码 is 18 digits (10-15…), an Alipay one 16-24 digits (25-30…)
PAY_CODE_PATTERN = r"^[0-9]{16,24}$"
MAX_WAIT_S = 20


class PaymentOrderRequest(ContractModel):
    """An order for the fee of `service_id`, for the person the terminal verified."""

    service_id: str = Field(pattern=r"^SS-\d{3}$")
    verification_id: str = Field(min_length=1, max_length=64)
    # for a service whose fee depends on a choice (SS-009 档次, SS-013 换领 or 补领): the form
    # field's answer; the platform looks the amount up, and refuses an answer it does not know
    fee_option: str | None = Field(default=None, max_length=40)
    local_number: str = Field(min_length=1, max_length=40)  # the application it pays for


class PaymentOrder(ContractModel):
    order_id: str = Field(pattern=PAYMENT_ORDER_ID_PATTERN)
    service_id: str
    item: str  # what it pays for, as printed: "港澳通行证再次签注费"
    amount_fen: int = Field(ge=1)
    state: PaymentState
    # 缴款码: the same order can be paid elsewhere (a counter, a government app); printed on
    # the receipt when the person does not pay here
    notice_code: str
    reference: str  # for staff and the person: the number to quote about this payment
    channel: PaymentChannel | None = None
    transaction_masked: str | None = None  # the provider's transaction id, masked: 4200****1234
    paid_at: datetime | None = None
    e_receipt_number: str | None = None  # 电子票据号 of a paid order
    e_receipt_url: str | None = None  # where the 电子票据 can be checked (a QR on the slip)
    failure: PaymentFailure | None = None  # why the last attempt was not paid


class PayCodeRequest(ContractModel):
    auth_code: str = Field(pattern=PAY_CODE_PATTERN, repr=False)


class QrRequest(ContractModel):
    channel: PaymentChannel  # a provider's: nontax has no QR code (503 CHANNEL_UNAVAILABLE)


class PaymentQr(ContractModel):
    order: PaymentOrder
    qr_content: str = Field(max_length=512)  # what the QR code on screen holds
    expires_at: datetime
