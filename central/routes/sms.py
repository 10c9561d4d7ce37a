"""短信发送 (`central.contract.sms`): a terminal asks the platform to text a result to the
person's phone, with their consent; the platform writes the text (`central.sms`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request, Response

from central import sms
from central.applications import KeyReused
from central.contract import ErrorBody
from central.contract.sms import SmsRequest, SmsSent
from central.deps import NowDep, PlatformDep, SessionDep
from central.errors import Refused
from central.routes.certificates import public_url
from central.routes.citizen_requests import idempotent_post
from central.routes.signed import IdempotencyKey, TerminalDep, json_response, signed_json

router = APIRouter(tags=["sms"])
_POST = idempotent_post(SmsSent, SmsRequest)
_POST["responses"] = {
    **_POST["responses"],
    404: {"model": ErrorBody, "description": "No such reference (ticket, booked "
                                             "appointment) in the hall"},
    429: {"model": ErrorBody, "description": "Today's messages to the number, or from the "
                                             "terminal, are used up"},
    503: {"model": ErrorBody, "description": "The SMS gateway could not deliver"},
}


@router.post("/sms", **_POST)
def post_sms(terminal: TerminalDep, key: IdempotencyKey,
             asked: Annotated[SmsRequest, signed_json(SmsRequest)], request: Request,
             session: SessionDep, platform: PlatformDep, now: NowDep) -> Response:
    try:
        with platform.writing(session):
            sent = sms.send(session, platform.sms_gateway, platform.citizen_keys,
                            hall=terminal.hall, terminal_id=terminal.id, idempotency_key=key,
                            request=asked, now=now, public_url=public_url(request, platform))
    except sms.SmsRefused as exc:
        raise Refused(exc.status, exc.message, code=exc.code) from None
    except KeyReused as exc:
        raise Refused(409, str(exc), code="IDEMPOTENCY_KEY_REUSED") from None
    return json_response(sent.answer, 201 if sent.created else 200)
