"""Each hall's 便民服务 tiles in the database: listed in order for terminals and the console,
added, changed, moved and removed from the console (who may is the console's business)."""

from __future__ import annotations

from datetime import datetime

from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from central.contract.convenience import MAX_TILES, Tile
from central.db import ConvenienceTileRecord


class TileRefused(ValueError):
    """What the console sent does not make a tile (said to the manager as it is)."""


def tiles_of(session: Session, hall: str) -> list[Tile]:
    """The hall's tiles in order; a row that no longer makes a tile is left out."""
    records = session.scalars(select(ConvenienceTileRecord).where(
        ConvenienceTileRecord.hall == hall).order_by(ConvenienceTileRecord.position,
                                                     ConvenienceTileRecord.id))
    tiles = []
    for record in records:
        try:
            tiles.append(tile_of(record))
        except ValidationError:
            continue
    return tiles[:MAX_TILES]


def find(session: Session, hall: str, tile_id: int) -> ConvenienceTileRecord | None:
    record = session.get(ConvenienceTileRecord, tile_id)
    return record if record is not None and record.hall == hall else None


def tile_of(record: ConvenienceTileRecord) -> Tile:
    return Tile.model_validate({
        "tile_id": record.id, "kind": record.kind, "title": record.title,
        "source": record.source, "place": record.place, "url": record.url,
        "document_title": record.document_title, "document_text": record.document_text,
        "away_text": record.away_text, "updated_at": record.updated_at})


def checked(fields: dict[str, str], now: datetime) -> Tile:
    """A tile from the console's form fields, or `TileRefused` saying what is wrong."""
    kind = fields.get("kind", "")
    values = {
        "tile_id": 1, "kind": kind, "title": fields.get("title", "").strip(),
        "source": fields.get("source") or None if kind in ("feed", "lookup") else None,
        "place": fields.get("place", "").strip() if kind == "feed" else "",
        "url": fields.get("url", "").strip() or None if kind == "deeplink" else None,
        "document_title": fields.get("document_title", "").strip() if kind == "print" else "",
        "document_text": fields.get("document_text", "").strip() if kind == "print" else "",
        "away_text": fields.get("away_text", "").strip(), "updated_at": now}
    try:
        return Tile.model_validate(values)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "tile"
        raise TileRefused(f"{where}: {first['msg']}") from None


def add(session: Session, hall: str, tile: Tile, by: str) -> ConvenienceTileRecord:
    count = session.scalar(select(func.count()).where(ConvenienceTileRecord.hall == hall)) or 0
    if count >= MAX_TILES:
        raise TileRefused(f"a hall has at most {MAX_TILES} tiles")
    last = session.scalar(select(func.max(ConvenienceTileRecord.position)).where(
        ConvenienceTileRecord.hall == hall))
    record = ConvenienceTileRecord(hall=hall, position=(last or 0) + 1, updated_by=by,
                                   **_columns(tile))
    session.add(record)
    session.flush()
    return record


def change(record: ConvenienceTileRecord, tile: Tile, by: str) -> None:
    for name, value in _columns(tile).items():
        setattr(record, name, value)
    record.updated_by = by


def move(session: Session, record: ConvenienceTileRecord, step: int) -> None:
    """One place earlier (-1) or later (+1) among the hall's tiles."""
    ordered = list(session.scalars(select(ConvenienceTileRecord).where(
        ConvenienceTileRecord.hall == record.hall).order_by(ConvenienceTileRecord.position,
                                                            ConvenienceTileRecord.id)))
    at = ordered.index(record)
    to = at + step
    if 0 <= to < len(ordered):
        ordered[at], ordered[to] = ordered[to], ordered[at]
    for position, each in enumerate(ordered, start=1):
        each.position = position


def _columns(tile: Tile) -> dict[str, object]:
    return {"kind": tile.kind, "title": tile.title, "source": tile.source, "place": tile.place,
            "url": tile.url, "document_title": tile.document_title,
            "document_text": tile.document_text, "away_text": tile.away_text,
            "updated_at": tile.updated_at}
