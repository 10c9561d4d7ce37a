"""The receipt printer: its port, and the real driver speaking ESC/POS over a link.

A job is sent block by block. Before the first block and after every block the driver asks the
printer for its real-time status (DLE EOT); paper out, a cover left open or an error stops the
job at once, clears what the printer still holds (so the rest does not come out for the next
person when paper is loaded) and returns a failed `PrintResult` with the code, which health
reports too. After the cut, a model whose profile says so is sent GS r 1: the printer answers it
only once everything before it was printed and cut, so the slip counts as printed (`confirmed`)
only when that answer comes; while waiting the driver keeps asking DLE EOT, and paper running
out on the way fails the job with PAPER_OUT and a sentence saying the slip is incomplete. A
model that cannot confirm counts a job printed when every block went out and the printer
reported no fault afterwards; over a link that cannot answer (a file) the result says the
status is unknown.

Jobs run one at a time in a worker thread; `print_receipt` is a coroutine, so the GUI never
waits on the printer. A watcher asks for the status every `poll_interval_s` while idle so the
manager console sees an empty roll before a citizen does. Receipt text is never logged.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from devices.health import Health, HealthListener, HealthReporter, HealthState
from devices.printer.escpos import (
    CLEAR_BUFFERS,
    ERROR_CAUSE,
    OFFLINE_CAUSE,
    PAPER_SENSOR,
    PRINTER_STATUS,
    TRANSMIT_PAPER_STATUS,
    Paper,
    PrinterModel,
    PrinterStatus,
    StatusRequest,
    decode_paper_report,
    is_paper_report,
    is_status_byte,
    model_status,
    receipt_segments,
)
from devices.printer.preview import receipt_png
from devices.printer.receipt import Receipt, Row
from devices.printer.result import RECEIPT_PRINTED, PrintResult, failure_message, new_job_id
from devices.printer.transports import LinkError, PrinterLink, open_link, parse_port

log = logging.getLogger(__name__)

NO_DEVICE = Health(HealthState.OFFLINE, "NO_DEVICE")


class ReceiptPrinter(Protocol):
    """The port flows use; the real driver and the simulator both provide it."""

    family: str

    def health(self) -> Health: ...

    def on_health_change(self, listener: HealthListener) -> None: ...

    async def print_receipt(self, receipt: Receipt) -> PrintResult:
        """Print; never raises for a printer fault: look at `result.printed` and `.message`."""
        ...

    def start(self) -> None: ...

    def stop(self) -> None: ...


class StatusUnanswered(Exception):
    """The link can read but the printer did not answer a status request in time."""


def read_answers(
    link: PrinterLink, requests: tuple[StatusRequest, ...], timeout_s: float,
    paper_reports: list[int] | None = None,
) -> dict[bytes, int]:
    """Ask the printer for its real-time status (one request at a time, as ESC/POS wants);
    request → answer byte. A GS r answer that arrives meanwhile goes to `paper_reports`."""
    answers: dict[bytes, int] = {}
    for request in requests:
        link.write(request)
        deadline = time.monotonic() + timeout_s
        while True:
            remaining = deadline - time.monotonic()
            data = link.read(max(0.0, remaining)) if remaining > 0 else b""
            if paper_reports is not None:
                paper_reports.extend(byte for byte in data if is_paper_report(byte))
            status_bytes = [byte for byte in data if is_status_byte(byte)]
            if status_bytes:
                answers[request] = status_bytes[-1]
                break
            if remaining <= 0:
                raise StatusUnanswered(f"no answer to DLE EOT {request[-1]}")
    return answers


def query_status(
    link: PrinterLink, requests: tuple[StatusRequest, ...], timeout_s: float,
    model: PrinterModel | None = None, paper_reports: list[int] | None = None,
) -> PrinterStatus:
    """The printer's real-time status, decoded with the model's status bits."""
    answers = read_answers(link, requests, timeout_s, paper_reports)
    return model_status(answers, model or PrinterModel())


@dataclass(frozen=True)
class PrinterCheck:
    """What `devices check` shows of a receipt printer: which model, over which link, and what
    it says about itself now (`answers`: DLE EOT n → the byte it answered)."""

    profile: str
    vendor: str
    model: str
    encoding: str
    link: str
    health: Health
    status: PrinterStatus | None  # None: the link cannot read, or the printer did not answer
    answers: dict[int, int] = field(default_factory=dict)


def test_slip(model: PrinterModel) -> Receipt:
    """A slip for the installer: the profile, and lines that show whether the encoding is
    right (the rare ideographs come out as an image where the encoding lacks them)."""
    return Receipt(
        title="打印机测试",
        rows=(Row("型号", f"{model.vendor} {model.model}".strip()), Row("配置", model.profile),
              Row("编码", model.encoding), Row("每行字数", str(model.columns))),
        lines=("常用字：政务服务自助终端，。（）", "生僻字：䶮 𬌗 ¥"),
        footer=("测试完成",),
    )


class EscposReceiptPrinter(HealthReporter):
    def __init__(
        self,
        link_factory: Callable[[], PrinterLink],
        model: PrinterModel | None = None,
        family: str = "receipt_printer",
        status_timeout_s: float = 1.5,
        poll_interval_s: float = 30.0,
        completion_timeout_s: float = 30.0,
    ) -> None:
        super().__init__(family)
        self.model = model or PrinterModel()
        self._link_factory = link_factory
        self._status_timeout_s = status_timeout_s
        # a slip takes seconds; a printer that has not finished it by then is stuck
        self._completion_timeout_s = completion_timeout_s
        self._link_description = ""
        self._poll_interval_s = poll_interval_s
        self._job_lock = threading.Lock()
        self._stopping = threading.Event()
        self._watcher: threading.Thread | None = None
        self.printed_jobs: list[str] = []  # ids of jobs the printer took whole, in order

    @classmethod
    def from_port(cls, port: str, baud: int = 115200, **kwargs: Any) -> EscposReceiptPrinter:
        spec = parse_port(port, baud)
        model = PrinterModel.from_profile(spec.profile, realtime_status=spec.status)
        return cls(lambda: open_link(spec), model, **kwargs)

    # -- the port ---------------------------------------------------------------------------

    async def print_receipt(self, receipt: Receipt) -> PrintResult:
        return await asyncio.to_thread(self.print_receipt_blocking, receipt)

    def print_receipt_blocking(self, receipt: Receipt) -> PrintResult:
        job_id = new_job_id("R")
        segments = receipt_segments(receipt, self.model)
        preview = receipt_png(receipt, self.model)
        log.info("receipt %s: %d blocks, %d bytes, %d characters of text", job_id,
                 len(segments) - 2, sum(map(len, segments)), receipt.text_length)
        with self._job_lock:
            result = self._run_job(job_id, segments)
        result = PrintResult(result.job_id, result.printed, result.health, result.message,
                             preview, result.status_known, confirmed=result.confirmed)
        if result.printed:
            self.printed_jobs.append(job_id)
        log.info("receipt %s: %s (%s)", job_id, "printed" if result.printed else "not printed",
                 result.code)
        return result

    def check(self) -> Health:
        """Ask the printer for its status now and report it."""
        return self.status_check().health

    def status_check(self) -> PrinterCheck:
        """The profile and link, and the printer's answers to DLE EOT 1-4 now (also reported
        as health): what `devices check` prints."""
        status: PrinterStatus | None = None
        raw: dict[int, int] = {}
        with self._job_lock:
            link = self._link_factory()
            try:
                link.open()
                if self._reads(link):
                    answers = read_answers(
                        link, (PRINTER_STATUS, OFFLINE_CAUSE, ERROR_CAUSE, PAPER_SENSOR),
                        self._status_timeout_s)
                    raw = {request[-1]: byte for request, byte in answers.items()}
                    status = model_status(answers, self.model)
                    self.report(status.health())
                else:
                    self.report(Health(HealthState.OK, "OK", "status not readable over this link"))
            except (LinkError, StatusUnanswered) as exc:
                self.report(Health(NO_DEVICE.state, NO_DEVICE.code, str(exc)))
            finally:
                link.close()
            description = getattr(link, "description", "")
        return PrinterCheck(self.model.profile, self.model.vendor, self.model.model,
                            self.model.encoding, description, self.health(), status, raw)

    def start(self) -> None:
        if self._watcher is not None or self._poll_interval_s <= 0:
            return
        self._stopping.clear()
        self._watcher = threading.Thread(target=self._watch, name="receipt-printer-status",
                                         daemon=True)
        self._watcher.start()

    def stop(self) -> None:
        self._stopping.set()
        watcher, self._watcher = self._watcher, None
        if watcher is not None:
            watcher.join(timeout=self._status_timeout_s * 4 + 1)

    # -- the job ----------------------------------------------------------------------------

    def _run_job(self, job_id: str, segments: list[bytes]) -> PrintResult:
        link = self._link_factory()
        try:
            link.open()
        except LinkError as exc:
            return self._failed(job_id, Health(NO_DEVICE.state, NO_DEVICE.code, str(exc)))
        try:
            reads = self._reads(link)
            if reads:
                status = self._status(link, full=True)
                if not status.can_print:
                    return self._failed(job_id, status.health())
            for index, segment in enumerate(segments):
                link.write(segment)
                if reads:
                    status = self._status(link)
                    if not status.can_print:
                        self._abort(link)
                        return self._failed(job_id, status.health(), started=index > 0)
            if not reads:
                return PrintResult(job_id, True, self.health(), RECEIPT_PRINTED,
                                   status_known=False)
            if self.model.confirms_completion:
                return self._confirm(job_id, link)
            return PrintResult(job_id, True, self.health(), RECEIPT_PRINTED)
        except StatusUnanswered as exc:
            self._abort(link)
            return self._failed(job_id, Health(NO_DEVICE.state, NO_DEVICE.code, str(exc)))
        except LinkError as exc:
            return self._failed(job_id, Health(NO_DEVICE.state, NO_DEVICE.code, str(exc)))
        finally:
            link.close()

    def _confirm(self, job_id: str, link: PrinterLink) -> PrintResult:
        """Send GS r 1 after the cut and wait for its answer: the slip came out. Meanwhile ask
        DLE EOT, which a printer stopped by an empty roll still answers."""
        reports: list[int] = []
        link.write(TRANSMIT_PAPER_STATUS)
        deadline = time.monotonic() + self._completion_timeout_s
        while not reports:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self._abort(link)
                return self._failed(job_id, Health(HealthState.ERROR, "PRINT_TIMEOUT",
                                                   "no answer to GS r 1 after the cut"))
            data = link.read(min(self._status_timeout_s, remaining))
            reports.extend(byte for byte in data if is_paper_report(byte))
            if reports:
                break
            status = self._status(link, paper_reports=reports)
            if not status.can_print:
                self._abort(link)
                return self._failed(job_id, status.health(), started=True)
        paper = decode_paper_report(reports[0])
        if paper is Paper.OUT:  # a firmware that answers GS r even with the roll empty
            self._abort(link)
            return self._failed(job_id, PrinterStatus(paper=Paper.OUT).health(), started=True)
        self.report(PrinterStatus(paper=paper).health())
        return PrintResult(job_id, True, self.health(), RECEIPT_PRINTED, confirmed=True)

    def _reads(self, link: PrinterLink) -> bool:
        return link.can_read and self.model.realtime_status

    def _status(self, link: PrinterLink, full: bool = False,
                paper_reports: list[int] | None = None) -> PrinterStatus:
        requests = (PRINTER_STATUS, OFFLINE_CAUSE, PAPER_SENSOR) if full else (
            OFFLINE_CAUSE, PAPER_SENSOR)
        status = query_status(link, requests, self._status_timeout_s, self.model, paper_reports)
        self.report(status.health())
        return status

    def _abort(self, link: PrinterLink) -> None:
        if self.model.clears_buffer_on_abort:
            with contextlib.suppress(LinkError):
                link.write(CLEAR_BUFFERS)

    def _failed(self, job_id: str, health: Health, started: bool = False) -> PrintResult:
        self.report(health)
        return PrintResult(job_id, False, health, failure_message(health.code, started))

    def _watch(self) -> None:
        # the first look at once, so the console knows the printer's state from the start
        with contextlib.suppress(Exception):
            self.check()
        while not self._stopping.wait(self._poll_interval_s):
            try:
                self.check()
            except Exception:  # the watcher must outlive any surprise; the next poll retries
                log.exception("receipt printer status poll failed")
