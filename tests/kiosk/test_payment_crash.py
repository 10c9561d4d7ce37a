"""kill -9 of a kiosk process at each step of a payment, then a new kiosk over the same data
directory: the application it was paying for reaches the platform once, naming the order when
it was paid and none when nothing was charged, and nobody is charged twice or asked to pay again.

The platform is the contract-speaking stand-in (`tests.kiosk.payment_platform`) in this
process, so it outlives the kiosk; the kiosk is built as `build_terminal` builds it. The crash
rule the new kiosk applies is `kiosk.payments`'.
"""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.settings import PROJECT_ROOT
from offline_cache.outbox import OutboxState
from offline_cache.payment_journal import SETTLED_PAID, SETTLED_UNPAID
from tests.kiosk.citizen_platform import TERMINAL
from tests.kiosk.payment_platform import Fate, PaymentPlatform, serving
from tests.kiosk.test_payments import WECHAT_CODE, terminal_at

# a kiosk paying for one application, killed at `moment`
KIOSK = """
import asyncio, os, signal, sys, uuid
from pathlib import Path
from central.contract.payments import PaymentOrderRequest
from kiosk.terminal import build_terminal
from tests.kiosk.citizen_platform import residence_permit, settings_for

data_dir, base_url, moment, code = Path(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
terminal = build_terminal(settings_for(data_dir, retries=1), base_url)
services, payments = terminal.services, terminal.payments
client = payments._client

def die():
    sys.stdout.flush()
    os.kill(os.getpid(), signal.SIGKILL)

def dying_after(call):
    def wrapped(*args):
        answer = call(*args)
        print("sent", flush=True)
        die()
    return wrapped

async def main():
    local = await services.hold_application(residence_permit())
    print(local, flush=True)
    if moment == "after_hold":
        die()
    request = PaymentOrderRequest(service_id="SS-022", verification_id="v-1",
                                  local_number=local)
    if moment == "before_create_sent":
        client.create_payment = lambda *args: die()
    if moment == "create_answer_lost":
        client.create_payment = dying_after(client.create_payment)
    order = await services.create_payment(request, str(uuid.uuid4()))
    if moment == "qr_shown":
        await services.payment_qr(order.order_id, "wechat")
        die()
    if moment == "code_answer_lost":
        client.pay_with_code = dying_after(client.pay_with_code)
    answer = await services.pay_with_code(order.order_id, code)
    print(answer.state, flush=True)
    if moment == "paid_not_released":
        die()
    if moment == "released_not_settled":
        payments.journal.settle = lambda *args: die()
    await services.release_application(local, order.order_id)
    die()

asyncio.run(main())
"""


@pytest.fixture
def platform() -> PaymentPlatform:
    return PaymentPlatform(TERMINAL.id, TERMINAL.key)


@pytest.fixture
def base_url(platform: PaymentPlatform) -> Iterator[str]:
    with serving(platform) as url:
        yield url


def killed_at(data_dir: Path, base_url: str, moment: str, code: str = WECHAT_CODE) -> list[str]:
    child = subprocess.run([sys.executable, "-c", KIOSK, str(data_dir), base_url, moment, code],
                           cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60,
                           check=False)
    assert child.returncode == -signal.SIGKILL, child.stderr[-2000:]
    return child.stdout.split()


def restart(base_url: str, data_dir: Path):
    """A new kiosk over the same data: the settler's passes, then the outbox's, as at start."""
    terminal = terminal_at(base_url, data_dir)

    async def carry_on() -> None:
        for _ in range(5):
            if await terminal.payments.settle_pass() == 0:
                break
        await terminal.outbox_sync.deliver_due(ignore_backoff=True)

    asyncio.run(carry_on())
    return terminal


def delivered_once(platform: PaymentPlatform, local: str):
    keys = {r.key for r in platform.asked("applications")
            if r.body.get("local_number") == local}
    assert len(keys) == 1, "one application, sent under one key"
    return platform.applications[local]


@pytest.mark.parametrize("moment", ["after_hold", "before_create_sent", "create_answer_lost"])
def test_killed_before_an_order_was_known_nothing_was_paid(platform, base_url, tmp_path,
                                                           moment):
    data_dir = tmp_path / "kiosk"
    local, *_ = killed_at(data_dir, base_url, moment)
    assert platform.applications == {}, "held: not sent before it is settled"

    terminal = restart(base_url, data_dir)
    assert delivered_once(platform, local).payment_order_id is None
    assert platform.charges == [] and platform.asked("pay_code") == []
    if moment == "create_answer_lost":
        (order,) = platform.orders.values()
        assert order.state == "unpaid", "never shown to anyone: nothing to pay it with"
    assert terminal.payments.journal.unsettled() == []


def test_killed_with_a_qr_code_on_screen_the_order_is_closed_unpaid(platform, base_url,
                                                                      tmp_path):
    data_dir = tmp_path / "kiosk"
    local, *_ = killed_at(data_dir, base_url, "qr_shown")
    restart(base_url, data_dir)
    (order,) = platform.orders.values()
    assert order.state == "closed", "a QR code nobody watches is closed"
    assert platform.charges == []
    assert delivered_once(platform, local).payment_order_id is None


def test_killed_while_paying_then_paid_goes_with_the_order_charged_once(platform, base_url,
                                                                          tmp_path):
    platform.pay_codes[WECHAT_CODE] = [Fate("paying"), Fate("paid")]
    data_dir = tmp_path / "kiosk"
    local, sent = killed_at(data_dir, base_url, "code_answer_lost")
    assert sent == "sent"
    (order_id,) = platform.orders
    assert platform.orders[order_id].state == "paying"

    terminal = restart(base_url, data_dir)
    assert platform.charges == [order_id]
    assert delivered_once(platform, local).payment_order_id == order_id
    assert len(platform.asked("pay_code")) == 1, "the code is never handed over again"
    assert platform.asked("cancel") == [], "being charged: asked, the platform decides"
    (attempt,) = terminal.payments.journal.attempts(local)
    assert attempt.settled == SETTLED_PAID


def test_killed_while_paying_then_declined_goes_unpaid(platform, base_url, tmp_path):
    platform.pay_codes[WECHAT_CODE] = [Fate("paying"), Fate("unpaid", "DECLINED")]
    data_dir = tmp_path / "kiosk"
    local, _sent = killed_at(data_dir, base_url, "code_answer_lost")
    terminal = restart(base_url, data_dir)
    (order,) = platform.orders.values()
    assert platform.charges == [] and order.state == "closed"
    assert delivered_once(platform, local).payment_order_id is None
    (attempt,) = terminal.payments.journal.attempts(local)
    assert attempt.settled == SETTLED_UNPAID


def test_killed_after_paid_before_the_release_goes_with_the_order(platform, base_url,
                                                                    tmp_path):
    data_dir = tmp_path / "kiosk"
    local, state = killed_at(data_dir, base_url, "paid_not_released")
    assert state == "paid"
    asked_before = len(platform.requests)
    restart(base_url, data_dir)
    (order_id,) = platform.orders
    assert delivered_once(platform, local).payment_order_id == order_id
    assert platform.charges == [order_id]
    routes = [r.path for r in platform.requests[asked_before:]]
    assert routes == ["/applications"], "the journal knew it was paid: nothing else asked"


def test_killed_between_the_release_and_the_journal_nothing_is_done_twice(platform, base_url,
                                                                           tmp_path):
    data_dir = tmp_path / "kiosk"
    local, _state = killed_at(data_dir, base_url, "released_not_settled")
    terminal = terminal_at(base_url, data_dir)
    assert terminal.outbox_sync.outbox.find(local).state is OutboxState.PENDING
    assert terminal.payments.journal.unsettled() != []

    terminal = restart(base_url, data_dir)
    (order_id,) = platform.orders
    assert delivered_once(platform, local).payment_order_id == order_id
    assert platform.charges == [order_id]
    assert terminal.payments.journal.attempts(local)[0].settled == SETTLED_PAID

