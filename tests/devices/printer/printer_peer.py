"""A network receipt printer for the tests: an ESC/POS printer emulator on a real TCP socket.

Built from the command references, not from the driver:

- Real-time commands are executed when they arrive, ahead of the data queued before them, even
  while the printer is stopped: DLE EOT n answers one status byte, DLE DC4 fn=8 clears the
  receive and print buffers (Epson TM-T88III ESC/POS reference, "Status commands DLE EOT",
  office.manualsonline.com epson_tm_t88iii p.304; Spirit SP-POS88V Control Commands, DLE DC4
  fn=8, fdocuments.net/document/control-commands-synes.html).
- Everything else is queued and processed in order: text and line feeds, GS v 0 raster images,
  GS ( k QR codes, the cut, and GS r 1, whose paper sensor status is sent only when processing
  reaches it, i.e. after what came before it was printed (Epson TM-T85 manual, GS r: "executed
  when the data in the receive buffer is developed", manualsdump.com epson-tm-t85p p.112).
- Answers carry the fixed bits that tell them apart: DLE EOT 0**1**10, GS r 0**0****
  (Citizen PPU-700 command reference, appendix 4.3 "Identification of Send Status").
- DLE EOT n=1-4 bits: Epson TM-T88III reference (online bit 3; offline cause: cover bit 2,
  paper-end stop bit 5, error bit 6; roll paper sensor: near end bits 2+3, paper end bits 5+6).
  A model without a near-end sensor answers 0x72 for an empty roll (python-escpos
  src/escpos/constants.py RT_MASK_NOPAPER = 114; python-escpos/python-escpos#143, "receiving 114
  when I have removed the paper roll"). The `presenter` layout is Citizen PPU-700's DLE EOT 4:
  bit 2 near-end sensor 1, bit 5 paper end, bit 6 a slip held in the presenter
  (manualslib.com/manual/460303 p.60).
- GS r 1: near end bits 0+1 (03), paper end bits 2+3 (0C) (Epson TM-U220 manual p.84). A printer
  stopped by paper end does not execute it (same page); some Chinese firmwares answer it anyway
  with 0F (cnblogs.com/deng02/archive/2009/12/24/1631521.html): `answers_gs_r_when_out`.
- When the roll runs out the printer stops and goes offline; what is still queued waits until
  paper is loaded or the buffers are cleared.

`hold()` keeps queued data from being printed (a printer still busy with earlier lines), so a
test can ask for status while the slip is not yet out; `release()` lets it go on. Reference
transcripts (command → answer as published) are in `reference_transcripts.json`.

Known simplification: commands are parsed by their syntax, so a byte sequence 10 04 n inside a
raster image is image data here, as intended, while some firmwares would take it for DLE EOT.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from dataclasses import dataclass

from tests.devices.printer.escpos_reader import read_escpos

DLE, EOT, DC4, ESC, GS, FS = 0x10, 0x04, 0x14, 0x1B, 0x1D, 0x1C


@dataclass
class PrinterState:
    paper: str = "ok"  # ok | near_end | out
    cover_open: bool = False
    error: bool = False
    near_end_sensor: bool = True
    drawer_pin3_high: bool = False
    slip_in_presenter: bool = False
    layout: str = "epson"  # epson | presenter (Citizen PPU-700's DLE EOT 4)
    answers_gs_r_when_out: bool = False


def realtime_answer(n: int, state: PrinterState, stopped_by_paper: bool) -> int:
    """The byte a printer in `state` answers to DLE EOT n."""
    byte = 0x12  # bits 1 and 4 fixed on
    out = state.paper == "out"
    if n == 1:
        byte |= 0x04 if state.drawer_pin3_high else 0
        byte |= 0x08 if (out or state.cover_open or state.error) else 0
    elif n == 2:
        byte |= 0x04 if state.cover_open else 0
        byte |= 0x20 if stopped_by_paper or out else 0
        byte |= 0x40 if state.error else 0
    elif n == 3:
        byte |= 0x40 if state.error else 0
    elif n == 4:
        low = state.paper == "near_end" or (out and state.near_end_sensor)
        if state.layout == "presenter":
            byte |= (0x04 if low else 0) | (0x20 if out else 0)
            byte |= 0x40 if state.slip_in_presenter else 0
        else:
            byte |= (0x0C if low and state.near_end_sensor else 0) | (0x60 if out else 0)
    return byte


def paper_report(state: PrinterState) -> int:
    """The byte answered to GS r 1."""
    low = state.paper == "near_end" or (state.paper == "out" and state.near_end_sensor)
    return (0x03 if low else 0) | (0x0C if state.paper == "out" else 0)


class PrinterPeer:
    def __init__(self, state: PrinterState | None = None) -> None:
        self._server = socket.create_server(("127.0.0.1", 0))
        self._server.settimeout(0.2)
        self.port = self._server.getsockname()[1]
        self.lock = threading.Lock()
        self.state = state or PrinterState()
        self.received = bytearray()  # everything, all connections
        self.printed = bytearray()  # what reached the paper, as the commands that made it
        self.queue: list[bytes] = []  # parsed commands waiting to be processed
        self.paper_lines_left: int | None = None
        self.connections = 0
        self.answer_status = True
        self.held = False
        self.stopped_by_paper = False
        self._pending = bytearray()  # an incomplete command at the end of what arrived
        self._conn: socket.socket | None = None
        self._closing = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def address(self) -> str:
        return f"tcp://127.0.0.1:{self.port}"

    # -- what a test steers -------------------------------------------------------------------

    def run_out_after_lines(self, lines: int) -> None:
        with self.lock:
            self.paper_lines_left = lines

    def set_paper(self, paper: str) -> None:
        with self.lock:
            self.state.paper = paper
            if paper != "out":
                self.stopped_by_paper = False
                self._process()

    def set_cover_open(self, cover_open: bool) -> None:
        with self.lock:
            self.state.cover_open = cover_open

    def hold(self) -> None:
        with self.lock:
            self.held = True

    def release(self) -> None:
        with self.lock:
            self.held = False
            self._process()

    def close(self) -> None:
        self._closing.set()
        self._thread.join(timeout=2)
        self._server.close()

    # -- the wire -----------------------------------------------------------------------------

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
                with self.lock:
                    self._conn = conn
                self._talk(conn)
                with self.lock:
                    self._conn = None

    def _talk(self, conn: socket.socket) -> None:
        conn.settimeout(0.2)
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
                self._pending += data
                self._take_commands()
                self._process()

    def _send(self, byte: int) -> None:
        if self._conn is not None and self.answer_status:
            with contextlib.suppress(OSError):
                self._conn.sendall(bytes([byte]))

    def _take_commands(self) -> None:
        """Split what arrived into commands: real-time ones run now, the rest are queued."""
        while self._pending:
            length = command_length(bytes(self._pending))
            if length == 0:  # incomplete: wait for more bytes
                return
            command = bytes(self._pending[:length])
            del self._pending[:length]
            if command[0] == DLE and command[1] == EOT:
                self._send(realtime_answer(command[2], self.state, self.stopped_by_paper))
            elif command[0] == DLE and command[1] == DC4:
                if command[2] == 8:
                    self.queue.clear()
            else:
                self.queue.append(command)

    def _process(self) -> None:
        """Print queued commands in order while the printer can."""
        while self.queue and not self.held and self.state.paper != "out" and not (
                self.state.cover_open):
            command = self.queue.pop(0)
            if command == bytes([GS, ord("r"), 1]) or command == bytes([GS, ord("r"), 49]):
                self._send(paper_report(self.state))
                continue
            if self._feeds(command) and self.paper_lines_left is not None:
                if self.paper_lines_left <= 0:
                    self._paper_ran_out(command)
                    return
                self.paper_lines_left -= 1
            self.printed += command
            if self.paper_lines_left is not None and self.paper_lines_left <= 0 and (
                    self.queue):
                self._paper_ran_out(None)
                return
        if self.state.paper == "out" and self.state.answers_gs_r_when_out:
            for command in list(self.queue):
                if command[:2] == bytes([GS, ord("r")]):
                    self._send(paper_report(self.state))

    def _paper_ran_out(self, command: bytes | None) -> None:
        if command is not None:
            self.queue.insert(0, command)
        self.state.paper = "out"
        self.stopped_by_paper = True

    @staticmethod
    def _feeds(command: bytes) -> bool:
        return command == b"\n" or command[:2] in (bytes([GS, ord("v")]), bytes([GS, ord("V")]))

    # -- what a test reads --------------------------------------------------------------------

    def paper(self):
        with self.lock:
            return read_escpos(bytes(self.printed))

    def wire(self):
        with self.lock:
            return read_escpos(bytes(self.received))


def command_length(data: bytes) -> int:
    """Length of the command (or text run) at the start of `data`; 0 when incomplete."""
    first = data[0]
    if first not in (DLE, ESC, GS, FS):
        if first == 0x0A:
            return 1
        end = 1
        while end < len(data) and data[end] not in (DLE, ESC, GS, FS, 0x0A):
            end += 1
        return end
    if len(data) < 2:
        return 0
    second = data[1]
    if first == DLE and second == EOT:
        return 3 if len(data) >= 3 else 0
    if first == DLE and second == DC4:
        if len(data) < 3:
            return 0
        return (10 if data[2] == 8 else 5) if len(data) >= (10 if data[2] == 8 else 5) else 0
    if first == GS and second == ord("v"):  # GS v 0 m xL xH yL yH d...
        if len(data) < 8:
            return 0
        size = 8 + (data[4] + 256 * data[5]) * (data[6] + 256 * data[7])
        return size if len(data) >= size else 0
    if first == GS and second == ord("("):  # GS ( k pL pH ...
        if len(data) < 5:
            return 0
        size = 5 + data[3] + 256 * data[4]
        return size if len(data) >= size else 0
    if first == GS and second == ord("V"):
        if len(data) < 3:
            return 0
        return 4 if data[2] in (65, 66) else 3
    if first == FS and second == ord("("):  # FS ( C pL pH ...
        if len(data) < 5:
            return 0
        size = 5 + data[3] + 256 * data[4]
        return size if len(data) >= size else 0
    fixed = {ord("@"): 0, ord("2"): 0, ord("&"): 0, ord("."): 0}
    if second in fixed and first in (ESC, FS):
        return 2
    return 3 if len(data) >= 3 else 0
