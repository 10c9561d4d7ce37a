"""Payments (收费), as the contract says (`central.contract.payments`): a terminal's order, its pay
code or QR code, how it stands (waiting for a change), cancel; and the providers' payment
notifications.

The terminal's routes are signed like every terminal request, and its writes carry an
Idempotency-Key: a repeat is answered from the order and attempt the first request made,
never with a second order or charge. An order is its terminal's own: another terminal's is a
404, as one that does not exist.

The notify routes are the providers' (POST, unsigned by terminals, and outside the terminals'
OpenAPI document: their form is each provider's): verified with the providers' SDKs
(`central.payments.wechat`, `central.payments.alipay`), answered as each provider expects
(WeChat Pay 支付通知: 204 taken, 4xx/5xx with `{"code": "FAIL", "message"}` to be sent again;
Alipay 异步通知: the text "success", anything else to be sent again).
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from central.contract import ErrorBody
from central.contract.payments import (
    MAX_WAIT_S,
    PayCodeRequest,
    PaymentChannel,
    PaymentOrder,
    PaymentOrderRequest,
    PaymentQr,
    PaymentState,
    QrRequest,
)
from central.deps import PaymentsDep, SessionDep
from central.errors import ERROR_RESPONSES, error_response
from central.openapi import idempotency_key_header, json_body
from central.routes.citizen_requests import idempotent_post
from central.routes.signed import (
    UNAUTHORIZED,
    IdempotencyKey,
    TerminalDep,
    json_response,
    signed_json,
)
from central.routes.signed_body import MAX_BODY

router = APIRouter(tags=["payments"])

NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "No such order of this terminal"}}
WRITE: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "Idempotency-Key missing or malformed"},
    409: {"model": ErrorBody, "description": "The order cannot take this now (being paid, "
                                             "paid, closed), or the key came with another "
                                             "request"},
    **NOT_FOUND, **UNAUTHORIZED, **ERROR_RESPONSES}


def _write(answer: type[PaymentOrder] | type[PaymentQr], body: type[Any] | None,
           **more: dict[str, Any]) -> dict[str, Any]:
    extra: dict[str, Any] = {"parameters": [idempotency_key_header(required=True)]}
    if body is not None:
        extra["requestBody"] = json_body(body)
    return {"response_model": answer, "responses": {**WRITE, **more},
            "openapi_extra": extra}


ORDER_DOCS = idempotent_post(PaymentOrder, PaymentOrderRequest)
ORDER_DOCS["responses"].update({
    403: {"model": ErrorBody, "description": "The verification is unknown, expired or "
                                             "another terminal's"},
    422: {"model": ErrorBody, "description": "The service is unknown or not paid at a kiosk, "
                                             "its amount is not known here, or the fee "
                                             "option is missing or unknown"}})


@router.post("/payments", **ORDER_DOCS)
def post_payment(terminal: TerminalDep, key: IdempotencyKey,
                 asked: Annotated[PaymentOrderRequest, signed_json(PaymentOrderRequest)],
                 session: SessionDep, payments: PaymentsDep) -> Response:
    answer, created = payments.create_order(session, terminal_id=terminal.id,
                                            idempotency_key=key, request=asked)
    return json_response(answer, 201 if created else 200)


@router.post("/payments/{order_id}/pay-code", **_write(PaymentOrder, PayCodeRequest))
def post_pay_code(order_id: str, terminal: TerminalDep, key: IdempotencyKey,
                  asked: Annotated[PayCodeRequest, signed_json(PayCodeRequest)],
                  payments: PaymentsDep) -> Response:
    return json_response(payments.pay_code(order_id, terminal.id, key, asked.auth_code))


@router.post("/payments/{order_id}/qr", **_write(PaymentQr, QrRequest, **{
    "503": {"model": ErrorBody, "description": "The channel is not taken here, or its "
                                               "provider made no QR code (now)"}}))
def post_qr(order_id: str, terminal: TerminalDep, key: IdempotencyKey,
            asked: Annotated[QrRequest, signed_json(QrRequest)],
            payments: PaymentsDep) -> Response:
    return json_response(payments.qr(order_id, terminal.id, key, asked.channel))


@router.post("/payments/{order_id}/cancel", **_write(PaymentOrder, None))
def post_cancel(order_id: str, terminal: TerminalDep, _key: IdempotencyKey,
                payments: PaymentsDep) -> Response:
    # cancelling twice is cancelling once: the key is required, as on every write, not kept
    return json_response(payments.cancel(order_id, terminal.id))


@router.get("/payments/{order_id}", response_model=PaymentOrder,
            responses={**NOT_FOUND, **UNAUTHORIZED, **ERROR_RESPONSES})
async def get_payment(
    order_id: str, terminal: TerminalDep, payments: PaymentsDep,
    wait_s: Annotated[int, Query(ge=0, le=MAX_WAIT_S, description=(
        "Hold the answer until the state is no longer `state`, at most this long"))] = 0,
    state: Annotated[PaymentState | None, Query(description=(
        "The state the terminal knows (default: the state now)"))] = None,
) -> Response:
    answer = await run_in_threadpool(payments.order, order_id, terminal.id)
    known = state or answer.state
    if wait_s == 0 or answer.state != known:
        return json_response(answer)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait_s
    async with payments.changes.watching(order_id) as changed:
        while answer.state == known and (left := deadline - loop.time()) > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), left)
            changed.clear()
            answer = await run_in_threadpool(payments.order, order_id, terminal.id)
    return json_response(answer)


# -- the providers' notifications ----------------------------------------------------------

async def _notification(request: Request) -> bytes | None:
    """The body, or None when it is larger than any notification."""
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            return None
    return body


async def _notified(payments: PaymentsDep, channel: PaymentChannel,
                    request: Request) -> bool | None:
    body = await _notification(request)
    if body is None:
        return None
    return await run_in_threadpool(payments.notified, channel, dict(request.headers), body)


@router.post("/payments/notify/wechat", status_code=204, include_in_schema=False)
async def post_wechat_notification(request: Request, payments: PaymentsDep) -> Response:
    taken = await _notified(payments, "wechat", request)
    if taken is None:
        return error_response(413, "not a notification", code="FAIL")
    if not taken:
        return error_response(401, "the notification does not verify", code="FAIL")
    return Response(status_code=204)


@router.post("/payments/notify/alipay", include_in_schema=False)
async def post_alipay_notification(request: Request, payments: PaymentsDep) -> Response:
    taken = await _notified(payments, "alipay", request)
    if taken is None:
        return error_response(413, "not a notification", code="FAIL")
    return Response("success" if taken else "fail", media_type="text/plain")
