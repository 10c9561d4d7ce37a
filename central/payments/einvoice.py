"""财政电子票据 (the e-receipt) of a paid order: its number, issued once when the order is paid,
and the address where anyone holding the slip checks it (`central.routes.einvoice`).

- number: 票据代码 (8 digits) + 票据号码 (10 digits). The 代码 is shaped as a 财政电子票据's:
  the province (the first 2 digits of the 缴款码's GB/T 2260 region), the kind (`06`: 非税收入
  通用票据), the year (2 digits, China), the batch (`01`). The 号码 is derived from the order id
  with the platform's key (`CitizenKeys.einvoice_number_serial`), so it is the same whenever
  the order is issued again, and salted again on the rare collision: unique (a unique index).
- check address: `{public_url}/einvoice/{number}?c=<8 base32 characters>`, the code the
  platform's HMAC over the number, so a number alone (or a guessed one) shows nothing.

The page shows only what the paper shows, and the payer's name masked.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from central.db import PaymentOrderRecord
from central.payments.numbers import CHINA
from central.platform_secret import CitizenKeys

KIND = "06"
BATCH = "01"
SALTS = 20
NUMBER_LENGTH = 18


def receipt_code(region: str, paid_at: datetime) -> str:
    return f"{region[:2]}{KIND}{paid_at.astimezone(CHINA):%y}{BATCH}"


def check_url(base_url: str, number: str, keys: CitizenKeys) -> str:
    return f"{base_url.rstrip('/')}/einvoice/{number}?c={keys.einvoice_check_code(number)}"


def issue(session: Session, order: PaymentOrderRecord, *, keys: CitizenKeys, region: str,
          base_url: str) -> None:
    """Give the paid `order` its e-receipt, once (the caller commits)."""
    if order.e_receipt_number is not None or order.paid_at is None:
        return
    code = receipt_code(region, order.paid_at)
    for salt in range(SALTS):
        number = f"{code}{keys.einvoice_number_serial(order.id, salt):010d}"
        taken = session.scalars(select(PaymentOrderRecord.id).where(
            PaymentOrderRecord.e_receipt_number == number)).first()
        if taken is None or taken == order.id:
            order.e_receipt_number = number
            order.e_receipt_url = check_url(base_url, number, keys)
            return
    raise RuntimeError(f"no free e-receipt number for {order.id}")


def find(session: Session, keys: CitizenKeys, number: str,
         code: str) -> PaymentOrderRecord | None:
    """The paid order of a genuine e-receipt address; None for a forged or unknown one."""
    if len(number) != NUMBER_LENGTH or not number.isascii() or not number.isdigit() \
            or not keys.einvoice_check_matches(number, code[:16]):
        return None
    return session.scalars(select(PaymentOrderRecord).where(
        PaymentOrderRecord.e_receipt_number == number)).first()
