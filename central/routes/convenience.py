"""便民服务 routes (`central.contract.convenience`), signed: the tiles of the terminal's hall,
a feed tile's cached data, a lookup tile's query, a print tile's document.

A tile of another hall, or of another kind than the route serves, is 404: a terminal sees
only its own hall's tiles. A lookup's values are checked as the kiosk checks them (422).
"""

from __future__ import annotations

from datetime import timedelta, timezone
from typing import Annotated

from fastapi import APIRouter, Path, Response

from central.contract import ErrorBody
from central.contract.convenience import (
    LOOKUP_SOURCES,
    MAX_DOCUMENT_BYTES,
    FeedAnswer,
    HallTiles,
    LookupAnswer,
    LookupQuery,
    Tile,
    TileKind,
    query_ok,
)
from central.convenience import tiles
from central.convenience.desk import ConvenienceDesk
from central.convenience.document import render_document
from central.deps import NowDep, PlatformDep, PlatformState, SessionDep
from central.errors import ERROR_RESPONSES, Refused
from central.openapi import json_body
from central.routes.signed import (
    UNAUTHORIZED,
    TerminalDep,
    body_limit,
    json_response,
    signed_json,
)

router = APIRouter(tags=["convenience"])
TileId = Annotated[int, Path(ge=1, le=2**31)]
NOT_HERE = {404: {"model": ErrorBody, "description": "No such tile of that kind in the hall"}}
CHINA = timezone(timedelta(hours=8))
MAX_QUERY_BODY = 2048


def desk_of(platform: PlatformState) -> ConvenienceDesk:
    """The platform's desk (`PlatformState.convenience`; a test or the demo may swap it)."""
    return platform.convenience


@router.get("/convenience/tiles", response_model=HallTiles,
            responses={**UNAUTHORIZED, **ERROR_RESPONSES})
def get_tiles(terminal: TerminalDep, session: SessionDep) -> Response:
    return json_response(HallTiles(tiles=tiles.tiles_of(session, terminal.hall)))


def _tile(session: SessionDep, hall: str, tile_id: int, kind: TileKind) -> Tile:
    record = tiles.find(session, hall, tile_id)
    tile = tiles.tile_of(record) if record is not None else None
    if tile is None or tile.kind != kind:
        raise Refused(404, "no such tile", code="CONVENIENCE_TILE_UNKNOWN")
    return tile


@router.get("/convenience/tiles/{tile_id}/feed", response_model=FeedAnswer,
            responses={**NOT_HERE, **UNAUTHORIZED, **ERROR_RESPONSES})
def get_feed(terminal: TerminalDep, tile_id: TileId, session: SessionDep,
             platform: PlatformDep, now: NowDep) -> Response:
    tile = _tile(session, terminal.hall, tile_id, "feed")
    return json_response(desk_of(platform).feed(session, tile, now, platform.writing))


@router.post("/convenience/tiles/{tile_id}/lookup", response_model=LookupAnswer,
             responses={**NOT_HERE, **UNAUTHORIZED, **ERROR_RESPONSES},
             openapi_extra={"requestBody": json_body(LookupQuery)},
             dependencies=[body_limit(MAX_QUERY_BODY)])
def post_lookup(terminal: TerminalDep, tile_id: TileId,
                asked: Annotated[LookupQuery, signed_json(LookupQuery)],
                session: SessionDep, platform: PlatformDep) -> Response:
    tile = _tile(session, terminal.hall, tile_id, "lookup")
    session.rollback()  # nothing held while the third party thinks
    if tile.source not in LOOKUP_SOURCES or not query_ok(tile.source, asked):
        # the message names no value: they may be personal data
        raise Refused(422, "the lookup's fields are missing or not well formed",
                      code="CONVENIENCE_QUERY_INVALID")
    return json_response(desk_of(platform).lookup(tile, dict(asked.values)))


@router.get("/convenience/tiles/{tile_id}/document",
            responses={200: {"content": {"application/pdf": {}},
                             "description": "The document, a colour A4 PDF"},
                       **NOT_HERE, **UNAUTHORIZED, **ERROR_RESPONSES})
def get_document(terminal: TerminalDep, tile_id: TileId, session: SessionDep) -> Response:
    tile = _tile(session, terminal.hall, tile_id, "print")
    pdf = render_document(tile.document_title or tile.title, tile.document_text, terminal.hall,
                          tile.updated_at.astimezone(CHINA).strftime("%Y年%m月%d日"))
    if len(pdf) > MAX_DOCUMENT_BYTES:
        raise Refused(500, "the document came out too big", code="CONVENIENCE_DOCUMENT_TOO_BIG")
    return Response(pdf, media_type="application/pdf")
