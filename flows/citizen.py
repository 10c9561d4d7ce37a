"""The whole citizen side of the kiosk, as the UI runs it for each session: browse the
catalog, and from a guide or from home the flows that carry services out.

`SERVICE_FLOWS` maps a kiosk mode (`central.contract.KioskMode`) to the flow that carries it
out. 自助申报 and 办理 are the declaration; issue 7 adds 打印 (certificates) here, e.g.
`SERVICE_FLOWS["打印"] = print_certificate`. A service offers the flow of its first mode that
has one.
"""

from __future__ import annotations

from flows.browse import FlowStarts, ServiceFlow, browse_catalog
from flows.context import FlowContext
from flows.declaration import declare
from flows.progress import look_up_progress
from kiosk.i18n import Text

SERVICE_FLOWS: dict[str, ServiceFlow] = {
    "自助申报": declare,
    "办理": declare,
}
START_LABELS: dict[str, Text] = {}  # 开始办理 unless a mode says otherwise (e.g. 打印)


async def serve_citizen(ctx: FlowContext) -> None:
    """Runs until the session ends (the session cancels it)."""
    starts = FlowStarts(ctx, SERVICE_FLOWS, look_up_progress, START_LABELS)
    await browse_catalog(ctx.ui, ctx.catalog, starts)
