"""A platform stopped or killed mid-payment loses nothing: a new platform on the same database
picks up every attempt left `paying`, `reversing` or to be refunded, and the provider's answer
to its next query is the truth. And the background resolver, started with the app, does so by
itself."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from central.payments.machine import PaymentMachine
from central.payments.provider import Retry
from central.payments.sandbox import PaymentGateway, SandboxServer, Script
from central.payments.sandbox.ledger import UNTIL_REVERSED
from central.payments.settings import sandbox_settings
from tests.central.conftest import SIGNED, SignAsTerminal

from .conftest import Rig


def restarted(rig: Rig, make_app: Callable[..., FastAPI], database_url: str,
              server: SandboxServer, **timing: Any) -> Rig:
    """Another platform process on the same database, the same clock and gateway."""
    app = make_app(database_url, clock=rig.clock,
                   payments=sandbox_settings(rig.gateway, server, "http://testserver",
                                             **{"tick_s": 0, **timing}))
    client = TestClient(app)
    client.auth = SignAsTerminal(clock=rig.clock)
    return Rig(app, client, rig.gateway, rig.clock, rig.gateway_clock)


class Killed(RuntimeError):
    """The platform process ends here (the kill -9 the test stands for)."""


def test_killed_between_the_providers_answer_and_the_commit(
        rig: Rig, make_app: Callable[..., FastAPI], database_url: str,
        server: SandboxServer) -> None:
    order = rig.order()
    code = rig.gateway.wechat_code(5000)

    def kill(*_args: object) -> None:
        raise Killed("killed")

    rig.machine._charged = kill  # type: ignore[method-assign]
    answer = rig.pay_code(order.order_id, code)
    assert answer.status_code == 500  # the terminal got no answer to go by
    assert rig.gateway.balance(code) == 3500  # but the provider charged the code
    (attempt,) = rig.attempts(order.order_id)
    assert attempt.state == "paying"  # as committed before the provider was asked
    rig.app.state.engine.dispose()

    second = restarted(rig, make_app, database_url, server)
    second.advance(3)
    second.run()  # the query: paid
    assert second.get(order.order_id).state == "paid"
    assert [m.kind for m in second.gateway.movements()] == ["charge"]
    second.check_ledger()


def test_an_order_left_paying_is_resumed_by_the_next_platform(
        rig: Rig, make_app: Callable[..., FastAPI], database_url: str,
        server: SandboxServer) -> None:
    order = rig.order()
    code = rig.gateway.alipay_code(5000, Script.user_paying(0))
    assert rig.pay(order.order_id, code).state == "paying"
    rig.app.state.engine.dispose()  # stopped; its resolver never ran

    second = restarted(rig, make_app, database_url, server, tick_s=0.05)
    second.advance(3)
    with second.client:  # started: the resolver's first pass picks the order up
        told = second.get(order.order_id, state="paying", wait_s=10)
    assert told.state == "paid"
    assert second.gateway.balance(code) == 3500
    second.check_ledger()


def test_a_reverse_left_unanswered_is_sent_again_and_confirmed(
        rig: Rig, make_app: Callable[..., FastAPI], database_url: str,
        server: SandboxServer) -> None:
    order = rig.order()
    code = rig.gateway.wechat_code(5000, Script(paying_for=UNTIL_REVERSED))
    rig.pay(order.order_id, code)
    provider = rig.machine.providers["wechat"]

    def killed_reverse(_out_trade_no: str) -> Retry:
        raise Killed("killed while reversing")

    provider.reverse = killed_reverse  # type: ignore[method-assign]
    rig.advance(45)
    rig.run()  # the deadline: the reverse's intent committed, then the process dies
    (attempt,) = rig.attempts(order.order_id)
    assert (attempt.state, attempt.reverse_tries) == ("reversing", 1)
    rig.app.state.engine.dispose()

    second = restarted(rig, make_app, database_url, server)
    second.advance(3)
    second.run()
    told = second.get(order.order_id)
    assert (told.state, told.failure) == ("closed", "TIMED_OUT")
    (attempt,) = second.attempts(order.order_id)
    assert (attempt.state, attempt.reverse_tries) == ("closed", 2)
    assert second.gateway.movements() == []


def test_a_refund_left_pending_is_made_by_the_next_platform(
        rig: Rig, make_app: Callable[..., FastAPI], database_url: str,
        server: SandboxServer) -> None:
    order = rig.order()
    rig.pay(order.order_id, rig.gateway.wechat_code(5000))
    rig.advance(24 * 3600 + 1)  # nobody named it: refunded, asked before the provider
    provider = rig.machine.providers["wechat"]

    def killed_refund(*_args: object) -> Retry:
        raise Killed("killed while refunding")

    provider.refund = killed_refund  # type: ignore[method-assign]
    rig.run()
    assert rig.get(order.order_id).state == "paid"
    rig.app.state.engine.dispose()

    second = restarted(rig, make_app, database_url, server)
    second.advance(30)
    second.run()
    assert second.get(order.order_id).state == "refunded"
    assert [m.kind for m in second.gateway.movements()] == ["charge", "refund"]
    second.check_ledger()


def test_the_background_resolver_settles_a_payment_by_itself(
        make_app: Callable[..., FastAPI], database_url: str, gateway: PaymentGateway,
        server: SandboxServer) -> None:
    """On the real clock, with a fast interval: no test step drives it."""
    app = make_app(database_url, payments=sandbox_settings(
        gateway, server, "http://testserver", tick_s=0.05, query_interval_s=0.05))
    with TestClient(app) as client:
        client.auth = SIGNED
        rig = Rig(app, client, gateway, app.state.clock, gateway.clock)  # type: ignore[arg-type]
        order = rig.order()
        assert rig.pay(order.order_id, gateway.wechat_code(5000, Script.user_paying(3))
                       ).state == "paying"
        told = rig.get(order.order_id, state="paying", wait_s=15)
    assert told.state == "paid"
    assert isinstance(app.state.payments, PaymentMachine)
    assert [m.kind for m in gateway.movements()] == ["charge"]
