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

"Completed" is what CUPS knows, which depends on the queue's backend (its `device-uri`):
- `ipp`/`ipps` (and the cups-pdf and file outputs): the backend follows the job on the device
  to its end, so completed is printed.
- `socket`, `usb`, `lpd` and anything else: CUPS completes the job once the backend has handed
  the data over (backend(7): CUPS_BACKEND_OK, "the print file was successfully transmitted"),
  paper or no paper (apple/cups#5441: a socket:// printer out of paper, the job gone from the
  queue as done; apple/cups#5425 on waiteof; OpenPrinting/system-config-printer#152: "usually
  the functionality about reporting such messages is implemented only in the ipp backend").
  What such a printer tells is its state reasons (the socket backend's SNMP query reports
  `media-empty-warning`, backend/snmp-supplies.c), so after completion the printer's reasons
  are watched for `settle_s` more: a fault there means the person has no paper in hand. The
  data is in the printer then and cannot be withdrawn; the result says so to staff.

A paused queue (printer-state stopped, reason `paused`, or not accepting jobs) stays paused
until someone runs cupsenable / cupsaccept (OpenPrinting/cups#278, #1005; apple/cups#5544). Who
paused it decides what the driver does; either way it withdraws the jobs of its own left in the
queue (those people are gone: nothing of theirs may come out for someone else).
- CUPS stops a queue by itself only when a job's backend fails under the stop-printer error
  policy or returns CUPS_BACKEND_STOP (OpenPrinting/cups scheduler/job.c finalize_job: "Printer
  stopped due to backend errors"; the job stays pending). The queue's state message is then
  the failed backend's last error, which CUPS also keeps in that job's
  job-printer-state-message (scheduler/job.c update_job → update_job_attrs). When one of
  the kiosk's own jobs carries the message the queue now shows, the pause followed that job:
  the driver starts the queue again with Resume-Printer (also later, once that job is
  withdrawn, while the queue shows the same message), and, where the server's policy keeps
  that to administrators, the health says what staff must run.
- Anything else is staff's: a queue rejecting jobs (only cupsreject or lpadmin do that), the message
  CUPS sets for a pause or rejection by hand ("Paused", "Rejecting Jobs": scheduler/ipp.c
  stop_printer, reject_jobs), the reason given with `cupsdisable -r`, a pause with none of the
  kiosk's jobs in it, or one made while a job printed (CUPS clears the message then; so does a
  backend that failed without an ERROR line: the kiosk asks staff rather than guess). The
  driver leaves it paused (staff took the printer out for maintenance: toner, a jam), reports
  `QUEUE_PAUSED` saying that someone other than the kiosk paused it and what to run once done,
  and every print fails at once with the printer-fault message for the person.
`connecting-to-device` is set by every backend at the start of every job (backend/socket.c,
usb-unix.c) and cleared at its end: not a fault, but a job that stays connecting longer than
`stall_timeout_s` is withdrawn as a printer not there.

`PdfA4Printer` writes each document as a PDF into a directory (a hall without an A4 printer,
or a printer fed by another system). Nothing here logs a document's content.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from devices.health import HEALTHY, Health, HealthReporter, HealthState
from devices.printer import ipp
from devices.printer.a4 import A4Document, PageListener, RenderedDocument
from devices.printer.a4_render import render_pdf
from devices.printer.result import DOCUMENT_PRINTED, PrintResult, failure_message, new_job_id

log = logging.getLogger(__name__)

# printer-state-reasons keywords (RFC 8011 §5.4.12, PWG 5100.9) → our health; suffixes
# -report/-warning/-error are stripped first
_REASONS: dict[str, Health] = {
    "media-empty": Health(HealthState.ERROR, "PAPER_OUT"),
    "media-tray-empty": Health(HealthState.ERROR, "PAPER_OUT"),  # PWG 5100.9 per-tray form
    "media-needed": Health(HealthState.ERROR, "PAPER_OUT"),
    "input-tray-missing": Health(HealthState.ERROR, "PAPER_OUT"),
    "media-jam": Health(HealthState.ERROR, "PAPER_JAM"),
    "door-open": Health(HealthState.ERROR, "COVER_OPEN"),
    "cover-open": Health(HealthState.ERROR, "COVER_OPEN"),
    "toner-empty": Health(HealthState.ERROR, "TONER_OUT"),
    "marker-supply-empty": Health(HealthState.ERROR, "TONER_OUT"),
    "offline": Health(HealthState.OFFLINE, "NO_DEVICE"),
    "shutdown": Health(HealthState.OFFLINE, "NO_DEVICE"),
    "media-low": Health(HealthState.DEGRADED, "PAPER_LOW"),
    "toner-low": Health(HealthState.DEGRADED, "TONER_LOW"),
    "marker-supply-low": Health(HealthState.DEGRADED, "TONER_LOW"),
}
# vendors name trays after the keyword (media-empty-tray-2 …): still an empty tray
_PAPER_OUT_PREFIXES = ("media-empty", "media-tray-empty")
PAPER_OUT = Health(HealthState.ERROR, "PAPER_OUT")
# a job on its way to the device; a fault only when it lasts (see the module's docstring)
CONNECTING = "connecting-to-device"
# faults a person at the kiosk cannot wait out: the job is withdrawn and staff called (a
# queue paused mid-job keeps the job pending until someone starts it: later, for someone else)
STAFF_FAULTS = frozenset({"PAPER_OUT", "PAPER_JAM", "COVER_OPEN", "TONER_OUT", "QUEUE_PAUSED"})
# of those, what the paper tray or the printer itself shows (watched after a handed-over job)
PRINTER_FAULTS = STAFF_FAULTS - {"QUEUE_PAUSED"}
# printer-state-message CUPS sets for a queue paused or rejecting by hand with no reason given
# (OpenPrinting/cups scheduler/ipp.c stop_printer, reject_jobs); `-r` puts the reason instead
MANUAL_PAUSE_MESSAGES = frozenset({"Paused", "Rejecting Jobs"})
# of the kiosk's unfinished jobs in a paused queue, how many are looked at for the one that
# was printing when CUPS stopped the queue (there is one; the rest waited behind it)
_JOBS_LOOKED_AT = 20
_SEVERITY = {HealthState.OK: 0, HealthState.DEGRADED: 1, HealthState.ERROR: 2,
             HealthState.OFFLINE: 3}
# device-uri schemes whose backend follows the job on the device to its end (or writes the
# output itself): CUPS's "completed" is then the printer's
_FOLLOWS_DEVICE = frozenset({"ipp", "ipps", "http", "https", "cups-pdf", "file"})


def _keyword(reason: str) -> str:
    for suffix in ("-report", "-warning", "-error"):
        reason = reason.removesuffix(suffix)
    return reason


def health_from_reasons(reasons: tuple[str, ...]) -> Health:
    """The printer's health from its state reasons alone (worst reason wins)."""
    worst = HEALTHY
    for reason in reasons:
        keyword = _keyword(reason)
        health = _REASONS.get(keyword)
        if health is None and keyword.startswith(_PAPER_OUT_PREFIXES):
            health = PAPER_OUT
        if health is not None and _SEVERITY[health.state] > _SEVERITY[worst.state]:
            worst = health
    return worst


def health_from_printer(state: ipp.PrinterState) -> Health:
    """The queue's health from its IPP state: a paused queue first (its reasons are those of
    the last job and nothing refreshes them until it runs again), then the worst reason."""
    if state.paused:
        why = ",".join(r for r in state.reasons if r != "none") or "none"
        rejecting = "" if state.accepting else ", not accepting jobs"
        return Health(HealthState.ERROR, "QUEUE_PAUSED",
                      f"printer-state {_STATE_NAMES.get(state.state, state.state)}{rejecting}; "
                      f"reasons {why}"[:300])
    return health_from_reasons(state.reasons)


_STATE_NAMES = {ipp.PRINTER_IDLE: "idle", ipp.PRINTER_PROCESSING: "processing",
                ipp.PRINTER_STOPPED: "stopped"}


def could_be_cups_stop(printer: ipp.PrinterState) -> bool:
    """Whether the queue's pause may be CUPS's own after a backend failure: stopped, still
    accepting, and showing a backend's message, not one set by hand (module docstring)."""
    return (printer.state == ipp.PRINTER_STOPPED and printer.accepting
            and bool(printer.message) and printer.message not in MANUAL_PAUSE_MESSAGES)


def paused_after(printer: ipp.PrinterState, job: ipp.JobState) -> bool:
    """Whether CUPS stopped the queue when `job`'s backend failed: the job carries the message
    the queue shows (staff pausing it afterwards changes the queue's message, not the job's)."""
    return could_be_cups_stop(printer) and job.printer_message == printer.message


def staff_pause_detail(queue: str, printer: ipp.PrinterState) -> str:
    """The health detail of a queue paused by someone other than the kiosk."""
    state = _STATE_NAMES.get(printer.state, str(printer.state))
    how = state + ("" if printer.accepting else ", not accepting jobs")
    said = f"；原因：{printer.message[:80]}" if printer.message else ""
    return (f"打印队列 {queue} 被本机以外的人暂停（{how}{said}），本机不会自动恢复，"
            f"A4 打印暂不可用。维护完毕后请执行 cupsenable {queue} && cupsaccept {queue}")


def follows_device(device_uri: str) -> bool:
    """Whether CUPS's "completed" on this queue means printed (see the module docstring); an
    unknown backend is taken as one that only hands the data over."""
    return device_uri.split(":", 1)[0].lower() in _FOLLOWS_DEVICE


def error_policy_advice(policy: str, queue: str) -> str:
    """What staff should know of the queue's printer-error-policy ("" when it suits a kiosk:
    abort-job, a failed job is dropped and nothing is held back)."""
    fix = f"lpadmin -p {queue} -o printer-error-policy=abort-job"
    if policy == "stop-printer":
        return ("printer-error-policy 为 stop-printer：打印机出一次错，CUPS 就暂停整个队列，"
                f"直到有人执行 cupsenable {queue}（本机会尝试自动恢复）。建议改为 abort-job：{fix}")
    if policy in ("retry-job", "retry-current-job"):
        return (f"printer-error-policy 为 {policy}：失败的任务稍后会重打，可能在下一位群众面前打出"
                f"上一位的材料。建议改为 abort-job：{fix}")
    return ""


def printer_uri(port: str) -> str:
    text = port.strip()
    if not text:
        raise ValueError("no CUPS queue configured (a queue name or ipp://host:port/printers/Q)")
    if "://" in text:
        return text
    return f"ipp://localhost:631/printers/{text}"


class _Failed(Protocol):
    """What a print job answers when it fails: `health` reported, `pages_out` printed."""

    def __call__(self, health: Health, pages_out: int = 0) -> PrintResult: ...


@dataclass(frozen=True)
class QueueStatus:
    """How the A4 queue stands, for staff (`main.py devices check`, selftest): see `lines`."""

    queue: str  # the printer URI
    reachable: bool
    state: str = "unknown"  # idle, processing, stopped
    reasons: tuple[str, ...] = ()
    accepting: bool = False
    error_policy: str = ""
    backend: str = ""  # the device-uri's scheme: ipp, socket, usb …
    follows_device: bool = False
    settle_s: float = 0.0
    health: Health = HEALTHY
    advice: tuple[str, ...] = ()

    def lines(self) -> list[str]:
        if not self.reachable:
            return [f"queue {self.queue}: not reachable ({self.health.detail})", *self.advice]
        completed = ("completed = printed (the backend follows the job on the printer)"
                     if self.follows_device else
                     f"completed = data handed over; printer watched {self.settle_s:g} s more")
        return [f"queue {self.queue}: {self.state}, "
                f"{'accepting' if self.accepting else 'rejecting'} jobs, "
                f"reasons {','.join(self.reasons) or 'none'}",
                f"backend {self.backend or '?'}: {completed}",
                f"printer-error-policy {self.error_policy or '?'}",
                f"health {self.health.state.value} {self.health.code}"
                + (f" ({self.health.detail})" if self.health.detail else ""),
                *self.advice]


class CupsA4Printer(HealthReporter):
    def __init__(self, uri: str, family: str = "a4_printer", poll_s: float = 0.5,
                 stall_timeout_s: float = 60.0, job_timeout_s: float = 180.0,
                 fault_grace_s: float = 2.0, settle_s: float = 8.0) -> None:
        super().__init__(family)
        self.client = ipp.IppClient(uri)
        self.queue = uri.rstrip("/").rsplit("/", 1)[-1]
        self.poll_s = poll_s
        self.fault_grace_s = fault_grace_s
        self.stall_timeout_s = stall_timeout_s
        self.job_timeout_s = job_timeout_s
        # after CUPS completed a job on a queue that only hands the data over: how long the
        # printer's state is watched before the pages count as printed
        self.settle_s = settle_s
        self._job_lock = threading.Lock()
        # the queue's message when it was last found paused after one of the kiosk's own jobs:
        # still the kiosk's to start while it shows that message (its jobs are withdrawn by then)
        self._own_pause: str | None = None

    @classmethod
    def from_port(cls, port: str, **kwargs: Any) -> CupsA4Printer:
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
        """The queue's health now, a paused queue started again where CUPS allows; the health
        returned (not the one reported) also names the error policy and any advice on it."""
        try:
            printer = self._running_queue(self.client.printer())
        except ipp.IppError as exc:
            self.report(Health(HealthState.OFFLINE, "NO_DEVICE", str(exc)))
            return self.health()
        health = self.health()
        policy = f"printer-error-policy {printer.error_policy or '?'}"
        advice = error_policy_advice(printer.error_policy, self.queue)
        detail = "; ".join(part for part in (health.detail, policy, advice) if part)
        return Health(health.state, health.code, detail)

    def describe(self) -> QueueStatus:
        """The queue as staff should see it (state, backend, error policy, advice); asks CUPS
        now and changes nothing."""
        try:
            printer = self.client.printer()
        except ipp.IppError as exc:
            return QueueStatus(self.client.printer_uri, False,
                               health=Health(HealthState.OFFLINE, "NO_DEVICE", str(exc)),
                               settle_s=self.settle_s)
        backend = printer.device_uri.split(":", 1)[0].lower()
        advice = [text for text in (error_policy_advice(printer.error_policy, self.queue),)
                  if text]
        if printer.paused:
            try:
                ours = self._pause_follows_own_job(printer, self.client.my_unfinished_jobs())
            except ipp.IppError:
                ours = False
            advice.append(f"队列在本机的任务出错后被 CUPS 暂停：本机打印或自检时会撤下遗留任务"
                          f"并恢复；也可执行 cupsenable {self.queue}" if ours
                          else staff_pause_detail(self.queue, printer))
        return QueueStatus(self.client.printer_uri, True,
                           _STATE_NAMES.get(printer.state, str(printer.state)), printer.reasons,
                           printer.accepting, printer.error_policy, backend,
                           follows_device(printer.device_uri), self.settle_s,
                           health_from_printer(printer), tuple(advice))

    def _running_queue(self, printer: ipp.PrinterState) -> ipp.PrinterState:
        """`printer` as it is once a queue CUPS paused after one of the kiosk's jobs was started
        again (reported as it goes); a queue staff paused, or one the server refuses to let
        the kiosk start, stays paused, with what staff must do in the health."""
        if not printer.paused:
            self._own_pause = None
            self.report(health_from_printer(printer))
            return printer
        # reported once it is known whose pause it is (staff's: one change, not two)
        paused = health_from_printer(printer).detail
        try:
            own_jobs = self.client.my_unfinished_jobs()
            ours = self._pause_follows_own_job(printer, own_jobs)
            self._own_pause = printer.message if ours else None
            # those jobs belong to people who have gone: nothing of theirs must come out when
            # anyone starts the queue
            for cups_job in own_jobs:
                self._cancel(cups_job)
            if not ours:
                log.warning("A4 queue %s paused by someone other than the kiosk (%s): left "
                            "paused", self.queue, paused)
                self.report(Health(HealthState.ERROR, "QUEUE_PAUSED",
                                   staff_pause_detail(self.queue, printer)))
                return printer
            log.warning("A4 queue %s paused by CUPS after a kiosk job (%s): starting it again",
                        self.queue, paused)
            self.report(health_from_printer(printer))
            self.client.resume()
        except ipp.IppError as exc:
            if not exc.refused:
                raise
            log.warning("A4 queue %s: CUPS does not let the kiosk start it: %s", self.queue, exc)
            self.report(Health(
                HealthState.ERROR, "QUEUE_PAUSED",
                f"CUPS 暂停了打印队列 {self.queue}（{paused}），本机无权恢复：请执行 "
                f"cupsenable {self.queue}，或在 cupsd.conf 中允许本机用户执行 Resume-Printer"))
            return printer
        printer = self.client.printer()
        if not printer.paused:  # a later stop is judged afresh
            self._own_pause = None
        log.info("A4 queue %s started again: %s", self.queue, ",".join(printer.reasons))
        self.report(health_from_printer(printer))
        return printer

    def _pause_follows_own_job(self, printer: ipp.PrinterState, own_jobs: list[int]) -> bool:
        """Whether the paused queue is the kiosk's to start: CUPS stopped it when one of the
        kiosk's jobs (`own_jobs`: its unfinished ones) failed, or did so earlier (module
        docstring). Asks CUPS, changes nothing."""
        if not could_be_cups_stop(printer):
            return False
        if self._own_pause == printer.message:
            return True
        return any(paused_after(printer, self.client.job(cups_job))
                   for cups_job in own_jobs[:_JOBS_LOOKED_AT])

    def _print(self, job_id: str, rendered: RenderedDocument, first_page: int,
               on_page: PageListener | None) -> PrintResult:
        def failed(health: Health, pages_out: int = 0) -> PrintResult:
            self.report(health)
            return PrintResult(job_id, False, health, failure_message(health.code), rendered.pdf,
                               pages=rendered.pages, pages_done=first_page - 1 + pages_out)

        try:
            printer = self._running_queue(self.client.printer())
            health = self.health()
            # a paper-out left over from a withdrawn job is not news: submit, and the job
            # shows whether the tray was filled; a paused or absent printer gets nothing
            if health.state is HealthState.OFFLINE or printer.paused:
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
        log.info("A4 %s: CUPS job %d (backend %s)", job_id, cups_job,
                 printer.device_uri.split(":", 1)[0] or "?")
        done = self._follow(job_id, cups_job, rendered, first_page, failed, on_page)
        if done.printed and not follows_device(printer.device_uri):
            return self._settle(done, failed)
        return done

    def _follow(self, job_id: str, cups_job: int, rendered: RenderedDocument, first_page: int,
                failed: _Failed, on_page: PageListener | None) -> PrintResult:
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
                    if paused_after(printer, job):  # the kiosk's to start again (docstring)
                        self._own_pause = printer.message
                    return failed(last_health, self._withdraw(cups_job))
            else:
                fault_since = None
            connecting = CONNECTING in {_keyword(reason) for reason in printer.reasons}
            blocking = last_health.state in (HealthState.ERROR, HealthState.OFFLINE) or (
                job.state in (ipp.JOB_HELD, ipp.JOB_STOPPED)) or connecting
            if blocking:
                self.report(last_health)
                stalled_since = stalled_since or now
                if now - stalled_since >= self.stall_timeout_s:
                    return failed(_stalled(last_health, connecting, job),
                                  self._withdraw(cups_job))
            else:
                stalled_since = None
            if now - started >= self.job_timeout_s:
                return failed(Health(HealthState.ERROR, "PRINT_TIMEOUT"), self._withdraw(cups_job))
            time.sleep(self.poll_s)

    def _settle(self, done: PrintResult, failed: _Failed) -> PrintResult:
        """`done` once the printer has shown no fault for `settle_s` after CUPS completed the
        job; a fault meanwhile means the pages did not come out (none known to be out)."""
        deadline = time.monotonic() + self.settle_s
        health = done.health
        while True:
            if health.code in PRINTER_FAULTS:
                log.warning("A4 %s: CUPS completed the job but the printer reports %s",
                            done.job_id, health.code)
                return failed(Health(health.state, health.code,
                                     "打印机已收下数据但缺纸未打出，数据仍在打印机里，加纸后可能"
                                     "自动打出：请先确认，再让群众选择继续打印，以免重复"))
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.report(health)
                return PrintResult(done.job_id, True, health, done.message, done.preview,
                                   pages=done.pages, pages_done=done.pages_done)
            time.sleep(min(self.poll_s, remaining))
            try:
                health = health_from_printer(self.client.printer())
            except ipp.IppError as exc:
                # the data was handed over, but whether it came out is not known
                return failed(Health(HealthState.OFFLINE, "NO_DEVICE", str(exc)))
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


def _stalled(health: Health, connecting: bool, job: ipp.JobState) -> Health:
    """Why a job that made no progress for too long was withdrawn."""
    if not health.ok:
        return health
    if connecting:
        return Health(HealthState.OFFLINE, "NO_DEVICE", "the backend never reached the printer")
    return Health(HealthState.ERROR, "PRINTER_ERROR", ",".join(job.reasons))


class PdfA4Printer(HealthReporter):
    """Writes every document as a PDF into `directory` ("printing to PDF")."""

    def __init__(self, directory: str | Path, family: str = "a4_printer") -> None:
        super().__init__(family)
        self.directory = Path(directory)

    async def print_document(self, document: A4Document, first_page: int = 1,
                             on_page: PageListener | None = None) -> PrintResult:
        return await asyncio.to_thread(self.print_document_blocking, document, first_page)

    def check(self) -> Health:
        """A folder that could not be written may be writable now: reported when it is."""
        if not self.health().ok and os.access(self.directory, os.W_OK):
            self.report(HEALTHY)
        return self.health()

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
