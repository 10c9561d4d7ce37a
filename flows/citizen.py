"""The whole citizen side of the kiosk, as the UI runs it for each session: browse the
catalog, and from a guide or from home the flows that carry services out.

`SERVICE_FLOWS` maps a kiosk mode (`central.contract.KioskMode`) to the flow that carries it
out. 自助申报 and 办理 are the declaration; 打印 is a certificate (`SERVICE_TAKES` keeps it to
the services that are certificates). A service offers the flow of its first mode that has one.
"""

from __future__ import annotations

from collections.abc import Callable

from central.contract import Service, is_certificate_service
from flows.browse import FlowStarts, ServiceFlow, browse_catalog
from flows.certificate import print_certificate
from flows.context import FlowContext
from flows.declaration import declare
from flows.progress import look_up_progress
from kiosk.i18n import Text, tr

SERVICE_FLOWS: dict[str, ServiceFlow] = {
    "自助申报": declare,
    "办理": declare,
    "打印": print_certificate,
}
START_LABELS: dict[str, Text] = {"打印": tr("开具并打印")}  # 开始办理 unless said here
SERVICE_TAKES: dict[str, Callable[[Service], bool]] = {"打印": is_certificate_service}


async def serve_citizen(ctx: FlowContext) -> None:
    """Runs until the session ends (the session cancels it)."""
    starts = FlowStarts(ctx, SERVICE_FLOWS, look_up_progress, START_LABELS, SERVICE_TAKES)
    await browse_catalog(ctx.ui, ctx.catalog, starts)
