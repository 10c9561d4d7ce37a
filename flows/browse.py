"""Browse → guide: the first flow, and the pattern every later flow follows.

Home shows the service themes; a theme shows its services; a service shows its guide. 返回 goes
one screen back, 首页 goes home. The flow runs until the session ends (the session cancels it).
"""

from __future__ import annotations

from typing import Protocol

from central.contract import Catalog
from flows.ask import AskDesk, OpenSearch, Search, ask_questions
from flows.guide import guide_for
from flows.steps import (
    GuideStep,
    HomeStep,
    Nav,
    OpenService,
    OpenTheme,
    ThemeStep,
    ThemeTile,
    Ui,
)
from kiosk.i18n import tr


class CatalogStatus(Protocol):
    online: bool


class CatalogView(Protocol):
    """What the flow reads of the catalog; `kiosk.catalog_source.CatalogSource` provides it."""

    @property
    def catalog(self) -> Catalog | None: ...

    @property
    def status(self) -> CatalogStatus: ...


async def browse_catalog(ui: Ui, catalog: CatalogView, desk: AskDesk | None = None) -> None:
    while True:
        answer = await ui.ask(home_step(catalog.catalog))
        if isinstance(answer, OpenTheme):
            await _theme_page(ui, catalog, answer.theme)
        elif isinstance(answer, OpenService):
            await _guide_page(ui, catalog, answer.service_id)
        elif isinstance(answer, OpenSearch | Search) and desk is not None:
            # search or a voice question from home (flows.ask); its services open as here
            first = answer if isinstance(answer, Search) else None
            await ask_questions(ui, desk, lambda sid: _guide_page(ui, catalog, sid), first)


def home_step(catalog: Catalog | None) -> HomeStep:
    if catalog is None:
        return HomeStep((), unavailable=tr("暂时无法获取服务事项，请稍后再试或联系工作人员。"))
    tiles = tuple(
        ThemeTile(theme, len(services))
        for theme in catalog.themes
        if (services := catalog.services_in(theme))
    )
    return HomeStep(tiles)


async def _theme_page(ui: Ui, catalog: CatalogView, theme: str) -> None:
    """Returns when the person goes back or home."""
    while True:
        # read the catalog at every step: a background refresh may have replaced it
        services = tuple(catalog.catalog.services_in(theme)) if catalog.catalog else ()
        if not services:
            return
        answer = await ui.ask(ThemeStep(theme, services))
        if isinstance(answer, OpenService):
            if await _guide_page(ui, catalog, answer.service_id) is Nav.HOME:
                return
        elif isinstance(answer, Nav):
            return


async def _guide_page(ui: Ui, catalog: CatalogView, service_id: str) -> Nav:
    current = catalog.catalog
    service = current.service(service_id) if current else None
    if service is None:
        return Nav.HOME
    answer = await ui.ask(GuideStep(guide_for(service, offline=not catalog.status.online)))
    return answer if isinstance(answer, Nav) else Nav.BACK
