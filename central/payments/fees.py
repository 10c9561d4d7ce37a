"""What a service costs at the kiosk: the platform prices every order itself, from the catalog's
`Fee` (`central.contract.Fee`), never from what a terminal says.

- a fixed fee (`amount_cny`, not `variable`) is that amount;
- a fee that depends on the person's choice is looked up in `FEE_OPTIONS` by the answer of the
  form field that makes the choice (`PaymentOrderRequest.fee_option`): SS-009 城乡居民养老保险
  by 缴费档次 (the catalog's basis: 200/300/500/1000/2000/3000 元/年), SS-013 居民身份证 by
  申领类型 (公安部 居民身份证工本费: 换领 20 元; 丢失补领、损坏换领 40 元; 临时居民身份证
  10 元). An answer not in the table is refused, never guessed;
- a service not `payable_at_kiosk`, without an amount (`variable` with no table: a fine, a
  utility bill), or free, cannot be paid here (`NotPayable`).

Amounts are whole fen (分), as both providers take them (WeChat Pay `amount.total`; Alipay's
yuan string is made from it).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from central.contract import Service

# service id → the form answer → fen; the answers are the form fields' options as the catalog
# lists them, and the short words a person or a counter uses for the same choice
FEE_OPTIONS: dict[str, dict[str, int]] = {
    "SS-009": {grade: int(grade) * 100 for grade in ("200", "300", "500", "1000", "2000",
                                                      "3000")},
    "SS-013": {"有效期满换领": 2000, "换领": 2000, "丢失补领": 4000, "补领": 4000,
               "损坏换领": 4000, "临时身份证": 1000, "临时": 1000},
}

# what the slip prints for the fee of a service (`PaymentOrder.item`); {option} is the answer
ITEMS: dict[str, str] = {
    "SS-007": "城乡居民基本医疗保险个人缴费",
    "SS-009": "城乡居民基本养老保险个人缴费（{option}元档）",
    "SS-013": "居民身份证工本费（{option}）",
    "SS-018": "往来港澳通行证签注费",
    "SS-019": "普通护照工本费",
    "SS-022": "机动车驾驶证工本费",
}
TEMPORARY_CARD = "临时居民身份证工本费"


class NotPayable(Exception):
    """The fee cannot be paid at a kiosk, or the option is unknown (HTTP 422 with `code`)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Price:
    amount_fen: int
    item: str
    fee_option: str | None  # the answer the amount was looked up by, as the table spells it


def price(service: Service, fee_option: str | None) -> Price:
    """The amount and wording of `service`'s fee; `NotPayable` when it has none here."""
    fee = service.fee
    if not fee.payable_at_kiosk:
        raise NotPayable("NOT_PAYABLE_AT_KIOSK", f"{service.id}'s fee is not paid at a kiosk")
    options = FEE_OPTIONS.get(service.id)
    if options is not None:
        chosen = (fee_option or "").strip()
        if not chosen:
            raise NotPayable("FEE_OPTION_REQUIRED",
                             f"{service.id}'s fee depends on a choice: fee_option is required")
        if chosen not in options:
            raise NotPayable("FEE_OPTION_UNKNOWN",
                             f"{service.id} has no fee for this fee_option")
        return Price(options[chosen], _item(service, chosen), chosen)
    if fee.variable:
        raise NotPayable("NO_AMOUNT", f"{service.id}'s amount is not known to the platform "
                                      "(it is set per case): pay at a counter")
    amount = int((Decimal(str(fee.amount_cny)) * 100).quantize(Decimal(1), ROUND_HALF_UP))
    if amount <= 0:
        raise NotPayable("NO_FEE", f"{service.id} has no fee")
    return Price(amount, _item(service, None), None)


def _item(service: Service, option: str | None) -> str:
    if service.id == "SS-013" and option in ("临时身份证", "临时"):
        return TEMPORARY_CARD
    template = ITEMS.get(service.id)
    if template is None:
        return f"{service.name}费用"
    return template.format(option=option or "")


def yuan(fen: int) -> str:
    """Fen as the yuan string Alipay takes and a slip prints: 1500 → "15.00"."""
    return f"{fen // 100}.{fen % 100:02d}"
