"""The console's 大厅导航 page: a hall's floor plan and its window areas (`central.hall_map`).

An administrator edits any hall's map; a hall manager only their own (another hall's page is
simply not found, as a terminal of another hall is). The plan's upload is bounded before it is
read: a declared length over the limit is refused (413) and a body without one (411) before a
byte of it is parsed, then the one file part is decoded and re-encoded by `clean_plan`.
"""

from __future__ import annotations

import re
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from pydantic import ValidationError
from starlette.datastructures import FormData, UploadFile

from central import hall_map
from central.console import views
from central.console.pages import ActionDep, Page, PageDep
from central.console.web import CONSOLE, Login, redirect
from central.contract.hall_map import MAX_IMAGE_BYTES, Rect, WindowArea

router = APIRouter(prefix=CONSOLE, include_in_schema=False)
FORM_OVERHEAD = 64 * 1024  # the multipart framing and the other fields around the file
SEPARATORS = re.compile(r"[\s,，、;；]+")
AREA_HELP = ("窗口区域填写有误：编号为小写字母或数字，位置为 0-100 的百分比且不超出平面图，"
             "排队分组为大写字母，事项编号形如 SS-001。")


def _hall(page: Page, hall: str | None) -> str | None:
    """The hall the page is about, if the viewer may see it: a manager's own by default."""
    chosen = hall or page.viewer.hall or next(iter(views.halls(page.session, page.viewer)), None)
    if chosen is None or not page.viewer.may_see_hall(chosen):
        return None
    return chosen


@router.get("/hall-map")
def hall_map_page(page: PageDep, hall: str | None = None) -> Response:
    chosen = _hall(page, hall)
    if chosen is None:
        return page.not_found()
    return _shown(page, chosen)


def _shown(page: Page, chosen: str, error: str | None = None,
           status_code: int = 200) -> Response:
    found, _png = hall_map.hall_map(page.session, chosen)
    own = hall_map.plan_record(page.session, chosen) is not None
    return page.render("hall_map.html", {
        "hall": chosen, "halls": views.halls(page.session, page.viewer), "map": found,
        "own": own, "error": error, "max_mb": MAX_IMAGE_BYTES // (1024 * 1024)},
        frame="hall_map", status_code=status_code)


@router.get("/hall-map/image")
def hall_map_image(page: PageDep, hall: str) -> Response:
    chosen = _hall(page, hall)
    if chosen is None:
        return page.not_found()
    _found, png = hall_map.hall_map(page.session, chosen)
    return Response(png, media_type="image/png")


async def _bounded_upload(request: Request, _login: Login) -> None:
    """The plan's form, parsed only when its declared size is within bounds."""
    declared = request.headers.get("content-length", "")
    if not (declared.isascii() and declared.isdigit()):
        raise HTTPException(411, "a length is required", headers={"Connection": "close"})
    if int(declared) > MAX_IMAGE_BYTES + FORM_OVERHEAD:
        raise HTTPException(413, "the plan is over the limit", headers={"Connection": "close"})
    await request.form(max_files=1, max_fields=4)  # kept: the CSRF check reads it again


@router.post("/hall-map/plan")
async def upload_plan(_bounded: Annotated[None, Depends(_bounded_upload)],
                      action: ActionDep) -> Response:
    form = await action.request.form()
    hall, upload = _hall(action, str(form.get("hall") or "")), form.get("plan")
    if hall is None:
        return action.not_found()
    if not isinstance(upload, UploadFile):
        return _shown(action, hall, "请选择平面图文件。", 422)
    data = await upload.read(MAX_IMAGE_BYTES + 1)
    try:
        plan = hall_map.clean_plan(data)
    except hall_map.PlanRefused as exc:
        return _shown(action, hall, exc.message, 422)
    hall_map.save_plan(action.session, hall, plan, action.viewer.username, action.now)
    action.session.commit()
    return redirect(f"{CONSOLE}/hall-map?hall={_quoted(hall)}")


@router.post("/hall-map/areas")
async def save_area(action: ActionDep) -> Response:
    """One area added, changed (same 编号) or, with `delete`, removed."""
    form = await action.request.form()
    hall = _hall(action, str(form.get("hall") or ""))
    if hall is None:
        return action.not_found()
    found, _png = hall_map.hall_map(action.session, hall)
    area_id = str(form.get("area_id") or "").strip()
    areas = [a for a in found.areas if a.area_id != area_id]
    if form.get("delete") is None:
        try:
            area = _area_from(form)
        except (ValidationError, ValueError):
            return _shown(action, hall, AREA_HELP, 422)
        areas.append(area)
    try:
        hall_map.save_areas(action.session, hall, areas, action.viewer.username, action.now)
    except hall_map.PlanRefused as exc:
        return _shown(action, hall, exc.message, 422)
    action.session.commit()
    return redirect(f"{CONSOLE}/hall-map?hall={_quoted(hall)}")


def _area_from(form: FormData) -> WindowArea:
    def text(name: str) -> str:
        value = form.get(name)
        return value.strip() if isinstance(value, str) else ""

    def percent(name: str) -> float:
        return float(text(name)) / 100

    def listed(name: str) -> list[str]:
        return [v for v in SEPARATORS.split(text(name)) if v]

    return WindowArea(
        area_id=text("area_id"), name=text("name"),
        rect=Rect(x=percent("x"), y=percent("y"), w=percent("w"), h=percent("h")),
        queue_groups=[g.upper() for g in listed("queue_groups")], themes=listed("themes"),
        services=[s.upper() for s in listed("services")])


def _quoted(hall: str) -> str:
    return quote(hall, safe="")
