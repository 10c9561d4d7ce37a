"""GET /api/v1/releases/{version} and /bundle: what a terminal downloads to update itself.

Signed terminal requests like every other; the manifest's own Ed25519 signature is what the
terminal trusts (`central.contract.releases`), so these routes only serve what was stored.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Response

from central import releases
from central.contract import ErrorBody
from central.contract.releases import VERSION_PATTERN, SignedRelease
from central.deps import SessionDep
from central.errors import ERROR_RESPONSES, Refused
from central.routes.signed import UNAUTHORIZED, TerminalDep, json_response

router = APIRouter(tags=["terminals"])

NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "No such release"}}
Version = Annotated[str, Path(pattern=VERSION_PATTERN)]


@router.get("/releases/{version}", response_model=SignedRelease,
            responses={**NOT_FOUND, **UNAUTHORIZED, **ERROR_RESPONSES})
def get_release(_terminal: TerminalDep, session: SessionDep, version: Version) -> Response:
    release = releases.signed_release(session, version)
    if release is None:
        raise Refused(404, "no such release")
    return json_response(release)


@router.get("/releases/{version}/bundle",
            responses={200: {"content": {"application/gzip": {}},
                             "description": "The release bundle (tar.gz)"},
                       **NOT_FOUND, **UNAUTHORIZED, **ERROR_RESPONSES})
def get_bundle(_terminal: TerminalDep, session: SessionDep, version: Version) -> Response:
    bundle = releases.bundle_of(session, version)
    if bundle is None:
        raise Refused(404, "no such release")
    return Response(bundle, media_type="application/gzip")
