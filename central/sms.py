"""Results sent to a person's phone by SMS (`central.contract.sms`): the platform's side.

    SmsGateway        the port a real SMS provider's adapter implements (deliver one text)
    OutboxGateway     the reference: delivers nothing, the message stays in the `sms_outbox`
                      table for the demo and the tests ("logged")

Every message is recorded in `sms_outbox` whatever the gateway: the number sealed with
AES-256-GCM (a key derived from the platform secret, `CitizenKeys.phone_sealing_key`), a keyed
hash of it for the daily limits, its masked form for staff, and the text. The text is the
platform's own, written from a template chosen by the request's kind and filled from what the
reference names (a queue ticket, or a booked appointment, of the terminal's hall), so a
terminal cannot make the platform text anyone anything but that. The person's consent must
come with the request.

Why kinds and templates, not text: Chinese SMS providers send only pre-approved templates with
the sender's signature, e.g. Aliyun's SendSms (dysmsapi 2017-05-25: PhoneNumbers, SignName,
TemplateCode, TemplateParam; errors such as isv.BUSINESS_LIMIT_CONTROL for rate limits and
isv.PARAM_NOT_SUPPORT_URL for a link in a variable, listed in e.g. github.com/dcto/aliyun-sms-sdk
and hexdocs.pm/aliyun_sms). A real adapter maps each kind to its approved template (the link
inside the template, the ticket number and window area as variables) and raises
`SmsUndelivered` for the provider's refusals.

Limits per hall day (China time): `PER_PHONE_PER_DAY` messages to one number, and
`PER_TERMINAL_PER_DAY` from one terminal, so a kiosk taken over cannot become a spam source.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from central import appointments, queue
from central.applications import KeyReused
from central.contract.sms import SmsRequest, SmsSent, SmsState
from central.db import SmsOutboxRecord
from central.platform_secret import CitizenKeys

PER_PHONE_PER_DAY = 5
PER_TERMINAL_PER_DAY = 300
SIGNATURE = "【政务服务】"  # the sender's signature every Chinese SMS carries
NONCE_BYTES = 12


class SmsGateway(Protocol):
    def deliver(self, phone: str, text: str) -> SmsState:
        """Hands the text to the provider: "sent", or "logged" when it is only recorded.
        Raises `SmsUndelivered` when the provider refuses or cannot be reached."""
        ...


class SmsUndelivered(Exception):
    """The gateway could not deliver; nothing is recorded, the terminal may try again."""


class OutboxGateway:
    """The reference gateway: the outbox table is the delivery (a real one plugs in here)."""

    def deliver(self, phone: str, text: str) -> SmsState:
        return "logged"


class SmsRefused(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Sent:
    answer: SmsSent
    created: bool  # False: a repeat of an earlier Idempotency-Key


def mask_phone(phone: str) -> str:
    return phone[:3] + "****" + phone[-4:]


def send(session: Session, gateway: SmsGateway, keys: CitizenKeys, *, hall: str,
         terminal_id: str, idempotency_key: str, request: SmsRequest, now: datetime,
         public_url: str) -> Sent:
    """The message written, delivered and recorded (the caller commits), or the earlier one
    of the same key."""
    if not request.consent:  # before anything, a repeat too: no consent, no message
        raise SmsRefused(422, "SMS_NO_CONSENT", "the person did not agree to the message")
    phone_key = keys.phone_key(request.phone)
    earlier = session.scalars(select(SmsOutboxRecord).where(
        SmsOutboxRecord.terminal_id == terminal_id,
        SmsOutboxRecord.idempotency_key == idempotency_key)).first()
    if earlier is not None:
        if (earlier.kind, earlier.reference, earlier.phone_key) != (
                request.kind, request.reference, phone_key):
            raise KeyReused("this Idempotency-Key came before with a different body")
        return Sent(SmsSent(masked_phone=earlier.masked_phone, state=_state(earlier.state)),
                    created=False)
    text = _text(session, hall, request, public_url)
    day = queue.hall_day(now)
    _within_limits(session, terminal_id, phone_key, day)
    try:
        state = gateway.deliver(request.phone, text)
    except SmsUndelivered:
        raise SmsRefused(503, "SMS_UNDELIVERED", "the SMS gateway could not deliver") from None
    nonce = os.urandom(NONCE_BYTES)
    sealed = nonce + AESGCM(keys.phone_sealing_key()).encrypt(
        nonce, request.phone.encode("ascii"), phone_key.encode("ascii"))
    record = SmsOutboxRecord(
        terminal_id=terminal_id, idempotency_key=idempotency_key, day=day, kind=request.kind,
        reference=request.reference, phone_sealed=sealed, phone_key=phone_key,
        masked_phone=mask_phone(request.phone), text=text, state=state, created_at=now)
    session.add(record)
    return Sent(SmsSent(masked_phone=record.masked_phone, state=state), created=True)


def unseal_phone(keys: CitizenKeys, record: SmsOutboxRecord) -> str:
    """The number of a recorded message, for a gateway that sends from the outbox later."""
    nonce, sealed = record.phone_sealed[:NONCE_BYTES], record.phone_sealed[NONCE_BYTES:]
    return AESGCM(keys.phone_sealing_key()).decrypt(
        nonce, sealed, record.phone_key.encode("ascii")).decode("ascii")


def _state(value: str) -> SmsState:
    return "sent" if value == "sent" else "logged"


def _text(session: Session, hall: str, request: SmsRequest, public_url: str) -> str:
    """The template of the kind, filled from its reference; refused when the reference is
    not one of the terminal's hall (a terminal cannot text about another hall's tickets)."""
    if request.kind == "appointment":
        return _appointment_text(session, hall, request.reference, public_url)
    record = queue.find(session, request.reference)
    if record is None or record.hall != hall:
        raise SmsRefused(404, "SMS_REFERENCE_UNKNOWN", "no such ticket in the hall")
    ticket = queue.ticket_of(session, record, public_url)
    return (f"{SIGNATURE}您的排队号 {ticket.number}（{ticket.group_name}），"
            f"请到{ticket.window_area}等候叫号。查看进度：{ticket.follow_url}")[:500]


def _appointment_text(session: Session, hall: str, token: str, public_url: str) -> str:
    """What, when, where and the confirmation's link; nothing else of the person (not even the
    masked name: a number mistyped on the keypad must learn nothing about them). Only a
    booking still to come: a cancelled or checked-in one is not texted."""
    record = appointments.find(session, token)
    if record is None or record.hall != hall or record.state != "booked":
        raise SmsRefused(404, "SMS_REFERENCE_UNKNOWN", "no such booked appointment in the hall")
    booked = appointments.appointment_of(session, record, public_url)
    day = booked.day
    return (f"{SIGNATURE}您已预约{booked.service_name}，"
            f"{day.year}年{day.month}月{day.day}日 {booked.start}-{booked.end}，"
            f"地点：{booked.window_area}。请提前到大厅自助终端签到，"
            f"预约凭证：{booked.confirmation_url}")[:500]


def _within_limits(session: Session, terminal_id: str, phone_key: str, day: object) -> None:
    to_phone = session.scalar(select(func.count()).where(
        SmsOutboxRecord.phone_key == phone_key, SmsOutboxRecord.day == day)) or 0
    if to_phone >= PER_PHONE_PER_DAY:
        raise SmsRefused(429, "SMS_PHONE_LIMIT", "this number has had today's messages")
    from_terminal = session.scalar(select(func.count()).where(
        SmsOutboxRecord.terminal_id == terminal_id, SmsOutboxRecord.day == day)) or 0
    if from_terminal >= PER_TERMINAL_PER_DAY:
        raise SmsRefused(429, "SMS_TERMINAL_LIMIT", "this terminal has sent today's messages")
