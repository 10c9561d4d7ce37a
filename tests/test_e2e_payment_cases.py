"""收费 end to end, one case per scripted gateway behaviour (issue 16): the pay-code mode on
both providers and the QR mode, each through the declaration flow (the scripted person, no Qt),
the kiosk's services, journal and outbox, the real platform and the sandbox gateway. Each case
asserts what the person saw, what the platform recorded and what the gateway's ledger holds
(`tests.payment_e2e.check_ledger`: charged at most once net; charged ⇒ paid, else given back).
Time is moved, never waited for (`Clocks.advance`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import pytest

from central.payments import numbers
from central.payments.sandbox import QrScript, Script
from central.payments.sandbox.ledger import Refused
from central.payments.sandbox.pay_codes import new_code
from flows.declaration import declare
from flows.payment import CANCELLED, FAILURES, QR_CLOSED
from flows.steps import (
    PAY_CODE,
    PAY_LATER,
    PAY_QR,
    Choose,
    Nav,
    PayingStep,
    PaymentStep,
    PayQrStep,
    ReceiptStep,
)
from tests.flows.scripted_ui import Wait
from tests.flows.test_payment import AFTER_RECEIPT, until_the_fee
from tests.payment_e2e import attempts, check_ledger, clocks, gateway, kiosk_on, platform, records

__all__ = ["clocks", "gateway", "platform"]  # the harness's fixtures

PROVIDERS = ("wechat", "alipay")
FEE = 1000  # SS-022: 10 元


@dataclass(frozen=True)
class Case:
    """A pay-code case: the code's script (balance 5000 fen), whether the person waits on
    请在手机上输入密码 (and seconds the clocks move then), and the outcome: paid, or the words
    on the fee screen after which the person pays later."""

    script: Script | None = None
    balance: int = 5000
    paying: bool = False
    advance_s: float = 0
    problem: str | None = None  # FAILURES key; None: paid
    code: str = "good"  # good, unknown (never issued), expired
    reverses: int | None = None  # the attempt's reverse_tries, where that is the point
    kinds: tuple[str, ...] = field(default=("charge",))


CODE_CASES = {
    "paid at once": Case(Script()),
    "USERPAYING, then paid": Case(Script.user_paying(2), paying=True),
    "USERPAYING, then the password fails": Case(Script.user_paying(2, succeeds=False),
                                                paying=True, problem="DECLINED", kinds=()),
    "SYSTEMERROR, then paid": Case(Script.system_error(1), paying=True),
    "the answer lost, charged": Case(Script.lost_response(1), paying=True),
    "paid as the reverse came: reversed again": Case(
        Script.late_success(), paying=True, advance_s=46, problem="TIMED_OUT",
        kinds=("charge", "reversal")),
    "a fake reverse at the deadline: the query finds it paid": Case(
        Script(paying_for=1, reverse="fake"), paying=True, advance_s=46, reverses=1),
    "insufficient balance": Case(Script(), balance=500, problem="NOT_ENOUGH", kinds=()),
    "a wrong code": Case(code="unknown", problem="CODE_INVALID", kinds=()),
    "an expired code": Case(Script(), code="expired", problem="CODE_INVALID", kinds=()),
}


def render(text) -> str:
    return text if isinstance(text, str) else text.render()


def the_code(sandbox, provider: str, case: Case) -> str:
    if case.code == "unknown":
        return new_code(provider)  # of the provider's form, never issued
    lifetime = timedelta(0) if case.code == "expired" else timedelta(seconds=60)
    return sandbox.ledger.add_code(provider, case.balance, case.script or Script(),
                                   lifetime=lifetime).code


def receipt_of(kiosk) -> ReceiptStep:
    (receipt,) = kiosk.ui.of_type(ReceiptStep)
    return receipt


def assert_paid(kiosk, platform, channel: str) -> None:
    (order,), (application,) = records(platform)
    assert order.state == "paid" and order.channel == channel
    assert order.application_number == application.number, "the application names it"
    receipt = receipt_of(kiosk)
    assert not receipt.pending and receipt.number == application.number
    assert "已缴费 10.00 元" in render(receipt.payment)
    slip = kiosk.receipt_printer.receipts[0]
    assert slip.title == "缴费凭证"


def assert_payable_later(kiosk, platform) -> None:
    """Not paid: the application names its unpaid order, the receipt gives its 缴款码; or,
    the order closed (it can never be paid), the application goes without it."""
    (order,), (application,) = records(platform)
    receipt = receipt_of(kiosk)
    assert receipt.number == application.number
    assert "未缴费" in render(receipt.payment)
    if order.state == "closed":
        assert order.application_number is None, "a closed order is named by nothing"
        assert "请到收费窗口缴纳" in render(receipt.payment)
        return
    assert order.state == "unpaid" and order.application_number == application.number
    assert order.notice_code in render(receipt.payment)
    assert order.notice_code in kiosk.receipt_printer.last_text()


@pytest.mark.parametrize("provider", PROVIDERS)
@pytest.mark.parametrize("name", CODE_CASES)
def test_pay_code(name: str, provider: str, platform, gateway, clocks, seed_catalog,
                  tmp_path) -> None:
    case = CODE_CASES[name]
    sandbox, _server = gateway
    code = the_code(sandbox, provider, case)
    kiosk = kiosk_on(platform, seed_catalog, tmp_path)
    script: list = [*until_the_fee(kiosk), Choose(PAY_CODE),
                    Wait(lambda step: kiosk.code_scanner.scan(code, "Code128"))]
    if case.paying:
        script.append(Wait(lambda step: clocks.advance(case.advance_s)))
    if case.problem is not None:
        script.append(Choose(PAY_LATER))
    kiosk.ui.script = [*script, *AFTER_RECEIPT]
    kiosk.run(declare, kiosk.service("SS-022"))

    # what the person saw
    fee = kiosk.ui.of_type(PaymentStep)
    assert (fee[0].item, fee[0].amount_fen, fee[0].problem) == ("机动车驾驶证工本费", FEE, None)
    paying = kiosk.ui.of_type(PayingStep)
    assert bool(paying) == case.paying, "请在手机上输入密码 while the provider waits"
    assert all(step.on_phone for step in paying)
    if case.problem is None:
        assert len(fee) == 1
        assert_paid(kiosk, platform, provider)
    else:
        assert render(fee[-1].problem) == render(FAILURES[case.problem])  # type: ignore[index]
        assert_payable_later(kiosk, platform)

    # what the gateway holds
    kept = check_ledger(platform, sandbox)
    assert kept == (FEE if case.problem is None else 0)
    assert tuple(m.kind for m in sandbox.movements()) == case.kinds
    if case.code == "good":
        assert sandbox.balance(code) == case.balance - kept
    if case.reverses is not None:
        (attempt,) = attempts(platform)
        assert attempt.reverse_tries == case.reverses


# -- 扫码支付 ----------------------------------------------------------------------------------


def script_precreate(platform, sandbox, provider: str, script: QrScript) -> Choose:
    """On the fee screen: the QR order about to be made behaves as `script`; 扫码支付."""
    (order,), _applications = records(platform)
    sandbox.script_qr_order(provider, numbers.out_trade_no(order.id, 1), script)
    return Choose(PAY_QR[provider])


def tap(sandbox, step: PayQrStep) -> None:
    sandbox.tap_pay(step.qr_content)  # the phone scans the screen and 确认支付


@pytest.mark.parametrize("provider", PROVIDERS)
@pytest.mark.parametrize("lost", [False, True], ids=["paid on the phone",
                                                    "the precreate answer lost"])
def test_qr_paid_on_the_phone(lost: bool, provider: str, platform, gateway, seed_catalog,
                              tmp_path) -> None:
    sandbox, _server = gateway
    kiosk = kiosk_on(platform, seed_catalog, tmp_path)
    choose = ((lambda step: script_precreate(platform, sandbox, provider,
                                             QrScript(lost_responses=1)))
              if lost else Choose(PAY_QR[provider]))
    kiosk.ui.script = [*until_the_fee(kiosk), choose, Wait(lambda step: tap(sandbox, step)),
                       *AFTER_RECEIPT]
    kiosk.run(declare, kiosk.service("SS-022"))

    (shown,) = kiosk.ui.of_type(PayQrStep)
    assert (shown.channel, shown.amount_fen) == (provider, FEE)
    assert_paid(kiosk, platform, provider)
    assert check_ledger(platform, sandbox) == FEE
    assert len(sandbox.charges()) == 1, "one QR order at the provider, asked again if lost"
    assert [m.kind for m in sandbox.movements()] == ["charge"]


@pytest.mark.parametrize("provider", PROVIDERS)
def test_qr_expired_unpaid(provider: str, platform, gateway, clocks, seed_catalog,
                           tmp_path) -> None:
    sandbox, _server = gateway
    kiosk = kiosk_on(platform, seed_catalog, tmp_path)
    kiosk.ui.script = [*until_the_fee(kiosk), Choose(PAY_QR[provider]),
                       Wait(lambda step: clocks.advance(61)), Choose(PAY_LATER),
                       *AFTER_RECEIPT]
    kiosk.run(declare, kiosk.service("SS-022"))

    assert len(kiosk.ui.of_type(PayQrStep)) == 1
    fee = kiosk.ui.of_type(PaymentStep)
    assert len(fee) == 2 and fee[-1].problem == QR_CLOSED  # 收款码已失效，未扣款
    assert_payable_later(kiosk, platform)
    assert check_ledger(platform, sandbox) == 0 and sandbox.movements() == []


@pytest.mark.parametrize("provider", PROVIDERS)
def test_qr_paid_after_the_person_gave_up_is_refunded(provider: str, platform, gateway, clocks,
                                                      seed_catalog, tmp_path) -> None:
    sandbox, _server = gateway
    kiosk = kiosk_on(platform, seed_catalog, tmp_path)
    tapped: list[object] = []

    def pay_anyway(step) -> Choose:
        """Back on the fee screen, the person pays the code still open on the phone."""
        (shown,) = kiosk.ui.of_type(PayQrStep)
        try:
            tapped.append(sandbox.tap_pay(shown.qr_content))
        except Refused as refused:
            tapped.append(refused.reason)
        return Choose(PAY_LATER)

    kiosk.ui.script = [*until_the_fee(kiosk), Choose(PAY_QR[provider]), Nav.BACK, pay_anyway,
                       *AFTER_RECEIPT]
    kiosk.run(declare, kiosk.service("SS-022"))
    machine = platform.app.state.payments
    for _pass in range(3):  # the closed code is watched: what was paid for it goes back
        clocks.advance(31)
        machine.run_due()

    fee = kiosk.ui.of_type(PaymentStep)
    assert len(fee) == 2 and render(fee[-1].problem) == render(CANCELLED)
    assert_payable_later(kiosk, platform)
    assert check_ledger(platform, sandbox) == 0
    if provider == "wechat":  # the close reached WeChat Pay: the phone is refused
        assert tapped == ["ORDER_CLOSED"] and sandbox.movements() == []
    else:  # Alipay cannot close a code nobody scanned: paid, then refunded
        assert [m.kind for m in sandbox.movements()] == ["charge", "refund"]
