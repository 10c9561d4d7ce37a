"""The provider port: what the platform asks of a payment provider, and the outcomes each answer
maps to. The adapters (`central.payments.wechat`, `central.payments.alipay`) put each
provider's answers into these words; the state machine (`central.payments.machine`) decides
on them alone.

The one rule every mapping keeps: only an answer that says so for certain is a failure. A
person typing a password (WeChat Pay USERPAYING, Alipay 10003 / WAIT_BUYER_PAY), a system error
(SYSTEMERROR, 20000), a timeout, a connection closed without an answer, an answer whose
signature does not verify, an error code the adapter does not know: all are `Pending`, and the
machine asks again (query) until the provider tells, or reverses at the deadline. A failure is
`Failed` with the contract's `PaymentFailure`, and means nothing was charged.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from central.contract.payments import PaymentChannel, PaymentFailure


@dataclass(frozen=True)
class Charge:
    """What is charged: the attempt's out_trade_no, the amount, the words the payer's bill
    shows, and where (the terminal and its hall, WeChat Pay's `scene_info`)."""

    out_trade_no: str
    amount_fen: int
    description: str
    device_id: str
    store_id: str


@dataclass(frozen=True)
class Paid:
    transaction_id: str
    paid_at: datetime | None = None


@dataclass(frozen=True)
class Pending:
    """Not decided, or not known: ask again."""

    note: str


@dataclass(frozen=True)
class Failed:
    """A definite no: nothing was charged."""

    failure: PaymentFailure
    note: str


@dataclass(frozen=True)
class Ended:
    """The trade exists and will never be paid (closed, reversed, failed), or was paid and
    given back in full."""

    note: str
    failure: PaymentFailure = "DECLINED"


@dataclass(frozen=True)
class NotFound:
    """The provider knows no trade under this out_trade_no."""

    note: str = "no such trade"


@dataclass(frozen=True)
class Reversed:
    """The provider says it reversed the trade (a query is still to confirm it)."""

    note: str


@dataclass(frozen=True)
class Retry:
    """Not done now; ask again later (the provider said so, or did not answer)."""

    note: str


@dataclass(frozen=True)
class Refused:
    """The provider refuses this for good: staff look at it."""

    note: str


@dataclass(frozen=True)
class QrCreated:
    qr_content: str


@dataclass(frozen=True)
class Closed:
    note: str


@dataclass(frozen=True)
class CloseRefused:
    """The provider would not close it: it may be paid, or ended otherwise (a query tells)."""

    note: str


@dataclass(frozen=True)
class RefundDone:
    refund_id: str


@dataclass(frozen=True)
class Notice:
    """A provider's notification that a trade was paid, its signature verified."""

    out_trade_no: str
    transaction_id: str
    amount_fen: int | None


@dataclass(frozen=True)
class Statement:
    """A day's trade statement as the provider delivers it (WeChat Pay: the CSV text, gunzipped;
    Alipay: the zip of CSV files)."""

    channel: PaymentChannel
    day: date
    data: bytes
    media_type: str


class StatementUnavailable(Exception):
    """No statement for that day (not yet made: after 9:00 the next day), or no answer."""


ChargeOutcome = Paid | Pending | Failed
QueryOutcome = Paid | Pending | Ended | NotFound
ReverseOutcome = Reversed | Retry | NotFound | Refused
PrecreateOutcome = QrCreated | Pending | Failed
CloseOutcome = Closed | NotFound | CloseRefused | Retry
RefundOutcome = RefundDone | Pending | Retry | Refused


class PaymentProvider(Protocol):
    """One provider, as the platform's merchant account there."""

    @property
    def channel(self) -> PaymentChannel: ...

    def pay_with_code(self, charge: Charge, auth_code: str,
                      notify_url: str | None) -> ChargeOutcome:
        """被扫: charge the pay code the person showed. Sent again with the same arguments
        after an undecided answer, it is the same charge (the provider keys it by
        out_trade_no)."""
        ...

    def query(self, out_trade_no: str) -> QueryOutcome: ...

    def reverse(self, out_trade_no: str) -> ReverseOutcome:
        """撤销: end a pay-code trade; the provider gives back what was charged."""
        ...

    def precreate(self, charge: Charge, expires_at: datetime, lifetime_s: float,
                  notify_url: str) -> PrecreateOutcome:
        """主扫: a QR code the person's phone pays, until `expires_at` (`lifetime_s` from
        now: WeChat Pay takes the moment, Alipay the minutes)."""
        ...

    def close(self, out_trade_no: str) -> CloseOutcome:
        """关闭: a QR trade nobody paid is closed, so it can never be paid."""
        ...

    def refund(self, out_trade_no: str, out_refund_no: str, amount_fen: int, total_fen: int,
               reason: str) -> RefundOutcome:
        """退款; asked again with the same out_refund_no it is the same refund."""
        ...

    def statement(self, day: date) -> Statement:
        """The day's trade statement (for reconciliation); `StatementUnavailable`."""
        ...

    def notification(self, headers: Mapping[str, str], body: bytes) -> Notice | None:
        """A payment notification, verified with the provider's key by its SDK; None when
        it does not verify or is not about a payment made."""
        ...
