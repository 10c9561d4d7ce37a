"""大厅导航 routes (`central.contract.hall_map`): the terminal's hall map and its plan, signed."""

from __future__ import annotations

from fastapi import APIRouter, Response

from central import hall_map
from central.contract.hall_map import HallMap
from central.deps import SessionDep
from central.errors import ERROR_RESPONSES
from central.routes.signed import UNAUTHORIZED, TerminalDep, json_response

router = APIRouter(tags=["hall map"])


@router.get("/hall-map", response_model=HallMap, responses={**UNAUTHORIZED, **ERROR_RESPONSES})
def get_hall_map(terminal: TerminalDep, session: SessionDep) -> Response:
    found, _png = hall_map.hall_map(session, terminal.hall)
    return json_response(found)


@router.get("/hall-map/image", response_class=Response,
            responses={200: {"content": {"image/png": {}}, "description": "The floor plan"},
                       **UNAUTHORIZED, **ERROR_RESPONSES})
def get_hall_map_image(terminal: TerminalDep, session: SessionDep) -> Response:
    _found, png = hall_map.hall_map(session, terminal.hall)
    return Response(png, media_type="image/png",
                    headers={"X-Content-Type-Options": "nosniff"})
