"""GET /api/v1/catalog: the whole service catalog, versioned, with ETag revalidation.

Terminals poll this often; when their copy is current they send `If-None-Match` and get a
bodiless 304, so polling costs a few small queries. Only registered terminals may ask
(signed requests, `central.terminal_auth`).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request, Response

from central.catalog import current_release, load_catalog
from central.contract import Catalog, ErrorBody
from central.errors import ERROR_RESPONSES, error_response
from central.routes.heartbeats import UNAUTHORIZED, refused
from central.routes.signed_body import raw_body
from central.terminal_auth import TerminalAuthError, authenticate, signed_path

router = APIRouter(tags=["catalog"])

CACHE_HEADERS = {"Cache-Control": "no-cache"}  # may be stored, but revalidated every time


@router.get(
    "/catalog",
    response_model=Catalog,
    responses={304: {"description": "The terminal's copy (If-None-Match) is current"},
               503: {"model": ErrorBody, "description": "No catalog published yet"},
               **UNAUTHORIZED, **ERROR_RESPONSES},
)
def get_catalog(
    request: Request,
    body: Annotated[bytes, Depends(raw_body)],
    if_none_match: Annotated[str | None, Header(description="ETag of the copy held")] = None,
) -> Response:
    with request.app.state.sessions() as session:
        try:
            authenticate(session, "GET", signed_path(request), request.headers, body,
                         request.app.state.clock(), demo=request.app.state.demo)
        except TerminalAuthError as exc:
            return refused(exc)
        session.commit()  # the nonce is spent even when the answer is a 304
        release = current_release(session)
        if release is None:
            return error_response(503, "no catalog has been published yet")
        headers = {"ETag": f'"{release.version}"', **CACHE_HEADERS}
        if etag_matches(if_none_match, release.version):
            return Response(status_code=304, headers=headers)
        body = request.app.state.catalog_json.get(release.version)
        if body is None:
            body = load_catalog(session, release).model_dump_json().encode("utf-8")
            # one version's JSON never changes, so keep only the latest one
            request.app.state.catalog_json = {release.version: body}
    return Response(body, media_type="application/json", headers=headers)


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
