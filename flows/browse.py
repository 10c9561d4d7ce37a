"""Browse → guide → a flow: the person's way from home to a service.

Home shows the service themes and 进度查询; a theme shows its services; a service shows its
guide, and 开始办理 where the kiosk can carry the service out (`FlowStarts`: one flow per kiosk
mode). 返回 goes one screen back, 首页 goes home. When a flow ends, home shows what the person is
reminded of (take the card) once. The loop runs until the session ends (the session cancels it).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from central.contract import Catalog, Service
from flows.ask import OpenSearch, Search, ask_questions
from flows.guide import guide_for
from flows.steps import (
    Choice,
    Choose,
    GuideStep,
    HomeStep,
    Nav,
    OpenProgress,
    OpenService,
    OpenTheme,
    ThemeStep,
    ThemeTile,
    Ui,
)
from kiosk.i18n import Text, tr

if TYPE_CHECKING:
    from flows.context import FlowContext

# a flow started from a guide; returns what home should remind the person of (or None)
ServiceFlow = Callable[["FlowContext", Service], Awaitable[Text | None]]
HomeFlow = Callable[["FlowContext"], Awaitable[Text | None]]

# offline, these services cannot even be started (the guide says why)
_NOT_OFFLINE = ("online_required", "offline_guide_only")


class CatalogStatus(Protocol):
    online: bool


class CatalogView(Protocol):
    """What the flow reads of the catalog; `kiosk.catalog_source.CatalogSource` provides it."""

    @property
    def catalog(self) -> Catalog | None: ...

    @property
    def status(self) -> CatalogStatus: ...


@dataclass(frozen=True)
class FlowStarts:
    """What 开始办理 on a guide and 进度查询 on home lead to (`flows.citizen` builds it)."""

    ctx: FlowContext
    by_mode: Mapping[str, ServiceFlow]  # kiosk mode (自助申报, 打印 …) → its flow
    progress: HomeFlow | None = None
    labels: Mapping[str, Text] = field(default_factory=dict)  # 开始办理 unless said here
    # a mode's flow that carries out only some of its services (打印: certificates, not the
    # slip of a payment or the result of a progress lookup) says which here
    takes: Mapping[str, Callable[[Service], bool]] = field(default_factory=dict)
    # a service with a flow of its own whatever its modes (SS-091 复印 is 打印 like the
    # certificates): service id → (flow, the start button's label)
    by_service: Mapping[str, tuple[ServiceFlow, Text]] = field(default_factory=dict)

    def choice(self, service: Service, *, offline: bool) -> Choice | None:
        if offline and service.offline_behavior in _NOT_OFFLINE:
            return None
        if service.id in self.by_service:
            return Choice(service.id, self.by_service[service.id][1], primary=True)
        mode = next((m for m in service.kiosk_modes if m in self.by_mode
                     and (m not in self.takes or self.takes[m](service))), None)
        if mode is None:
            return None
        return Choice(mode, self.labels.get(mode, tr("开始办理")), primary=True)

    def flow(self, key: str) -> ServiceFlow:
        """The flow of a `choice`'s key."""
        return self.by_service[key][0] if key in self.by_service else self.by_mode[key]


async def browse_catalog(ui: Ui, catalog: CatalogView, starts: FlowStarts | None = None) -> None:
    await _Browser(ui, catalog, starts).run()


def home_step(catalog: Catalog | None, notice: Text | None = None) -> HomeStep:
    if catalog is None:
        return HomeStep((), unavailable=tr("暂时无法获取服务事项，请稍后再试或联系工作人员。"),
                        notice=notice)
    tiles = tuple(
        ThemeTile(theme, len(services))
        for theme in catalog.themes
        if (services := catalog.services_in(theme))
    )
    return HomeStep(tiles, notice=notice)


class _Browser:
    def __init__(self, ui: Ui, catalog: CatalogView, starts: FlowStarts | None) -> None:
        self.ui, self.catalog, self.starts = ui, catalog, starts
        self.notice: Text | None = None  # shown on the next home screen, once

    async def run(self) -> None:
        while True:
            notice, self.notice = self.notice, None
            answer = await self.ui.ask(home_step(self.catalog.catalog, notice))
            if isinstance(answer, OpenTheme):
                await self._theme_page(answer.theme)
            elif isinstance(answer, OpenService):
                await self._guide_page(answer.service_id)
            elif isinstance(answer, OpenProgress) and self.starts and self.starts.progress:
                self.notice = await self.starts.progress(self.starts.ctx)
            elif isinstance(answer, OpenSearch | Search) and self.starts and self.starts.ctx.ask:
                # search, or a voice question asked on home (flows.ask); services open here
                first = answer if isinstance(answer, Search) else None
                await ask_questions(self.ui, self.starts.ctx.ask, self._guide_page, first)

    async def _theme_page(self, theme: str) -> None:
        """Returns when the person goes back or home."""
        while True:
            # read the catalog at every step: a background refresh may have replaced it
            current = self.catalog.catalog
            services = tuple(current.services_in(theme)) if current else ()
            if not services:
                return
            answer = await self.ui.ask(ThemeStep(theme, services))
            if isinstance(answer, OpenService):
                if await self._guide_page(answer.service_id) is Nav.HOME:
                    return
            elif isinstance(answer, Nav):
                return

    async def _guide_page(self, service_id: str) -> Nav:
        current = self.catalog.catalog
        service = current.service(service_id) if current else None
        if service is None:
            return Nav.HOME
        offline = not self.catalog.status.online
        start = self.starts.choice(service, offline=offline) if self.starts else None
        answer = await self.ui.ask(GuideStep(guide_for(service, offline=offline), start))
        if start is not None and isinstance(answer, Choose) and answer.key == start.key:
            assert self.starts is not None
            flow = self.starts.flow(start.key)
            self.notice = await flow(self.starts.ctx, service)
            return Nav.HOME  # a finished (or abandoned) flow goes home
        return answer if isinstance(answer, Nav) else Nav.BACK
