"""The A4 printer: its port, a driver printing through CUPS, and one writing PDF files.

`CupsA4Printer` renders the document once with Qt (`a4.py`), submits the PDF (bytes over IPP,
never a file) to the configured CUPS queue and follows the job until it is completed, canceled
or aborted. A fault the person must call staff for (paper out, jam, cover open, toner out) that
lasts `fault_grace_s` ends the job at once: it is cancelled — a copy of someone's ID card must
not come out later for the next person — and the result says how many pages came out (the
job's `job-impressions-completed`, which CUPS counts from the driver's page accounting). The
retry after staff fixed the printer passes `first_page` = pages done + 1 and only the rest is
printed (IPP `page-ranges`): nothing comes out twice. A printer that stays stopped otherwise
(paused, offline) longer than `stall_timeout_s`, or a job longer than `job_timeout_s`, is
cancelled the same way. The configured `port`
is the queue name on the local CUPS (localhost:631) or a full `ipp://host:port/printers/QUEUE`.

`PdfA4Printer` writes each document as a PDF into a directory (a hall without an A4 printer,
or a printer fed by another system). Nothing here logs a document's content.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from devices.health import HEALTHY, Health, HealthListener, HealthReporter, HealthState
from devices.printer import ipp
from devices.printer.a4 import A4Document, RenderedDocument, render_pdf
from devices.printer.result import DOCUMENT_PRINTED, PrintResult, failure_message, new_job_id

log = logging.getLogger(__name__)

# printer-state-reasons keywords (RFC 8011 §5.4.12, PWG 5100.9) → our health; suffixes
# -report/-warning/-error are stripped first
_REASONS: dict[str, Health] = {
    "media-empty": Health(HealthState.ERROR, "PAPER_OUT"),
    "media-needed": Health(HealthState.ERROR, "PAPER_OUT"),
    "input-tray-missing": Health(HealthState.ERROR, "PAPER_OUT"),
    "media-jam": Health(HealthState.ERROR, "PAPER_JAM"),
    "door-open": Health(HealthState.ERROR, "COVER_OPEN"),
    "cover-open": Health(HealthState.ERROR, "COVER_OPEN"),
    "toner-empty": Health(HealthState.ERROR, "TONER_OUT"),
    "marker-supply-empty": Health(HealthState.ERROR, "TONER_OUT"),
    "offline": Health(HealthState.OFFLINE, "NO_DEVICE"),
    "shutdown": Health(HealthState.OFFLINE, "NO_DEVICE"),
    "connecting-to-device": Health(HealthState.OFFLINE, "NO_DEVICE"),
    "paused": Health(HealthState.ERROR, "PRINTER_STOPPED"),
    "media-low": Health(HealthState.DEGRADED, "PAPER_LOW"),
    "toner-low": Health(HealthState.DEGRADED, "TONER_LOW"),
    "marker-supply-low": Health(HealthState.DEGRADED, "TONER_LOW"),
}
# faults a person at the kiosk cannot wait out: the job is withdrawn and staff called
STAFF_FAULTS = frozenset({"PAPER_OUT", "PAPER_JAM", "COVER_OPEN", "TONER_OUT"})
_SEVERITY = {HealthState.OK: 0, HealthState.DEGRADED: 1, HealthState.ERROR: 2,
             HealthState.OFFLINE: 3}


def health_from_printer(state: ipp.PrinterState) -> Health:
    """The printer's health from its IPP state and reasons (worst reason wins)."""
    worst = HEALTHY
    for reason in state.reasons:
        keyword = reason
        for suffix in ("-report", "-warning", "-error"):
            keyword = keyword.removesuffix(suffix)
        health = _REASONS.get(keyword)
        if health is not None and _SEVERITY[health.state] > _SEVERITY[worst.state]:
            worst = health
    if state.state == ipp.PRINTER_STOPPED and worst.state in (HealthState.OK,
                                                               HealthState.DEGRADED):
        worst = Health(HealthState.ERROR, "PRINTER_STOPPED")
    return worst


class A4Printer(Protocol):
    """The port flows use; the CUPS and PDF drivers and the simulator provide it."""

    family: str

    def health(self) -> Health: ...

    def on_health_change(self, listener: HealthListener) -> None: ...

    async def print_document(self, document: A4Document, first_page: int = 1,
                             on_page: PageListener | None = None) -> PrintResult:
        """Print pages `first_page`.. of the document; never raises for a printer fault: look
        at `result.printed`, `.message` and `.pages_done` (where a retry starts again).
        `on_page(pages_done)` is called, from a worker thread, as pages come out."""


PageListener = Callable[[int], None]


def printer_uri(port: str) -> str:
    text = port.strip()
    if not text:
        raise ValueError("no CUPS queue configured (a queue name or ipp://host:port/printers/Q)")
    if "://" in text:
        return text
    return f"ipp://localhost:631/printers/{text}"


class CupsA4Printer(HealthReporter):
    def __init__(self, uri: str, family: str = "a4_printer", poll_s: float = 0.5,
                 stall_timeout_s: float = 60.0, job_timeout_s: float = 180.0,
                 fault_grace_s: float = 2.0) -> None:
        super().__init__(family)
        self.client = ipp.IppClient(uri)
        self.poll_s = poll_s
        self.fault_grace_s = fault_grace_s
        self.stall_timeout_s = stall_timeout_s
        self.job_timeout_s = job_timeout_s
        self._job_lock = threading.Lock()

    @classmethod
    def from_port(cls, port: str, **kwargs) -> CupsA4Printer:
        return cls(printer_uri(port), **kwargs)

    async def print_document(self, document: A4Document, first_page: int = 1,
                             on_page: PageListener | None = None) -> PrintResult:
        return await asyncio.to_thread(self.print_document_blocking, document, first_page,
                                       on_page)

    def print_document_blocking(self, document: A4Document, first_page: int = 1,
                                on_page: PageListener | None = None) -> PrintResult:
        job_id = new_job_id("A4")
        rendered = render_pdf(document)
        log.info("A4 %s: %s, %d pages from page %d, %d bytes", job_id, rendered.kind,
                 rendered.pages, first_page, len(rendered.pdf))
        with self._job_lock:
            result = self._print(job_id, rendered, max(1, first_page), on_page)
        log.info("A4 %s: %s (%s), %d of %d pages done", job_id,
                 "printed" if result.printed else "not printed", result.code, result.pages_done,
                 result.pages)
        return result

    def check(self) -> Health:
        try:
            self.report(health_from_printer(self.client.printer()))
        except ipp.IppError as exc:
            self.report(Health(HealthState.OFFLINE, "NO_DEVICE", str(exc)))
        return self.health()

    def _print(self, job_id: str, rendered: RenderedDocument, first_page: int,
               on_page: PageListener | None) -> PrintResult:
        def failed(health: Health, pages_out: int = 0) -> PrintResult:
            self.report(health)
            return PrintResult(job_id, False, health, failure_message(health.code), rendered.pdf,
                               pages=rendered.pages, pages_done=first_page - 1 + pages_out)

        try:
            printer = self.client.printer()
            health = health_from_printer(printer)
            self.report(health)
            # a paper-out left over from a withdrawn job is not news: submit, and the job
            # shows whether the tray was filled; a stopped or absent printer gets nothing
            if health.state is HealthState.OFFLINE or printer.state == ipp.PRINTER_STOPPED:
                return failed(health)
            options = [ipp.Attribute(ipp.KEYWORD, "media", ("iso_a4_210x297mm",)),
                       ipp.Attribute(ipp.KEYWORD, "print-scaling", ("none",)),
                       ipp.Attribute(ipp.KEYWORD, "print-color-mode",
                                     ("color" if rendered.colour else "monochrome",)),
                       ipp.Attribute(ipp.INTEGER, "copies", (1,))]
            if first_page > 1:
                options.append(ipp.page_range(first_page, max(first_page, rendered.pages)))
            cups_job = self.client.print_pdf(rendered.pdf, f"{rendered.kind} {job_id}", options)
        except ipp.IppError as exc:
            return failed(Health(HealthState.OFFLINE, "NO_DEVICE", str(exc)))
        log.info("A4 %s: CUPS job %d", job_id, cups_job)
        return self._follow(job_id, cups_job, rendered, first_page, failed, on_page)

    def _follow(self, job_id: str, cups_job: int, rendered: RenderedDocument, first_page: int,
                failed, on_page: PageListener | None):
        started = time.monotonic()
        told = 0  # pages of this job reported to on_page
        stalled_since: float | None = None
        fault_since: float | None = None
        last_health = self.health()
        while True:
            try:
                job = self.client.job(cups_job)
                printer = self.client.printer()
            except ipp.IppError as exc:
                # the server went away mid-job: withdraw it if we can, never claim success;
                # what came out is unknown, so a retry starts where this job started
                self._cancel(cups_job)
                return failed(Health(HealthState.OFFLINE, "NO_DEVICE", str(exc)))
            last_health = health_from_printer(printer)
            if on_page is not None and job.impressions > told:
                told = job.impressions
                on_page(first_page - 1 + told)
            if job.state == ipp.JOB_COMPLETED:
                self.report(last_health)
                return PrintResult(job_id, True, last_health, DOCUMENT_PRINTED, rendered.pdf,
                                   pages=rendered.pages or job.impressions,
                                   pages_done=rendered.pages or first_page - 1 + job.impressions)
            if job.state in (ipp.JOB_CANCELED, ipp.JOB_ABORTED):
                blocked = last_health if not last_health.ok else Health(
                    HealthState.ERROR, "PRINTER_ERROR", ",".join(job.reasons))
                return failed(blocked, job.impressions)
            now = time.monotonic()
            if last_health.code in STAFF_FAULTS:
                fault_since = fault_since or now
                if now - fault_since >= self.fault_grace_s:
                    return failed(last_health, self._withdraw(cups_job))
            else:
                fault_since = None
            blocking = last_health.state in (HealthState.ERROR, HealthState.OFFLINE) or (
                job.state in (ipp.JOB_HELD, ipp.JOB_STOPPED))
            if blocking:
                self.report(last_health)
                stalled_since = stalled_since or now
                if now - stalled_since >= self.stall_timeout_s:
                    code = last_health if not last_health.ok else Health(
                        HealthState.ERROR, "PRINTER_STOPPED", ",".join(job.reasons))
                    return failed(code, self._withdraw(cups_job))
            else:
                stalled_since = None
            if now - started >= self.job_timeout_s:
                return failed(Health(HealthState.ERROR, "PRINT_TIMEOUT"), self._withdraw(cups_job))
            time.sleep(self.poll_s)

    def _withdraw(self, cups_job: int) -> int:
        """Cancel the job; the pages it printed before it stopped (0 when unknown)."""
        self._cancel(cups_job)
        try:
            return self.client.job(cups_job).impressions
        except ipp.IppError:
            return 0

    def _cancel(self, cups_job: int) -> None:
        try:
            self.client.cancel(cups_job)
            log.info("CUPS job %d cancelled", cups_job)
        except ipp.IppError as exc:
            log.warning("CUPS job %d could not be cancelled: %s", cups_job, exc)


class PdfA4Printer(HealthReporter):
    """Writes every document as a PDF into `directory` ("printing to PDF")."""

    def __init__(self, directory: str | Path, family: str = "a4_printer") -> None:
        super().__init__(family)
        self.directory = Path(directory)

    async def print_document(self, document: A4Document, first_page: int = 1,
                             on_page: PageListener | None = None) -> PrintResult:
        return await asyncio.to_thread(self.print_document_blocking, document, first_page)

    def print_document_blocking(self, document: A4Document, first_page: int = 1) -> PrintResult:
        """The whole document (a file either arrives or does not: `first_page` is moot)."""
        job_id = new_job_id("A4")
        rendered = render_pdf(document)
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            target = self.directory / f"{job_id}-{rendered.kind}.pdf"
            partial = target.with_suffix(".part")
            partial.write_bytes(rendered.pdf)
            partial.replace(target)  # a reader of the folder never sees half a file
        except OSError as exc:
            health = Health(HealthState.OFFLINE, "NO_DEVICE", f"{self.directory}: {exc.strerror}")
            self.report(health)
            return PrintResult(job_id, False, health, failure_message(health.code), rendered.pdf,
                               pages=rendered.pages)
        self.report(HEALTHY)
        log.info("A4 %s: %s written, %d pages", job_id, rendered.kind, rendered.pages)
        return PrintResult(job_id, True, HEALTHY, DOCUMENT_PRINTED, rendered.pdf,
                           pages=rendered.pages, pages_done=rendered.pages)
