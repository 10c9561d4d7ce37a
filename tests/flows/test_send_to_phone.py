"""发送到手机: the queue ticket sent by SMS only after consent, the number typed on the keypad
and shown masked, the platform down, slow or answering nonsense told plainly, and 重试 after a
lost answer is the same message (the same idempotency key)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field, replace

import pytest

from central.contract.sms import SmsKind, SmsSent
from common.phone_messages import MessageRefused
from flows.queue_ticket import QueueTicketStep, take_queue_ticket
from flows.send_to_phone import (
    AGREE,
    NOT_A_MOBILE,
    NOT_SENT,
    RETRY,
    RETYPE,
    SEND,
    SEND_TO_PHONE,
    PhoneMessage,
    SmsConfirmStep,
    SmsConsentStep,
    send_to_phone,
)
from flows.steps import BusyStep, Choose, Entered, KeypadStep, MessageStep, Nav
from kiosk.platform_client import PlatformError, PlatformErrorKind
from tests.flows.kiosk_harness import Kiosk
from tests.flows.scripted_ui import ScriptedUi
from tests.flows.test_queue_ticket import FakeQueue

PHONE = "13812345678"
MESSAGE = PhoneMessage("queue_ticket", "t" * 32, "排队号 A001")


@dataclass
class FakePhone:
    """The platform's POST /sms as the kiosk sees it: answers, failures given in turn."""

    failures: list[Exception] = field(default_factory=list)
    slow_turns: int = 0  # loop turns before the answer comes (a slow platform that answers)
    calls: list[tuple[SmsKind, str, str, str]] = field(default_factory=list)

    async def send(self, kind: SmsKind, reference: str, phone: str,
                   idempotency_key: str) -> SmsSent:
        self.calls.append((kind, reference, phone, idempotency_key))
        for _ in range(self.slow_turns):
            await asyncio.sleep(0)
        if self.failures:
            raise self.failures.pop(0)
        return SmsSent(masked_phone=phone[:3] + "****" + phone[-4:], state="logged")


@pytest.fixture
def kiosk(seed_catalog) -> Kiosk:
    return Kiosk(ScriptedUi([]), seed_catalog)


def render(text) -> str:
    return text if isinstance(text, str) else text.render()


def send(kiosk: Kiosk, phone: FakePhone, script: list) -> bool:
    kiosk.ui.script = script
    return kiosk.run(lambda ctx: send_to_phone(replace(ctx, phone=phone), MESSAGE))


def messages(kiosk: Kiosk) -> list[tuple[str, list[str]]]:
    return [(render(m.title), [render(line) for line in m.lines])
            for m in kiosk.ui.of_type(MessageStep)]


def test_the_ticket_sent_to_the_phone_from_the_ticket_screen(kiosk) -> None:
    phone = FakePhone()
    kiosk.ui.script = [Choose("A"), Choose("regular"), Choose(SEND_TO_PHONE), Choose(AGREE),
                       Entered(PHONE), Choose(SEND), Choose("done"), Choose("done")]
    kiosk.run(lambda ctx: take_queue_ticket(replace(ctx, queue=FakeQueue(), phone=phone)))
    tickets = kiosk.ui.of_type(QueueTicketStep)
    assert len(tickets) == 2 and tickets[0].send_to_phone, "the ticket again after sending"
    [(kind, reference, number, _key)] = phone.calls
    assert (kind, reference, number) == ("queue_ticket", "t" * 32, PHONE)
    (consent,) = kiosk.ui.of_type(SmsConsentStep)
    assert "A001" in render(consent.what)
    (confirm,) = kiosk.ui.of_type(SmsConfirmStep)
    assert confirm.masked_phone == "138****5678"
    assert messages(kiosk) == [("短信已发送", ["已发送到 138****5678，请注意查收。"])]
    # the whole number is on the keypad the person types it on, and nowhere after
    after_typing = kiosk.ui.shown[kiosk.ui.shown.index(confirm):]
    assert not any(PHONE in repr(step) for step in after_typing)


def test_a_ticket_screen_offers_no_sms_without_a_way_to_send(kiosk) -> None:
    kiosk.ui.script = [Choose("A"), Choose("regular"), Choose("done")]
    kiosk.run(lambda ctx: take_queue_ticket(replace(ctx, queue=FakeQueue())))
    (ticket,) = kiosk.ui.of_type(QueueTicketStep)
    assert not ticket.send_to_phone


@pytest.mark.parametrize("declined", [Choose("decline"), Nav.BACK, Nav.HOME])
def test_consent_refused_sends_nothing_and_asks_for_no_number(kiosk, declined) -> None:
    phone = FakePhone()
    assert send(kiosk, phone, [declined]) is False
    assert phone.calls == []
    assert kiosk.ui.of_type(KeypadStep) == []


def test_a_number_that_is_not_a_mobile_is_asked_again(kiosk) -> None:
    phone = FakePhone()
    assert send(kiosk, phone, [Choose(AGREE), Entered("12345678901"), Entered(PHONE),
                               Choose(SEND), Choose("done")])
    first, second = kiosk.ui.of_type(KeypadStep)
    assert first.digits == 11 and first.error is None
    assert second.error == NOT_A_MOBILE
    assert [c[2] for c in phone.calls] == [PHONE]


def test_retyping_after_the_confirmation_sends_to_the_new_number(kiosk) -> None:
    phone = FakePhone()
    assert send(kiosk, phone, [Choose(AGREE), Entered(PHONE), Choose(RETYPE),
                               Entered("13900001111"), Choose(SEND), Choose("done")])
    assert [c.masked_phone for c in kiosk.ui.of_type(SmsConfirmStep)] == ["138****5678",
                                                                         "139****1111"]
    assert [c[2] for c in phone.calls] == ["13900001111"]


@pytest.mark.parametrize("failure", [
    PlatformError(PlatformErrorKind.UNREACHABLE, "connection refused"),
    PlatformError(PlatformErrorKind.TIMEOUT, "read timeout"),  # slow past the client's limit
    PlatformError(PlatformErrorKind.MALFORMED, "not JSON"),  # nonsense
], ids=["down", "slow", "nonsense"])
def test_the_platform_away_is_told_plainly_and_a_retry_is_the_same_message(kiosk,
                                                                          failure) -> None:
    phone = FakePhone(failures=[failure])
    assert send(kiosk, phone, [Choose(AGREE), Entered(PHONE), Choose(SEND), Choose(RETRY),
                               Choose("done")])
    assert messages(kiosk) == [("短信未能发送", [render(NOT_SENT)]),
                               ("短信已发送", ["已发送到 138****5678，请注意查收。"])]
    first, again = phone.calls
    assert first == again, "the retry carries the same idempotency key"


def test_giving_up_after_a_failure_sends_nothing_more(kiosk) -> None:
    phone = FakePhone(failures=[PlatformError(PlatformErrorKind.UNREACHABLE, "refused")])
    assert send(kiosk, phone, [Choose(AGREE), Entered(PHONE), Choose(SEND),
                               Choose("back")]) is False
    assert len(phone.calls) == 1


def test_a_slow_answer_is_waited_for_on_a_busy_screen(kiosk) -> None:
    phone = FakePhone(slow_turns=50)
    assert send(kiosk, phone, [Choose(AGREE), Entered(PHONE), Choose(SEND), Choose("done")])
    assert [render(b.message) for b in kiosk.ui.of_type(BusyStep)] == ["正在发送短信…"]


def test_the_daily_limit_is_said_and_not_retried(kiosk) -> None:
    phone = FakePhone(failures=[MessageRefused("SMS_LIMIT")])
    assert send(kiosk, phone, [Choose(AGREE), Entered(PHONE), Choose(SEND),
                               Choose("back")]) is False
    [(title, lines)] = messages(kiosk)
    assert title == "短信未能发送" and "已达上限" in lines[0]
    assert [c.key for c in kiosk.ui.of_type(MessageStep)[0].choices] == ["back"]
