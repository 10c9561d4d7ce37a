"""POST /api/v1/payments: the platform prices the order from the catalog, for the person this
terminal verified; its numbers; a repeat of the key is the same order; what is refused."""

from __future__ import annotations

import re

import pytest

from central.contract import PAYMENT_ORDER_ID_PATTERN
from central.contract.payments import PaymentOrder
from central.identity.reference import LI_XIUYING
from central.payments import numbers
from tests.central.conftest import TEST_TERMINAL, KnownTerminal, SignAsTerminal
from tests.central.helpers import register

from .conftest import PAYMENTS, Rig

OTHER_TERMINAL = KnownTerminal("TEST-0002", "测试大厅", "other-terminal-key-0123456789abcd")


@pytest.mark.parametrize(("service_id", "option", "fen", "item"), [
    ("SS-018", None, 1500, "往来港澳通行证签注费"),
    ("SS-019", None, 12000, "普通护照工本费"),
    ("SS-007", None, 40000, "城乡居民基本医疗保险个人缴费"),
    ("SS-009", "300", 30000, "城乡居民基本养老保险个人缴费（300元档）"),
    ("SS-009", "3000", 300000, "城乡居民基本养老保险个人缴费（3000元档）"),
    ("SS-013", "有效期满换领", 2000, "居民身份证工本费（有效期满换领）"),
    ("SS-013", "丢失补领", 4000, "居民身份证工本费（丢失补领）"),
    ("SS-013", "临时身份证", 1000, "临时居民身份证工本费"),
])
def test_the_platform_prices_the_order_from_the_catalog(rig: Rig, service_id: str,
                                                        option: str | None, fen: int,
                                                        item: str) -> None:
    order = rig.order(service_id, option)
    assert (order.amount_fen, order.item, order.state) == (fen, item, "unpaid")
    assert order.failure is None and order.channel is None and order.paid_at is None


def test_an_order_has_its_numbers(rig: Rig) -> None:
    order = rig.order()
    assert re.fullmatch(PAYMENT_ORDER_ID_PATTERN, order.order_id)
    assert re.fullmatch(r"\d{20}", order.notice_code) and numbers.luhn_valid(order.notice_code)
    assert order.notice_code.startswith("11000026")  # the region, and 2026
    assert re.fullmatch(r"JK20260302\d{6}", order.reference)
    other = rig.order()
    assert len({order.order_id, other.order_id}) == 2
    assert len({order.notice_code, other.notice_code}) == 2


@pytest.mark.parametrize(("service_id", "option", "code"), [
    ("SS-009", None, "FEE_OPTION_REQUIRED"),
    ("SS-009", "250", "FEE_OPTION_UNKNOWN"),
    ("SS-013", "换个颜色", "FEE_OPTION_UNKNOWN"),
    ("SS-021", None, "NO_AMOUNT"),  # a fine: the amount is set per case
    ("SS-033", None, "NO_AMOUNT"),  # a utility bill
    ("SS-015", None, "NOT_PAYABLE_AT_KIOSK"),
    ("SS-999", None, "SERVICE_UNKNOWN"),
])
def test_what_cannot_be_priced_is_refused(rig: Rig, service_id: str, option: str | None,
                                          code: str) -> None:
    response = rig.post_order(service_id, option, rig.verify())
    assert response.status_code == 422, response.text
    assert response.json()["code"] == code


def test_the_verification_must_be_this_terminals_and_valid(rig: Rig) -> None:
    assert rig.post_order("SS-018", None, "no-such-verification").status_code == 403
    register(rig.app, OTHER_TERMINAL)
    verification_id = rig.verify()
    other = SignAsTerminal(OTHER_TERMINAL, rig.clock)
    body = rig.post_order  # the other terminal presents this terminal's verification
    rig.client.auth = other
    try:
        assert body("SS-018", None, verification_id).status_code == 403
    finally:
        rig.client.auth = SignAsTerminal(TEST_TERMINAL, rig.clock)
    rig.advance(31 * 60)  # a verification lives 30 minutes
    assert rig.post_order("SS-018", None, verification_id).status_code == 403


def test_the_same_key_is_the_same_order_and_another_body_a_conflict(rig: Rig) -> None:
    verification_id = rig.verify()
    first = rig.post_order("SS-018", None, verification_id, key="order-key-0000000001")
    again = rig.post_order("SS-018", None, verification_id, key="order-key-0000000001")
    assert (first.status_code, again.status_code) == (201, 200)
    assert PaymentOrder.model_validate_json(again.content) == \
        PaymentOrder.model_validate_json(first.content)
    other = rig.post_order("SS-019", None, verification_id, key="order-key-0000000001")
    assert (other.status_code, other.json()["code"]) == (409, "IDEMPOTENCY_KEY_REUSED")
    assert rig.client.post(PAYMENTS, content=b"{}").status_code == 400  # no key


def test_an_order_is_its_terminals_own(rig: Rig) -> None:
    order = rig.order(holder=LI_XIUYING)
    register(rig.app, OTHER_TERMINAL)
    seen = rig.client.get(f"{PAYMENTS}/{order.order_id}",
                          auth=SignAsTerminal(OTHER_TERMINAL, rig.clock))
    assert seen.status_code == 404
    assert rig.client.get(f"{PAYMENTS}/PO0000000000000000").status_code == 404
    assert rig.client.get(f"{PAYMENTS}/{order.order_id}", auth=None).status_code == 401
    assert rig.get(order.order_id) == order
