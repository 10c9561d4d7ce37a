"""Putting an emulated card into a vsmartcard-vpcd virtual reader, so a real pcscd reads it.

vpcd (the pcscd driver `libifdvpcd.so`) listens on a TCP port per slot; the card side connects
and then answers vpcd's messages, each a 2-byte big-endian length and a payload:
- length 1: a control byte: 0 power off, 1 power on, 2 reset (no answer), 4 "send the ATR";
- longer: a command APDU, answered with the response APDU in the same framing.
The card is present while the connection stands; closing it is taking the card out.

Debian's vsmartcard 3.3 also has a "reversed" mode (DEVICENAME host:port, vpcd connects out to
the card), but its driver aborts pcscd the first time that connection is lost (it then select()s
on its never-opened server socket), so it cannot model removal; we use the normal mode and keep
it on loopback by running pcscd in a private network namespace (see the tests' testbed).

Run `python -m devices.sscard.vpcd [--port P] [--pin PIN] [--addressing tag|position|both]
[--no-ssse]` to put a sample card into the vpcd of a local pcscd for a demo with
`driver = "pcsc"` (`emulator` says what each kind of card is).
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import socket
import struct
import threading
from collections.abc import Callable

from devices.sscard.emulator import DROP, Addressing, EmulatedSsCard

log = logging.getLogger(__name__)

VPCD_PORT = 35963  # vpcd's default first slot (0x8C7B)
CTRL_OFF, CTRL_ON, CTRL_RESET, CTRL_ATR = 0, 1, 2, 4

Connect = Callable[[str, int], socket.socket]


def tcp_connect(host: str, port: int) -> socket.socket:
    return socket.create_connection((host, port), timeout=1.0)


class VpcdCard:
    """One vpcd slot seen from the card side: insert a card, take it out, cut the link."""

    def __init__(self, port: int = VPCD_PORT, host: str = "127.0.0.1",
                 connect: Connect = tcp_connect, retry_s: float = 0.05) -> None:
        self.host, self.port = host, port
        self._connect, self._retry_s = connect, retry_s
        self._lock = threading.Lock()
        self._card: EmulatedSsCard | None = None
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._wake = threading.Event()
        self.connected = threading.Event()

    @property
    def card(self) -> EmulatedSsCard | None:
        return self._card

    def insert(self, card: EmulatedSsCard) -> None:
        """Put `card` in the slot (taking out the one there); it connects as soon as vpcd is up,
        and again after pcscd restarts, until it is removed."""
        self.remove()
        with self._lock:
            self._card = card
            self._wake.clear()
            self._thread = threading.Thread(target=self._run, args=(card,), daemon=True,
                                            name=f"vpcd-card-{self.port}")
            self._thread.start()

    def remove(self) -> None:
        """Take the card out: the link closes, vpcd reports the slot empty."""
        with self._lock:
            self._card, thread = None, self._thread
            self._thread = None
            self._wake.set()
            self._cut()
        if thread is not None:
            thread.join(timeout=2.0)

    close = remove

    def _cut(self) -> None:
        if self._sock is not None:
            with contextlib.suppress(OSError):
                self._sock.shutdown(socket.SHUT_RDWR)

    def _run(self, card: EmulatedSsCard) -> None:
        while self._card is card:
            try:
                sock = self._connect(self.host, self.port)
            except OSError:
                self._wake.wait(self._retry_s)
                continue
            with self._lock:
                if self._card is not card:
                    sock.close()
                    return
                self._sock = sock
            sock.settimeout(None)
            self.connected.set()
            log.debug("vpcd slot %d: card connected", self.port)
            try:
                dropped = self._serve(sock, card)
            finally:
                with self._lock:
                    self._sock = None
                self.connected.clear()
                sock.close()
            if dropped:
                # the card lost contact mid-command: it stays out until inserted again
                with self._lock:
                    if self._card is card:
                        self._card = None
                log.debug("vpcd slot %d: link dropped on purpose", self.port)
                return
            log.debug("vpcd slot %d: link closed", self.port)

    def _serve(self, sock: socket.socket, card: EmulatedSsCard) -> bool:
        """Answer vpcd until the link ends; True when the card cut it (a `DROP` fault)."""
        while self._card is card:
            header = _receive(sock, 2)
            if header is None:
                return False
            (length,) = struct.unpack(">H", header)
            payload = _receive(sock, length) if length else b""
            if payload is None:
                return False
            if length == 1:
                control = payload[0]
                if control == CTRL_ATR:
                    _send(sock, card.atr)
                elif control == CTRL_RESET:
                    card.reset()
                elif control == CTRL_ON:
                    card.power_on()
                elif control == CTRL_OFF:
                    card.power_off()
                continue
            if length == 0:
                continue
            response = card.process(payload)
            if response is DROP:
                return True
            assert isinstance(response, bytes)
            try:
                _send(sock, response)
            except OSError:
                return False
        return False


# vpcd writes a message's length and its payload with two send()s: without an immediate ACK
# the payload waits for our delayed ACK (Nagle), 40 ms per APDU. Linux only, not sticky.
_QUICKACK = getattr(socket, "TCP_QUICKACK", None)


def _receive(sock: socket.socket, size: int) -> bytes | None:
    try:
        data = sock.recv(size, socket.MSG_WAITALL)
        if _QUICKACK is not None:
            sock.setsockopt(socket.IPPROTO_TCP, _QUICKACK, 1)
    except OSError:
        return None
    return data if len(data) == size else None


def _send(sock: socket.socket, payload: bytes) -> None:
    sock.sendall(struct.pack(">H", len(payload)) + payload)


def main(argv: list[str] | None = None) -> int:
    from devices.sscard.samples import sample_card

    parser = argparse.ArgumentParser(description="insert a sample social-security card into vpcd")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=VPCD_PORT)
    parser.add_argument("--pin", help="require this PIN before EF06")
    parser.add_argument("--addressing", choices=[a.value for a in Addressing], default="tag",
                        help="how the card's READ RECORD names records (P2 = 00 or 04)")
    parser.add_argument("--no-ssse", action="store_true",
                        help="a card whose SSSE cannot be selected (EF05 selected directly)")
    args = parser.parse_args(argv)
    slot = VpcdCard(args.port, args.host)
    slot.insert(EmulatedSsCard(sample_card(), pin=args.pin, ssse=not args.no_ssse,
                               addressing=Addressing(args.addressing)))
    print(f"card inserted into vpcd at {args.host}:{args.port}; Ctrl-C takes it out")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        slot.remove()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
