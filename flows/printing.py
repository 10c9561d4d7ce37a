"""Printing an A4 document for the person: never claimed when it failed, never twice.

    printed = await print_a4(ctx, IdCardCopy(front, back, purpose, copies=2))

While the printer works the person sees `PrintingStep` (the pages, and those already out when a
job resumes). A fault is told with what to do: the printer ran out of paper at page 2 of 3 →
"打印机缺纸，已打印 1 页，请联系工作人员加纸后继续", with 继续打印 for when staff have loaded
paper; the retry prints from the first page that did not come out (`first_page`), so exactly
the document's pages come out in total. Only a document that came out whole is counted for the
console (`ctx.count("prints")`) and reported as printed.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from devices.printer.a4 import A4Document, IdCardCopy, ScannedPages
from flows.context import FlowContext
from flows.messages import STAFF_DESK
from flows.steps import Choice, Choose, MessageStep, Nav, Progress, Reply, Step
from flows.waiting import ask_while
from kiosk.i18n import Text, tr

RESUME, STOP = "resume", "stop"
MAX_COPIES = 5


@dataclass(frozen=True)
class PrintingStep(Step):
    """The printer is at work; only the bottom bar answers, and printing goes on regardless."""

    title: Text
    pages: int  # the document's pages (copies included); 0 when not known
    pages_done: int  # out so far, an earlier job's included (shown again as pages come out)
    progress: Progress | None = None


@dataclass(frozen=True)
class PrintOptionsStep(Step):
    """How many copies (the − / + stepper) and, where it matters, colour or black and white."""

    title: Text
    copies: int = 1
    max_copies: int = MAX_COPIES
    colour: bool | None = None  # None: no colour choice offered
    pages: int = 1  # pages of one copy, to say how many sheets come out
    progress: Progress | None = None


@dataclass(frozen=True)
class PrintOptions(Reply):
    copies: int
    colour: bool = True


def sheets_of(document: A4Document) -> int:
    """The sheets a document prints, copies included (0: known only once rendered)."""
    if isinstance(document, IdCardCopy):
        return max(1, document.copies)
    if isinstance(document, ScannedPages):
        return len(document.pages) * max(1, document.copies)
    return 0


async def ask_print_options(ctx: FlowContext, title: Text, *, pages: int = 1,
                            colour: bool | None = None,
                            progress: Progress | None = None) -> PrintOptions | Nav:
    """The person's copies (1 to MAX_COPIES) and colour choice; 返回/首页 as Nav."""
    copies = 1
    while True:
        got = await ctx.ui.ask(PrintOptionsStep(title, copies, MAX_COPIES, colour, pages,
                                                progress))
        if isinstance(got, Nav):
            return got
        if isinstance(got, PrintOptions):
            # the screen's stepper keeps within bounds; a bad value is clamped, not trusted
            return PrintOptions(min(max(got.copies, 1), MAX_COPIES),
                                got.colour if colour is not None else True)


async def print_a4(ctx: FlowContext, document: A4Document, *, title: Text | None = None,
                   progress: Progress | None = None) -> bool:
    """Print `document` on the A4 printer; True only when every page came out."""
    printer = ctx.devices.a4_printer
    title = title or tr("正在打印，请稍候…")
    if printer is None:
        await _tell(ctx, tr("本机暂时无法打印。"), progress)
        return False
    done = 0
    while True:
        out = _PagesOut(done)
        job = asyncio.ensure_future(printer.print_document(document, first_page=done + 1,
                                                           on_page=out.page_came_out))
        try:
            while not job.done():
                # 返回 or 首页 while the sheets come out: the job goes on (it cannot be taken
                # back from the printer), and its outcome is still told; a page out shows
                # the screen again with the new count
                out.changed.clear()
                await ask_while(ctx.ui, PrintingStep(title, sheets_of(document), out.pages,
                                                     progress),
                                asyncio.shield(job), out.changed.wait())
        finally:
            if not job.done():  # the session ended: let the printer finish, stop waiting
                job.cancel()
        result = job.result()
        done = max(done, result.pages_done)
        if result.printed:
            ctx.count("prints")
            return True
        if not await _fault(ctx, result, done, progress):
            return False


class _PagesOut:
    """Pages out so far, told by the printer's worker thread, read on the loop."""

    def __init__(self, pages: int) -> None:
        self.pages = pages
        self.changed = asyncio.Event()
        self._loop = asyncio.get_running_loop()

    def page_came_out(self, pages_done: int) -> None:  # any thread
        self._loop.call_soon_threadsafe(self._update, pages_done)

    def _update(self, pages_done: int) -> None:
        if pages_done > self.pages:
            self.pages = pages_done
            self.changed.set()


async def _fault(ctx: FlowContext, result, done: int, progress: Progress | None) -> bool:
    """Tell the person what went wrong and what to do; True: staff fixed it, print the rest."""
    lines: tuple[Text | str, ...]
    if result.code == "PAPER_OUT" and done:
        lines = (tr("打印机缺纸，已打印 {done} 页，请联系工作人员加纸后继续", done=done),)
    elif done:
        lines = (tr(result.message), tr("已打印 {done} 页，排除故障后可继续打印余下的页。",
                                        done=done))
    else:
        lines = (tr(result.message),)
    step = MessageStep(tr("打印暂停"), (*lines, STAFF_DESK),
                       (Choice(RESUME, tr("继续打印"), primary=True),
                        Choice(STOP, tr("不打印了"))),
                       tone="warning", progress=progress)
    got = await ctx.ui.ask(step)
    if isinstance(got, Choose) and got.key == RESUME:
        return True
    await _tell(ctx, tr("打印未完成。") if not done else
                tr("打印未完成：已打印 {done} 页。", done=done), progress)
    return False


async def _tell(ctx: FlowContext, reason: Text, progress: Progress | None) -> None:
    await ctx.ui.ask(MessageStep(tr("未能打印"), (reason, STAFF_DESK),
                                 (Choice("home", tr("返回首页"), primary=True),),
                                 tone="warning", progress=progress))
