"""The kiosk's side of payments over real HTTP, against the contract-speaking stand-in
(`tests.kiosk.payment_platform`): signed, keyed requests, garbled answers refused, the journal
kept with every answer, held applications released with their paid order or without, and the
settler's rule for the applications no flow is paying for."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from central.contract.payments import PaymentOrderRequest
from common.citizen_services import ServiceUnavailable
from kiosk.citizen_services import PlatformCitizenServices
from kiosk.platform_client import PlatformClient, PlatformError, PlatformErrorKind
from kiosk.terminal import Terminal, build_terminal
from offline_cache.outbox import OutboxState
from offline_cache.payment_journal import SETTLED_PAID, SETTLED_UNPAID
from tests.kiosk.citizen_platform import TERMINAL, residence_permit, settings_for
from tests.kiosk.payment_platform import Fate, PaymentPlatform, serving

WECHAT_CODE = "134567890123456789"


@pytest.fixture
def platform() -> PaymentPlatform:
    return PaymentPlatform(TERMINAL.id, TERMINAL.key)


@pytest.fixture
def base_url(platform: PaymentPlatform) -> Iterator[str]:
    with serving(platform) as url:
        yield url


def terminal_at(base_url: str, data_dir: Path) -> Terminal:
    return build_terminal(settings_for(data_dir, retries=1), base_url)


def order_request(local_number: str = "KIOSK-TEST-20261123-0001") -> PaymentOrderRequest:
    return PaymentOrderRequest(service_id="SS-022", verification_id="v-1",
                               local_number=local_number)


def client_for(base_url: str, **options: float) -> PlatformClient:
    from kiosk.platform_client import TerminalCredentials

    return PlatformClient(base_url, **{"timeout_s": 2.0, "retries": 1, "backoff_s": 0.01,
                                       **options},
                          credentials=TerminalCredentials(TERMINAL.id, TERMINAL.key))


# -- the client --------------------------------------------------------------------------------

def test_each_call_is_signed_and_each_write_carries_a_key(platform, base_url):
    client = client_for(base_url)
    order = client.create_payment(order_request(), "attempt-key-0001")
    again = client.create_payment(order_request(), "attempt-key-0001")
    assert again == order and len(platform.orders) == 1, "a repeat is the same order"
    paid = client.pay_with_code(order.order_id, WECHAT_CODE, "code-key-00000001")
    assert paid.state == "paid" and paid.transaction_masked == "4200****1234"
    assert client.payment(order.order_id, "paid", 5).state == "paid"
    client.cancel_payment(order.order_id, "cancel-key-000001")
    keys = [r.key for r in platform.requests]
    assert keys == ["attempt-key-0001", "attempt-key-0001", "code-key-00000001", None,
                    "cancel-key-000001"]
    (wait,) = platform.asked("wait")
    assert wait.query == {"state": "paid", "wait_s": "5"}, "signed with its query"


def test_a_long_poll_is_given_its_time_and_holds_up_no_other_call(platform, base_url):
    client = client_for(base_url, timeout_s=0.5)
    order = client.create_payment(order_request(), "attempt-key-0001")
    platform.hold_s = 1.5  # longer than the client's timeout: only a long poll may take it
    started = time.monotonic()

    async def both() -> None:
        wait = asyncio.ensure_future(asyncio.to_thread(client.payment, order.order_id,
                                                       "unpaid", 2))
        await asyncio.sleep(0.2)
        cancel_started = time.monotonic()
        await asyncio.to_thread(client.cancel_payment, order.order_id, "cancel-key-000001")
        assert time.monotonic() - cancel_started < 1.0, "not behind the wait"
        assert (await wait).order_id == order.order_id

    platform.hold_s = 1.5
    asyncio.run(both())
    assert time.monotonic() - started >= 1.5


@pytest.mark.parametrize(("route", "garbled"), [("create", "json"), ("pay_code", "json"),
                                                ("pay_code", "other_order"),
                                                ("wait", "other_order"),
                                                ("cancel", "other_order")])
def test_a_garbled_answer_is_an_error_never_an_order(platform, base_url, route, garbled):
    client = client_for(base_url)
    order = client.create_payment(order_request(), "attempt-key-0001") \
        if route != "create" else None
    platform.garble[route] = garbled
    with pytest.raises(PlatformError) as caught:
        if route == "create":
            client.create_payment(order_request(), "attempt-key-0002")
        elif route == "pay_code":
            client.pay_with_code(order.order_id, WECHAT_CODE, "code-key-00000001")
        elif route == "wait":
            client.payment(order.order_id)
        else:
            client.cancel_payment(order.order_id, "cancel-key-000001")
    assert caught.value.kind in (PlatformErrorKind.MALFORMED, PlatformErrorKind.UNEXPECTED)
    assert isinstance(caught.value, ServiceUnavailable)


def test_an_order_id_not_of_the_contracts_form_never_reaches_a_url(platform, base_url):
    client = client_for(base_url)
    for bad in ("../applications", "PO123", "PO2026112300000001\n"):
        with pytest.raises(PlatformError):
            client.payment(bad)
    assert platform.requests == []


# -- the citizen services: held, paid, released -------------------------------------------------

def test_a_paid_application_goes_with_its_order_and_the_journal_says_so(platform, base_url,
                                                                         tmp_path):
    terminal = terminal_at(base_url, tmp_path)
    services = terminal.services
    assert isinstance(services, PlatformCitizenServices) and terminal.payments is not None

    async def pay() -> str:
        local = await services.hold_application(residence_permit())
        order = await services.create_payment(order_request(local), str(uuid.uuid4()))
        (attempt,) = terminal.payments.journal.attempts(local)
        assert (attempt.order_id, attempt.state) == (order.order_id, "unpaid")
        platform.pay_codes[WECHAT_CODE] = [Fate("paying"), Fate("paid")]
        paying = await services.pay_with_code(order.order_id, WECHAT_CODE)
        assert paying.state == "paying"
        paid = await services.wait_for_payment(order.order_id, "paying", 5)
        assert paid.state == "paid"
        assert platform.applications == {}, "held while it is being paid"
        submitted = await services.release_application(local, order.order_id)
        assert submitted.accepted is not None
        return local

    local = asyncio.run(pay())
    assert platform.applications[local].payment_order_id == next(iter(platform.orders))
    (attempt,) = terminal.payments.journal.attempts(local)
    assert attempt.settled == SETTLED_PAID
    assert [i.state for i in terminal.outbox_sync.outbox.items()] == [OutboxState.DELIVERED]


def test_an_application_paid_later_goes_naming_its_unpaid_order(platform, base_url, tmp_path):
    """暂不缴费: the application names the unpaid order (the platform links the two, and the
    person pays by its 缴款码); the journal settles it unpaid, never as paid."""
    terminal = terminal_at(base_url, tmp_path)
    services = terminal.services
    assert terminal.payments is not None

    async def pay_later() -> str:
        local = await services.hold_application(residence_permit())
        order = await services.create_payment(order_request(local), str(uuid.uuid4()))
        submitted = await services.release_application(local, order.order_id)
        assert submitted.accepted is not None
        return local

    local = asyncio.run(pay_later())
    (order,) = platform.orders.values()
    assert order.state == "unpaid" and platform.asked("cancel") == []
    assert platform.applications[local].payment_order_id == order.order_id
    (attempt,) = terminal.payments.journal.attempts(local)
    assert attempt.settled == SETTLED_UNPAID
    assert [i.state for i in terminal.outbox_sync.outbox.items()] == [OutboxState.DELIVERED]


def test_without_payments_the_port_says_unavailable(base_url, tmp_path):
    terminal = terminal_at(base_url, tmp_path)
    services = PlatformCitizenServices(client_for(base_url), terminal.outbox_sync)
    with pytest.raises(ServiceUnavailable):
        asyncio.run(services.create_payment(order_request(), "attempt-key-0001"))


# -- the settler: what a flow left --------------------------------------------------------------

async def settle(terminal: Terminal, passes: int = 4) -> int:
    waiting = 0
    for _ in range(passes):
        waiting = await terminal.payments.settle_pass()
        if waiting == 0:
            break
    return waiting


def test_walked_away_while_paying_is_cancelled_and_released_unpaid(platform, base_url,
                                                                    tmp_path):
    terminal = terminal_at(base_url, tmp_path)
    services = terminal.services
    platform.pay_codes[WECHAT_CODE] = [Fate("paying")]

    async def walk_away() -> str:
        local = await services.hold_application(residence_permit())
        order = await services.create_payment(order_request(local), str(uuid.uuid4()))
        await services.pay_with_code(order.order_id, WECHAT_CODE)
        assert await terminal.payments.settle_pass() == 0, "a flow's is left alone"
        services.leave_application(local, cancel_order_id=order.order_id)
        assert await settle(terminal) == 0
        await terminal.outbox_sync.deliver_due(ignore_backoff=True)
        return local

    local = asyncio.run(walk_away())
    (order,) = platform.orders.values()
    assert order.state == "closed" and platform.charges == []
    assert len(platform.asked("cancel")) == 1
    assert platform.applications[local].payment_order_id is None
    assert terminal.payments.journal.attempts(local)[0].settled == SETTLED_UNPAID


def test_an_outcome_not_known_is_asked_until_the_platform_decides(platform, base_url,
                                                                   tmp_path):
    terminal = terminal_at(base_url, tmp_path)
    services = terminal.services
    platform.pay_codes[WECHAT_CODE] = [Fate("paying"), Fate("paying"), Fate("paid")]

    async def lost() -> str:
        local = await services.hold_application(residence_permit())
        order = await services.create_payment(order_request(local), str(uuid.uuid4()))
        await services.pay_with_code(order.order_id, WECHAT_CODE)
        services.leave_application(local, cancel_order_id=None)  # the platform decides
        assert await terminal.payments.settle_pass() == 1, "still being charged: held"
        assert platform.applications == {}
        assert await settle(terminal) == 0
        await terminal.outbox_sync.deliver_due(ignore_backoff=True)
        return local

    local = asyncio.run(lost())
    (order_id,) = platform.orders
    assert platform.charges == [order_id] and platform.asked("cancel") == []
    assert platform.applications[local].payment_order_id == order_id


def test_while_the_platform_is_unreachable_the_application_stays_held(platform, base_url,
                                                                       tmp_path):
    terminal = terminal_at(base_url, tmp_path)
    services = terminal.services

    async def offline() -> str:
        local = await services.hold_application(residence_permit())
        order = await services.create_payment(order_request(local), str(uuid.uuid4()))
        services.leave_application(local, cancel_order_id=order.order_id)
        terminal.network.cut()
        assert await terminal.payments.settle_pass() == 1
        assert terminal.outbox_sync.outbox.find(local).state is OutboxState.HELD
        terminal.network.restore()
        assert await settle(terminal) == 0
        return local

    local = asyncio.run(offline())
    assert terminal.outbox_sync.outbox.find(local).state is OutboxState.PENDING
    assert platform.charges == []


def test_a_refusal_to_make_the_order_is_a_service_unavailable(platform, base_url, tmp_path):
    terminal = terminal_at(base_url, tmp_path)
    platform.garble["create"] = "json"
    with pytest.raises(ServiceUnavailable):
        asyncio.run(terminal.services.create_payment(order_request(), str(uuid.uuid4())))
    (attempt,) = terminal.payments.journal.unsettled()
    assert attempt.order_id is None, "journaled before it was asked; no order was trusted"
