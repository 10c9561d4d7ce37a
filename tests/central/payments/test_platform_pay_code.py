"""被扫 through the platform: a terminal hands over the pay code its scanner read, the platform
charges it through the real SDKs against the sandbox and decides; one test per scripted
gateway behaviour, for both providers, each asserting what the terminal is told and what the
gateway's ledger holds (never charged twice; charged ⇒ paid, or given back)."""

from __future__ import annotations

import threading

import pytest

from central.contract.payments import PaymentOrder
from central.payments.sandbox import Script
from central.payments.sandbox.ledger import UNTIL_REVERSED
from tests.devices.waiting import wait_until

from .conftest import PAYMENTS, Rig

CHANNELS = ["wechat", "alipay"]


def code(rig: Rig, channel: str, balance: int = 100_000, script: Script | None = None) -> str:
    if channel == "wechat":
        return rig.gateway.wechat_code(balance, script)
    return rig.gateway.alipay_code(balance, script)


def kinds(rig: Rig) -> list[str]:
    return [m.kind for m in rig.gateway.movements()]


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_code_that_pays_at_once(rig: Rig, channel: str) -> None:
    order = rig.order()
    paying = code(rig, channel, 5000)
    told = rig.pay(order.order_id, paying)
    assert (told.state, told.channel, told.failure) == ("paid", channel, None)
    assert told.paid_at is not None and told.transaction_masked is not None
    assert "****" in told.transaction_masked
    assert rig.get(order.order_id) == told
    assert rig.gateway.balance(paying) == 5000 - 1500
    assert kinds(rig) == ["charge"]
    rig.check_ledger()


@pytest.mark.parametrize("channel", CHANNELS)
def test_the_person_types_a_password_then_it_is_paid(rig: Rig, channel: str) -> None:
    order = rig.order()
    paying = code(rig, channel, 5000, Script.user_paying(2))
    assert rig.pay(order.order_id, paying).state == "paying"  # USERPAYING / 10003
    states = []
    for _ in range(3):
        rig.advance(3)
        rig.run()
        states.append(rig.get(order.order_id).state)
    assert states == ["paying", "paying", "paid"]
    assert rig.gateway.balance(paying) == 3500 and kinds(rig) == ["charge"]
    rig.check_ledger()


@pytest.mark.parametrize("channel", CHANNELS)
def test_the_person_types_a_password_and_it_fails(rig: Rig, channel: str) -> None:
    order = rig.order()
    paying = code(rig, channel, 5000, Script.user_paying(1, succeeds=False))
    assert rig.pay(order.order_id, paying).state == "paying"
    rig.advance(3)
    rig.run()
    assert rig.get(order.order_id).state == "paying"
    rig.advance(3)
    rig.run()
    told = rig.get(order.order_id)
    assert (told.state, told.failure) == ("unpaid", "DECLINED")
    assert rig.gateway.movements() == []
    again = code(rig, channel, 5000)  # another attempt, under a new out_trade_no
    assert rig.pay(order.order_id, again).state == "paid"
    first, second = rig.attempts(order.order_id)
    assert first.out_trade_no != second.out_trade_no
    assert (first.state, second.state) == ("failed", "paid")
    rig.check_ledger()


@pytest.mark.parametrize("channel", CHANNELS)
def test_system_errors_are_never_a_failure(rig: Rig, channel: str) -> None:
    order = rig.order()
    paying = code(rig, channel, 5000, Script.system_error(2))
    told = rig.pay(order.order_id, paying)  # SYSTEMERROR / 20000: undecided
    assert (told.state, told.failure) == ("paying", None)
    rig.advance(3)
    rig.run()  # not found at the provider: the same charge sent again, another system error
    assert rig.get(order.order_id).state == "paying"
    rig.advance(3)
    rig.run()  # … and again: charged, once
    assert rig.get(order.order_id).state == "paid"
    assert rig.gateway.balance(paying) == 3500 and kinds(rig) == ["charge"]
    (attempt,) = rig.attempts(order.order_id)
    assert attempt.checks == 2
    rig.check_ledger()


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_lost_answer_is_found_by_the_next_query(rig: Rig, channel: str) -> None:
    order = rig.order()
    paying = code(rig, channel, 5000, Script.lost_response())
    assert rig.pay(order.order_id, paying).state == "paying"  # no answer: undecided
    assert rig.gateway.balance(paying) == 3500  # the provider charged it all the same
    rig.advance(3)
    rig.run()
    assert rig.get(order.order_id).state == "paid"
    assert kinds(rig) == ["charge"]
    rig.check_ledger()


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_charge_still_open_at_the_deadline_is_reversed_and_confirmed(rig: Rig,
                                                                      channel: str) -> None:
    order = rig.order()
    paying = code(rig, channel, 5000, Script(paying_for=UNTIL_REVERSED))
    assert rig.pay(order.order_id, paying).state == "paying"
    for _ in range(14):  # queried every 3 s until the deadline (45 s)
        rig.advance(3)
        rig.run()
        assert rig.get(order.order_id).state == "paying"
    rig.advance(3)
    rig.run()  # the deadline: reversed, and the reverse confirmed by a query
    told = rig.get(order.order_id)
    assert (told.state, told.failure) == ("closed", "TIMED_OUT")
    (attempt,) = rig.attempts(order.order_id)
    assert (attempt.state, attempt.ending, attempt.reverse_tries) == ("closed", "timeout", 1)
    charge = rig.gateway.charge(channel, attempt.out_trade_no)
    assert charge is not None and charge.state == "REVOKED"
    assert rig.gateway.balance(paying) == 5000 and rig.gateway.movements() == []
    rig.check_ledger()


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_success_that_comes_with_the_reverse_is_reversed_again(rig: Rig,
                                                                 channel: str) -> None:
    order = rig.order()
    paying = code(rig, channel, 5000, Script.late_success())
    assert rig.pay(order.order_id, paying).state == "paying"
    rig.advance(45)
    rig.run()  # the reverse: "try again" (SYSTEM_ERROR / retry_flag Y), and the money landed
    assert rig.get(order.order_id).state == "paying"
    assert rig.gateway.balance(paying) == 3500
    rig.advance(3)
    rig.run()  # the reverse again: the money goes back, and the query confirms it
    told = rig.get(order.order_id)
    assert (told.state, told.failure) == ("closed", "TIMED_OUT")
    assert rig.gateway.balance(paying) == 5000
    assert kinds(rig) == ["charge", "reversal"]
    for answer in rig.deliver():  # Alipay notifies the late success: already decided
        assert answer.status_code == 200 and answer.text == "success"
    assert rig.get(order.order_id).state == "closed"
    rig.check_ledger()


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_fake_reverse_is_caught_and_the_waiting_order_is_paid(rig: Rig,
                                                                channel: str) -> None:
    """The rule: the terminal is told `paying` until the reverse is confirmed, so money the
    confirming query finds pays the order the person is still waiting for."""
    order = rig.order()
    paying = code(rig, channel, 5000, Script(paying_for=1, reverse="fake"))
    assert rig.pay(order.order_id, paying).state == "paying"
    rig.advance(45)
    rig.run()  # still typing at the deadline → reverse ("done", it says) → query: paid
    told = rig.get(order.order_id)
    assert told.state == "paid"
    (attempt,) = rig.attempts(order.order_id)
    assert (attempt.state, attempt.reverse_tries) == ("paid", 1)
    assert rig.gateway.balance(paying) == 3500 and kinds(rig) == ["charge"]
    rig.check_ledger()


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_fake_reverse_after_the_person_gave_up_is_refunded(rig: Rig, channel: str) -> None:
    """… and after a cancel the terminal was told `closed`: the money goes back."""
    order = rig.order()
    paying = code(rig, channel, 5000, Script(paying_for=1, reverse="fake"))
    assert rig.pay(order.order_id, paying).state == "paying"
    rig.advance(2)
    told = rig.cancel(order.order_id)  # asked once more first: still typing
    assert (told.state, told.failure) == ("closed", None)
    rig.run()
    (attempt,) = rig.attempts(order.order_id)
    if channel == "wechat":  # not reversed within 15 s of the charge
        assert attempt.state == "reversing" and attempt.reverse_tries == 0
        rig.advance(13)
        rig.run()
    (attempt,) = rig.attempts(order.order_id)
    assert attempt.state == "refunded"
    assert rig.get(order.order_id).state == "closed"
    assert rig.gateway.balance(paying) == 5000
    assert kinds(rig) == ["charge", "refund"]
    rig.check_ledger()


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_fake_reverse_of_a_charge_still_open_is_reversed_again(rig: Rig,
                                                                 channel: str) -> None:
    order = rig.order()
    paying = code(rig, channel, 5000, Script(paying_for=2, reverse="fake"))
    assert rig.pay(order.order_id, paying).state == "paying"
    rig.advance(45)
    rig.run()  # reverse ("done") → query: still typing → reverse again, later
    (attempt,) = rig.attempts(order.order_id)
    assert (attempt.state, attempt.reverse_tries) == ("reversing", 1)
    assert rig.get(order.order_id).state == "paying"
    rig.advance(3)
    rig.run()
    told = rig.get(order.order_id)
    assert (told.state, told.failure) == ("closed", "TIMED_OUT")
    (attempt,) = rig.attempts(order.order_id)
    assert (attempt.state, attempt.reverse_tries) == ("closed", 2)
    assert rig.gateway.movements() == [] and rig.gateway.balance(paying) == 5000
    rig.check_ledger()


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_cancel_reverses_an_undecided_charge_not_within_15_seconds_for_wechat(
        rig: Rig, channel: str) -> None:
    order = rig.order()
    paying = code(rig, channel, 5000, Script(paying_for=UNTIL_REVERSED))
    rig.pay(order.order_id, paying)
    rig.advance(1)
    assert rig.cancel(order.order_id).state == "closed"
    rig.run()
    (attempt,) = rig.attempts(order.order_id)
    assert attempt.state == ("reversing" if channel == "wechat" else "closed")
    rig.advance(14)
    rig.run()
    (attempt,) = rig.attempts(order.order_id)
    assert (attempt.state, attempt.ending) == ("closed", "cancel")
    charge = rig.gateway.charge(channel, attempt.out_trade_no)
    assert charge is not None and charge.state == "REVOKED"
    assert rig.gateway.movements() == []
    assert rig.cancel(order.order_id).state == "closed"  # again: the same
    rig.check_ledger()


@pytest.mark.parametrize("channel", CHANNELS)
def test_insufficient_balance_then_another_code(rig: Rig, channel: str) -> None:
    order = rig.order()
    told = rig.pay(order.order_id, code(rig, channel, 1000))
    assert (told.state, told.failure) == ("unpaid", "NOT_ENOUGH")
    assert rig.gateway.movements() == []
    assert rig.pay(order.order_id, code(rig, channel, 5000)).state == "paid"
    rig.check_ledger()


@pytest.mark.parametrize("channel", CHANNELS)
def test_wrong_used_and_expired_codes(rig: Rig, channel: str) -> None:
    used = code(rig, channel, 5000)
    assert rig.pay(rig.order().order_id, used).state == "paid"
    expiring = code(rig, channel, 5000)
    rig.advance(61)  # a pay code lives a minute
    unknown = "134567890123456789" if channel == "wechat" else "284567890123456789"
    for presented in (used, expiring, unknown):
        told = rig.pay(rig.order().order_id, presented)
        assert (told.state, told.failure) == ("unpaid", "CODE_INVALID"), presented
    assert rig.gateway.balance(expiring) == 5000
    rig.check_ledger()


def test_a_code_of_no_provider_is_refused_without_asking_one(rig: Rig) -> None:
    order = rig.order()
    told = rig.pay(order.order_id, "990000000000000000")
    assert (told.state, told.failure) == ("unpaid", "CODE_INVALID")
    assert rig.attempts(order.order_id) == [] and rig.gateway.charges() == []
    malformed = rig.client.post(f"{PAYMENTS}/{order.order_id}/pay-code",
                                content=b'{"auth_code": "12ab"}',
                                headers={"Content-Type": "application/json",
                                         "Idempotency-Key": "malformed-code-00001"})
    assert malformed.status_code == 422


def test_one_attempt_at_a_time_and_a_repeat_is_never_charged_again(rig: Rig) -> None:
    order = rig.order()
    first = rig.gateway.wechat_code(5000, Script.user_paying(3))
    key = "pay-code-key-000000001"
    assert rig.pay_code(order.order_id, first, key).json()["state"] == "paying"
    second = rig.pay_code(order.order_id, rig.gateway.wechat_code(5000))
    assert (second.status_code, second.json()["code"]) == (409, "PAYMENT_IN_PROGRESS")
    repeat = rig.pay_code(order.order_id, first, key)  # the terminal lost the answer
    assert repeat.status_code == 200 and repeat.json()["state"] == "paying"
    other = rig.pay_code(order.order_id, rig.gateway.wechat_code(5000), key)
    assert (other.status_code, other.json()["code"]) == (409, "IDEMPOTENCY_KEY_REUSED")
    for _ in range(4):
        rig.advance(3)
        rig.run()
    assert rig.pay_code(order.order_id, first, key).json()["state"] == "paid"
    after = rig.pay_code(order.order_id, rig.gateway.wechat_code(5000))
    assert (after.status_code, after.json()["code"]) == (409, "ORDER_PAID")
    assert len(rig.gateway.charges()) == 1 and kinds(rig) == ["charge"]
    rig.check_ledger()


def test_the_terminal_waits_for_a_change_without_asking_again(rig: Rig) -> None:
    order = rig.order()
    rig.pay(order.order_id, rig.gateway.wechat_code(5000, Script.user_paying(0)))
    answers: list[PaymentOrder] = []
    waiting = threading.Thread(target=lambda: answers.append(
        rig.get(order.order_id, state="paying", wait_s=15)))
    waiting.start()
    # the request is held, not answered
    assert wait_until(lambda: rig.machine.changes.waiting(order.order_id) == 1)
    assert answers == []
    rig.advance(3)
    rig.run()  # the query finds it paid: the held request is answered at once
    waiting.join(10)  # the hold is 15 s: only the change can answer it within 10
    assert [a.state for a in answers] == ["paid"]
    # a state other than the one asked about is answered at once, as is wait_s=0
    assert rig.get(order.order_id, state="paying", wait_s=15).state == "paid"
    bad = rig.client.get(f"{PAYMENTS}/{order.order_id}", params={"wait_s": 21})
    assert bad.status_code == 422
