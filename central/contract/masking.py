"""How a name and a resident ID number are masked: rules both programs apply.

The kiosk masks what it shows on screen and writes to its logs (`kiosk.pii`); the platform
masks what it sends back to terminals and what it prints and stores (an application's
applicant, a certificate's holder). Both must give the same masked form, so that what the
person sees at the kiosk is what a certificate or a progress answer says. Both functions are
idempotent: masking twice does no harm.
"""

from __future__ import annotations


def mask_name(name: str) -> str:
    """Keep the first and the last character: 张三丰 → 张*丰, 张三 → 张*, 欧阳娜娜 → 欧**娜."""
    name = name.strip()
    if len(name) <= 1:
        return "*" * len(name)
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_id_number(number: str) -> str:
    """Keep the first 3 and the last 4: 110***********123X (an old 15-digit one alike)."""
    number = "".join(number.split())
    if len(number) < 8:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 7) + number[-4:]
