"""Printers without hardware, for the demo and the tests: same ports, previews kept.

The receipt simulator builds the real ESC/POS bytes and the PNG preview of every job, keeps
the previews of what it printed (the simulator panel shows them) and fails like a real printer:
out of paper, cover open or unplugged (steered with `set_health` or `run_out_of_paper`, which
can also let the paper run out in the middle of the next job). The A4 simulator renders the
real PDF, keeps it in memory and counts every sheet that comes out (`sheets`), so a test can
see that a job resumed after an empty tray printed each page exactly once.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from devices.health import HEALTHY, Health, HealthState
from devices.printer.a4 import A4Document
from devices.printer.escpos import (
    Paper,
    PrinterModel,
    PrinterStatus,
    blocks_segments,
    encode_status,
)
from devices.printer.preview import blocks_png
from devices.printer.receipt import Receipt, layout, printed_text
from devices.printer.receipt_printer import PrinterCheck
from devices.printer.result import (
    DOCUMENT_PRINTED,
    RECEIPT_PRINTED,
    PrintResult,
    failure_message,
    new_job_id,
)
from devices.simulated import SimulatedDevice

PAPER_OUT = Health(HealthState.ERROR, "PAPER_OUT")
KEEP_PREVIEWS = 20


@dataclass(frozen=True)
class PrintedPreview:
    job_id: str
    preview: bytes = field(repr=False)  # PNG (receipt) or PDF (A4)
    printed_at: datetime
    pages: int = 0
    text: str = ""  # a receipt's printed lines, as a reader of the paper would list them


PrintedListener = Callable[[PrintedPreview], None]


class _PreviewKeeper(SimulatedDevice):
    def __init__(self, family: str) -> None:
        super().__init__(family)
        self.previews: deque[PrintedPreview] = deque(maxlen=KEEP_PREVIEWS)
        self._printed_listeners: list[PrintedListener] = []
        self._job_lock = threading.Lock()

    def on_printed(self, listener: PrintedListener) -> None:
        """Call `listener` (from a worker thread) with every preview of a printed job."""
        self._printed_listeners.append(listener)

    def load_paper(self) -> None:
        self.set_health(HEALTHY)

    def _keep(self, preview: PrintedPreview) -> None:
        self.previews.append(preview)
        for listener in list(self._printed_listeners):
            listener(preview)

    def _blocked(self) -> Health | None:
        health = self.health()
        return health if health.state in (HealthState.ERROR, HealthState.OFFLINE) else None


class SimulatedReceiptPrinter(_PreviewKeeper):
    def __init__(self, family: str = "receipt_printer", seconds_per_block: float = 0.05,
                 model: PrinterModel | None = None) -> None:
        super().__init__(family)
        self.model = model or PrinterModel()
        self.seconds_per_block = seconds_per_block
        self._paper_blocks_left: int | None = None

    def run_out_of_paper(self, after_blocks: int = 0) -> None:
        """The paper runs out now, or after `after_blocks` more blocks of the next jobs."""
        if after_blocks <= 0:
            self._paper_blocks_left = None
            self.set_health(PAPER_OUT)
        else:
            self._paper_blocks_left = after_blocks

    def load_paper(self) -> None:
        self._paper_blocks_left = None
        super().load_paper()

    async def print_receipt(self, receipt: Receipt) -> PrintResult:
        return await asyncio.to_thread(self.print_receipt_blocking, receipt)

    def status_check(self) -> PrinterCheck:
        """As `EscposReceiptPrinter.status_check`: the profile, and the answers an Epson-like
        printer in the simulated state would give to DLE EOT 1-4."""
        health = self.health()
        status = PrinterStatus(
            online=health.state is not HealthState.OFFLINE,
            paper={"PAPER_OUT": Paper.OUT, "PAPER_LOW": Paper.NEAR_END}.get(health.code,
                                                                           Paper.OK),
            cover_open=health.code == "COVER_OPEN",
        )
        answers = {request[-1]: byte for request, byte in encode_status(status).items()}
        return PrinterCheck(self.model.profile, self.model.vendor, self.model.model,
                            self.model.encoding, "simulator", health, status, answers)

    def print_receipt_blocking(self, receipt: Receipt) -> PrintResult:
        job_id = new_job_id("R")
        blocks = layout(receipt, self.model.columns)
        blocks_segments(blocks, self.model)  # the real bytes: a text the printer can't take fails
        preview = blocks_png(blocks, self.model)
        with self._job_lock:
            if blocked := self._blocked():
                return PrintResult(job_id, False, blocked, failure_message(blocked.code), preview)
            for _block in blocks:
                time.sleep(self.seconds_per_block)
                if self._paper_blocks_left is not None:
                    self._paper_blocks_left -= 1
                    if self._paper_blocks_left <= 0:
                        self._paper_blocks_left = None
                        self.set_health(PAPER_OUT)
                if blocked := self._blocked():  # part of the slip is out: say it is torn
                    return PrintResult(job_id, False, blocked,
                                       failure_message(blocked.code, started=True), preview)
            self._keep(PrintedPreview(job_id, preview, datetime.now(),
                                      text="\n".join(printed_text(blocks))))
            return PrintResult(job_id, True, self.health(), RECEIPT_PRINTED, preview,
                               confirmed=True)

    def start(self) -> None:
        pass

    def stop(self) -> None:
        pass


@dataclass(frozen=True)
class Sheet:
    """One A4 sheet that came out: page `page` (1-based) of the job's document."""

    job_id: str
    page: int
    kind: str


class SimulatedA4Printer(_PreviewKeeper):
    def __init__(self, family: str = "a4_printer", seconds_per_page: float = 0.2) -> None:
        super().__init__(family)
        self.seconds_per_page = seconds_per_page
        self.sheets: list[Sheet] = []
        self._paper_pages_left: int | None = None

    def run_out_of_paper(self, after_pages: int = 0) -> None:
        """The tray is empty now, or after `after_pages` more sheets of the next jobs."""
        if after_pages <= 0:
            self._paper_pages_left = None
            self.set_health(PAPER_OUT)
        else:
            self._paper_pages_left = after_pages

    def load_paper(self) -> None:
        self._paper_pages_left = None
        super().load_paper()

    def check(self) -> Health:
        return self.health()  # steered by tests and the panel, reported as it changes

    async def print_document(self, document: A4Document, first_page: int = 1,
                             on_page: Callable[[int], None] | None = None) -> PrintResult:
        return await asyncio.to_thread(self.print_document_blocking, document, first_page,
                                       on_page)

    def print_document_blocking(self, document: A4Document, first_page: int = 1,
                                on_page: Callable[[int], None] | None = None) -> PrintResult:
        from devices.printer.a4_render import render_pdf  # Qt: at the first A4 print

        job_id = new_job_id("A4")
        rendered = render_pdf(document)
        done = max(0, first_page - 1)

        def failed(blocked: Health) -> PrintResult:
            return PrintResult(job_id, False, blocked, failure_message(blocked.code),
                               rendered.pdf, pages=rendered.pages, pages_done=done)

        with self._job_lock:
            if blocked := self._blocked():
                return failed(blocked)
            for page in range(first_page, rendered.pages + 1):
                if self._paper_pages_left is not None:
                    if self._paper_pages_left <= 0:
                        self._paper_pages_left = None
                        self.set_health(PAPER_OUT)
                    else:
                        self._paper_pages_left -= 1
                if blocked := self._blocked():
                    return failed(blocked)
                time.sleep(self.seconds_per_page)
                self.sheets.append(Sheet(job_id, page, rendered.kind))
                done = page
                if on_page is not None:
                    on_page(done)
            self._keep(PrintedPreview(job_id, rendered.pdf, datetime.now(), rendered.pages))
            return PrintResult(job_id, True, self.health(), DOCUMENT_PRINTED, rendered.pdf,
                               pages=rendered.pages, pages_done=done)
