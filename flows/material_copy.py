"""材料复印 (GB/T 40756 §9.8.5.7): pages photographed on the document camera, printed on A4.

The person lays each page on the document camera and it is taken when it lies still; the
screen shows the pages so far, 重拍 drops the last one, 完成 moves on. Then the number of
copies and colour or black and white (black and white divides out the shadow and thresholds
the page, as the camera's enhancement does for text), and the print (`flows.printing`).

The pages exist only in this flow's memory and are dropped when it ends, however it ends.
"""

from __future__ import annotations

from central.contract import Service
from common.i18n import QT_TR_NOOP, Text, tr
from devices.camera.document import Enhancement, encode_jpeg, enhance
from devices.camera.document_camera import DocumentCamera, ScanFailed, ScannedPage
from devices.printer.a4 import ScannedPages
from flows.captures import next_capture, thumbnail
from flows.context import FlowContext
from flows.messages import call_staff
from flows.printing import PrintOptions, ask_print_options, print_a4
from flows.steps import (
    SCAN_DONE,
    SCAN_RETAKE,
    Choice,
    Choose,
    MessageStep,
    Nav,
    Progress,
    ScanStep,
)
from flows.waiting import ask_while

MATERIAL = QT_TR_NOOP("复印材料")  # what the scan screen names (ScanStep.material is a str)
MAX_PAGES = 20
STEPS = 3  # scan, options, print
TAKE_ORIGINALS = tr("请取回放在高拍仪上的原件。")


async def copy_materials(ctx: FlowContext, service: Service | None = None) -> Text | None:
    """The whole flow; returns what home reminds the person of (their originals)."""
    camera = ctx.devices.document_camera
    if camera is None or ctx.devices.a4_printer is None:
        await call_staff(ctx, tr("本机暂时无法复印材料。"))
        return None
    pages: list[ScannedPage] = []
    try:
        while True:
            if await _scan(ctx, camera, pages) is not None:
                return TAKE_ORIGINALS if pages else None
            options = await ask_print_options(ctx, tr("复印设置"), pages=len(pages),
                                              colour=True, progress=Progress(2, STEPS))
            if options is Nav.HOME:
                return TAKE_ORIGINALS
            if isinstance(options, PrintOptions):
                printed = await print_a4(ctx, _document(pages, options),
                                         progress=Progress(3, STEPS))
                if printed:
                    await _done(ctx)
                return TAKE_ORIGINALS
    finally:
        pages.clear()  # the pages go with the flow


async def _scan(ctx: FlowContext, camera: DocumentCamera, pages: list[ScannedPage]) -> Nav | None:
    """Pages until 完成 (None); Nav when the person leaves."""
    problem: Text | None = None
    thumbnails = [thumbnail(page) for page in pages]
    rejected: ScannedPage | None = None
    while True:
        step = ScanStep(MATERIAL, tuple(thumbnails), False, problem, Progress(1, STEPS))
        waits = []
        if len(pages) < MAX_PAGES:
            last = rejected or (pages[-1] if pages else None)
            waits.append(next_capture(camera, "page", last=last))
        got = await ask_while(ctx.ui, step, *waits)
        problem = None
        if isinstance(got, ScannedPage):
            pages.append(got)
            thumbnails.append(thumbnail(got))
            rejected = None
            if len(pages) == MAX_PAGES:
                problem = tr("已达 {count} 页上限，请点击完成", count=MAX_PAGES)
        elif isinstance(got, ScanFailed):
            problem = tr(got.message)
        elif isinstance(got, Nav):
            return got
        elif isinstance(got, Choose) and got.key == SCAN_RETAKE and pages:
            rejected = pages.pop()
            thumbnails.pop()
        elif isinstance(got, Choose) and got.key == SCAN_DONE:
            if pages:
                return None
            problem = tr("请至少拍摄一页")


def _document(pages: list[ScannedPage], options: PrintOptions) -> ScannedPages:
    if options.colour:
        images = tuple(page.jpeg() for page in pages)
    else:
        images = tuple(encode_jpeg(enhance(page.image, Enhancement.BLACK_WHITE))
                       for page in pages)
    return ScannedPages(images, copies=options.copies, colour=options.colour)


async def _done(ctx: FlowContext) -> None:
    await ctx.ui.ask(MessageStep(tr("复印完成"), (tr("请在出纸口取走复印件。"), TAKE_ORIGINALS),
                                 (Choice("home", tr("返回首页"), primary=True),),
                                 tone="success", progress=Progress(STEPS, STEPS)))
