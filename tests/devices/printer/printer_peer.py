"""A network receipt printer for the tests: a real TCP listener on 127.0.0.1.

It keeps every byte it receives, answers real-time status requests (DLE EOT n) from its state,
"prints" what arrives while it has paper, and can run out of paper after a number of printed
lines. What it printed is read back with `escpos_reader`.
"""

from __future__ import annotations

import contextlib
import socket
import threading

from devices.printer.escpos import Paper, PrinterStatus, encode_status
from tests.devices.printer.escpos_reader import read_escpos


class PrinterPeer:
    def __init__(self) -> None:
        self._server = socket.create_server(("127.0.0.1", 0))
        self._server.settimeout(0.2)
        self.port = self._server.getsockname()[1]
        self.lock = threading.Lock()
        self.status = PrinterStatus()
        self.received = bytearray()  # everything, all connections
        self.printed = bytearray()  # what reached the paper (before it ran out)
        self.paper_lines_left: int | None = None
        self.connections = 0
        self.answer_status = True
        self._closing = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def address(self) -> str:
        return f"tcp://127.0.0.1:{self.port}"

    def run_out_after_lines(self, lines: int) -> None:
        with self.lock:
            self.paper_lines_left = lines

    def set_status(self, status: PrinterStatus) -> None:
        with self.lock:
            self.status = status

    def close(self) -> None:
        self._closing.set()
        self._thread.join(timeout=2)
        self._server.close()

    def _serve(self) -> None:
        while not self._closing.is_set():
            try:
                conn, _ = self._server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with conn:
                self.connections += 1
                self._talk(conn)

    def _talk(self, conn: socket.socket) -> None:
        conn.settimeout(0.2)
        pending = bytearray()  # since the last status request
        while not self._closing.is_set():
            try:
                data = conn.recv(4096)
            except TimeoutError:
                continue
            except OSError:
                return
            if not data:
                return
            with self.lock:
                self.received += data
                pending += data
                if len(pending) >= 3 and pending[-3:-1] == b"\x10\x04":
                    self._print(bytes(pending[:-3]))
                    pending.clear()
                    if self.answer_status:
                        answer = encode_status(self.status)[b"\x10\x04" + bytes([data[-1]])]
                        with contextlib.suppress(OSError):
                            conn.sendall(bytes([answer]))
        with self.lock:
            self._print(bytes(pending))

    def _print(self, data: bytes) -> None:
        """Put `data` on paper while there is paper; the rest stays in the buffer (lost when
        the driver clears it)."""
        if self.status.paper is Paper.OUT:
            return
        if self.paper_lines_left is None:
            self.printed += data
            return
        for byte in data:
            if self.paper_lines_left <= 0:
                self.status = PrinterStatus(paper=Paper.OUT)
                return
            self.printed.append(byte)
            if byte == 0x0A:
                self.paper_lines_left -= 1
        if self.paper_lines_left <= 0:
            self.status = PrinterStatus(paper=Paper.OUT)

    def paper(self):
        with self.lock:
            return read_escpos(bytes(self.printed))

    def wire(self):
        with self.lock:
            return read_escpos(bytes(self.received))
