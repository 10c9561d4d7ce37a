"""The provider port beyond charging: what staff are left when a provider never takes a
reverse, and the daily statements reconciliation reads, through both adapters."""

from __future__ import annotations

import io
import zipfile

import pytest

from central.payments.numbers import CHINA
from central.payments.provider import Retry, StatementUnavailable
from central.payments.sandbox import Script
from central.payments.sandbox.ledger import UNTIL_REVERSED

from .conftest import Rig


@pytest.mark.parametrize("rig_settings", [{"tick_s": 0, "max_tries": 3}])
def test_a_reverse_the_provider_never_takes_is_left_to_staff(rig: Rig) -> None:
    order = rig.order()
    rig.pay(order.order_id, rig.gateway.alipay_code(5000, Script(paying_for=UNTIL_REVERSED)))
    provider = rig.machine.providers["alipay"]
    provider.reverse = lambda _out_trade_no: Retry("20000 retry_flag Y")  # type: ignore[method-assign]
    rig.advance(45)
    for tries in (1, 2):
        rig.run()
        (attempt,) = rig.attempts(order.order_id)
        assert (attempt.state, attempt.reverse_tries) == ("reversing", tries)
        assert rig.get(order.order_id).state == "paying"
        rig.advance(3)
    rig.run()
    (attempt,) = rig.attempts(order.order_id)
    assert attempt.state == "unresolved" and attempt.next_check_at is None
    assert rig.get(order.order_id).state == "unresolved"
    assert rig.cancel(order.order_id).state == "unresolved"
    refused = rig.pay_code(order.order_id, rig.gateway.alipay_code(5000))
    assert (refused.status_code, refused.json()["code"]) == (409, "ORDER_UNRESOLVED")
    rig.advance(60)
    assert rig.run() == 0  # the resolver leaves it to staff


def test_the_days_statements_through_both_adapters(rig: Rig) -> None:
    paid = {}
    for channel in ("wechat", "alipay"):
        order = rig.order()
        code = (rig.gateway.wechat_code(5000) if channel == "wechat"
                else rig.gateway.alipay_code(5000))
        assert rig.pay(order.order_id, code).state == "paid"
        (attempt,) = rig.attempts(order.order_id)
        paid[channel] = attempt.out_trade_no
    day = rig.gateway_clock.now().astimezone(CHINA).date()
    wechat, alipay = rig.machine.providers["wechat"], rig.machine.providers["alipay"]
    with pytest.raises(StatementUnavailable):
        wechat.statement(day)  # made after 9:00 the next day
    with pytest.raises(StatementUnavailable):
        alipay.statement(day)
    rig.advance(24 * 3600)
    statement = wechat.statement(day)
    assert statement.channel == "wechat" and statement.day == day
    assert paid["wechat"] in statement.data.decode("utf-8")
    statement = alipay.statement(day)
    assert statement.media_type == "application/zip"
    with zipfile.ZipFile(io.BytesIO(statement.data)) as files:
        text = b"".join(files.read(name) for name in files.namelist())
    assert paid["alipay"].encode("ascii") in text
