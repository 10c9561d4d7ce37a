"""发送到手机's screens with a made-up ticket and number, for the screen audit and
`python main.py screenshot`."""

from __future__ import annotations

from common.i18n import tr
from flows.queue_ticket import PRIORITY_WORDS, QueueTicketStep
from flows.send_to_phone import NOT_SENT, NUMBER_HINT, SmsConfirmStep, SmsConsentStep
from flows.steps import Choice, KeypadStep, MessageStep, Step
from ui.queue_samples import FOLLOW_URL

WHAT = tr("排队号 {number}、办理窗口和查看排队进度的链接", number="A001")


def sms_steps() -> list[tuple[str, Step]]:
    return [
        ("queue-ticket-sms", ticket_with_sms()),
        ("sms-consent", SmsConsentStep(WHAT)),
        ("sms-number", KeypadStep(tr("输入手机号码"), NUMBER_HINT, "1381234", None, digits=11)),
        ("sms-confirm", SmsConfirmStep("138****5678", WHAT)),
        ("sms-sent", MessageStep(tr("短信已发送"),
                                 (tr("已发送到 {phone}，请注意查收。", phone="138****5678"),),
                                 (Choice("done", tr("完成"), primary=True),), tone="success")),
        ("sms-not-sent", MessageStep(tr("短信未能发送"), (NOT_SENT,),
                                     (Choice("back", tr("返回")),
                                      Choice("retry", tr("重试"), primary=True)),
                                     tone="warning")),
    ]


def ticket_with_sms() -> Step:
    """The queue ticket with 查看位置 and 发送到手机 beside 完成."""
    return QueueTicketStep("AP003", "社保医保", "一楼 A 区 1-4 号窗口", 2, 12, "2026-11-23 10:00",
                           FOLLOW_URL, PRIORITY_WORDS["age_70"], True, send_to_phone=True,
                           where=True)
