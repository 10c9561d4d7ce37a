"""The console's 便民服务 page: a hall's tiles (`central.convenience.tiles`) added, changed,
moved and removed. An administrator sets up any hall's tiles; a hall manager only their own
(another hall's page is simply not found). Forms post with the session's CSRF token as every
console form; what a manager types is shown back as data (Jinja escapes it)."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Response
from starlette.datastructures import FormData

from central.console import views
from central.console.pages import ActionDep, Page, PageDep
from central.console.web import CONSOLE, redirect
from central.contract.convenience import FEED_SOURCES, LOOKUP_SOURCES, MAX_TILES, TILE_KINDS
from central.convenience import tiles
from central.db import ConvenienceTileRecord

router = APIRouter(prefix=CONSOLE, include_in_schema=False)
KIND_NAMES = {"feed": "信息订阅", "lookup": "查询", "deeplink": "手机办理二维码",
              "print": "打印资料"}
SOURCE_NAMES = {"weather": "天气预报", "news": "通知公告 / 政策资讯（RSS）",
                "violation": "违章查询（示例数据）", "express": "快递查询（快递100）",
                "enterprise": "企业信息（示例数据）"}
FIELDS = ("kind", "title", "source", "place", "url", "document_title", "document_text",
          "away_text")


def _hall(page: Page, hall: str | None) -> str | None:
    """The hall the page is about, if the viewer may see it: a manager's own by default."""
    chosen = hall or page.viewer.hall or next(iter(views.halls(page.session, page.viewer)), None)
    if chosen is None or not page.viewer.may_see_hall(chosen):
        return None
    return chosen


@router.get("/convenience")
def convenience_page(page: PageDep, hall: str | None = None) -> Response:
    chosen = _hall(page, hall)
    if chosen is None:
        return page.not_found()
    return _shown(page, chosen)


def _shown(page: Page, hall: str, error: str | None = None, status_code: int = 200,
           typed: dict[str, str] | None = None) -> Response:
    return page.render("convenience.html", {
        "hall": hall, "halls": views.halls(page.session, page.viewer),
        "tiles": tiles.tiles_of(page.session, hall), "error": error, "typed": typed or {},
        "kinds": {k: KIND_NAMES[k] for k in TILE_KINDS},
        "feed_sources": {s: SOURCE_NAMES[s] for s in FEED_SOURCES},
        "lookup_sources": {s: SOURCE_NAMES[s] for s in LOOKUP_SOURCES},
        "source_names": SOURCE_NAMES, "max_tiles": MAX_TILES}, frame="convenience",
        status_code=status_code)


def _fields(form: FormData) -> dict[str, str]:
    # a file or a repeated field is taken as text, its length bounded by the tile's model
    return {name: str(form.get(name) or "")[:5000] for name in FIELDS}


def _tile_record(action: Page, hall: str, form: FormData) -> ConvenienceTileRecord | None:
    tile_id = str(form.get("tile_id") or "")
    if not (tile_id.isascii() and tile_id.isdigit() and len(tile_id) < 10):
        return None
    return tiles.find(action.session, hall, int(tile_id))


@router.post("/convenience/tiles")
async def save_tile(action: ActionDep) -> Response:
    """A tile added, or (with `tile_id`) changed."""
    form = await action.request.form(max_files=0, max_fields=16)
    hall = _hall(action, str(form.get("hall") or ""))
    if hall is None:
        return action.not_found()
    fields = _fields(form)
    try:
        tile = tiles.checked(fields, action.now)
        if form.get("tile_id"):
            record = _tile_record(action, hall, form)
            if record is None:
                return action.not_found()
            tiles.change(record, tile, action.viewer.username)
        else:
            tiles.add(action.session, hall, tile, action.viewer.username)
    except tiles.TileRefused as exc:
        action.session.rollback()
        return _shown(action, hall, str(exc), 422, fields)
    action.session.commit()
    return redirect(f"{CONSOLE}/convenience?hall={quote(hall, safe='')}")


@router.post("/convenience/tiles/order")
async def order_tile(action: ActionDep) -> Response:
    """One tile moved up, moved down, or removed (`do`: up, down, remove)."""
    form = await action.request.form(max_files=0, max_fields=8)
    hall = _hall(action, str(form.get("hall") or ""))
    record = _tile_record(action, hall, form) if hall is not None else None
    if hall is None or record is None:
        return action.not_found()
    do = form.get("do")
    if do == "remove":
        action.session.delete(record)
    elif do in ("up", "down"):
        tiles.move(action.session, record, -1 if do == "up" else 1)
    action.session.commit()
    return redirect(f"{CONSOLE}/convenience?hall={quote(hall, safe='')}")
