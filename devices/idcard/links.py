"""The lines a GA 467 SAM is reached over: a serial port, or USB HID reports. Same frames on both.

- `SerialLink`: pyserial on /dev/ttyUSB0, /dev/ttyS1 … at a baud that can be changed (probing).
- `HidLink`: a USB HID reader (for instance 0400:C35A) on /dev/hidraw*. The frame travels in
  64-byte reports, zero-padded at the end (libzhouyb zhou_yb/device/cmd_adapter/HidCmdAdapter.h:
  whole 64-byte packets; the frame's own LEN says where it ends, and the decoder skips the
  padding as it skips line noise). Written as hidraw wants it: the report number (0, the reader
  numbers none) and then the report. Tests give it one end of a SOCK_SEQPACKET socket pair,
  which keeps report boundaries as hidraw does.

Errors of the line itself (unplugged, closed) come out as `OSError`, `serial.SerialException`
or `termios.error`; the driver treats all three as "the port is gone".
"""

from __future__ import annotations

import os
import select
import socket
from typing import Protocol

import serial

HID_REPORT_SIZE = 64
SERIAL_READ_TIMEOUT_S = 0.05  # how long one read may block: bounds how fast stop() is seen
HID_PREFIXES = ("hid:", "/dev/hidraw")


class Link(Protocol):
    description: str
    baud: int | None  # None: not a UART (USB HID)

    def write(self, data: bytes) -> None: ...

    def read(self) -> bytes:
        """What has arrived, waiting at most about 50 ms; b"" when nothing came."""
        ...

    def discard_input(self) -> None: ...

    def set_baud(self, baud: int) -> None: ...

    def close(self) -> None: ...


def is_hid_port(port: str) -> bool:
    return port.startswith(HID_PREFIXES)


class SerialLink:
    def __init__(self, port: str, baud: int) -> None:
        self._serial = serial.Serial(port, baud, timeout=SERIAL_READ_TIMEOUT_S, write_timeout=1.0)
        self._port = port
        self.baud: int | None = baud
        self.description = f"serial {port}"

    def write(self, data: bytes) -> None:
        self._serial.write(data)

    def read(self) -> bytes:
        return self._serial.read(max(1, self._serial.in_waiting))

    def discard_input(self) -> None:
        self._serial.reset_input_buffer()  # a late answer to an earlier request is stale now

    def set_baud(self, baud: int) -> None:
        self._serial.baudrate = baud
        self.baud = baud

    def close(self) -> None:
        self._serial.close()


class HidLink:
    baud: int | None = None

    def __init__(self, fd: int, description: str) -> None:
        self._fd = fd
        self.description = description

    @classmethod
    def open_path(cls, port: str) -> HidLink:
        path = port.removeprefix("hid:")
        return cls(os.open(path, os.O_RDWR | os.O_NONBLOCK), f"USB HID {path}")

    @classmethod
    def over_socket(cls, sock: socket.socket, description: str = "USB HID (socket)") -> HidLink:
        return cls(sock.detach(), description)

    def write(self, data: bytes) -> None:
        for offset in range(0, len(data), HID_REPORT_SIZE):
            report = data[offset:offset + HID_REPORT_SIZE].ljust(HID_REPORT_SIZE, b"\x00")
            os.write(self._fd, b"\x00" + report)

    def read(self) -> bytes:
        ready, _, _ = select.select([self._fd], [], [], SERIAL_READ_TIMEOUT_S)
        if not ready:
            return b""
        try:
            report = os.read(self._fd, HID_REPORT_SIZE + 1)
        except BlockingIOError:
            return b""
        if not report:
            raise OSError("the HID reader went away")
        return report

    def discard_input(self) -> None:
        while True:
            ready, _, _ = select.select([self._fd], [], [], 0)
            if not ready:
                return
            if not os.read(self._fd, HID_REPORT_SIZE + 1):
                raise OSError("the HID reader went away")

    def set_baud(self, baud: int) -> None:
        raise ValueError("a USB HID reader has no baud")

    def close(self) -> None:
        os.close(self._fd)
