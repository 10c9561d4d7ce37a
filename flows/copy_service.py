"""材料复印与身份证复印件打印 (SS-091): the person picks what to copy, and that flow runs.

Registered in `flows.citizen` for the services listed in `COPY_SERVICES`: the catalog marks
SS-091 with kiosk mode 打印 like the certificates, so the service id, not the mode, says it is
copying.
"""

from __future__ import annotations

from central.contract import Service
from common.i18n import Text, tr
from flows.context import FlowContext
from flows.id_copy import copy_id_card
from flows.material_copy import copy_materials
from flows.steps import Choice, Choose, MessageStep

COPY_SERVICES = frozenset({"SS-091"})
ID_CARD, MATERIALS = "id_card", "materials"


async def serve_copies(ctx: FlowContext, service: Service) -> Text | None:
    got = await ctx.ui.ask(MessageStep(
        tr("请选择复印内容"),
        (tr("复印件只在本次办理中保存在本机内存里，打印后即删除。"),),
        (Choice(ID_CARD, tr("身份证复印"), primary=True), Choice(MATERIALS, tr("材料复印"))),
    ))
    if isinstance(got, Choose) and got.key == ID_CARD:
        return await copy_id_card(ctx, service)
    if isinstance(got, Choose) and got.key == MATERIALS:
        return await copy_materials(ctx, service)
    return None
