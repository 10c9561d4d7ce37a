"""POST /api/v1/nontax/payments: the 非税 collection system tells the platform that an order's
缴款码 was paid elsewhere (a bank counter, a government app); `central.payments.nontax` says
the rules. Not a terminal's route: signed with the collector's own key (`X-Nontax-Signature`,
HMAC-SHA256 of the exact body), idempotent by the collector's transaction id.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from central.contract import ErrorBody
from central.deps import PaymentsDep
from central.errors import error_response
from central.payments.nontax import HEADER_SIGNATURE, NontaxAnswer
from central.routes.signed import json_response
from central.routes.signed_body import MAX_BODY

router = APIRouter(tags=["nontax"])


@router.post("/nontax/payments", response_model=NontaxAnswer, responses={
    401: {"model": ErrorBody, "description": "The signature does not verify"},
    403: {"model": ErrorBody, "description": "No collection system is configured here"},
    404: {"model": ErrorBody, "description": "No order has this notice code"},
    409: {"model": ErrorBody, "description": "The transaction id came with another body"},
    422: {"model": ErrorBody, "description": "Not a payment notice, or another amount"}})
async def post_nontax_payment(request: Request, payments: PaymentsDep) -> Response:
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            return error_response(413, "too large for a payment notice", code="TOO_LARGE")
    answer = await run_in_threadpool(payments.nontax_paid, body,
                                     request.headers.get(HEADER_SIGNATURE))
    return json_response(answer)
