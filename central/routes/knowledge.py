"""The knowledge base for terminals: GET /knowledge (ETag like the catalog), hot services, and
POST /knowledge/asks, one service id per answer a citizen chose (no question text is sent).

Only registered terminals may call these (signed requests, `central.terminal_auth`).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from pydantic import ValidationError

from central.catalog import current_release, load_catalog
from central.contract import (
    AskCounted,
    ErrorBody,
    HotServices,
    KnowledgeSnapshot,
)
from central.errors import ERROR_RESPONSES, error_response
from central.knowledge import KnowledgeDesk
from central.openapi import json_body
from central.routes.catalog import CACHE_HEADERS, etag_matches
from central.routes.citizen_requests import Refused, authenticated
from central.routes.heartbeats import UNAUTHORIZED
from central.routes.signed_body import raw_body

router = APIRouter(tags=["knowledge"])

NO_CATALOG = {503: {"model": ErrorBody, "description": "No catalog published yet"}}


def _signed_snapshot(request: Request, body: bytes) -> tuple[KnowledgeSnapshot, bytes] | None:
    """The knowledge of the published catalog (None before one is), for a signed request;
    `Refused` for an unsigned one."""
    with request.app.state.sessions() as session:
        authenticated(session, request, body, request.app.state.clock())
        session.commit()  # the nonce is spent whatever the answer
        release = current_release(session)
        if release is None:
            return None
        desk: KnowledgeDesk = request.app.state.knowledge
        return desk.snapshot(release.version, lambda: load_catalog(session, release))


@router.get(
    "/knowledge",
    response_model=KnowledgeSnapshot,
    responses={304: {"description": "The terminal's copy (If-None-Match) is current"},
               **NO_CATALOG, **UNAUTHORIZED, **ERROR_RESPONSES},
)
def get_knowledge(
    request: Request,
    body: Annotated[bytes, Depends(raw_body)],
    if_none_match: Annotated[str | None, Header(description="ETag of the copy held")] = None,
) -> Response:
    try:
        current = _signed_snapshot(request, body)
    except Refused as refusal:
        return refusal.response
    if current is None:
        return error_response(503, "no catalog has been published yet")
    snapshot, payload = current
    headers = {"ETag": f'"{snapshot.version}"', **CACHE_HEADERS}
    if etag_matches(if_none_match, snapshot.version):
        return Response(status_code=304, headers=headers)
    return Response(payload, media_type="application/json", headers=headers)


@router.get(
    "/knowledge/hot",
    response_model=HotServices,
    responses={**NO_CATALOG, **UNAUTHORIZED, **ERROR_RESPONSES},
)
def get_hot(
    request: Request,
    body: Annotated[bytes, Depends(raw_body)],
    limit: Annotated[int, Query(ge=1, le=20)] = 6,
) -> Response:
    try:
        current = _signed_snapshot(request, body)
    except Refused as refusal:
        return refusal.response
    if current is None:
        return error_response(503, "no catalog has been published yet")
    hot = HotServices(services=request.app.state.knowledge.hot(current[0], limit))
    return Response(hot.model_dump_json(), media_type="application/json")


@router.post(
    "/knowledge/asks",
    status_code=204,
    responses={404: {"model": ErrorBody, "description": "No such service in the catalog"},
               **NO_CATALOG, **UNAUTHORIZED, **ERROR_RESPONSES},
    openapi_extra={"requestBody": json_body(AskCounted)},
)
def post_ask(request: Request, body: Annotated[bytes, Depends(raw_body)]) -> Response:
    try:
        current = _signed_snapshot(request, body)
    except Refused as refusal:
        return refusal.response
    try:
        ask = AskCounted.model_validate_json(body)
    except ValidationError:
        return error_response(422, "expected {\"service_id\": \"SS-nnn\"}")
    if current is None:
        return error_response(503, "no catalog has been published yet")
    if not any(e.service_id == ask.service_id for e in current[0].entries):
        return error_response(404, "no such service in the catalog")
    request.app.state.knowledge.count_ask(ask.service_id)
    return Response(status_code=204)
