"""The knowledge base for terminals: GET /knowledge (ETag like the catalog), hot services, and
POST /knowledge/asks, one service id per answer a citizen chose (no question text is sent).

Only registered terminals may call these (signed requests, `central.terminal_auth`).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from central.catalog import current_release, load_catalog
from central.contract import (
    AskCounted,
    ErrorBody,
    HotServices,
    KnowledgeSnapshot,
)
from central.deps import PlatformDep, PlatformState, SessionDep
from central.errors import ERROR_RESPONSES, Refused
from central.openapi import json_body
from central.routes.catalog import (
    NO_CATALOG,
    NOT_MODIFIED,
    IfNoneMatch,
    no_catalog,
    versioned,
)
from central.routes.signed import UNAUTHORIZED, SignedBody, TerminalDep

router = APIRouter(tags=["knowledge"])


def _snapshot(session: Session, platform: PlatformState) -> tuple[KnowledgeSnapshot, bytes]:
    """The knowledge of the published catalog; 503 before one is."""
    release = current_release(session)
    if release is None:
        raise no_catalog()
    return platform.knowledge.snapshot(release.version, lambda: load_catalog(session, release))


@router.get("/knowledge", response_model=KnowledgeSnapshot,
            responses={**NOT_MODIFIED, **NO_CATALOG, **UNAUTHORIZED, **ERROR_RESPONSES})
def get_knowledge(_terminal: TerminalDep, session: SessionDep, platform: PlatformDep,
                  if_none_match: IfNoneMatch = None) -> Response:
    snapshot, payload = _snapshot(session, platform)
    return versioned(snapshot.version, if_none_match, lambda: payload)


@router.get(
    "/knowledge/hot",
    response_model=HotServices,
    responses={**NO_CATALOG, **UNAUTHORIZED, **ERROR_RESPONSES},
)
def get_hot(_terminal: TerminalDep, session: SessionDep, platform: PlatformDep,
            limit: Annotated[int, Query(ge=1, le=20)] = 6) -> Response:
    snapshot, _ = _snapshot(session, platform)
    hot = HotServices(services=platform.knowledge.hot(snapshot, limit))
    return Response(hot.model_dump_json(), media_type="application/json")


@router.post(
    "/knowledge/asks",
    status_code=204,
    responses={404: {"model": ErrorBody, "description": "No such service in the catalog"},
               **NO_CATALOG, **UNAUTHORIZED, **ERROR_RESPONSES},
    openapi_extra={"requestBody": json_body(AskCounted)},
)
def post_ask(_terminal: TerminalDep, body: SignedBody, session: SessionDep,
             platform: PlatformDep) -> Response:
    try:
        ask = AskCounted.model_validate_json(body)
    except ValidationError:
        raise Refused(422, "expected {\"service_id\": \"SS-nnn\"}") from None
    snapshot, _ = _snapshot(session, platform)
    if not any(e.service_id == ask.service_id for e in snapshot.entries):
        raise Refused(404, "no such service in the catalog")
    platform.knowledge.count_ask(ask.service_id)
    return Response(status_code=204)
