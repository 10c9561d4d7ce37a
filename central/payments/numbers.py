"""The numbers of a payment: the order id, the 缴款码, the reference, each attempt's
out_trade_no and each refund's out_refund_no; which provider a pay code belongs to; a
transaction id as a person may see it.

- order id: `PO` + 16 characters of base32 (80 random bits), the contract's
  `PAYMENT_ORDER_ID_PATTERN`;
- 缴款码 (notice code): 20 digits, shaped like a 非税收入 payment notice's code (财政部
  非税收入收缴电子化: a 20-digit code that any channel can be paid by): the region (6 digits,
  GB/T 2260), the year (2), a serial (11, random) and a Luhn check digit, so a mistyped code is
  caught at a counter;
- reference: `JK` + the day in China + 6 digits, what a person quotes about the payment;
- out_trade_no: the order id and the attempt's number (`PO…01`): letters and digits only, at
  most 32 characters, which both providers take (WeChat Pay: 6–32 of [0-9A-Za-z_-|*]; Alipay:
  up to 64 of letters, digits and underscore); never reused, so a new attempt after a definite
  failure is a new trade at the provider;
- out_refund_no: `R` + the attempt's out_trade_no: an attempt's money is given back once, all
  of it, and a refund asked again (after a crash, a lost answer) is the same refund at the
  provider (WeChat Pay: "相同退款单号多次请求只退一笔"; Alipay: out_request_no).

Pay codes (付款码): WeChat Pay's are 18 digits beginning 10–15 (付款码支付 product guide: "18位
纯数字，以10、11、12、13、14、15开头"); Alipay's 16–24 digits beginning 25–30 (当面付 条码支付:
"25~30开头的长度为16~24位的数字").
"""

from __future__ import annotations

import base64
import secrets
from datetime import datetime, timedelta, timezone

from central.contract.payments import PaymentChannel

CHINA = timezone(timedelta(hours=8))
_PAY_CODES: dict[PaymentChannel, tuple[range, range]] = {
    "wechat": (range(10, 16), range(18, 19)),
    "alipay": (range(25, 31), range(16, 25)),
}


def new_order_id() -> str:
    return "PO" + base64.b32encode(secrets.token_bytes(10)).decode("ascii")


def new_notice_code(region: str, now: datetime) -> str:
    body = f"{region}{now.astimezone(CHINA):%y}{secrets.randbelow(10**11):011d}"
    return body + luhn_digit(body)


def luhn_digit(digits: str) -> str:
    """The check digit that makes `digits` + it pass the Luhn test (ISO/IEC 7812-1)."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return str((10 - total % 10) % 10)


def luhn_valid(code: str) -> bool:
    return code.isascii() and code.isdigit() and luhn_digit(code[:-1]) == code[-1]


def new_reference(now: datetime) -> str:
    return f"JK{now.astimezone(CHINA):%Y%m%d}{secrets.randbelow(10**6):06d}"


def out_trade_no(order_id: str, number: int) -> str:
    return f"{order_id}{number:02d}"


def out_refund_no(out_trade_no: str) -> str:
    return f"R{out_trade_no}"


def channel_of(auth_code: str) -> PaymentChannel | None:
    """Which provider's pay code this is, by its form; None: neither's."""
    if not (auth_code.isascii() and auth_code.isdigit()):
        return None
    for channel, (prefixes, lengths) in _PAY_CODES.items():
        if len(auth_code) in lengths and int(auth_code[:2]) in prefixes:
            return channel
    return None


def mask_transaction(transaction_id: str | None) -> str | None:
    """The provider's transaction id as a slip shows it: 4200****1234."""
    if not transaction_id:
        return None
    if len(transaction_id) <= 8:
        return "****" + transaction_id[-2:]
    return f"{transaction_id[:4]}****{transaction_id[-4:]}"
