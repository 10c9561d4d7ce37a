"""身份证复印 (GB/T 40756 §9.8.5.7): both sides of an ID card on one A4 at true size.

The person lays the card on the document camera, front then back; the camera finds and crops
it (`capture_page(kind="card")`), and each side is shown for 重拍 / 确认. Then the purpose to
write across the copy ("仅供办理XX使用", the common way to limit what a copy can be used for;
a few presets or none), the number of copies, and the print (`flows.printing`).

The two sides exist only in this flow's memory: never on disk, never in the session's store,
never in a log; the rendered PDF goes to the printer as bytes. When the flow ends — printed,
abandoned or cancelled by the session — they are dropped with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from central.contract import Service
from common.i18n import QT_TR_NOOP, Text, tr
from devices.camera.document_camera import DocumentCamera, ScanFailed, ScannedPage
from devices.printer.a4 import IdCardCopy
from flows.captures import next_capture
from flows.context import FlowContext
from flows.messages import call_staff
from flows.printing import PrintOptions, ask_print_options, print_a4
from flows.steps import Choice, Choose, MessageStep, Nav, Progress, Step
from flows.waiting import ask_while

Side = Literal["front", "back"]
RETAKE, CONFIRM = "retake", "confirm"
NO_PURPOSE = "none"
# what halls usually write on a copy; the key is the text printed (Chinese on paper always)
PURPOSES: tuple[tuple[str, str], ...] = (
    ("仅供办理社保业务使用", QT_TR_NOOP("社保业务")),
    ("仅供办理医保业务使用", QT_TR_NOOP("医保业务")),
    ("仅供办理公积金业务使用", QT_TR_NOOP("公积金业务")),
    ("仅供办理户籍业务使用", QT_TR_NOOP("户籍业务")),
    ("仅供办理不动产登记使用", QT_TR_NOOP("不动产登记")),
    ("仅供办理银行业务使用", QT_TR_NOOP("银行业务")),
)
SIDE_NAMES = {"front": QT_TR_NOOP("人像面"), "back": QT_TR_NOOP("国徽面")}
STEPS = 5  # front, back, purpose, copies, print


@dataclass(frozen=True)
class PlaceCardStep(Step):
    """Lay the card on the document camera; it is captured when it lies still (the screen
    shows the camera's live picture: `ui.live_view`)."""

    side: Side
    problem: Text | None = None
    progress: Progress | None = None


@dataclass(frozen=True)
class CheckSideStep(Step):
    """The side as it will be printed: 重拍 or 确认."""

    side: Side
    image: bytes = field(repr=False)  # JPEG
    progress: Progress | None = None


@dataclass(frozen=True)
class PurposeStep(Step):
    """What the copy may be used for, written across it; or nothing."""

    choices: tuple[Choice, ...]
    progress: Progress | None = None


async def copy_id_card(ctx: FlowContext, service: Service | None = None) -> Text | None:
    """The whole flow; returns what home reminds the person of (their card on the camera)."""
    camera = ctx.devices.document_camera
    if camera is None or ctx.devices.a4_printer is None:
        await call_staff(ctx, tr("本机暂时无法复印身份证。"))
        return None
    sides: dict[Side, bytes] = {}
    captured: dict[Side, ScannedPage] = {}
    try:
        number = 0  # the step the person is on: 0 front, 1 back, 2 purpose, 3 copies
        purpose = ""
        while number < 4:
            progress = Progress(number + 1, STEPS)
            if number < 2:
                side: Side = "front" if number == 0 else "back"
                other = captured.get("front") if side == "back" else None
                got = await _capture_side(ctx, camera, side, progress, other,
                                          captured.get(side))
                if isinstance(got, ScannedPage):
                    captured[side] = got
                    sides[side] = got.jpeg()
            elif number == 2:
                got = await _ask_purpose(ctx, progress)
                if isinstance(got, str):
                    purpose = got
            else:
                got = await ask_print_options(ctx, tr("复印份数"), progress=progress)
                if isinstance(got, PrintOptions):
                    copy = IdCardCopy(sides["front"], sides["back"], purpose, copies=got.copies)
                    printed = await print_a4(ctx, copy, progress=Progress(STEPS, STEPS))
                    await _finish(ctx, printed)
                    return _TAKE_CARD
            if got is Nav.HOME:
                return _TAKE_CARD if sides else None
            number = number - 1 if got is Nav.BACK else number + 1
            if number < 0:
                return None
        return None
    finally:
        sides.clear()  # the images go with the flow
        captured.clear()


_TAKE_CARD = tr("请取回放在高拍仪上的身份证。")


async def _capture_side(ctx: FlowContext, camera: DocumentCamera, side: Side, progress: Progress,
                        other: ScannedPage | None,
                        before: ScannedPage | None) -> ScannedPage | Nav:
    """The side once the person confirmed it; Nav when they leave. `other`: the side taken
    before, still on the camera until the person turns the card over; `before`: this side as
    taken earlier (the person came back to take it again: it must be laid down anew)."""
    problem: Text | None = None
    rejected: ScannedPage | None = before
    while True:
        got = await ask_while(ctx.ui, PlaceCardStep(side, problem, progress),
                              next_capture(camera, "card", last=rejected or other,
                                           turned=rejected is None))
        if isinstance(got, Nav):
            return got
        if isinstance(got, ScanFailed):
            problem = tr(got.message)
            continue
        if not isinstance(got, ScannedPage):
            continue
        answer = await ctx.ui.ask(CheckSideStep(side, got.jpeg(), progress))
        if isinstance(answer, Choose) and answer.key == CONFIRM:
            return got
        if answer is Nav.HOME:
            return answer
        rejected = got
        problem = tr("请重新放好身份证{side}，保持不动", side=tr(SIDE_NAMES[side]))


async def _ask_purpose(ctx: FlowContext, progress: Progress) -> str | Nav:
    choices = tuple(Choice(text, tr(label)) for text, label in PURPOSES)
    choices += (Choice(NO_PURPOSE, tr("不加注")),)
    while True:
        got = await ctx.ui.ask(PurposeStep(choices, progress))
        if isinstance(got, Nav):
            return got
        if isinstance(got, Choose) and got.key == NO_PURPOSE:
            return ""
        if isinstance(got, Choose) and any(got.key == text for text, _ in PURPOSES):
            return got.key


async def _finish(ctx: FlowContext, printed: bool) -> None:
    if not printed:
        return  # print_a4 has told the person what happened and where staff are
    await ctx.ui.ask(MessageStep(tr("复印完成"), (tr("请在出纸口取走复印件。"), _TAKE_CARD),
                                 (Choice("home", tr("返回首页"), primary=True),),
                                 tone="success", progress=Progress(STEPS, STEPS)))
