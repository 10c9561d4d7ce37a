"""Telling systemd how the kiosk is: started (READY=1), alive (WATCHDOG=1), what it is doing
(STATUS=, read by a technician with `systemctl status kiosk`) and stopping (STOPPING=1).

The sd_notify protocol spoken directly (no libsystemd): newline-separated `KEY=VALUE` lines in
one datagram to the AF_UNIX socket named by $NOTIFY_SOCKET; a name starting with '@' is in the
abstract namespace (the '@' stands for a leading NUL byte). Without $NOTIFY_SOCKET (a developer
starting the kiosk by hand) every call does nothing. $WATCHDOG_USEC, when $WATCHDOG_PID is unset
or names this process, is the watchdog time; systemd's advice is to ping at half of it.
References: sd_notify(3) https://www.freedesktop.org/software/systemd/man/latest/sd_notify.html
and sd_watchdog_enabled(3) https://www.freedesktop.org/software/systemd/man/latest/sd_watchdog_enabled.html.

A failed send is logged once and otherwise ignored: the kiosk serves people whether or not its
supervisor hears it (a watchdog that no longer hears pings restarts it, which is the point).
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Mapping

from central.contract import ServiceState

log = logging.getLogger(__name__)


class SystemdNotifier:
    """The kiosk's line to systemd; every method is a no-op outside a `Type=notify` unit."""

    def __init__(self, address: str | None, watchdog_usec: int | None = None) -> None:
        """`address`: $NOTIFY_SOCKET as given ('@name' for the abstract namespace), or None."""
        self.address = address
        self.watchdog_usec = watchdog_usec
        self._socket: socket.socket | None = None
        self._failed = False  # logged once; later failures are silent
        self._status: str | None = None

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> SystemdNotifier:
        env = os.environ if environ is None else environ
        return cls(env.get("NOTIFY_SOCKET") or None, _watchdog_usec(env))

    @property
    def enabled(self) -> bool:
        return self.address is not None

    @property
    def ping_interval_s(self) -> float | None:
        """How often to send WATCHDOG=1 (half the watchdog time), or None: no watchdog."""
        if self.address is None or self.watchdog_usec is None:
            return None
        return self.watchdog_usec / 2 / 1_000_000

    def ready(self) -> None:
        self.send("READY=1")

    def watchdog(self) -> None:
        self.send("WATCHDOG=1")

    def stopping(self) -> None:
        self.send("STOPPING=1", "STATUS=Stopping")

    def status(self, text: str) -> None:
        """STATUS=`text`, sent only when it changed (one line: newlines would end the field)."""
        line = " ".join(text.split())
        if line != self._status:
            self._status = line
            self.send(f"STATUS={line}")

    def send(self, *fields: str) -> bool:
        """One datagram of `fields`; False when not sent (no socket, or a failure, logged
        once). Never raises."""
        if self.address is None:
            return False
        target = "\0" + self.address[1:] if self.address.startswith("@") else self.address
        try:
            if self._socket is None:
                self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            self._socket.sendto("\n".join(fields).encode(), target)
        except OSError as error:
            if not self._failed:
                self._failed = True
                log.warning("systemd notification to %s failed (%s); later ones are not logged",
                            self.address, error)
            return False
        return True

    def close(self) -> None:
        if self._socket is not None:
            self._socket.close()
            self._socket = None


def status_line(state: ServiceState, online: bool | None, has_catalog: bool = True,
                paused_for: str | None = None) -> str:
    """What `systemctl status` shows, for technicians (English): the console's service state
    (kiosk.telemetry), why it is paused (`KioskRuntime.paused_for`), whether the platform
    answers, and whether there is a catalog to serve from at all. `online` None: not known
    yet."""
    if state == "closed":
        return "Closed: outside the hall's hours or closed from the console (screen off)"
    if state == "paused":
        return f"Paused (暂停服务): {paused_for or 'maintenance set from the console'}"
    if state == "pausing":
        return "Pausing: maintenance or restart asked, waiting for the person to finish"
    if online is None:
        return "Starting: connecting to the platform"
    if not has_catalog:
        return "Not serving: no catalog (platform unreachable, nothing cached yet)"
    return "Serving" if online else "Serving offline: platform unreachable"


def _watchdog_usec(env: Mapping[str, str]) -> int | None:
    """$WATCHDOG_USEC when it is meant for this process (sd_watchdog_enabled(3))."""
    pid = env.get("WATCHDOG_PID")
    if pid and pid.strip() != str(os.getpid()):
        return None
    try:
        usec = int(env.get("WATCHDOG_USEC", ""))
    except ValueError:
        return None
    return usec if usec > 0 else None
