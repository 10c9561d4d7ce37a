"""短信 on the platform: a queue ticket texted to the person's phone with their consent, the
text written by the platform, the number sealed in the outbox, limits per phone and per
terminal, repeats of a key answered once, hostile requests refused."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from central import sms
from central.contract import HEADER_IDEMPOTENCY_KEY
from central.contract.sms import SmsSent
from central.db import SmsOutboxRecord
from tests.central.citizen import JSON, new_key

SMS = "/api/v1/sms"
PHONE = "13812345678"


def ticket_token(client) -> str:
    answer = client.post("/api/v1/queue/tickets", json={"group_id": "A"},
                         headers={**JSON, HEADER_IDEMPOTENCY_KEY: new_key()})
    assert answer.status_code == 201, answer.text
    return answer.json()["token"]


def send(client, reference: str, phone: str = PHONE, consent: bool = True,
         key: str | None = None, kind: str = "queue_ticket"):
    body = {"kind": kind, "reference": reference, "phone": phone, "consent": consent}
    return client.post(SMS, json=body, headers={**JSON, HEADER_IDEMPOTENCY_KEY: key or new_key()})


def outbox(client) -> list[SmsOutboxRecord]:
    with client.app.state.sessions() as session:
        return list(session.scalars(select(SmsOutboxRecord)))


def test_a_ticket_texted_with_consent_lands_in_the_outbox_written_by_the_platform(
        terminal) -> None:
    token = ticket_token(terminal)
    answer = send(terminal, token)
    assert answer.status_code == 201, answer.text
    assert SmsSent.model_validate(answer.json()) == SmsSent(masked_phone="138****5678",
                                                           state="logged")
    [record] = outbox(terminal)
    assert record.text.startswith(
        "【政务服务】您的排队号 A001（社保医保），请到一楼 A 区 1-4 号窗口")
    assert token in record.text  # the link to follow the ticket
    assert record.masked_phone == "138****5678"
    assert PHONE.encode() not in record.phone_sealed and PHONE not in record.phone_key
    assert sms.unseal_phone(terminal.app.state.citizen_keys, record) == PHONE


def test_without_consent_nothing_is_sent(terminal) -> None:
    answer = send(terminal, ticket_token(terminal), consent=False)
    assert (answer.status_code, answer.json()["code"]) == (422, "SMS_NO_CONSENT")
    assert outbox(terminal) == []


def test_a_repeated_key_is_one_message_and_another_body_with_it_is_refused(terminal) -> None:
    token, key = ticket_token(terminal), new_key()
    assert send(terminal, token, key=key).status_code == 201
    assert send(terminal, token, key=key).status_code == 200
    assert send(terminal, token, phone="13900000000", key=key).status_code == 409
    assert len(outbox(terminal)) == 1


@pytest.mark.parametrize("phone", ["12812345678", "1381234567", "138123456789", "+8613812345678",
                                   "1381234567a", ""])
def test_what_is_not_a_mainland_mobile_number_is_refused(terminal, phone: str) -> None:
    assert send(terminal, ticket_token(terminal), phone=phone).status_code == 422
    assert outbox(terminal) == []


def test_a_terminal_cannot_choose_the_text_or_name_a_ticket_it_does_not_have(terminal) -> None:
    body = {"kind": "free_text", "reference": "x", "phone": PHONE, "consent": True,
            "text": "点击领取补贴 http://evil.example"}
    answer = terminal.post(SMS, content=json.dumps(body),
                           headers={**JSON, HEADER_IDEMPOTENCY_KEY: new_key()})
    assert answer.status_code == 422
    unknown = send(terminal, "no-such-ticket-token-0000")
    assert (unknown.status_code, unknown.json()["code"]) == (404, "SMS_REFERENCE_UNKNOWN")
    assert outbox(terminal) == []


def test_one_number_gets_at_most_a_few_messages_a_day(terminal) -> None:
    token = ticket_token(terminal)
    for _ in range(sms.PER_PHONE_PER_DAY):
        assert send(terminal, token).status_code == 201
    refused = send(terminal, token)
    assert (refused.status_code, refused.json()["code"]) == (429, "SMS_PHONE_LIMIT")
    assert send(terminal, token, phone="13900000000").status_code == 201


def test_a_terminal_sends_at_most_so_many_a_day(terminal, monkeypatch) -> None:
    monkeypatch.setattr(sms, "PER_TERMINAL_PER_DAY", 2)
    token = ticket_token(terminal)
    assert send(terminal, token, phone="13900000001").status_code == 201
    assert send(terminal, token, phone="13900000002").status_code == 201
    refused = send(terminal, token, phone="13900000003")
    assert (refused.status_code, refused.json()["code"]) == (429, "SMS_TERMINAL_LIMIT")


def test_a_gateway_that_cannot_deliver_records_nothing(terminal) -> None:
    class Down:
        def deliver(self, phone: str, text: str) -> str:
            raise sms.SmsUndelivered

    terminal.app.state.sms_gateway = Down()
    answer = send(terminal, ticket_token(terminal))
    assert (answer.status_code, answer.json()["code"]) == (503, "SMS_UNDELIVERED")
    assert outbox(terminal) == []
