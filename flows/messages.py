"""Messages every citizen flow may end with: go to a member of staff, take your card.

GB/T 40756 §9.8.5 wants a way out on every path: when the kiosk cannot finish a service, the
person is told where a person can (the hall's 人工帮办, SS-099), never left on an error.
"""

from __future__ import annotations

from flows.context import FlowContext
from flows.steps import Choice, MessageStep
from kiosk.i18n import Text, tr

STAFF_DESK = tr("请到服务台找工作人员（人工帮办）为您办理，或在原地稍候，工作人员会过来帮您。")
TAKE_CARD = tr("请取走您的身份证或社保卡，以及打印的凭条。")
TO_HOME = Choice("home", tr("返回首页"), primary=True)


async def call_staff(ctx: FlowContext, reason: Text | str, *,
                     title: Text | None = None) -> None:
    """Why the kiosk cannot go on, and where staff are; returns when the person has read it."""
    await ctx.ui.ask(MessageStep(title or tr("请联系工作人员"), (reason, STAFF_DESK), (TO_HOME,),
                                 tone="warning"))


async def remind_to_take_card(ctx: FlowContext, *lines: Text | str) -> None:
    await ctx.ui.ask(MessageStep(tr("办理结束"), (*lines, TAKE_CARD), (TO_HOME,),
                                 tone="success"))
