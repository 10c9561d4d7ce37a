"""The links to a receipt printer: network (TCP 9100), serial, USB or a file/device node.

Each link is a thin wrapper over python-escpos's printer class for that transport: it opens,
writes bytes, reads the printer's answer with a deadline and closes; the command language lives
in `escpos.py`. A link that cannot read (a file) says so, and the driver then cannot know the
paper status: it says that too instead of guessing.

The configured `port` names the link:

    tcp://192.168.1.50:9100   192.168.1.50:9100   192.168.1.50     network (default port 9100)
    serial:///dev/ttyS0       /dev/ttyUSB0                          serial (baud from config)
    usb://0416:5011                                                 USB vendor:product (hex)
    file:///dev/usb/lp0       /dev/usb/lp0                          write-only device or file

and may end in `?profile=NAME` (a profile of `profiles.toml`, such as XP-58IIQ or SNBC-BT-T080,
or a python-escpos capability profile) and `&status=off` (for a printer that does not answer
real-time status requests).
"""

from __future__ import annotations

import contextlib
import socket
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar
from urllib.parse import parse_qs, urlsplit

from devices.printer.escpos import DEFAULT_PROFILE

if TYPE_CHECKING:  # imported where a link is made: python-escpos pulls in USB and serial
    from escpos.escpos import Escpos
    from escpos.printer import File, Network, Serial, Usb


class LinkError(Exception):
    """The printer could not be reached or the link broke (unplugged, refused, reset)."""


class PrinterLink(Protocol):
    can_read: bool
    description: str  # for staff and logs: "tcp 192.168.1.50:9100"

    def open(self) -> None: ...

    def write(self, data: bytes) -> None: ...

    def read(self, timeout_s: float) -> bytes:
        """What the printer sent, waiting up to `timeout_s`; b"" when it said nothing."""
        ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class LinkSpec:
    kind: str  # tcp | serial | usb | file
    target: str  # host, device path, or vendor:product
    port: int = 9100
    baud: int = 115200
    profile: str = DEFAULT_PROFILE
    status: bool = True  # the printer answers DLE EOT


def parse_port(port: str, baud: int = 115200) -> LinkSpec:
    """Read a configured `port` (see the module docstring); ValueError names what is wrong."""
    text = port.strip()
    if not text:
        raise ValueError("no printer port configured (e.g. tcp://192.168.1.50:9100)")
    base, _, query = text.partition("?")
    options = parse_qs(query)
    profile = options.get("profile", [DEFAULT_PROFILE])[0]
    status = options.get("status", ["on"])[0].lower() not in ("off", "no", "false", "0")
    if unknown := set(options) - {"profile", "status"}:
        raise ValueError(f"unknown printer option {sorted(unknown)[0]!r} in {port!r}")
    if "://" in base:
        parts = urlsplit(base)
        scheme, rest = parts.scheme, (parts.netloc + parts.path)
    elif base.startswith("/dev/tty"):
        scheme, rest = "serial", base
    elif base.startswith("/"):
        scheme, rest = "file", base
    else:
        scheme, rest = "tcp", base
    if scheme in ("tcp", "socket"):
        host, sep, number = rest.rstrip("/").rpartition(":")
        if not sep:
            host, number = rest.rstrip("/"), "9100"
        if not host or not (number.isascii() and number.isdigit()) or not 0 < int(number) < 65536:
            raise ValueError(f"not a network printer address: {port!r} (host:port)")
        return LinkSpec("tcp", host, int(number), baud, profile, status)
    if scheme == "serial":
        return LinkSpec("serial", rest, baud=baud, profile=profile, status=status)
    if scheme == "file":
        return LinkSpec("file", rest, profile=profile, status=False)
    if scheme == "usb":
        vendor, sep, product = rest.strip("/").partition(":")
        try:
            int(vendor, 16)
            int(product, 16)
        except ValueError:
            raise ValueError(f"not a USB printer id: {port!r} (usb://VVVV:PPPP, hex)") from None
        return LinkSpec("usb", f"{vendor}:{product}", profile=profile, status=status)
    raise ValueError(f"unknown printer link {scheme!r} in {port!r}: use tcp, serial, usb or file")


def open_link(spec: LinkSpec, timeout_s: float = 5.0) -> PrinterLink:
    """A link for `spec` (not yet open)."""
    if spec.kind == "tcp":
        return NetworkLink(spec.target, spec.port, timeout_s)
    if spec.kind == "serial":
        return SerialLink(spec.target, spec.baud, timeout_s)
    if spec.kind == "usb":
        vendor, product = spec.target.split(":")
        return UsbLink(int(vendor, 16), int(product, 16), timeout_s)
    return FileLink(spec.target)


_Printer = TypeVar("_Printer", bound="Escpos")


class _EscposLink(Generic[_Printer]):
    """Shared open/write/close over a python-escpos printer object."""

    can_read = True
    description = ""

    def __init__(self) -> None:
        self._printer: _Printer | None = None

    def _make(self) -> _Printer:  # pragma: no cover - each link provides it
        raise NotImplementedError

    def open(self) -> None:
        self._open()

    def _open(self) -> _Printer:
        self.close()
        printer = self._make()
        try:
            printer.open()
        except Exception as exc:  # python-escpos raises DeviceNotFoundError and friends
            detail = " ".join(str(exc).split())  # python-escpos puts line breaks in its messages
            raise LinkError(f"{self.description}: {detail}") from None
        self._printer = printer
        return printer

    def write(self, data: bytes) -> None:
        if self._printer is None:
            raise LinkError(f"{self.description}: not open")
        try:
            self._printer._raw(data)
        except Exception as exc:
            raise LinkError(f"{self.description}: write failed: {exc}") from None

    def close(self) -> None:
        printer, self._printer = self._printer, None
        if printer is not None:
            with contextlib.suppress(Exception):
                printer.close()


class NetworkLink(_EscposLink["Network"]):
    def __init__(self, host: str, port: int = 9100, timeout_s: float = 5.0) -> None:
        super().__init__()
        self.host, self.port, self.timeout_s = host, port, timeout_s
        self.description = f"tcp {host}:{port}"

    def _make(self) -> Network:
        from escpos.printer import Network

        return Network(self.host, self.port, timeout=self.timeout_s)

    def open(self) -> None:
        sock = self._open().device
        if sock is None:  # python-escpos leaves it None only when opening failed, which raised
            raise LinkError(f"{self.description}: not open")
        # status requests are 3 bytes awaiting an answer: don't let Nagle hold them back
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def read(self, timeout_s: float) -> bytes:
        sock = self._printer.device if self._printer is not None else None
        if sock is None:
            raise LinkError(f"{self.description}: not open")
        sock.settimeout(timeout_s)
        try:
            data = sock.recv(64)
        except TimeoutError:
            return b""
        except OSError as exc:
            raise LinkError(f"{self.description}: read failed: {exc}") from None
        finally:
            sock.settimeout(self.timeout_s)
        if not data:
            raise LinkError(f"{self.description}: the printer closed the connection")
        return data


class SerialLink(_EscposLink["Serial"]):
    def __init__(self, path: str, baud: int, timeout_s: float = 5.0) -> None:
        super().__init__()
        self.path, self.baud, self.timeout_s = path, baud, timeout_s
        self.description = f"serial {path} {baud} baud"

    def _make(self) -> Serial:
        from escpos.printer import Serial

        return Serial(self.path, baudrate=self.baud, timeout=self.timeout_s)

    def read(self, timeout_s: float) -> bytes:
        if self._printer is None:
            raise LinkError(f"{self.description}: not open")
        port = self._printer.device
        if port is None:  # python-escpos leaves it None only when opening failed, which raised
            raise LinkError(f"{self.description}: not open")
        port.timeout = timeout_s
        try:
            return port.read(64)
        except Exception as exc:
            raise LinkError(f"{self.description}: read failed: {exc}") from None
        finally:
            port.timeout = self.timeout_s


class UsbLink(_EscposLink["Usb"]):
    def __init__(self, vendor: int, product: int, timeout_s: float = 5.0) -> None:
        super().__init__()
        self.vendor, self.product, self.timeout_s = vendor, product, timeout_s
        self.description = f"usb {vendor:04x}:{product:04x}"

    def _make(self) -> Usb:
        from escpos.printer import Usb

        return Usb(self.vendor, self.product, timeout=int(self.timeout_s * 1000))

    def read(self, timeout_s: float) -> bytes:
        if self._printer is None:
            raise LinkError(f"{self.description}: not open")
        printer = self._printer
        device = printer.device
        if device is None:  # python-escpos leaves it None only when opening failed, which raised
            raise LinkError(f"{self.description}: not open")
        try:
            # python-escpos annotates Usb.device as Type[usb.core.Device]: it is a Device
            data = device.read(printer.in_ep, 64, int(timeout_s * 1000))  # pyright: ignore[reportArgumentType]
            return bytes(data)
        except Exception as exc:
            if "timeout" in str(exc).lower():
                return b""
            raise LinkError(f"{self.description}: read failed: {exc}") from None


class FileLink(_EscposLink["File"]):
    """A device node or file that takes bytes and answers nothing (/dev/usb/lp0, a capture)."""

    can_read = False

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path
        self.description = f"file {path}"

    def _make(self) -> File:
        from escpos.printer import File

        return File(self.path)

    def read(self, timeout_s: float) -> bytes:
        return b""
