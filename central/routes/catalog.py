"""GET /api/v1/catalog: the whole service catalog, versioned, with ETag revalidation.

Terminals poll this often; when their copy is current they send `If-None-Match` and get a
bodiless 304, so polling costs a few small queries. Only registered terminals may ask
(signed requests, `central.terminal_auth`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Header, Response

from central.catalog import current_release, load_catalog
from central.contract import Catalog, ErrorBody
from central.deps import PlatformDep, SessionDep
from central.errors import ERROR_RESPONSES, Refused
from central.routes.signed import UNAUTHORIZED, TerminalDep

router = APIRouter(tags=["catalog"])

CACHE_HEADERS = {"Cache-Control": "no-cache"}  # may be stored, but revalidated every time
NOT_MODIFIED = {304: {"description": "The terminal's copy (If-None-Match) is current"}}
NO_CATALOG = {503: {"model": ErrorBody, "description": "No catalog published yet"}}
IfNoneMatch = Annotated[str | None, Header(description="ETag of the copy held")]


@router.get("/catalog", response_model=Catalog,
            responses={**NOT_MODIFIED, **NO_CATALOG, **UNAUTHORIZED, **ERROR_RESPONSES})
def get_catalog(_terminal: TerminalDep, session: SessionDep, platform: PlatformDep,
                if_none_match: IfNoneMatch = None) -> Response:
    release = current_release(session)
    if release is None:
        raise no_catalog()

    def catalog_json() -> bytes:
        body = platform.catalog_json.get(release.version)
        if body is None:
            body = load_catalog(session, release).model_dump_json().encode("utf-8")
            # one version's JSON never changes, so keep only the latest one
            platform.catalog_json = {release.version: body}
        return body

    return versioned(release.version, if_none_match, catalog_json)


def versioned(version: str, if_none_match: str | None, body: Callable[[], bytes]) -> Response:
    """`body()`, JSON, with its version as ETag; a bodiless 304 when the copy held is it."""
    headers = {"ETag": f'"{version}"', **CACHE_HEADERS}
    if etag_matches(if_none_match, version):
        return Response(status_code=304, headers=headers)
    return Response(body(), media_type="application/json", headers=headers)


def no_catalog() -> Refused:
    return Refused(503, "no catalog has been published yet")


def etag_matches(if_none_match: str | None, version: str) -> bool:
    """RFC 9110 §13.1.2: weak comparison, a list of tags, or `*`."""
    if not if_none_match:
        return False
    for tag in if_none_match.split(","):
        tag = tag.strip()
        if tag == "*":
            return True
        tag = tag.removeprefix("W/").strip('"')
        if tag == version:
            return True
    return False
