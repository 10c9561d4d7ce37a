"""Browse → guide → a flow: the person's way from home to a service.

Home shows the service themes and 进度查询; a theme shows its services; a service shows its
guide, and 开始办理 where the kiosk can carry the service out (`FlowStarts`: one flow per kiosk
mode). In 长辈模式 home shows a few services instead (`flows.elder_home`) and 更多事项, which
leads to the themes. 返回 goes one screen back, 首页 goes home. When a flow ends, home shows
what the person is reminded of (take the card) once. The loop runs until the session ends
(the session cancels it).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

from central.contract import Catalog, Service
from common.i18n import Text, tr
from flows.ask import AskDesk, OpenSearch, Search, ask_questions
from flows.context import CatalogView, FlowContext
from flows.convenience import OpenConvenience
from flows.directions import DIRECTIONS, OpenHallMap
from flows.elder_home import ElderHome
from flows.guide import guide_for
from flows.payment import fee_payable_here
from flows.queue_ticket import OpenQueue
from flows.steps import (
    Answer,
    Choice,
    Choose,
    GuideStep,
    HomeStep,
    Nav,
    OpenProgress,
    OpenService,
    OpenTheme,
    OpenThemes,
    ThemesStep,
    ThemeStep,
    ThemeTile,
    Ui,
)

# a flow started from a guide; returns what home should remind the person of (or None)
ServiceFlow = Callable[[FlowContext, Service], Awaitable[Text | None]]
HomeFlow = Callable[[FlowContext], Awaitable[Text | None]]

# offline, these services cannot even be started (the guide says why)
_NOT_OFFLINE = ("online_required", "offline_guide_only")


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
    # the modes whose flow takes the service's fee where the kiosk can (flows.payment)
    paying_modes: frozenset[str] = frozenset()
    queue: HomeFlow | None = None  # 取号 on home (flows.queue_ticket); None: not offered
    directions: ServiceFlow | None = None  # a guide's 去哪里办理 (flows.directions)
    convenience: HomeFlow | None = None  # 便民服务 on home (flows.convenience)
    hall_map: HomeFlow | None = None  # 大厅导航 on home (flows.directions)

    def home_flow(self, answer: Answer) -> HomeFlow | None:
        """The flow a home entry (取号, 办件进度查询, 便民服务, 大厅导航) starts, if offered."""
        if isinstance(answer, OpenProgress):
            return self.progress
        if isinstance(answer, OpenQueue):
            return self.queue
        if isinstance(answer, OpenConvenience):
            return self.convenience
        if isinstance(answer, OpenHallMap):
            return self.hall_map
        return None

    def pays_here(self, service: Service) -> bool:
        """The flow this service starts takes its fee (online): what the guide may say."""
        start = self.choice(service, offline=False)
        return (start is not None and start.key in self.paying_modes
                and fee_payable_here(service))

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


async def browse_catalog(ui: Ui, catalog: CatalogView, starts: FlowStarts | None = None,
                         ask: AskDesk | None = None,
                         elder_home: ElderHome | None = None) -> None:
    """Home, themes and guides until the session ends; services start by `starts` (None:
    guides only), search answers from `ask` (None: no search), and 长辈模式's home offers
    `elder_home`'s services (None: the default ones)."""
    await _Browser(ui, catalog, starts, ask, elder_home or ElderHome()).run()


def home_step(catalog: Catalog | None, notice: Text | None = None,
              elder_home: ElderHome | None = None, *, queue: bool = False,
              convenience: bool = False, hall_map: bool = False) -> HomeStep:
    if catalog is None:
        return HomeStep((), unavailable=tr("暂时无法获取服务事项，请稍后再试或联系工作人员。"),
                        notice=notice, queue=queue, convenience=convenience,
                        hall_map=hall_map)
    return HomeStep(theme_tiles(catalog), notice=notice,
                    services=(elder_home or ElderHome()).tiles(catalog, queue=queue),
                    queue=queue,
                    convenience=convenience, hall_map=hall_map)


def theme_tiles(catalog: Catalog) -> tuple[ThemeTile, ...]:
    return tuple(
        ThemeTile(theme, len(services))
        for theme in catalog.themes
        if (services := catalog.services_in(theme))
    )


class _Browser:
    def __init__(self, ui: Ui, catalog: CatalogView, starts: FlowStarts | None,
                 ask: AskDesk | None, elder_home: ElderHome) -> None:
        self.ui, self.catalog, self.starts, self.ask = ui, catalog, starts, ask
        self.elder_home = elder_home
        self.notice: Text | None = None  # shown on the next home screen, once

    async def run(self) -> None:
        while True:
            notice, self.notice = self.notice, None
            queue = self.starts.queue if self.starts else None
            convenience = self.starts.convenience if self.starts else None
            hall_map = self.starts.hall_map if self.starts else None
            home = home_step(self.catalog.catalog, notice, self.elder_home,
                             queue=queue is not None, convenience=convenience is not None,
                             hall_map=hall_map is not None)
            answer = await self.ui.ask(home)
            if isinstance(answer, OpenTheme):
                await self._theme_page(answer.theme)
            elif isinstance(answer, OpenThemes):
                await self._themes_page()
            elif isinstance(answer, OpenService):
                await self._guide_page(answer.service_id)
            elif self.starts and (flow := self.starts.home_flow(answer)) is not None:
                self.notice = await flow(self.starts.ctx)
            elif isinstance(answer, OpenSearch | Search) and self.ask:
                # search, or a voice question asked on home (flows.ask); services open here
                first = answer if isinstance(answer, Search) else None
                await ask_questions(self.ui, self.ask, self._guide_page, first)

    async def _themes_page(self) -> None:
        """更多事项: every theme, and home's entries the elder home leaves out; returns when
        the person goes back or home, or when such an entry's flow ends (as on home)."""
        starts = self.starts
        while True:
            current = self.catalog.catalog
            if current is None:
                return
            answer = await self.ui.ask(ThemesStep(
                theme_tiles(current), progress=bool(starts and starts.progress),
                convenience=bool(starts and starts.convenience),
                hall_map=bool(starts and starts.hall_map)))
            if isinstance(answer, OpenTheme):
                if await self._theme_page(answer.theme) is Nav.HOME:
                    return
            elif starts and (flow := starts.home_flow(answer)) is not None:
                self.notice = await flow(starts.ctx)
                return
            elif isinstance(answer, Nav):
                return

    async def _theme_page(self, theme: str) -> Nav:
        """Returns how the person left: back, or home."""
        while True:
            # read the catalog at every step: a background refresh may have replaced it
            current = self.catalog.catalog
            services = tuple(current.services_in(theme)) if current else ()
            if not services:
                return Nav.HOME
            answer = await self.ui.ask(ThemeStep(theme, services))
            if isinstance(answer, OpenService):
                if await self._guide_page(answer.service_id) is Nav.HOME:
                    return Nav.HOME
            elif isinstance(answer, Nav):
                return answer

    async def _guide_page(self, service_id: str) -> Nav:
        current = self.catalog.catalog
        service = current.service(service_id) if current else None
        if service is None:
            return Nav.HOME
        offline = not self.catalog.status.online
        start = self.starts.choice(service, offline=offline) if self.starts else None
        pays_here = self.starts is not None and self.starts.pays_here(service)
        directions = self.starts.directions if self.starts else None
        where = Choice(DIRECTIONS, tr("去哪里办理")) if directions else None
        guide = GuideStep(guide_for(service, offline=offline, pays_here=pays_here), start,
                          where)
        answer = await self.ui.ask(guide)
        while directions is not None and answer == Choose(DIRECTIONS):
            assert self.starts is not None
            await directions(self.starts.ctx, service)  # then the guide again
            answer = await self.ui.ask(guide)
        if start is not None and isinstance(answer, Choose) and answer.key == start.key:
            assert self.starts is not None
            flow = self.starts.flow(start.key)
            self.notice = await flow(self.starts.ctx, service)
            return Nav.HOME  # a finished (or abandoned) flow goes home
        return answer if isinstance(answer, Nav) else Nav.BACK
