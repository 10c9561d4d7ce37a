"""收费 at the kiosk (GB/T 40756 §9.8.5.5): the person pays the fee of the application they just
submitted, or chooses to pay later.

    the order   → the platform prices it from the catalog (and the fee option chosen)
    the fee     → how much and what for; 扫付款码, 扫码支付 (WeChat, Alipay) or 暂不缴费
    扫付款码     → the phone's pay code held to the scanner, handed over to the platform
    扫码支付     → a QR code on screen, scanned with the phone
    paying      → "请在手机上输入密码" until the platform says paid or not
    the outcome → paid: the slip is printed; not paid: why in plain words, and the way on
                  (another code, the other way, pay later, staff)

The declaration calls `pay_fee` after the application was committed and held in the outbox
(`CitizenServices.hold_application`), and `settle_application` with the outcome: the
application goes naming its order, paid, or unpaid when the person pays later by its 缴款码
(暂不缴费, or leaving after a definite failure: the platform links them and the receipt gives
the code); without one when there is no order left to pay (cancelled, offline).

Nothing is ever paid twice. A pay code is handed over once: when its answer is lost the kiosk
asks how the order stands and never hands it over again. A new order is made only when the last
one is closed (it can no longer be paid). An order the person pays later by its 缴款码 is one
whose QR code, if any was asked for, came: one that never came may still be made and expire,
and that closes the order (`_Payment._later`). Going back or walking away while something is open
cancels it (the platform reverses a charge still being decided); when the platform cannot be
reached mid-payment, the person is told not to pay again, and the kiosk finds out in the
background what became of the payment (`kiosk.payments`) and releases the application then.
"""

from __future__ import annotations

import asyncio
import re
import uuid
from dataclasses import dataclass

from central.contract import ApplicationSubmission, Service
from central.contract.payments import (
    PAY_CODE_PATTERN,
    PaymentChannel,
    PaymentFailure,
    PaymentOrder,
    PaymentOrderRequest,
    PaymentState,
)
from common.backoff import backoff
from common.citizen_services import ServiceUnavailable, Submitted
from common.i18n import Text, tr
from devices.codes.payload import Code
from devices.printer.receipt import QrCode, Receipt, Row
from flows.context import FlowContext
from flows.steps import (
    PAY_CODE,
    PAY_LATER,
    PAY_QR,
    BusyStep,
    Choice,
    Choose,
    MessageStep,
    Nav,
    PayCodeStep,
    PayingStep,
    PaymentStep,
    PayQrStep,
    Progress,
    Tone,
)
from flows.waiting import ask_while, wait_uninterrupted

WAIT_S = 10  # how long the platform may hold each question about a change (long poll)
# asking again after the platform could not be reached, before the person is told
LOST_TRIES = 3
CANCEL_PATIENCE_S = 60  # waiting for a reversal the person asked for, before it is left
CHANNELS: dict[PaymentChannel, Text] = {"wechat": tr("微信支付"), "alipay": tr("支付宝"),
                                        "nontax": tr("缴款码缴纳")}
_PAY_CODE = re.compile(PAY_CODE_PATTERN)

# what each failure means for the person, and what they can do (the choices are on screen)
FAILURES: dict[PaymentFailure, Text] = {
    "NOT_ENOUGH": tr("余额不足，未扣款。可以换一张银行卡或换一种方式再付，也可以暂不缴费。"),
    "CODE_INVALID": tr("付款码无效或已过期，未扣款。请刷新手机上的付款码后再扫，或改用扫码支付。"),
    "DECLINED": tr("支付未完成（已在手机上取消或密码错误），未扣款。可以再试一次，或暂不缴费。"),
    "TIMED_OUT": tr("等待确认超时，已撤销，未扣款。可以再试一次，或暂不缴费。"),
    "PROVIDER_ERROR": tr("支付机构暂时无法收款，未扣款。请稍后再试，或改用另一种方式、暂不缴费。"),
}
NOT_PAID = tr("支付未完成，未扣款。可以再试一次，或暂不缴费。")
CANCELLED = tr("已取消支付，未扣款。")
QR_CLOSED = tr("收款码已失效，未扣款。可以重新生成收款码，或改用其他方式。")
NOT_A_PAY_CODE = tr("这不是付款码。请打开微信或支付宝的“付款码”页面，对准扫码窗口。")
NO_ORDER = tr("暂时无法在本机缴费，未扣款。")
PAY_AT_COUNTER = tr("您的申请会照常提交。请凭回执到收费窗口缴纳费用。")
DO_NOT_PAY_AGAIN = tr("网络异常，暂时无法确认支付结果。请不要重复付款。")
SETTLED_LATER = tr("本机会自动确认：已扣款的，申请与这笔付款一并提交；未扣款的，申请照常提交，"
                   "可凭回执到收费窗口缴纳。")
UNRESOLVED = tr("支付结果需要工作人员核实，请不要重复付款。")


@dataclass(frozen=True)
class Paid:
    order: PaymentOrder
    slip_problem: Text | None = None  # the slip did not come out: why


@dataclass(frozen=True)
class NotPaid:
    """Not paid here. `order`: still open, payable elsewhere with its notice code (暂不缴费);
    None when there is none to pay (offline, cancelled)."""

    order: PaymentOrder | None = None


@dataclass(frozen=True)
class Unsettled:
    """Not known now (the platform stopped answering, or it was left to staff): the kiosk
    finds out and releases the application then; the person must not pay again."""

    order: PaymentOrder | None
    cancel: bool = False  # the person asked to cancel and the cancel did not arrive


PaymentOutcome = Paid | NotPaid | Unsettled


# -- whether a fee is paid here ---------------------------------------------------------------

def fee_option_field(service: Service) -> str | None:
    """The form field whose answer decides the fee (SS-009 档次, SS-013 换领 or 补领): the
    choice field whose options the catalog's fee basis names. None: one fixed amount."""
    basis = service.fee.basis or ""
    for form_field in service.form_fields:
        if form_field.type in ("radio", "select") and form_field.options and any(
                option in basis for option in form_field.options):
            return form_field.key
    return None


def fee_payable_here(service: Service) -> bool:
    """The kiosk can take this fee: the platform allows it and can price it."""
    fee = service.fee
    return fee.payable_at_kiosk and (
        fee.amount_cny > 0 or (fee.variable and fee_option_field(service) is not None))


def yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


# -- the flow ------------------------------------------------------------------------------------

async def hold_application(ctx: FlowContext, submission: ApplicationSubmission) -> str:
    """Commits the application, held until its payment is settled; returns its local number.
    The commit goes on if the person walks away meanwhile, and the application is then left
    to the kiosk (released unpaid: nothing was offered to pay yet)."""
    hold = asyncio.ensure_future(ctx.services.hold_application(submission))

    def left(task: asyncio.Future[str]) -> None:
        if not task.cancelled() and task.exception() is None:
            ctx.services.leave_application(task.result(), cancel_order_id=None)

    try:
        return await wait_uninterrupted(ctx.ui, BusyStep(tr("正在提交申请，请稍候…")), hold)
    except asyncio.CancelledError:
        hold.add_done_callback(left)
        raise


async def pay_fee(ctx: FlowContext, service: Service, *, local_number: str,
                  verification_id: str, fee_option: str | None = None,
                  progress: Progress | None = None) -> PaymentOutcome:
    """The payment of the held application `local_number`. Ended any other way than by
    returning (the person walked away, the card, a fault), the application is left to the
    kiosk, which cancels what is open and settles it."""
    payment = _Payment(ctx, service, PaymentOrderRequest(
        service_id=service.id, verification_id=verification_id, fee_option=fee_option,
        local_number=local_number), progress)
    try:
        return await payment.run()
    except BaseException:
        order = payment.order
        ctx.services.leave_application(
            local_number, cancel_order_id=order.order_id if order is not None
            and order.state in ("unpaid", "paying") else None)
        raise


async def settle_application(ctx: FlowContext, local_number: str,
                             outcome: PaymentOutcome) -> Submitted:
    """The held application goes naming its order: paid, or unpaid to be paid by its 缴款码
    (the person chose to pay later); without one when there is none to pay. An unsettled
    payment is left to the kiosk, which releases the application once it knows."""
    if isinstance(outcome, Unsettled):
        order = outcome.order
        ctx.services.leave_application(
            local_number,
            cancel_order_id=order.order_id if outcome.cancel and order is not None else None)
        return Submitted(local_number, None, queued_because="payment being settled")
    # paid, or payable later by its 缴款码 (暂不缴费): the platform links the two either way
    order_id = outcome.order.order_id if outcome.order is not None else None
    return await wait_uninterrupted(ctx.ui, BusyStep(tr("正在提交申请，请稍候…")),
                                    ctx.services.release_application(local_number, order_id))


def notice_code(outcome: PaymentOutcome | None) -> str | None:
    """The 缴款码 to pay a fee not paid here with, elsewhere; None when there is none."""
    if isinstance(outcome, NotPaid) and outcome.order is not None:
        return outcome.order.notice_code
    return None


def payment_line(service: Service, outcome: PaymentOutcome | None, *,
                 online: bool, code_apart: bool = False) -> Text | None:
    """What the receipt says about the fee; None for a service without one. `code_apart`:
    the notice code is printed on a line of its own (`notice_code`), not in the sentence."""
    fee = service.fee
    if fee.amount_cny <= 0 and not fee.variable:
        return None
    if isinstance(outcome, Paid):
        order = outcome.order
        line = tr("已缴费 {amount} 元（{channel}，交易号 {transaction}）", amount=yuan(
            order.amount_fen), channel=CHANNELS[order.channel] if order.channel else "",
            transaction=order.transaction_masked or order.reference)
        if outcome.slip_problem is not None:
            line = tr("{line}。缴费凭证未能打印：{why}", line=line, why=outcome.slip_problem)
        return line
    if isinstance(outcome, Unsettled):
        return tr("缴费结果确认中，请不要重复付款。{later}", later=SETTLED_LATER)
    amount = (tr("{amount} 元", amount=yuan(outcome.order.amount_fen))
              if isinstance(outcome, NotPaid) and outcome.order is not None
              else tr("按所选标准收费") if fee.variable
              else tr("{amount} 元", amount=f"{fee.amount_cny:g}"))
    if isinstance(outcome, NotPaid) and outcome.order is not None:
        if code_apart:
            return tr("未缴费 {amount}：请凭缴款码到收费窗口或政务服务网缴纳。", amount=amount)
        return tr("未缴费 {amount}：请凭缴款码 {code} 到收费窗口或政务服务网缴纳。",
                  amount=amount, code=outcome.order.notice_code)
    if not online and fee_payable_here(service):
        return tr("未缴费 {amount}：网络中断，本机暂不能缴费，请到收费窗口缴纳。", amount=amount)
    return tr("未缴费 {amount}：请到收费窗口缴纳。", amount=amount)


class _LeftPayment(Exception):
    """首页 while paying: the payment ends (what is open cancelled) and the flow goes on."""


class _Lost(Exception):
    """The platform could not be reached for a while: the outcome is not known here."""

    def __init__(self, *, cancel: bool = False) -> None:
        super().__init__("payment outcome not known")
        self.cancel = cancel  # the person asked to cancel, and the cancel may not have arrived


class _Payment:
    def __init__(self, ctx: FlowContext, service: Service, request: PaymentOrderRequest,
                 progress: Progress | None) -> None:
        self.ctx = ctx
        self.service = service
        self.request = request
        self.progress = progress
        self.order: PaymentOrder | None = None
        # a QR code of the order was shown or a pay code handed over: someone may pay it
        self.exposed = False
        # orders whose QR code was asked for and never came: the platform may have made one
        # that nobody sees, and closes the order when it expires (see `_later`)
        self.unanswered_qr: set[str] = set()

    async def run(self) -> PaymentOutcome:
        order = await self._new_order()
        if order is None:
            await self._tell(tr("暂时无法缴费"), NO_ORDER, PAY_AT_COUNTER)
            return NotPaid()
        problem: Text | None = None
        while True:
            got = await self.ctx.ui.ask(PaymentStep(
                self.service.name, order.item, order.amount_fen, self._choices(), problem,
                self.progress))
            key = got.key if isinstance(got, Choose) else None
            try:
                if isinstance(got, Nav):
                    raise _LeftPayment
                if key == PAY_LATER:
                    return await self._later(order)
                if key not in (PAY_CODE, *PAY_QR.values()):
                    continue
                if order.state not in ("unpaid", "paying"):  # closed: it can never be paid
                    fresh = await self._new_order()
                    if fresh is None:
                        problem = NO_ORDER
                        continue
                    order = fresh
                if key == PAY_CODE:
                    outcome = await self._by_code(order)
                else:
                    channel: PaymentChannel = "wechat" if key == PAY_QR["wechat"] else "alipay"
                    outcome = await self._by_qr(order, channel)
            except _LeftPayment:
                return await self._leave()
            except _Lost as lost:
                return await self._unsettled(DO_NOT_PAY_AGAIN, cancel=lost.cancel)
            order = self.order or order
            if isinstance(outcome, Paid | NotPaid | Unsettled):
                return outcome
            problem = outcome

    def _choices(self) -> tuple[Choice, ...]:
        choices = []
        if self.ctx.devices.code_scanner is not None:
            choices.append(Choice(PAY_CODE, tr("扫付款码"), primary=True))
        choices += [Choice(PAY_QR["wechat"], tr("微信扫码支付")),
                    Choice(PAY_QR["alipay"], tr("支付宝扫码支付")),
                    Choice(PAY_LATER, tr("暂不缴费"))]
        return tuple(choices)

    async def _new_order(self) -> PaymentOrder | None:
        """A new order, under a new attempt key (journaled before it is asked for); asked
        again with the same key after a lost answer, so a repeat is the same order."""
        key = str(uuid.uuid4())
        for attempt in range(LOST_TRIES):
            try:
                order = await wait_uninterrupted(
                    self.ctx.ui, BusyStep(tr("正在生成缴费订单，请稍候…"), self.progress),
                    self.ctx.services.create_payment(self.request, key))
            except ServiceUnavailable as exc:
                if exc.refused or not exc.transient or attempt == LOST_TRIES - 1:
                    return None
                await asyncio.sleep(backoff(attempt, 0.5, 3.0))
                continue
            self.order, self.exposed = order, False
            return order
        return None

    # -- 扫付款码 --

    async def _by_code(self, order: PaymentOrder) -> PaymentOutcome | Text | None:
        scanner = self.ctx.devices.code_scanner
        if scanner is None:
            return tr("本机扫码器暂时无法使用，请改用扫码支付。")
        scanner.events.clear()  # a code shown before this screen is not meant for it
        problem: Text | None = None
        while True:
            got = await ask_while(self.ctx.ui, PayCodeStep(order.item, order.amount_fen, problem,
                                                           self.progress),
                                  scanner.events.next())
            if got is Nav.HOME:
                raise _LeftPayment
            if got is Nav.BACK:
                return None  # nothing handed over: back to the choice
            if isinstance(got, Code):
                if got.truncated or not _PAY_CODE.fullmatch(got.text.strip()):
                    problem = NOT_A_PAY_CODE
                    continue
                return await self._hand_over(order, got.text.strip())

    async def _hand_over(self, order: PaymentOrder, auth_code: str) -> PaymentOutcome | Text:
        self.exposed = True
        try:
            answer = await wait_uninterrupted(
                self.ctx.ui, BusyStep(tr("正在支付，请稍候…"), self.progress),
                self.ctx.services.pay_with_code(order.order_id, auth_code))
        except ServiceUnavailable:
            # charged or not, the platform knows: ask it; never hand the code over again
            return await self._while(order, "paying", on_phone=False)
        self.order = answer
        if answer.state == "paying":
            return await self._while(answer, "paying", on_phone=True)
        return await self._outcome(answer)

    # -- 扫码支付 --

    async def _by_qr(self, order: PaymentOrder,
                     channel: PaymentChannel) -> PaymentOutcome | Text | None:
        try:
            qr = await wait_uninterrupted(
                self.ctx.ui, BusyStep(tr("正在生成收款码，请稍候…"), self.progress),
                self.ctx.services.payment_qr(order.order_id, channel))
        except ServiceUnavailable as exc:
            if not exc.refused:  # made or not, the platform may still be making it
                self.unanswered_qr.add(order.order_id)
            return tr("暂时无法生成收款码：{why}", why=exc.user_message)
        self.order, self.exposed = qr.order, True
        if qr.order.state != "unpaid":
            return await self._outcome(qr.order)
        step = PayQrStep(qr.order.item, qr.order.amount_fen, channel, qr.qr_content,
                         qr.expires_at.astimezone().strftime("%H:%M"), self.progress)
        got = await ask_while(self.ctx.ui, step, self._changed(qr.order.order_id, "unpaid"))
        if isinstance(got, Nav):
            return await self._cancelled(await self._cancel(qr.order, home=got is Nav.HOME))
        if not isinstance(got, PaymentOrder):
            return None
        self.order = got
        if got.state == "paying":  # scanned: the person confirms on the phone
            return await self._while(got, "paying", on_phone=True)
        if got.state == "closed" and got.failure in (None, "TIMED_OUT"):
            # the code expired on screen, never scanned: nothing was reversed (the platform
            # says TIMED_OUT, whose words are about a charge undone)
            return QR_CLOSED
        return await self._outcome(got)

    # -- waiting for the platform --

    async def _while(self, order: PaymentOrder, state: PaymentState, *,
                     on_phone: bool) -> PaymentOutcome | Text:
        """"请在手机上输入密码" until the order is no longer `state`; 返回 cancels it."""
        got = await ask_while(self.ctx.ui, PayingStep(order.item, order.amount_fen, on_phone,
                                                      self.progress),
                              self._changed(order.order_id, state))
        if isinstance(got, Nav):
            return await self._cancelled(await self._cancel(order, home=got is Nav.HOME))
        if not isinstance(got, PaymentOrder):
            raise _Lost
        self.order = got
        return await self._outcome(got)

    async def _changed(self, order_id: str, state: PaymentState,
                       patience_s: float | None = None) -> PaymentOrder:
        """The order once it is no longer `state`, asked with long polls. A few lost answers
        in a row, or `patience_s` run out, are `_Lost`."""
        loop = asyncio.get_running_loop()
        deadline = None if patience_s is None else loop.time() + patience_s
        lost = 0
        while deadline is None or loop.time() < deadline:
            try:
                order = await self.ctx.services.wait_for_payment(order_id, state, WAIT_S)
            except ServiceUnavailable:
                lost += 1
                if lost >= LOST_TRIES:
                    break
                await asyncio.sleep(backoff(lost - 1, 1.0, 5.0))
                continue
            lost = 0
            if order.state != state:
                return order
        raise _Lost(cancel=patience_s is not None)

    async def _ask_to_cancel(self, order_id: str) -> PaymentOrder:
        """The platform's answer to cancelling `order_id`, "正在取消支付" shown meanwhile;
        ServiceUnavailable when it gave none."""
        return await wait_uninterrupted(
            self.ctx.ui, BusyStep(tr("正在取消支付，请稍候…"), self.progress),
            self.ctx.services.cancel_payment(order_id))

    async def _cancel(self, order: PaymentOrder, *, home: bool) -> PaymentOrder:
        """The person gave up: the platform closes what is open and reverses a charge being
        decided (waited for, a while). Its answer counts: paid before the cancel arrived is
        paid. 首页 then leaves the payment unless it was paid."""
        try:
            answer = await self._ask_to_cancel(order.order_id)
        except ServiceUnavailable:
            raise _Lost(cancel=True) from None
        if answer.state == "paying":  # reversed in due time
            answer = await wait_uninterrupted(
                self.ctx.ui, BusyStep(tr("正在撤销支付，请稍候…"), self.progress),
                self._changed(order.order_id, "paying", CANCEL_PATIENCE_S))
        self.order = answer
        if home and answer.state not in ("paid", "unresolved"):
            raise _LeftPayment
        return answer

    async def _cancelled(self, answer: PaymentOrder) -> PaymentOutcome | Text:
        if answer.state in ("paid", "unresolved"):
            return await self._outcome(answer)
        return CANCELLED

    # -- outcomes --

    async def _outcome(self, order: PaymentOrder) -> PaymentOutcome | Text:
        match order.state:
            case "paid":
                return await self._paid(order)
            case "unpaid":
                return FAILURES[order.failure] if order.failure else NOT_PAID
            case "closed" | "refunded":
                return FAILURES[order.failure] if order.failure else QR_CLOSED
            case "unresolved":
                return await self._unsettled(UNRESOLVED)
            case _:  # paying
                return await self._while(order, "paying", on_phone=True)

    async def _paid(self, order: PaymentOrder) -> Paid:
        """The slip: what was paid, how, the transaction and the 电子票据 to check."""
        printer = self.ctx.devices.receipt_printer
        if printer is None:
            return Paid(order, tr("本机没有凭条打印机"))
        result = await wait_uninterrupted(
            self.ctx.ui, BusyStep(tr("缴费成功，正在打印缴费凭证…"), self.progress),
            printer.print_receipt(payment_slip(self.service, order)))
        if not result.printed:
            return Paid(order, tr(result.message))
        self.ctx.count("prints")
        return Paid(order)

    async def _later(self, order: PaymentOrder) -> PaymentOutcome:
        """暂不缴费: the application names the unpaid order, paid later by its 缴款码. Not one
        whose QR code never came: the platform may have made that code (it goes on asking the
        provider after answering 503, or the answer was lost on the way), and when it expires,
        shown to nobody, the order is closed with its 缴款码 (and an application naming it is
        refused if it arrives after that). Such an order is cancelled, and a new one, never
        shown, is named instead; none when it cannot be made (the receipt says the counter)."""
        if order.state != "unpaid":
            return NotPaid()
        if order.order_id not in self.unanswered_qr:
            return NotPaid(order)
        try:
            answer = await self._ask_to_cancel(order.order_id)
        except ServiceUnavailable:
            return NotPaid()  # no QR code of it was shown: nobody can pay it here
        self.order = answer
        if answer.state == "paid":  # its answer counts, as any cancel's
            return await self._paid(answer)
        if answer.state in ("paying", "unresolved"):
            return await self._unsettled(UNRESOLVED if answer.state == "unresolved"
                                         else DO_NOT_PAY_AGAIN)
        return NotPaid(await self._new_order())

    async def _leave(self) -> PaymentOutcome:
        """首页 or 返回 on the fee: nothing is paid here; what is open is cancelled. An order
        whose last attempt failed for certain (nothing open, nothing charged) is kept: the
        person leaves with its 缴款码 on the receipt, as after 暂不缴费."""
        order = self.order
        if order is None or order.state not in ("unpaid", "paying"):
            return NotPaid()
        if order.state == "unpaid" and order.failure is not None:
            return NotPaid(order)
        try:
            answer = await self._ask_to_cancel(order.order_id)
        except ServiceUnavailable:
            if not self.exposed:  # never shown, never handed a code: nobody can pay it
                return NotPaid()
            return await self._unsettled(DO_NOT_PAY_AGAIN, cancel=True)
        self.order = answer
        if answer.state == "paid":
            return await self._paid(answer)
        if answer.state in ("paying", "unresolved"):
            return await self._unsettled(UNRESOLVED if answer.state == "unresolved"
                                         else DO_NOT_PAY_AGAIN)
        return NotPaid()

    async def _unsettled(self, why: Text, *, cancel: bool = False) -> Unsettled:
        await self._tell(tr("支付结果待确认"), why, SETTLED_LATER, tone="warning")
        return Unsettled(self.order, cancel=cancel)

    async def _tell(self, title: Text, *lines: Text, tone: Tone = "info") -> None:
        await self.ctx.ui.ask(MessageStep(title, lines, (Choice("next", tr("继续"),
                                                                primary=True),),
                                          tone=tone, progress=self.progress))


def payment_slip(service: Service, order: PaymentOrder) -> Receipt:
    """缴费凭证 on the receipt printer: amount, what for, how, the masked transaction, when, and
    the 电子票据 with a QR code of where it is checked."""
    channel = CHANNELS[order.channel].render() if order.channel else ""
    at = order.paid_at.astimezone().strftime("%Y-%m-%d %H:%M:%S") if order.paid_at else ""
    rows = [Row("缴费项目", order.item), Row("金额", f"{yuan(order.amount_fen)} 元"),
            Row("支付方式", channel), Row("交易号", order.transaction_masked or ""),
            Row("支付时间", at), Row("缴费编号", order.reference)]
    if order.e_receipt_number:
        rows.append(Row("电子票据号", order.e_receipt_number))
    qr = QrCode(order.e_receipt_url, caption="扫码查验电子票据") if order.e_receipt_url else None
    return Receipt(title="缴费凭证", lines=(service.department, service.name),
                   rows=tuple(row for row in rows if row.value), qr=qr,
                   footer=("请妥善保管本凭证。",))
