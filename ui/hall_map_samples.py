"""大厅导航's screens with a made-up hall, for the screen audit and `python main.py screenshot`."""

from __future__ import annotations

import functools
import io
from datetime import UTC, datetime

from PIL import Image, ImageDraw

from central.contract.hall_map import Rect
from common.i18n import tr
from flows.directions import DESK, HallMapStep
from flows.steps import Step

AREAS = (("一楼 A 区 1-4 号窗口", Rect(x=0.05, y=0.08, w=0.4, h=0.3)),
         ("一楼 B 区 5-8 号窗口", Rect(x=0.55, y=0.08, w=0.4, h=0.3)),
         ("二楼 C 区 9-12 号窗口", Rect(x=0.55, y=0.5, w=0.4, h=0.3)),
         ("一楼服务台", Rect(x=0.05, y=0.5, w=0.25, h=0.2)))


@functools.cache
def sample_plan() -> bytes:
    """A plan of rooms (no words: the screen says them), as the platform's demo plan."""
    size = (1200, 800)
    image = Image.new("RGB", size, (246, 248, 251))
    draw = ImageDraw.Draw(image)
    draw.rectangle((10, 10, size[0] - 10, size[1] - 10), outline=(90, 100, 115), width=6)
    for _name, r in AREAS:
        draw.rectangle((r.x * size[0], r.y * size[1], (r.x + r.w) * size[0],
                        (r.y + r.h) * size[1]), fill=(222, 232, 246), outline=(60, 90, 140),
                       width=4)
    draw.rectangle((504, 740, 696, 790), fill=(255, 255, 255))  # the entrance
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def hall_map_steps() -> list[tuple[str, Step]]:
    name, rect = AREAS[0]
    where = tr("请到{area}办理。", area=name)
    saved = datetime(2026, 11, 20, 2, tzinfo=UTC).astimezone().strftime("%Y-%m-%d")
    return [
        ("hall-map-directions", HallMapStep("城乡居民养老保险参保登记", sample_plan(), rect, name,
                                            (where,), None, where)),
        ("hall-map-unmapped", HallMapStep("法律援助申请", sample_plan(), None, None, (DESK,),
                                          None, DESK)),
        ("hall-map-hall", HallMapStep(tr("大厅导航"), sample_plan(), None, None,
                                      tuple(n for n, _r in AREAS))),
        ("hall-map-offline-copy", HallMapStep(
            "城乡居民养老保险参保登记", sample_plan(), rect, name, (where,),
            tr("网络中断，显示的是本机 {date} 保存的平面图。", date=saved), where)),
    ]
