"""GET /einvoice/{number}?c=…: the public page a payment slip's 电子票据 QR code opens.

No login, no scripts, nothing from elsewhere, everything escaped (Jinja2's autoescape): a
clerk or the payer checks the e-receipt with a phone. 真实有效 with what the receipt says (the
item, the amount, the payer's name masked, the date, where it was paid) when the number is
one this platform issued and `c` is the platform's check code of it; otherwise 未查询到该票据,
the same for a forged code, an unknown number and a malformed one.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from sqlalchemy import select

from central.contract.masking import mask_name
from central.db import ApplicationRecord
from central.deps import PlatformDep, SessionDep
from central.payments import einvoice
from central.payments.fees import yuan
from central.payments.numbers import CHINA
from central.routes.verify import HEADERS, PLATFORM_NAME, TEMPLATES

router = APIRouter(include_in_schema=False)

CHANNELS = {"wechat": "微信支付（自助终端）", "alipay": "支付宝（自助终端）",
            "nontax": "非税收入缴款渠道"}


@router.get("/einvoice/{number}")
def einvoice_page(request: Request, platform: PlatformDep, session: SessionDep,
                  number: str, c: str = "") -> Response:
    number = number.strip()[:40]
    order = einvoice.find(session, platform.citizen_keys, number, c)
    found = order is not None and order.paid_at is not None \
        and order.state in ("paid", "refunded")
    context: dict[str, object] = {"platform": PLATFORM_NAME, "number": number,
                                  "genuine": found}
    if order is not None and order.paid_at is not None and found:
        payer = ""
        if order.application_number is not None:
            name = session.scalars(select(ApplicationRecord.applicant_name).where(
                ApplicationRecord.number == order.application_number)).first()
            payer = mask_name(name) if name else ""
        context.update(
            code=number[:8], serial=number[8:], item=order.item,
            amount=yuan(order.amount_fen), payer=payer or "—",
            paid_on=order.paid_at.astimezone(CHINA).strftime("%Y年%m月%d日"),
            channel=CHANNELS.get(order.channel or "", ""),
            refunded=order.state == "refunded")
    response = TEMPLATES.TemplateResponse(request, "einvoice.html", context,
                                          status_code=200 if found else 404)
    response.headers.update(HEADERS)
    return response
