"""发送到手机: a result sent to the person's phone by SMS, only with their consent.

    what will be sent           → 排队号 A001 及办理窗口; the number is used only for this
                                  message and not kept (同意并输入手机号 / 不发送)
    the number                  → on the numeric keypad, 11 digits, a mainland mobile number
    confirm                     → 将发送到 138****5678 (发送 / 重新输入)
    sent, or could not send     → plain words; nothing is kept on the kiosk either way

Any flow with something the platform can text offers it (`send_to_phone(ctx, message)`): the
queue ticket today; an appointment or a 便民服务 answer names its own kind. The kiosk names the
kind and a reference, never the text: the platform writes it (`central.sms`). One idempotency
key per confirmed number, so 重试 after a lost answer is never a second message.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from central.contract.sms import PHONE, SmsKind
from common.citizen_services import ServiceUnavailable
from common.i18n import Text, tr
from common.phone_messages import MessageRefused, PhoneMessages
from flows.context import FlowContext
from flows.steps import BusyStep, Choice, Choose, Entered, KeypadStep, MessageStep, Nav, Step
from flows.waiting import wait_uninterrupted
from kiosk.pii import mask_mobile

SEND_TO_PHONE = "send_to_phone"  # the key of 发送到手机 on a screen that offers it
AGREE, SEND, RETYPE, RETRY = "agree", "send", "retype", "retry"
PHONE_DIGITS = 11
NUMBER_HINT = tr("请输入 11 位手机号码。号码仅用于本次发送，本机不保存。")
NOT_A_MOBILE = tr("请输入正确的 11 位手机号码。")
NOT_SENT = tr("暂时无法发送短信，请稍后再试，或用手机拍下屏幕上的信息。")
LIMIT = tr("该号码今天收到的短信已达上限，请用手机拍下屏幕上的信息。")
REFUSED = tr("这条信息无法发送到手机，请用手机拍下屏幕上的信息。")


@dataclass(frozen=True)
class PhoneMessage:
    """What a flow offers to send: the platform's kind and reference, and in plain words
    what the person will receive."""

    kind: SmsKind
    reference: str
    what: Text  # 排队号 A001、办理窗口和查看进度的链接


@dataclass(frozen=True)
class SmsConsentStep(Step):
    """What will be sent and what the number is used for; agreed or declined."""

    what: Text


@dataclass(frozen=True)
class SmsConfirmStep(Step):
    """The number, masked, and what goes to it: 发送 or 重新输入."""

    masked_phone: str
    what: Text


def offers_phone(ctx: FlowContext) -> bool:
    """A screen shows 发送到手机 only when the kiosk can send one."""
    return ctx.phone is not None


async def send_to_phone(ctx: FlowContext, message: PhoneMessage) -> bool:
    """True once the platform took the message; False when the person declined or left, or it
    could not be sent (they were told)."""
    phone = ctx.phone
    if phone is None:
        return False
    if await ctx.ui.ask(SmsConsentStep(message.what)) != Choose(AGREE):
        return False  # 不发送, 返回 or 首页: nothing typed, nothing sent
    number = ""
    while True:
        number = await _number(ctx, number)
        if number is None:
            return False
        got = await ctx.ui.ask(SmsConfirmStep(mask_mobile(number), message.what))
        if got == Choose(SEND):
            return await _send(ctx, phone, message, number)
        if got != Choose(RETYPE):
            return False


async def _number(ctx: FlowContext, typed: str) -> str | None:
    error: Text | None = None
    while True:
        got = await ctx.ui.ask(KeypadStep(tr("输入手机号码"), NUMBER_HINT, typed, error,
                                          digits=PHONE_DIGITS))
        if isinstance(got, Nav):
            return None
        if not isinstance(got, Entered):
            continue
        typed = got.text.strip()[:PHONE_DIGITS]
        if re.fullmatch(PHONE, typed):
            return typed
        error = NOT_A_MOBILE


async def _send(ctx: FlowContext, phone: PhoneMessages, message: PhoneMessage,
                number: str) -> bool:
    key = uuid.uuid4().hex  # the same for 重试: a lost answer is never a second message
    masked = mask_mobile(number)
    while True:
        try:
            await wait_uninterrupted(ctx.ui, BusyStep(tr("正在发送短信…")), phone.send(
                message.kind, message.reference, number, key))
        except MessageRefused as exc:
            await _not_sent(ctx, LIMIT if exc.code == "SMS_LIMIT" else REFUSED, retry=False)
            return False
        except ServiceUnavailable:
            if await _not_sent(ctx, NOT_SENT, retry=True):
                continue
            return False
        await ctx.ui.ask(MessageStep(
            tr("短信已发送"), (tr("已发送到 {phone}，请注意查收。", phone=masked),),
            (Choice("done", tr("完成"), primary=True),), tone="success"))
        return True


async def _not_sent(ctx: FlowContext, why: Text, *, retry: bool) -> bool:
    """Tells the person; True when they ask to try again."""
    choices = (Choice("back", tr("返回")), Choice(RETRY, tr("重试"), primary=True)) if retry \
        else (Choice("back", tr("返回"), primary=True),)
    got = await ctx.ui.ask(MessageStep(tr("短信未能发送"), (why,), choices, tone="warning"))
    return retry and got == Choose(RETRY)
