"""The hall map (大厅导航) between a terminal and the platform (`central.hall_map`).

    GET /api/v1/hall-map          the terminal's hall: its window areas and the plan's digest
    GET /api/v1/hall-map/image    the floor plan itself: a PNG the platform re-encoded

A window area is a rectangle on the plan in relative coordinates (0-1 of the image's width and
height, so the kiosk draws it at any scale) and what it serves: queue groups (A, B …), catalog
themes and single services. The console writes these; a terminal only reads them, but what it
reads still crosses a boundary, so everything is bounded here.
"""

from __future__ import annotations

import re

from pydantic import AwareDatetime, Field, model_validator

from central.contract import ContractModel
from central.contract.queue import GROUP_ID

AREA_ID = r"^[a-z0-9][a-z0-9-]{0,31}$"
SERVICE_ID = r"^SS-\d{3}$"
IMAGE_DIGEST = r"^[0-9a-f]{64}$"
MAX_AREAS = 40
MAX_THEMES = 40
MAX_SERVICES = 200
MAX_IMAGE_BYTES = 2 * 1024 * 1024  # the plan as uploaded and as served
MAX_IMAGE_SIDE = 4096  # pixels, either side


class Rect(ContractModel):
    """Left, top, width and height as fractions of the plan's width and height."""

    x: float = Field(ge=0, le=1)
    y: float = Field(ge=0, le=1)
    w: float = Field(gt=0, le=1)
    h: float = Field(gt=0, le=1)

    @model_validator(mode="after")
    def _inside(self) -> Rect:
        if self.x + self.w > 1.0001 or self.y + self.h > 1.0001:
            raise ValueError("the rectangle leaves the plan")
        return self


class WindowArea(ContractModel):
    area_id: str = Field(pattern=AREA_ID)
    name: str = Field(min_length=1, max_length=40)  # 一楼 A 区 1-4 号窗口
    rect: Rect
    queue_groups: list[str] = Field(default=[], max_length=26)
    themes: list[str] = Field(default=[], max_length=MAX_THEMES)
    services: list[str] = Field(default=[], max_length=MAX_SERVICES)

    @model_validator(mode="after")
    def _shaped(self) -> WindowArea:
        if not all(re.fullmatch(GROUP_ID, g) for g in self.queue_groups):
            raise ValueError("a queue group is one capital letter")
        if not all(0 < len(t) <= 40 for t in self.themes):
            raise ValueError("a theme is 1-40 characters")
        if not all(re.fullmatch(SERVICE_ID, s) for s in self.services):
            raise ValueError("a service is SS-nnn")
        return self


class HallMap(ContractModel):
    hall: str = Field(min_length=1, max_length=100)
    image_sha256: str = Field(pattern=IMAGE_DIGEST)  # the kiosk fetches the image when it changes
    width: int = Field(gt=0, le=MAX_IMAGE_SIDE)
    height: int = Field(gt=0, le=MAX_IMAGE_SIDE)
    areas: list[WindowArea] = Field(max_length=MAX_AREAS)
    updated_at: AwareDatetime
