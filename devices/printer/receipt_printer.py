"""The receipt printer: its port, and the real driver speaking ESC/POS over a link.

A job is sent block by block. Before the first block and after every block the driver asks the
printer for its real-time status (DLE EOT); paper out, a cover left open or an error stops the
job at once, clears what the printer still holds (so the rest does not come out for the next
person when paper is loaded) and returns a failed `PrintResult` with the code, which health
reports too. A job counts as printed only when every block went out and the printer reported no
fault afterwards; over a link that cannot answer (a file) the result says the status is unknown.

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
from typing import Protocol

from devices.health import Health, HealthListener, HealthReporter, HealthState
from devices.printer.escpos import (
    CLEAR_BUFFERS,
    OFFLINE_CAUSE,
    PAPER_SENSOR,
    PRINTER_STATUS,
    PrinterModel,
    PrinterStatus,
    StatusRequest,
    decode_status,
    is_status_byte,
    receipt_segments,
)
from devices.printer.preview import receipt_png
from devices.printer.receipt import Receipt
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

    def start(self) -> None: ...

    def stop(self) -> None: ...


class StatusUnanswered(Exception):
    """The link can read but the printer did not answer a status request in time."""


def query_status(
    link: PrinterLink, requests: tuple[StatusRequest, ...], timeout_s: float
) -> PrinterStatus:
    """Ask the printer for its real-time status (one request at a time, as ESC/POS wants)."""
    answers: dict[bytes, int] = {}
    for request in requests:
        link.write(request)
        deadline = time.monotonic() + timeout_s
        while True:
            remaining = deadline - time.monotonic()
            data = link.read(max(0.0, remaining)) if remaining > 0 else b""
            status_bytes = [byte for byte in data if is_status_byte(byte)]
            if status_bytes:
                answers[request] = status_bytes[-1]
                break
            if remaining <= 0:
                raise StatusUnanswered(f"no answer to DLE EOT {request[-1]}")
    return decode_status(answers)


class EscposReceiptPrinter(HealthReporter):
    def __init__(
        self,
        link_factory: Callable[[], PrinterLink],
        model: PrinterModel | None = None,
        family: str = "receipt_printer",
        status_timeout_s: float = 1.5,
        poll_interval_s: float = 30.0,
    ) -> None:
        super().__init__(family)
        self.model = model or PrinterModel()
        self._link_factory = link_factory
        self._status_timeout_s = status_timeout_s
        self._poll_interval_s = poll_interval_s
        self._job_lock = threading.Lock()
        self._stopping = threading.Event()
        self._watcher: threading.Thread | None = None
        self.printed_jobs: list[str] = []  # ids of jobs the printer took whole, in order

    @classmethod
    def from_port(cls, port: str, baud: int = 115200, **kwargs) -> EscposReceiptPrinter:
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
                             preview, result.status_known)
        if result.printed:
            self.printed_jobs.append(job_id)
        log.info("receipt %s: %s (%s)", job_id, "printed" if result.printed else "not printed",
                 result.code)
        return result

    def check(self) -> Health:
        """Ask the printer for its status now and report it."""
        with self._job_lock:
            link = self._link_factory()
            try:
                link.open()
                if self._reads(link):
                    self._status(link)
                else:
                    self.report(Health(HealthState.OK, "OK", "status not readable over this link"))
            except (LinkError, StatusUnanswered) as exc:
                self.report(Health(NO_DEVICE.state, NO_DEVICE.code, str(exc)))
            finally:
                link.close()
        return self.health()

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
            for segment in segments:
                link.write(segment)
                if reads:
                    status = self._status(link)
                    if not status.can_print:
                        self._abort(link)
                        return self._failed(job_id, status.health())
            if not reads:
                return PrintResult(job_id, True, self.health(), RECEIPT_PRINTED,
                                   status_known=False)
            return PrintResult(job_id, True, self.health(), RECEIPT_PRINTED)
        except StatusUnanswered as exc:
            self._abort(link)
            return self._failed(job_id, Health(NO_DEVICE.state, NO_DEVICE.code, str(exc)))
        except LinkError as exc:
            return self._failed(job_id, Health(NO_DEVICE.state, NO_DEVICE.code, str(exc)))
        finally:
            link.close()

    def _reads(self, link: PrinterLink) -> bool:
        return link.can_read and self.model.realtime_status

    def _status(self, link: PrinterLink, full: bool = False) -> PrinterStatus:
        requests = (PRINTER_STATUS, OFFLINE_CAUSE, PAPER_SENSOR) if full else (
            OFFLINE_CAUSE, PAPER_SENSOR)
        status = query_status(link, requests, self._status_timeout_s)
        self.report(status.health())
        return status

    def _abort(self, link: PrinterLink) -> None:
        if self.model.clears_buffer_on_abort:
            with contextlib.suppress(LinkError):
                link.write(CLEAR_BUFFERS)

    def _failed(self, job_id: str, health: Health) -> PrintResult:
        self.report(health)
        return PrintResult(job_id, False, health, failure_message(health.code))

    def _watch(self) -> None:
        # the first look at once, so the console knows the printer's state from the start
        with contextlib.suppress(Exception):
            self.check()
        while not self._stopping.wait(self._poll_interval_s):
            try:
                self.check()
            except Exception:  # the watcher must outlive any surprise; the next poll retries
                log.exception("receipt printer status poll failed")
