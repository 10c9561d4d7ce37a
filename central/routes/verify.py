"""GET /verify/{code}: the public page a certificate's QR code opens.

No login: a counter clerk or a bank checks a paper certificate with a phone. The page says
真实有效 and what the certificate said (masked) when the code is one this platform issued and
its stored record still matches the platform's signature; otherwise 未查询到该证明.
GET /verify is the same page with a box to type the code printed on the certificate.
"""

from __future__ import annotations

from datetime import timedelta, timezone
from pathlib import Path

from fastapi import APIRouter, Request, Response
from fastapi.templating import Jinja2Templates

from central import certificates
from central.deps import PlatformDep, SessionDep, SignerDep, platform_signer

router = APIRouter(include_in_schema=False)

TEMPLATES = Jinja2Templates(
    directory=str(Path(__file__).resolve().parent.parent / "console" / "templates"))
CHINA = timezone(timedelta(hours=8))
PLATFORM_NAME = "政务服务平台"
# the page is self-contained: its own inline style, no scripts, nothing from elsewhere
HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
                               "base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


@router.get("/verify")
def verify_form(request: Request, platform: PlatformDep, session: SessionDep,
                code: str = "") -> Response:
    """The code typed in (the form sends ?code=…), or the empty form."""
    if code.strip():
        return verify_page(request, platform_signer(platform), session, code.strip()[:64])
    response = TEMPLATES.TemplateResponse(request, "verify.html",
                                          {"check": None, "platform": PLATFORM_NAME})
    response.headers.update(HEADERS)
    return response


@router.get("/verify/{code}")
def verify_page(request: Request, signer: SignerDep, session: SessionDep,
                code: str) -> Response:
    check = certificates.check(session, signer, code)
    issued_at = (check.issued_at.astimezone(CHINA).strftime("%Y年%m月%d日 %H:%M")
                 if check.issued_at else "")
    response = TEMPLATES.TemplateResponse(
        request, "verify.html",
        {"check": check, "issued_at": issued_at, "platform": PLATFORM_NAME},
        status_code=200 if check.genuine else 404)
    response.headers.update(HEADERS)
    return response
