"""GET /api/v1/services/most-used: the services the asking terminal's hall used most
(`central.usage`), for 长辈模式's home. Signed: a terminal learns only its own hall's counts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from central.contract import MostUsedServices
from central.deps import NowDep, SessionDep
from central.errors import ERROR_RESPONSES
from central.routes.signed import UNAUTHORIZED, TerminalDep
from central.usage import MOST, WINDOW_DAYS, most_used

router = APIRouter(tags=["catalog"])


@router.get("/services/most-used", response_model=MostUsedServices,
            responses={**UNAUTHORIZED, **ERROR_RESPONSES})
def get_most_used(terminal: TerminalDep, session: SessionDep, now: NowDep,
                  limit: Annotated[int, Query(ge=1, le=MOST)] = 6) -> Response:
    answer = MostUsedServices(days=WINDOW_DAYS,
                              services=most_used(session, terminal.hall, now, limit))
    return Response(answer.model_dump_json(), media_type="application/json")
