"""Messages every citizen flow may end with: go to a member of staff, take your card.

GB/T 40756 §9.8.5 wants a way out on every path: when the kiosk cannot finish a service, the
person is told where a person can (the hall's 人工帮办, SS-099), never left on an error.

The help has one name everywhere, `flows.steps.CALL_STAFF` (the bottom bar's button, a
screen's own button, every sentence that points at it), and one instruction, `STAFF_DESK`. A
screen may offer its own 呼叫工作人员 as `Choice(CALL_STAFF_KEY, CALL_STAFF)`: the shell
answers it exactly as the bar's button, and the flow never sees it.
"""

from __future__ import annotations

from common.i18n import Text, tr
from flows.context import FlowContext
from flows.steps import CALL_STAFF as CALL_STAFF  # the help's name, for the screens that say it
from flows.steps import CALL_STAFF_KEY as CALL_STAFF_KEY
from flows.steps import Choice, MessageStep

STAFF_DESK = tr("请到服务台找工作人员帮您办理。")
TAKE_CARD = tr("请取走您的身份证或社保卡，以及打印的凭条。")
TAKE_CARD_ONLY = tr("请取走您的身份证或社保卡。")
TO_HOME = Choice("home", tr("返回首页"), primary=True)


async def call_staff(ctx: FlowContext, reason: Text | str, *,
                     title: Text | None = None) -> None:
    """Why the kiosk cannot go on, and where staff are; returns when the person has read it."""
    await ctx.ui.ask(MessageStep(title or tr("请联系工作人员"), (reason, STAFF_DESK), (TO_HOME,),
                                 tone="warning"))


async def remind_to_take_card(ctx: FlowContext, *lines: Text | str, slip: bool = True) -> None:
    """`slip`: a slip was printed for the person to take as well."""
    await ctx.ui.ask(MessageStep(tr("办理结束"), (*lines, TAKE_CARD if slip else TAKE_CARD_ONLY),
                                 (TO_HOME,), tone="success"))
