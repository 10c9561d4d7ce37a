"""大厅导航 on the platform: a terminal reads its hall's map (the demo's until the hall has
its own), signed; an uploaded plan is decoded and re-encoded, and anything that is not a plain
PNG or JPEG within the limits is refused."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from PIL import Image

from central import hall_map
from central.contract.hall_map import MAX_IMAGE_BYTES, HallMap, Rect, WindowArea
from tests.central.conftest import TEST_TERMINAL

MAP = "/api/v1/hall-map"


def png(width: int = 200, height: int = 100, fmt: str = "PNG", **save: object) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 210, 230)).save(out, format=fmt, **save)
    return out.getvalue()


def test_a_hall_without_a_map_gets_the_demo_map_with_the_queue_s_window_areas(terminal) -> None:
    found = HallMap.model_validate(terminal.get(MAP).json())
    assert found.hall == TEST_TERMINAL.hall
    by_group = {g: a.name for a in found.areas for g in a.queue_groups}
    assert by_group == {"A": "一楼 A 区 1-4 号窗口", "B": "一楼 B 区 5-8 号窗口",
                        "C": "二楼 C 区 9-12 号窗口"}
    image = terminal.get(f"{MAP}/image")
    assert image.headers["content-type"] == "image/png"
    assert Image.open(io.BytesIO(image.content)).size == (found.width, found.height)


def test_the_map_is_signed_like_every_terminal_route(terminal) -> None:
    terminal.auth = None
    assert terminal.get(MAP).status_code == 401
    assert terminal.get(f"{MAP}/image").status_code == 401


def test_the_hall_s_own_plan_and_areas_are_what_its_terminals_read(app, terminal) -> None:
    now = datetime(2026, 12, 7, 9, tzinfo=UTC)
    area = WindowArea(area_id="d", name="三楼 D 区", rect=Rect(x=0.1, y=0.1, w=0.5, h=0.5),
                      services=["SS-013"])
    with app.state.sessions() as session:
        hall_map.save_plan(session, TEST_TERMINAL.hall, hall_map.clean_plan(png(300, 150)),
                           "admin", now)
        hall_map.save_areas(session, TEST_TERMINAL.hall, [area], "admin", now)
        session.commit()
    found = HallMap.model_validate(terminal.get(MAP).json())
    assert (found.width, found.height, found.areas) == (300, 150, [area])
    served = terminal.get(f"{MAP}/image").content
    assert Image.open(io.BytesIO(served)).size == (300, 150)


def test_a_plan_is_re_encoded_so_nothing_of_the_upload_is_kept() -> None:
    upload = png(fmt="JPEG", quality=90) + b"<script>alert(1)</script>"
    plan = hall_map.clean_plan(upload)
    assert plan.png.startswith(b"\x89PNG")
    assert b"<script>" not in plan.png
    assert (plan.width, plan.height) == (200, 100)


@pytest.mark.parametrize(("upload", "words"), [
    (b"GIF89a" + b"\0" * 100, "只能上传 PNG 或 JPEG"),
    (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "只能上传 PNG 或 JPEG"),
    (b"\x89PNG\r\n\x1a\n" + b"\0" * 200, "无法识别"),  # a PNG's signature, then nothing
    (png(20, 20), "尺寸"),
    (png(5000, 64), "尺寸"),  # over 4096 px, refused from the header before decoding
    (b"\x89PNG\r\n\x1a\n" + b"\0" * MAX_IMAGE_BYTES, "超过"),
])
def test_what_is_not_a_plan_is_refused(upload: bytes, words: str) -> None:
    with pytest.raises(hall_map.PlanRefused) as refused:
        hall_map.clean_plan(upload)
    assert words in refused.value.message


def test_an_area_outside_the_plan_or_oddly_named_is_refused_by_the_contract() -> None:
    with pytest.raises(ValueError):
        Rect(x=0.8, y=0, w=0.5, h=0.1)
    with pytest.raises(ValueError):
        WindowArea(area_id="a", name="x", rect=Rect(x=0, y=0, w=1, h=1), queue_groups=["AB"])
    with pytest.raises(ValueError):
        WindowArea(area_id="a", name="x", rect=Rect(x=0, y=0, w=1, h=1), services=["13"])
