"""The console's 大厅导航 page in a real browser: an administrator sets any hall's floor plan
and window areas, a hall manager only their own, and what is not a plain image is refused."""

from __future__ import annotations

import io
from typing import Any

import requests
from PIL import Image

from central import hall_map
from central.contract.hall_map import MAX_IMAGE_BYTES
from central.server import EmbeddedPlatform
from tests.console.conftest import EAST, WEST, expect, log_in, only_loopback


def png(width: int = 400, height: int = 300) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (230, 236, 245)).save(out, format="PNG")
    return out.getvalue()


def stored(platform: EmbeddedPlatform, hall: str) -> Any:
    with platform.app.state.sessions() as session:
        found, _png = hall_map.hall_map(session, hall)
        return found, hall_map.plan_record(session, hall) is not None


def upload(page: Any, name: str, data: bytes, mime: str = "image/png") -> None:
    page.get_by_label("上传平面图").set_input_files(
        {"name": name, "mimeType": mime, "buffer": data})
    page.get_by_role("button", name="上传", exact=True).click()


def test_an_administrator_sets_another_hall_s_plan_and_areas(page, platform) -> None:
    log_in(page, platform)
    page.get_by_role("link", name="大厅导航").click()
    page.get_by_label("服务大厅").select_option(WEST.hall)
    page.get_by_role("button", name="查看").click()
    expect(page.get_by_role("heading", name=f"{WEST.hall} · 平面图")).to_contain_text("演示平面图")

    upload(page, "plan.png", png(400, 300))
    expect(page.get_by_role("heading", name=f"{WEST.hall} · 平面图")).not_to_contain_text(
        "演示平面图")
    found, own = stored(platform, WEST.hall)
    assert own and (found.width, found.height) == (400, 300)

    new = page.locator("tr[data-area='new']")
    new.get_by_label("新区域编号").fill("d")
    new.get_by_label("新区域名称").fill("二楼 D 区 13-16 号窗口")
    for key, value in (("x", "10"), ("y", "20"), ("w", "30"), ("h", "25")):
        new.get_by_label(f"新区域 {key}", exact=True).fill(value)
    new.get_by_label("新区域事项").fill("SS-013, ss-019")
    new.get_by_role("button", name="添加区域").click()
    expect(page.locator("svg#plan rect[data-area='d']")).to_have_count(1)
    found, _own = stored(platform, WEST.hall)
    area = next(a for a in found.areas if a.area_id == "d")
    assert (area.name, area.services) == ("二楼 D 区 13-16 号窗口", ["SS-013", "SS-019"])
    assert (area.rect.x, area.rect.w) == (0.1, 0.3)

    page.locator("tr[data-area='a']").get_by_role("button", name="删除").click()
    expect(page.locator("svg#plan rect[data-area='a']")).to_have_count(0)
    assert stored(platform, EAST.hall)[1] is False  # the other hall untouched
    only_loopback(page)


def test_a_hall_manager_edits_only_their_own_hall(page, platform) -> None:
    log_in(page, platform, "east")
    page.get_by_role("link", name="大厅导航").click()
    expect(page.get_by_role("heading", name=f"{EAST.hall} · 平面图")).to_be_visible()
    expect(page.get_by_label("服务大厅")).to_have_count(0)  # one hall: nothing to choose
    row = page.locator("tr[data-area='b']")
    row.get_by_label("名称").fill("一楼 B 区 5-9 号窗口")
    row.get_by_role("button", name="保存").click()
    expect(page.locator("svg#plan rect[data-area='b'] title")).to_have_text("一楼 B 区 5-9 号窗口")
    assert any(a.name == "一楼 B 区 5-9 号窗口" for a in stored(platform, EAST.hall)[0].areas)

    response = page.goto(f"{platform.console_url}/hall-map?hall={WEST.hall}")
    assert response.status == 404
    # a form posted for another hall, with the manager's own valid CSRF token
    page.goto(f"{platform.console_url}/hall-map")
    page.locator("tr[data-area='new'] input[name='hall']").evaluate(
        f"input => input.value = '{WEST.hall}'")
    new = page.locator("tr[data-area='new']")
    new.get_by_label("新区域编号").fill("x")
    new.get_by_label("新区域名称").fill("不该出现")
    for key in ("x", "y", "w", "h"):
        new.get_by_label(f"新区域 {key}", exact=True).fill("10")
    new.get_by_role("button", name="添加区域").click()
    expect(page.get_by_role("heading", name="未找到")).to_be_visible()
    assert stored(platform, WEST.hall)[1] is False


def test_a_hostile_upload_is_refused_and_nothing_is_stored(page, platform) -> None:
    log_in(page, platform, "east")
    page.goto(f"{platform.console_url}/hall-map")
    svg = b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"
    upload(page, "plan.png", svg)  # named and typed as a PNG
    expect(page.get_by_role("alert")).to_have_text("只能上传 PNG 或 JPEG 图片。")
    upload(page, "huge.png", png(5000, 80))
    expect(page.get_by_role("alert")).to_contain_text("尺寸")
    assert stored(platform, EAST.hall)[1] is False


def test_an_oversized_upload_is_refused_before_it_is_read(page, platform) -> None:
    log_in(page, platform, "east")
    page.goto(f"{platform.console_url}/hall-map")
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    token = page.locator("input[name='csrf_token']").first.get_attribute("value")
    answer = requests.post(
        f"{platform.console_url}/hall-map/plan", cookies=cookies, timeout=10,
        data={"csrf_token": token, "hall": EAST.hall},
        files={"plan": ("plan.png", b"\x89PNG\r\n\x1a\n" + b"\0" * (MAX_IMAGE_BYTES + 70_000))})
    assert answer.status_code == 413
    assert stored(platform, EAST.hall)[1] is False


def test_a_form_without_the_csrf_token_changes_nothing(page, platform) -> None:
    log_in(page, platform, "east")
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    answer = requests.post(f"{platform.console_url}/hall-map/areas", cookies=cookies, timeout=10,
                           data={"hall": EAST.hall, "area_id": "a", "delete": "1"})
    assert answer.status_code == 403
    assert stored(platform, EAST.hall)[1] is False
