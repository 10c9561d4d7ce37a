"""大厅导航: where in the hall something is done, on the hall's floor plan.

    from a guide: 去哪里办理   → the plan, the area that serves the service highlighted and
                                its name large (said aloud by the screen)
    from a queue ticket: 查看位置 → the plan with the ticket's group's area highlighted
    大厅导航 on home          → the plan with every window area listed (`show_hall_map`)
    nothing serves it         → 请到综合受理窗口或咨询服务台 (the plan still shown, if any)

Which area serves a service: one that lists the service itself, else one that serves its
theme; a queue group's area is the one that lists the group. The map is the platform's, or
the kiosk's last copy when the platform cannot be reached (then the screen says how old).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from central.contract import Service
from central.contract.hall_map import HallMap, Rect, WindowArea
from common.hall_map import HallMapView
from common.i18n import Text, tr
from flows.context import FlowContext
from flows.steps import BusyStep, Choice, MessageStep, Reply, Step
from flows.waiting import wait_uninterrupted

DIRECTIONS = "directions"  # the key of 去哪里办理 on a guide
WHERE = "where"  # the key of 查看位置 on a queue ticket
DESK = tr("请到综合受理窗口或咨询服务台。")


@dataclass(frozen=True)
class OpenHallMap(Reply):
    """大厅导航 from home."""


@dataclass(frozen=True)
class HallMapStep(Step):
    """The plan, with one area highlighted (its name large) or the whole hall."""

    title: Text | str
    plan: bytes = field(repr=False)
    highlight: Rect | None  # relative to the plan; None: no one area
    area_name: str | None  # shown large and said aloud
    lines: tuple[Text | str, ...] = ()
    age: Text | None = None  # the kiosk's copy, when the platform was not reached
    said: Text | None = None  # read aloud in every mode: where to go


def serving_area(hall_map: HallMap, service: Service) -> WindowArea | None:
    by_service = next((a for a in hall_map.areas if service.id in a.services), None)
    return by_service or next((a for a in hall_map.areas if service.theme in a.themes), None)


def group_area(hall_map: HallMap, group_id: str) -> WindowArea | None:
    return next((a for a in hall_map.areas if group_id in a.queue_groups), None)


async def show_directions(ctx: FlowContext, service: Service) -> None:
    """去哪里办理 for `service`; returns when the person is done with the map."""
    view = await _map(ctx)
    area = serving_area(view.map, service) if view is not None else None
    if view is None:
        await ctx.ui.ask(MessageStep(tr("去哪里办理"), (service.name, DESK),
                                     (Choice("done", tr("完成"), primary=True),)))
        return
    if area is None:
        step = HallMapStep(service.name, view.png, None, None, (DESK,), _age(view), DESK)
    else:
        where = tr("请到{area}办理。", area=area.name)
        step = HallMapStep(service.name, view.png, area.rect, area.name, (where,), _age(view),
                           where)
    await ctx.ui.ask(step)  # 完成, 返回 or 首页


async def show_group_area(ctx: FlowContext, group_id: str, window_area: str) -> None:
    """查看位置 from a queue ticket: the group's area on the plan (the ticket's own words for
    it when the map does not place the group)."""
    view = await _map(ctx)
    area = group_area(view.map, group_id) if view is not None else None
    where = tr("请到{area}等候叫号。", area=area.name if area else window_area)
    if view is None:
        await ctx.ui.ask(MessageStep(tr("查看位置"), (where,),
                                     (Choice("done", tr("完成"), primary=True),)))
        return
    await ctx.ui.ask(HallMapStep(tr("查看位置"), view.png, area.rect if area else None,
                                 area.name if area else window_area, (where,), _age(view),
                                 where))


async def show_hall_map(ctx: FlowContext) -> Text | None:
    """大厅导航: the whole hall with its areas listed."""
    view = await _map(ctx)
    if view is None:
        await ctx.ui.ask(MessageStep(tr("大厅导航"), (tr("暂时无法显示大厅平面图。"), DESK),
                                     (Choice("done", tr("完成"), primary=True),)))
        return None
    lines = tuple(area.name for area in view.map.areas)
    await ctx.ui.ask(HallMapStep(tr("大厅导航"), view.png, None, None, lines,
                                 _age(view)))
    return None


async def _map(ctx: FlowContext) -> HallMapView | None:
    if ctx.hall_map is None:
        return None
    return await wait_uninterrupted(ctx.ui, BusyStep(tr("正在打开大厅平面图…")),
                                    ctx.hall_map.current())


def _age(view: HallMapView) -> Text | None:
    """Said only when the platform was not reached: the plan may have changed since."""
    if not view.from_copy:
        return None
    return tr("网络中断，显示的是本机 {date} 保存的平面图。",
              date=view.fetched_at.astimezone().strftime("%Y-%m-%d"))
