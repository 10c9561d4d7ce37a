"""Printing an A4 document for the person: never claimed when it failed, never twice.

    printed = await print_a4(ctx, IdCardCopy(front, back, purpose, copies=2))

While the printer works the person sees `PrintingStep` (the pages, and those already out when a
job resumes). A fault is told as what happened and one thing to do: the printer ran out of paper
at page 2 of 3 → "打印机没纸了，已打印 1 页，还有 2 页没有打印。" and "请到服务台找工作人员来处理，
处理好后这里会出现“继续打印”。", with only 不打印了 to tap. 继续打印 is offered only once the
printer says it can print (its health is ok again: paper loaded, cover shut), asked at once and
again while the screen waits; the retry prints from the first page that did not come out
(`first_page`), so exactly the document's pages come out in total. Only a document that came out
whole is counted for the console (`ctx.count("prints")`) and reported as printed.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from common.i18n import Text, tr
from common.tasks import cancel_and_wait
from devices.health import Health
from devices.printer.a4 import A4Document, A4Printer, IdCardCopy, ScannedPages
from devices.printer.result import PrintResult
from flows.context import FlowContext
from flows.messages import STAFF_DESK
from flows.steps import Choice, Choose, MessageStep, Nav, Progress, Reply, Step
from flows.waiting import ask_while

RESUME, STOP = "resume", "stop"
MAX_COPIES = 5
RECHECK_S = 2.0  # while a fault is on screen, the printer is asked again this often
# what went wrong, in a few words (the one thing to do is said once, after it)
FAULT_WORDS = {
    "PAPER_OUT": tr("打印机没纸了"),
    "COVER_OPEN": tr("打印机的盖子没有关好"),
    "PAPER_JAM": tr("打印机卡纸了"),
    "TONER_OUT": tr("打印机的墨粉用完了"),
    "NO_DEVICE": tr("打印机没有连接"),
    "PRINT_TIMEOUT": tr("打印机很久没有打完"),
}
FIX_IT = tr("请到服务台找工作人员来处理，处理好后这里会出现“继续打印”。")


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
        if not await _fault(ctx, printer, result, done, progress):
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


def fault_words(code: str) -> Text:
    """What went wrong with the printer, in a few words, without an instruction."""
    return FAULT_WORDS.get(code, tr("打印机出了故障"))


async def _fault(ctx: FlowContext, printer: A4Printer, result: PrintResult, done: int,
                 progress: Progress | None) -> bool:
    """What went wrong, one thing to do, and one way on: 不打印了 while the printer cannot
    print, 继续打印 once it says it can. True: print the rest."""
    total = result.pages
    if done and total > done:
        happened = tr("{what}，已打印 {done} 页，还有 {left} 页没有打印。",
                      what=fault_words(result.code), done=done, left=total - done)
    elif done:
        happened = tr("{what}，已打印 {done} 页。", what=fault_words(result.code), done=done)
    else:
        happened = tr("{what}，还没有打印。", what=fault_words(result.code))
    stop = Choice(STOP, tr("不打印了"))
    if not (await _checked(printer)).ok:
        waiting = MessageStep(tr("打印暂停"), (happened, FIX_IT), (stop,), tone="warning",
                              progress=progress)
        got = await ask_while(ctx.ui, waiting, _until_ready(printer))
        if isinstance(got, Nav | Reply):  # 不打印了, 返回 or 首页 before the printer was ready
            return await _gave_up(ctx, done, progress)
    ready = MessageStep(tr("可以继续打印了"), (tr("打印机已经好了。"), tr("请点“继续打印”。")),
                        (Choice(RESUME, tr("继续打印"), primary=True), stop), tone="info",
                        progress=progress)
    got = await ctx.ui.ask(ready)
    if isinstance(got, Choose) and got.key == RESUME:
        return True
    return await _gave_up(ctx, done, progress)


async def _gave_up(ctx: FlowContext, done: int, progress: Progress | None) -> bool:
    await _tell(ctx, tr("打印未完成。") if not done else
                tr("打印未完成：已打印 {done} 页。", done=done), progress)
    return False


async def _checked(printer: A4Printer) -> Health:
    """The printer's health as it says now (a CUPS queue is asked: a worker thread)."""
    return await asyncio.to_thread(printer.check)


async def _until_ready(printer: A4Printer) -> Health:
    """Returns once the printer says it can print: at once when it reports the change, and
    asked again every RECHECK_S for a printer that reports only when asked."""
    loop = asyncio.get_running_loop()
    changed = asyncio.Event()
    listening = True

    def told(_family: str, _health: Health) -> None:  # any thread
        if listening:
            loop.call_soon_threadsafe(changed.set)

    printer.on_health_change(told)
    try:
        while not (health := await _checked(printer)).ok:
            changed.clear()
            wait = asyncio.ensure_future(changed.wait())
            try:
                # asyncio.wait, not wait_for: the time running out cancels nothing here
                await asyncio.wait((wait,), timeout=RECHECK_S)
            finally:
                await cancel_and_wait((wait,))
        return health
    finally:
        listening = False  # the port cannot unsubscribe; a listener that says nothing


async def _tell(ctx: FlowContext, reason: Text, progress: Progress | None) -> None:
    await ctx.ui.ask(MessageStep(tr("未能打印"), (reason, STAFF_DESK),
                                 (Choice("home", tr("返回首页"), primary=True),),
                                 tone="warning", progress=progress))
