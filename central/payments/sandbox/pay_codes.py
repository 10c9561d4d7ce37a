"""Pay codes (付款码), the numbers under the barcode a person's wallet shows.

- WeChat Pay: 18 digits beginning 10–15 (付款码支付 product guide: "18位纯数字，以10、11、12、13、
  14、15开头").
- Alipay: 16–24 digits beginning 25–30 (当面付 条码支付 guide: "25~30开头的长度为16~24位的数字").

A code is single-use and lives about a minute in the wallet before it refreshes; the ledger
holds both rules (`central.payments.sandbox.ledger`).
"""

from __future__ import annotations

import secrets
import string
from typing import Literal

Provider = Literal["wechat", "alipay"]
PROVIDERS: tuple[Provider, ...] = ("wechat", "alipay")

_PREFIXES: dict[Provider, range] = {"wechat": range(10, 16), "alipay": range(25, 31)}
_LENGTHS: dict[Provider, range] = {"wechat": range(18, 19), "alipay": range(16, 25)}


def new_code(provider: Provider, length: int | None = None) -> str:
    """A fresh code of `provider`'s form (Alipay's 18 digits long unless `length` says)."""
    lengths = _LENGTHS[provider]
    size = length if length is not None else (18 if 18 in lengths else lengths.start)
    if size not in lengths:
        raise ValueError(f"a {provider} pay code has {lengths.start}–{lengths.stop - 1} digits")
    prefix = str(secrets.choice(_PREFIXES[provider]))
    return prefix + "".join(secrets.choice(string.digits) for _ in range(size - len(prefix)))


def has_form(provider: Provider, code: str) -> bool:
    """Whether `code` is shaped like one of `provider`'s pay codes (not whether it is valid)."""
    return (code.isascii() and code.isdigit() and len(code) in _LENGTHS[provider]
            and int(code[:2]) in _PREFIXES[provider])
