"""An application names its order (`ApplicationSubmission.payment_order_id`): checked to be
this terminal's, for the service and the person, paid or unpaid (to be paid by its 缴款码) and
not named before; a fee-bearing application may come without one; the paid order of an
application that ends 不予受理 (at submission, or later) is refunded automatically, and so is a
paid order no application named within a day."""

from __future__ import annotations

from typing import Any

import pytest

from central.applications import (
    REFUNDED_NEXT_STEP,
    UNPAID_NEXT_STEP,
    UNPAID_WITH_CODE,
    set_status,
)
from central.contract import ApplicationAccepted, ApplicationSubmission, Holder
from central.identity.reference import LI_XIUYING, ZHANG_SAN
from tests.central.citizen import new_key, post_application, submission

from .conftest import Rig

SS_022_FORM: dict[str, str | list[str]] = {"mobile": "13812345678", "delivery": "窗口领取"}


def ss_022(holder: Holder = ZHANG_SAN, **changes: Any) -> ApplicationSubmission:
    """驾驶证期满换证 (10 元, 自助申报 and 缴费 at the kiosk)."""
    values: dict[str, Any] = {
        "service_id": "SS-022", "materials": [],
        "form": {**SS_022_FORM, "name": holder.name, "id_no": holder.id_number}}
    values.update(changes)
    return submission(holder, **values)


def apply(rig: Rig, body: ApplicationSubmission, status: int = 201) -> Any:
    response = post_application(rig.client, body, new_key())
    assert response.status_code == status, response.text
    return response


def paid_order(rig: Rig, holder: Holder = ZHANG_SAN, service_id: str = "SS-022") -> str:
    order = rig.order(service_id, holder=holder)
    assert rig.pay(order.order_id, rig.gateway.wechat_code(5000)).state == "paid"
    return order.order_id


def test_an_application_names_its_paid_order(rig: Rig) -> None:
    order_id = paid_order(rig)
    body = ss_022(verification_id=rig.verify(), payment_order_id=order_id)
    accepted = ApplicationAccepted.model_validate_json(apply(rig, body).content)
    record = rig.record(order_id)
    assert accepted.status == "已受理"
    assert f"已缴费10.00元（缴费参考号{record.reference}）" in accepted.next_steps
    assert record.application_number == accepted.acceptance_number
    rig.advance(25 * 3600)
    rig.run()  # named: not refunded after a day
    assert rig.get(order_id).state == "paid"
    rig.check_ledger()


def test_a_fee_bearing_application_may_come_unpaid(rig: Rig) -> None:
    body = ss_022(verification_id=rig.verify())
    accepted = ApplicationAccepted.model_validate_json(apply(rig, body).content)
    assert accepted.status == "已受理" and accepted.next_steps.endswith(UNPAID_NEXT_STEP)
    free = submission(verification_id=rig.verify())  # SS-015 has no fee: nothing said
    assert UNPAID_NEXT_STEP not in ApplicationAccepted.model_validate_json(
        apply(rig, free).content).next_steps


def test_an_application_refused_at_submission_has_its_fee_refunded(rig: Rig) -> None:
    order_id = paid_order(rig)
    body = ss_022(payment_order_id=order_id)  # no verification, no evidence: 不予受理
    accepted = ApplicationAccepted.model_validate_json(apply(rig, body).content)
    assert accepted.status == "不予受理"
    assert accepted.next_steps.endswith(REFUNDED_NEXT_STEP)
    assert rig.get(order_id).state == "paid"  # asked; the resolver gives it back
    rig.run()
    told = rig.get(order_id)
    assert told.state == "refunded"
    record = rig.record(order_id)
    assert (record.refund_reason, record.application_number) == (
        "refused", accepted.acceptance_number)
    assert [m.kind for m in rig.gateway.movements()] == ["charge", "refund"]
    rig.check_ledger()


def test_an_application_ending_not_accepted_later_has_its_fee_refunded(rig: Rig) -> None:
    order_id = paid_order(rig)
    body = ss_022(verification_id=rig.verify(), payment_order_id=order_id)
    accepted = ApplicationAccepted.model_validate_json(apply(rig, body).content)
    with rig.app.state.sessions() as session:
        set_status(session, accepted.acceptance_number, "在办", "", rig.clock())
        session.commit()
    rig.run()
    assert rig.get(order_id).state == "paid"  # 在办: nothing to give back
    with rig.app.state.sessions() as session:
        set_status(session, accepted.acceptance_number, "不予受理", "不符合受理条件", rig.clock())
        session.commit()
    rig.run()
    assert rig.get(order_id).state == "refunded"
    rig.check_ledger()


def test_a_paid_order_no_application_named_is_refunded_after_a_day(rig: Rig) -> None:
    order_id = paid_order(rig)
    rig.advance(24 * 3600 - 1)
    rig.run()
    assert rig.get(order_id).state == "paid"
    rig.advance(1)
    rig.run()
    assert rig.get(order_id).state == "refunded"
    assert rig.record(order_id).refund_reason == "unclaimed"
    late = apply(rig, ss_022(verification_id=rig.verify(), payment_order_id=order_id), 422)
    assert late.json()["code"] == "PAYMENT_ORDER_NOT_PAID"
    rig.check_ledger()


@pytest.mark.parametrize("rig_settings", [{"tick_s": 0, "unclaimed_refund_after_s": 600}])
def test_how_long_an_order_waits_to_be_named_is_configured(rig: Rig) -> None:
    order_id = paid_order(rig)
    rig.advance(600)
    rig.run()
    assert rig.get(order_id).state == "refunded"


def test_an_order_that_cannot_pay_for_the_application_is_refused(rig: Rig) -> None:
    verification_id = rig.verify()
    closed = rig.order("SS-022").order_id
    rig.cancel(closed)
    cases = {
        "PAYMENT_ORDER_UNKNOWN": "PO0000000000000000",
        "PAYMENT_ORDER_MISMATCH": paid_order(rig, service_id="SS-018"),  # another service
        "PAYMENT_ORDER_NOT_PAID": closed,
    }
    cases_of_others = paid_order(rig, holder=LI_XIUYING)  # another person's
    for code, order_id in cases.items():
        answer = apply(rig, ss_022(verification_id=verification_id, payment_order_id=order_id),
                       422)
        assert answer.json()["code"] == code, code
    answer = apply(rig, ss_022(verification_id=verification_id,
                               payment_order_id=cases_of_others), 422)
    assert answer.json()["code"] == "PAYMENT_ORDER_MISMATCH"
    for order_id in (paid_order(rig), rig.order("SS-022").order_id):  # paid, unpaid
        apply(rig, ss_022(verification_id=verification_id, payment_order_id=order_id))
        again = apply(rig, ss_022(verification_id=verification_id, payment_order_id=order_id),
                      422)
        assert again.json()["code"] == "PAYMENT_ORDER_USED"
    unpaid_of_another = rig.order("SS-022", holder=LI_XIUYING).order_id
    answer = apply(rig, ss_022(verification_id=verification_id,
                               payment_order_id=unpaid_of_another), 422)
    assert answer.json()["code"] == "PAYMENT_ORDER_MISMATCH"
    unpaid_other_service = rig.order("SS-018").order_id
    answer = apply(rig, ss_022(verification_id=verification_id,
                               payment_order_id=unpaid_other_service), 422)
    assert answer.json()["code"] == "PAYMENT_ORDER_MISMATCH"


def test_an_application_names_the_order_the_person_pays_later(rig: Rig) -> None:
    """暂不缴费: the kiosk releases the application naming the unpaid order; the two are
    linked, the receipt's next steps give the amount and the 缴款码, and the order (still
    payable by its code) is never refunded as unclaimed."""
    order = rig.order("SS-022")
    body = ss_022(verification_id=rig.verify(), payment_order_id=order.order_id)
    accepted = ApplicationAccepted.model_validate_json(apply(rig, body).content)
    assert accepted.status == "已受理"
    assert accepted.next_steps.endswith(
        UNPAID_WITH_CODE.format(amount="10.00", code=order.notice_code))
    assert "已缴费" not in accepted.next_steps
    record = rig.record(order.order_id)
    assert (record.application_number, record.state) == (accepted.acceptance_number, "unpaid")
    rig.advance(25 * 3600)
    rig.run()
    assert rig.get(order.order_id).state == "unpaid"
    rig.check_ledger()


def test_an_unpaid_order_named_by_a_refused_application_promises_no_refund(rig: Rig) -> None:
    order = rig.order("SS-022")
    accepted = ApplicationAccepted.model_validate_json(
        apply(rig, ss_022(payment_order_id=order.order_id)).content)  # no identity: 不予受理
    assert accepted.status == "不予受理"
    assert REFUNDED_NEXT_STEP not in accepted.next_steps
    assert rig.record(order.order_id).application_number == accepted.acceptance_number


def test_a_provider_clock_far_behind_does_not_make_a_fresh_payment_unclaimed(rig: Rig) -> None:
    """The provider's time of payment is what the slip shows; whether a day has passed is the
    platform's own clock's to say (a provider a day behind once had a fresh payment refunded
    by the next resolver pass)."""
    rig.gateway_clock.advance(-25 * 3600)  # the provider's clock, a day and more behind
    order_id = paid_order(rig)
    rig.run()
    assert rig.get(order_id).state == "paid"
    rig.advance(24 * 3600)
    rig.run()
    assert rig.get(order_id).state == "refunded"
    rig.check_ledger()
