"""The whole citizen side of the kiosk, as the UI runs it for each session: browse the
catalog, and from a guide or from home the flows that carry services out.

`SERVICE_FLOWS` maps a kiosk mode (`central.contract.KioskMode`) to the flow that carries it
out. 自助申报 and 办理 are the declaration; 打印 is a certificate (`SERVICE_TAKES` keeps it to
the services that are certificates). A service offers the flow of its first mode that has one.
"""

from __future__ import annotations

from collections.abc import Callable

from central.contract import Service, is_certificate_service
from common.i18n import Text, tr
from flows.appointment import make_appointment
from flows.appointment_checkin import CHECK_IN_SERVICE, check_in, check_in_from_guide
from flows.browse import FlowStarts, ServiceFlow, browse_catalog
from flows.certificate import print_certificate
from flows.context import FlowContext
from flows.convenience import open_convenience
from flows.copy_service import COPY_SERVICES, serve_copies
from flows.declaration import declare
from flows.directions import show_directions, show_hall_map
from flows.progress import look_up_progress
from flows.queue_ticket import take_queue_ticket

SERVICE_FLOWS: dict[str, ServiceFlow] = {
    "自助申报": declare,
    "办理": declare,
    "打印": print_certificate,
    "预约": make_appointment,  # book, my appointments, 签到 (flows.appointment)
}
# 开始办理 unless said here
START_LABELS: dict[str, Text] = {"打印": tr("开具并打印"), "预约": tr("预约 / 签到")}
SERVICE_TAKES: dict[str, Callable[[Service], bool]] = {"打印": is_certificate_service}
# services with a flow of their own, whatever their modes: service id → (flow, start label)
SERVICE_OWN_FLOWS: dict[str, tuple[ServiceFlow, Text]] = {
    service_id: (serve_copies, tr("开始复印")) for service_id in COPY_SERVICES}
SERVICE_OWN_FLOWS[CHECK_IN_SERVICE] = (check_in_from_guide, tr("预约签到 / 取号"))  # SS-093
# the modes whose flow takes the fee at the kiosk (flows.payment, from the declaration)
PAYING_MODES = frozenset({"自助申报", "办理"})


async def serve_citizen(ctx: FlowContext) -> None:
    """Runs until the session ends (the session cancels it)."""
    _forget_last_persons_devices(ctx)
    starts = FlowStarts(ctx, SERVICE_FLOWS, look_up_progress, START_LABELS, SERVICE_TAKES,
                        SERVICE_OWN_FLOWS, PAYING_MODES,
                        queue=_queue_or_check_in if ctx.queue is not None else None,
                        directions=show_directions if ctx.hall_map is not None else None,
                        convenience=open_convenience if ctx.convenience is not None else None,
                        hall_map=show_hall_map if ctx.hall_map is not None else None)
    await browse_catalog(ctx.ui, ctx.catalog, starts, ctx.ask, ctx.elder_home)


async def _queue_or_check_in(ctx: FlowContext) -> Text | None:
    """取号 from home, with 预约签到 beside the groups (where appointments can be asked)."""
    return await take_queue_ticket(ctx, check_in)


def _forget_last_persons_devices(ctx: FlowContext) -> None:
    """Card and code events nobody waited for belong to the last person (a card placed and
    taken away at the home screen): this person's identity must not start from them."""
    devices = ctx.devices
    for device in (devices.id_reader, devices.ss_reader, devices.code_scanner):
        if device is not None:
            device.events.clear()
