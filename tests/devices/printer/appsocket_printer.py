"""A fake AppSocket (JetDirect, port 9100 style) printer for the tests' CUPS queues.

What it plays, from the protocol's public descriptions: a raw TCP port that takes the print
data as it is and has nothing to say on the way (CUPS's socket backend, OpenPrinting/cups
backend/socket.c: connect, write, shut down the sending side, read back-channel data until the
printer closes, "waiteof"); the printer closes the connection once it has the whole job
(apple/cups#5425: the job leaves the queue as soon as the printer has the data, not when the
paper is out). Its paper tray holds a number of sheets (one a job: the tests print one page);
like a printer whose paper sensor sits at the pick roller, it finds the tray empty when it
tries to take a sheet for a job it has already taken in: the job stays in its memory and its
state says `media-empty` until paper is loaded (what the socket backend reads by SNMP as
hrPrinterDetectedErrorState noPaper, backend/snmp-supplies.c; here written to STATE_DIR/status
for the test backend `paper_tray/kiosk-socket`).

Each job received is kept (`received`); one printed adds to `sheets_out`, one waiting for
paper to `held`.
`listening` can start later than the queue is made: until then connections are refused, as
with a printer switched off.
"""

from __future__ import annotations

import socket
import threading
from pathlib import Path


class AppSocketPrinter:
    def __init__(self, state_dir: Path) -> None:
        self.state_dir = state_dir
        self.received: list[bytes] = []
        self.sheets_out = 0
        self.held = 0  # jobs in the printer's memory waiting for paper
        self.job_arrived = threading.Condition()
        self._sheets: int | None = None  # None: plenty
        self._server = socket.socket()
        self._server.bind(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        self._thread: threading.Thread | None = None
        self._write_status(empty=False)

    def load(self, sheets: int | None) -> None:
        self._sheets = sheets
        self._write_status(empty=False)

    def switch_on(self) -> None:
        self._server.listen(4)
        self._thread = threading.Thread(target=self._serve, name="appsocket-printer",
                                         daemon=True)
        self._thread.start()

    def wait_for_jobs(self, count: int, timeout_s: float = 30) -> list[bytes]:
        """The jobs received, once there are `count` (the timeout only bounds a failure)."""
        with self.job_arrived:
            assert self.job_arrived.wait_for(lambda: len(self.received) >= count, timeout_s), \
                f"{len(self.received)} jobs arrived, {count} expected"
            return list(self.received)

    def close(self) -> None:
        self._server.close()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self._server.accept()
            except OSError:  # closed
                return
            with connection:
                data = bytearray()
                while chunk := connection.recv(65536):  # until the backend shuts down sending
                    data += chunk
                self._print(bytes(data))
                # closing tells the backend the printer has it all (waiteof)

    def _print(self, job: bytes) -> None:
        if self._sheets is None or self._sheets > 0:
            self.sheets_out += 1
            if self._sheets is not None:
                self._sheets -= 1
        else:
            self.held += 1  # the job waits in the printer's memory for paper
            self._write_status(empty=True)
        with self.job_arrived:
            self.received.append(job)
            self.job_arrived.notify_all()

    def _write_status(self, empty: bool) -> None:
        status = self.state_dir / "status"
        status.write_text("media-empty\n" if empty else "idle\n")
        status.chmod(0o644)
