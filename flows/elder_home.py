"""长辈模式's home: the few services older people come for, each one large tile.

Which services, at most `MOST`: the hall's own list when the terminal's configuration names one
(`ui.elder_services`); otherwise the services most used in this hall as the platform counts
them (`GET /api/v1/services/most-used`, fetched with the hot list by `kiosk.knowledge.source`),
topped up from `DEFAULT_SERVICES` when the hall has counted fewer. A service the catalog does
not hold is left out. 取号 comes first when the kiosk has a queue to ask (it takes one of the
six places). Beside them the home offers 语音提问, 呼叫工作人员 and 更多事项 (every
theme, as the standard home shows them).

In elder mode the flows also leave out what a person need not decide (`FlowContext.elder_mode`):
the declaration asks only the form fields that must be filled in (a form with none is not
shown) and no optional page, a certificate is first issued with its default options; their
step counts count only the screens that will be shown.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from central.contract import Catalog
from flows.steps import ServiceTile

MOST = 6  # tiles: two rows of three at the elder sizes, with room for the help row
# what older people come to a hall's kiosk for most: 养老金资格认证, 医保凭证, 社保证明,
# 高龄津贴, 复印, 进度查询
DEFAULT_SERVICES = ("SS-005", "SS-008", "SS-001", "SS-029", "SS-091", "SS-090")
PROGRESS_SERVICE = "SS-090"  # 办件进度查询: its tile opens the progress lookup itself
QUEUE_TILE = "queue"  # 取号's tile, when the kiosk has a queue to ask (the screen names it)


@dataclass(frozen=True)
class ElderHome:
    """Where the elder home's services come from (see the module's docstring)."""

    configured: tuple[str, ...] = ()  # the hall's own list; empty: by use
    # the platform's per-hall counts, most used first; () when it gave none (yet)
    most_used: Callable[[], Sequence[str]] = lambda: ()

    def service_ids(self) -> tuple[str, ...]:
        if self.configured:
            return tuple(dict.fromkeys(self.configured))
        return tuple(dict.fromkeys([*self.most_used()[:MOST], *DEFAULT_SERVICES]))

    def tiles(self, catalog: Catalog, *, queue: bool = False) -> tuple[ServiceTile, ...]:
        """The home's tiles; with `queue`, 取号 first: what people do most at a hall's kiosk."""
        tiles = [ServiceTile(QUEUE_TILE, "取号", queue=True)] if queue else []
        for service_id in self.service_ids():
            service = catalog.service(service_id)
            if service is not None:
                tiles.append(ServiceTile(service.id, service.name,
                                         progress=service.id == PROGRESS_SERVICE))
        return tuple(tiles[:MOST])
