"""The hall map (大厅导航): each hall's floor plan and its window areas, as the console keeps
them and terminals read them (`central.contract.hall_map`).

A plan is uploaded by staff, but a file is what it says only once it has been decoded: the
upload is bounded in bytes (`MAX_IMAGE_BYTES`) and pixels (`MAX_IMAGE_SIDE`, read from the
header before anything is decoded), decoded by Pillow as PNG or JPEG only (whatever its name or
its declared type), and re-encoded as a fresh PNG, so what is stored and served carries none of
the upload's metadata, trailing bytes or other chunks. A hall without a plan of its own gets
the demo plan (drawn here) with the demo queue groups' areas, as `central.queue` gives it the
demo groups.
"""

from __future__ import annotations

import functools
import hashlib
import io
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from PIL import Image, ImageDraw, ImageFont
from sqlalchemy.orm import Session

from central.contract.hall_map import (
    MAX_AREAS,
    MAX_IMAGE_BYTES,
    MAX_IMAGE_SIDE,
    HallMap,
    Rect,
    WindowArea,
)
from central.db import HallMapRecord

DEMO_EDITOR = "demo"
MIN_IMAGE_SIDE = 64
FONTS = ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
         "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
         "/usr/share/fonts/truetype/babelstone/BabelStoneHan.ttf")


class PlanRefused(Exception):
    """An upload that is not a plan this platform keeps; `message` is for the staff member."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Plan:
    png: bytes
    width: int
    height: int

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.png).hexdigest()


def clean_plan(upload: bytes) -> Plan:
    """The upload decoded as a PNG or JPEG within the limits, re-encoded as a new PNG."""
    if len(upload) > MAX_IMAGE_BYTES:
        raise PlanRefused(f"图片超过 {MAX_IMAGE_BYTES // (1024 * 1024)} MB。")
    if not upload.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")):
        raise PlanRefused("只能上传 PNG 或 JPEG 图片。")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(upload), formats=("PNG", "JPEG"))
            width, height = image.size  # from the header: nothing decoded yet
            if not (MIN_IMAGE_SIDE <= width <= MAX_IMAGE_SIDE
                    and MIN_IMAGE_SIDE <= height <= MAX_IMAGE_SIDE):
                raise PlanRefused(f"图片尺寸须在 {MIN_IMAGE_SIDE}-{MAX_IMAGE_SIDE} 像素之间。")
            image.load()
    except PlanRefused:
        raise
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombWarning,
            Image.DecompressionBombError):
        raise PlanRefused("图片无法识别，请上传 PNG 或 JPEG 图片。") from None
    clean = image.convert("RGB")
    out = io.BytesIO()
    clean.save(out, format="PNG", optimize=True)
    png = out.getvalue()
    if len(png) > MAX_IMAGE_BYTES:
        raise PlanRefused("图片转换后过大，请缩小后再上传。")
    return Plan(png, width, height)


def plan_record(session: Session, hall: str) -> HallMapRecord | None:
    return session.get(HallMapRecord, hall)


def hall_map(session: Session, hall: str) -> tuple[HallMap, bytes]:
    """The hall's map and its PNG: its own, or the demo's."""
    record = plan_record(session, hall)
    if record is None:
        plan = demo_plan()
        return HallMap(hall=hall, image_sha256=plan.sha256, width=plan.width,
                       height=plan.height, areas=list(DEMO_AREAS),
                       updated_at=datetime(2026, 1, 1, tzinfo=UTC)), plan.png
    areas = [WindowArea.model_validate(a) for a in record.areas][:MAX_AREAS]
    return HallMap(hall=hall, image_sha256=record.image_sha256, width=record.width,
                   height=record.height, areas=areas, updated_at=record.updated_at), \
        record.image_png


def save_plan(session: Session, hall: str, plan: Plan, editor: str, now: datetime) -> None:
    """The hall's plan replaced; its areas kept (relative coordinates fit any plan)."""
    record = plan_record(session, hall)
    if record is None:
        record = HallMapRecord(hall=hall, areas=[a.model_dump(mode="json")
                                                 for a in DEMO_AREAS])
        session.add(record)
    record.image_png, record.image_sha256 = plan.png, plan.sha256
    record.width, record.height = plan.width, plan.height
    record.updated_at, record.updated_by = now, editor


def save_areas(session: Session, hall: str, areas: Sequence[WindowArea], editor: str,
               now: datetime) -> None:
    """The hall's window areas replaced (its plan the demo's until one is uploaded)."""
    if len(areas) > MAX_AREAS:
        raise PlanRefused(f"窗口区域最多 {MAX_AREAS} 个。")
    if len({a.area_id for a in areas}) != len(areas):
        raise PlanRefused("窗口区域编号重复。")
    record = plan_record(session, hall)
    if record is None:
        plan = demo_plan()
        record = HallMapRecord(hall=hall, image_png=plan.png, image_sha256=plan.sha256,
                               width=plan.width, height=plan.height)
        session.add(record)
    record.areas = [a.model_dump(mode="json") for a in areas]
    record.updated_at, record.updated_by = now, editor


# -- the demo plan --------------------------------------------------------------------------

DEMO_SIZE = (1200, 800)
DEMO_AREAS: tuple[WindowArea, ...] = (
    WindowArea(area_id="a", name="一楼 A 区 1-4 号窗口", rect=Rect(x=0.05, y=0.08, w=0.4, h=0.3),
               queue_groups=["A"], themes=["社保", "医保", "公积金", "人才与就业"]),
    WindowArea(area_id="b", name="一楼 B 区 5-8 号窗口", rect=Rect(x=0.55, y=0.08, w=0.4, h=0.3),
               queue_groups=["B"],
               themes=["户政（治安）", "护照通行证", "流动人口", "行驶驾驶", "婚姻", "新生儿"]),
    WindowArea(area_id="c", name="二楼 C 区 9-12 号窗口", rect=Rect(x=0.55, y=0.5, w=0.4, h=0.3),
               queue_groups=["C"], themes=["通用", "税务", "不动产登记", "公共服务"]),
    WindowArea(area_id="desk", name="一楼服务台", rect=Rect(x=0.05, y=0.5, w=0.25, h=0.2),
               themes=["助残", "尊老爱老", "社会救助", "法律服务", "生活缴费"]),
)


@functools.cache
def demo_plan() -> Plan:
    """A simple plan of the demo hall: the areas as labelled rooms, the entrance and the
    kiosks. Drawn once per process; the same bytes every time (its digest is its version)."""
    image = Image.new("RGB", DEMO_SIZE, (246, 248, 251))
    draw = ImageDraw.Draw(image)
    width, height = DEMO_SIZE
    draw.rectangle((10, 10, width - 10, height - 10), outline=(90, 100, 115), width=6)
    font = _font(30)
    for area in DEMO_AREAS:
        r = area.rect
        box = (r.x * width, r.y * height, (r.x + r.w) * width, (r.y + r.h) * height)
        draw.rectangle(box, fill=(222, 232, 246), outline=(60, 90, 140), width=4)
        draw.text(((box[0] + box[2]) / 2, (box[1] + box[3]) / 2), _label(area.name, font),
                  fill=(30, 45, 70), font=font, anchor="mm")
    draw.rectangle((0.42 * width, height - 60, 0.58 * width, height - 10), fill=(255, 255, 255))
    draw.text((width / 2, height - 35), _label("入口", font), fill=(30, 45, 70), font=font,
              anchor="mm")
    draw.rectangle((0.33 * width, 0.5 * height, 0.45 * width, 0.7 * height),
                   fill=(235, 245, 235), outline=(70, 130, 70), width=3)
    draw.text((0.39 * width, 0.6 * height), _label("自助区", font), fill=(30, 70, 30),
              font=font, anchor="mm")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return Plan(out.getvalue(), width, height)


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for path in FONTS:
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return ImageFont.load_default()


def _label(text: str, font: ImageFont.FreeTypeFont | ImageFont.ImageFont) -> str:
    # without a CJK font the default one draws only ASCII: the area's letter, not tofu
    if isinstance(font, ImageFont.FreeTypeFont):
        return text
    return "".join(c for c in text if c.isascii()).strip() or "?"
