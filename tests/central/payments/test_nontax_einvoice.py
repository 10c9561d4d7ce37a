"""A 缴款码 paid elsewhere: the 非税 collection system's signed notice pays the unpaid order
(once per its transaction id), is refused for another amount, and is left to staff (an alert)
when the order was not waiting for it. And the 财政电子票据 of every paid order: its number,
its check address and the public page that checks it."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import httpx
import pytest
from sqlalchemy import select

from central.contract import ApplicationAccepted
from central.db import AlertRecord, NontaxPaymentRecord
from central.payments.nontax import HEADER_SIGNATURE, signature
from tests.central.payments.test_platform_applications import apply, paid_order, ss_022

from .conftest import Rig

KEY = b"nontax-collector-key-for-tests"
NONTAX = "/api/v1/nontax/payments"
WITH_KEY = [{"tick_s": 0, "nontax_key": KEY}]


def notice(code: str, amount_fen: int = 1000, transaction_id: str = "FS2026030200001",
           channel: str = "工商银行柜面") -> bytes:
    return json.dumps({"notice_code": code, "amount_fen": amount_fen,
                       "paid_at": datetime(2026, 3, 2, 3, 0, tzinfo=UTC).isoformat(),
                       "transaction_id": transaction_id, "channel": channel},
                      ensure_ascii=False).encode("utf-8")


def post(rig: Rig, body: bytes, key: bytes | None = KEY) -> httpx.Response:
    headers = {"Content-Type": "application/json"}
    if key is not None:
        headers[HEADER_SIGNATURE] = signature(key, body)
    return rig.client.post(NONTAX, content=body, headers=headers, auth=None)


@pytest.mark.parametrize("rig_settings", WITH_KEY)
def test_a_notice_paid_at_the_bank_pays_the_unpaid_order_once(rig: Rig) -> None:
    order = rig.order("SS-022")
    body = notice(order.notice_code)
    assert post(rig, body, key=None).status_code == 401
    assert post(rig, body, key=b"another key").status_code == 401
    answer = post(rig, body)
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"transaction_id": "FS2026030200001", "outcome": "paid",
                             "reference": order.reference}
    told = rig.get(order.order_id)
    assert (told.state, told.channel, told.paid_at) == (
        "paid", "nontax", datetime(2026, 3, 2, 3, 0, tzinfo=UTC))
    assert told.e_receipt_number and told.e_receipt_url
    again = post(rig, body)  # the collector sends it again: the same answer, recorded once
    assert again.status_code == 200 and again.json() == answer.json()
    other = post(rig, notice(order.notice_code, channel="手机银行"))
    assert other.status_code == 409
    with rig.app.state.sessions() as session:
        assert len(session.scalars(select(NontaxPaymentRecord)).all()) == 1
    rig.check_ledger()


@pytest.mark.parametrize("rig_settings", WITH_KEY)
def test_another_amount_or_an_unknown_code_is_refused(rig: Rig) -> None:
    order = rig.order("SS-022")
    wrong = post(rig, notice(order.notice_code, amount_fen=999))
    assert (wrong.status_code, wrong.json()["code"]) == (422, "AMOUNT_MISMATCH")
    unknown = post(rig, notice("1" * 20, transaction_id="FS2"))
    assert unknown.status_code == 404
    garbled = post(rig, b'{"notice_code": "x"}')
    assert garbled.status_code == 422
    assert rig.get(order.order_id).state == "unpaid"


def test_without_the_collectors_key_every_notice_is_refused(rig: Rig) -> None:
    order = rig.order("SS-022")
    answer = post(rig, notice(order.notice_code), key=b"any")
    assert (answer.status_code, answer.json()["code"]) == (403, "NONTAX_NOT_CONFIGURED")
    assert rig.get(order.order_id).state == "unpaid"


@pytest.mark.parametrize("rig_settings", WITH_KEY)
def test_a_notice_paid_after_the_kiosk_took_the_fee_is_left_to_staff(rig: Rig) -> None:
    order_id = paid_order(rig)
    record = rig.record(order_id)
    answer = post(rig, notice(record.notice_code))
    assert answer.status_code == 200 and answer.json()["outcome"] == "extra"
    closed = rig.order("SS-022")
    rig.cancel(closed.order_id)
    assert post(rig, notice(closed.notice_code, transaction_id="FS3")).json()["outcome"] \
        == "extra"
    told = rig.get(order_id)
    assert (told.state, told.channel) == ("paid", "wechat"), "the kiosk's payment stands"
    assert rig.get(closed.order_id).state == "closed"
    with rig.app.state.sessions() as session:
        alerts = session.scalars(select(AlertRecord).where(
            AlertRecord.kind == "payment_nontax_extra")).all()
        assert len(alerts) == 2 and record.reference in alerts[0].detail
        assert {p.outcome for p in session.scalars(select(NontaxPaymentRecord))} == {"extra"}
    rig.check_ledger()


@pytest.mark.parametrize("rig_settings", WITH_KEY)
def test_an_order_paid_later_by_its_code_stays_with_its_application(rig: Rig) -> None:
    order = rig.order("SS-022")
    accepted = ApplicationAccepted.model_validate_json(apply(rig, ss_022(
        verification_id=rig.verify(), payment_order_id=order.order_id)).content)
    rig.advance(3600)
    assert post(rig, notice(order.notice_code)).json()["outcome"] == "paid"
    rig.advance(25 * 3600)
    rig.run()  # paid, with its application: never refunded as unclaimed
    told = rig.get(order.order_id)
    assert told.state == "paid"
    assert rig.record(order.order_id).application_number == accepted.acceptance_number
    rig.check_ledger()


# -- 财政电子票据 ----------------------------------------------------------------------------------

def test_a_paid_order_has_its_e_receipt_checked_on_a_public_page(rig: Rig) -> None:
    order_id = paid_order(rig)
    apply(rig, ss_022(verification_id=rig.verify(), payment_order_id=order_id))
    told = rig.get(order_id)
    number, url = told.e_receipt_number, told.e_receipt_url
    assert number is not None and url is not None
    assert re.fullmatch(r"11062601\d{10}", number), "Beijing, 非税通用, 2026, batch 01"
    match = re.fullmatch(rf"http://testserver/einvoice/{number}\?c=([A-Z2-7]{{8}})", url)
    assert match
    assert rig.get(order_id).e_receipt_number == number, "issued once"
    page = rig.client.get(f"/einvoice/{number}", params={"c": match.group(1)}, auth=None)
    assert page.status_code == 200
    text = page.text
    assert "真实有效" in text and "10.00 元" in text and "机动车驾驶证工本费" in text
    assert "张*" in text and "张三" not in text and "2026年03月02日" in text
    assert "<script" not in text and "script-src" not in page.headers.get(
        "Content-Security-Policy", "")
    assert page.headers["Content-Security-Policy"].startswith("default-src 'none'")
    for forged in (f"/einvoice/{number}?c=AAAAAAAA", f"/einvoice/{number}",
                   f"/einvoice/{number[:-1]}{(int(number[-1]) + 1) % 10}?c={match.group(1)}",
                   "/einvoice/%3Cscript%3Ealert(1)?c=x"):
        refused = rig.client.get(forged, auth=None)
        assert refused.status_code == 404 and "未查询到该票据" in refused.text, forged
        assert "<script>" not in refused.text and "10.00" not in refused.text


def test_an_unpaid_order_has_no_e_receipt(rig: Rig) -> None:
    order = rig.order("SS-022")
    assert order.e_receipt_number is None and order.e_receipt_url is None


@pytest.mark.parametrize("rig_settings", WITH_KEY)
def test_e_receipt_numbers_are_unique_and_the_same_for_an_order(rig: Rig) -> None:
    numbers = set()
    for n in range(3):
        order = rig.order("SS-022")
        post(rig, notice(order.notice_code, transaction_id=f"FS{n}"))
        told = rig.get(order.order_id)
        assert told.e_receipt_number is not None
        numbers.add(told.e_receipt_number)
        keys = rig.app.state.citizen_keys
        assert told.e_receipt_number.endswith(
            f"{keys.einvoice_number_serial(order.order_id, 0):010d}"), "derived from the order"
    assert len(numbers) == 3
