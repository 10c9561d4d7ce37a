"""GET /api/v1/health: a cheap answer for terminals and load balancers."""

from __future__ import annotations

from fastapi import APIRouter

from central.catalog import current_release
from central.contract import Health
from central.deps import SessionDep
from central.errors import ERROR_RESPONSES

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health, responses=ERROR_RESPONSES)
def health(session: SessionDep) -> Health:
    release = current_release(session)
    return Health(status="ok", catalog_version=release.version if release else None)
