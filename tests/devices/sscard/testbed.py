"""A real pcscd with a vsmartcard-vpcd reader, isolated from the machine, for the sscard tests.

Isolation, and why each part:
- socket: pcsc-lite 1.9.9's pcscd ignores PCSCLITE_CSOCK_NAME (only the client library reads
  it), so the test binds its own Unix socket and hands it to pcscd the systemd way (fd 3,
  LISTEN_FDS=1, LISTEN_PID); the client gets the same path through PCSCLITE_CSOCK_NAME;
- readers: `pcscd -c` reads our own reader.conf.d, with vpcd from a copy of its driver;
- network: vpcd listens on 0.0.0.0 (its normal mode; its reversed mode aborts pcscd when the
  card's connection drops in vsmartcard 3.3), so pcscd runs in a network namespace of its own
  that has nothing but loopback; the emulated card connects from a thread that joined it.
  No socket of the test is reachable from any other host or namespace;
- files: in a private mount namespace /run is a fresh tmpfs (pcscd's pid file and /run/pcscd
  stay off the machine) and /usr/lib/pcsc/drivers an empty one (pcscd finds no USB driver and
  leaves any real reader to the machine's own pcscd);
- lifetime: pcscd gets SIGTERM when the test process dies (setpriv --pdeathsig), and the
  fixtures stop it in a finalizer.
Needs root (CAP_SYS_ADMIN) for the namespaces; `why_not_runnable()` says what is missing.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import shutil
import signal
import socket
import struct
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from tests.devices.waiting import DEADLINE_S

VPCD_DRIVER = Path("/usr/lib/pcsc/drivers/serial/libifdvpcd.so")
READER_NAME = "Kiosk Test SS Reader"  # pcscd adds " 00 00" / " 00 01" for vpcd's two slots
VPCD_PORT = 35963  # inside the private network namespace, so the default port is ours

CLONE_NEWNET = 0x40000000
SIOCGIFFLAGS, SIOCSIFFLAGS, IFF_UP = 0x8913, 0x8914, 0x1

T = TypeVar("T")
_libc = ctypes.CDLL(None, use_errno=True)


def _pcscd() -> str | None:
    return shutil.which("pcscd") or shutil.which("pcscd", path="/usr/sbin:/sbin")


def why_not_runnable() -> str | None:
    """Why the PC/SC transport tests cannot run on this machine, or None when they can."""
    if _pcscd() is None:
        return "pcscd not installed: apt-get install pcscd vsmartcard-vpcd"
    if not VPCD_DRIVER.exists():
        return "vsmartcard-vpcd not installed: apt-get install vsmartcard-vpcd"
    for tool in ("unshare", "nsenter", "setpriv"):
        if shutil.which(tool) is None:
            return f"{tool} (util-linux) not found"
    try:
        PrivateNetwork().close()
    except OSError as exc:
        return (f"cannot isolate pcscd ({exc}): the PC/SC tests need root (CAP_SYS_ADMIN) for "
                "a private network and mount namespace")
    return None


class PrivateNetwork:
    """A network namespace with only loopback (up), alive while this object is open."""

    def __init__(self) -> None:
        result: dict[str, object] = {}

        def create() -> None:
            if _libc.unshare(CLONE_NEWNET) != 0:
                code = ctypes.get_errno()
                result["error"] = OSError(code, f"unshare(CLONE_NEWNET): {os.strerror(code)}")
                return
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
                request = struct.pack("16sh22x", b"lo", 0)
                flags = struct.unpack("16sh22x", fcntl.ioctl(probe, SIOCGIFFLAGS, request))[1]
                fcntl.ioctl(probe, SIOCSIFFLAGS, struct.pack("16sh22x", b"lo", flags | IFF_UP))
            path = f"/proc/self/task/{threading.get_native_id()}/ns/net"
            result["fd"] = os.open(path, os.O_RDONLY | os.O_CLOEXEC)

        thread = threading.Thread(target=create)
        thread.start()
        thread.join()
        if "error" in result:
            raise result["error"]  # type: ignore[misc]
        fd = result["fd"]
        assert isinstance(fd, int)
        # above 9 so it never lands on fd 3, which pcscd must receive as its socket
        self.fd = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
        os.close(fd)

    def run(self, function: Callable[[], T]) -> T:
        """`function()` on a thread inside the namespace (sockets it makes stay there)."""
        result: dict[str, object] = {}

        def inside() -> None:
            if _libc.setns(self.fd, CLONE_NEWNET) != 0:
                result["error"] = OSError(ctypes.get_errno(), "setns(CLONE_NEWNET)")
                return
            try:
                result["value"] = function()
            except BaseException as exc:
                result["error"] = exc

        thread = threading.Thread(target=inside)
        thread.start()
        thread.join()
        if "error" in result:
            raise result["error"]  # type: ignore[misc]
        return result["value"]  # type: ignore[return-value]

    def connect(self, host: str, port: int) -> socket.socket:
        return self.run(lambda: socket.create_connection((host, port), timeout=1.0))

    def close(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self.fd)


class Pcscd:
    """pcscd 1.9.9 in the foreground, with our socket, our reader.conf.d and our network."""

    def __init__(self, workdir: Path, network: PrivateNetwork) -> None:
        self.workdir, self.network = workdir, network
        self.socket_path = workdir / "pcscd.comm"
        self.config_dir = workdir / "reader.conf.d"
        self.config_dir.mkdir(exist_ok=True)
        self.driver = workdir / "libifdvpcd.so"
        shutil.copy(VPCD_DRIVER, self.driver)
        self.log_path = workdir / "pcscd.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.with_reader = False

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self, with_reader: bool = True, timeout: float = DEADLINE_S) -> None:
        """Start pcscd, with the vpcd reader configured or with no reader at all."""
        self.stop()
        config = self.config_dir / "vpcd"
        if with_reader:
            config.write_text(
                f'FRIENDLYNAME "{READER_NAME}"\n'
                f"DEVICENAME /dev/null:{VPCD_PORT}\n"
                f"LIBPATH {self.driver}\n"
                f"CHANNELID {VPCD_PORT}\n", encoding="ascii")
        else:
            config.unlink(missing_ok=True)
        self.with_reader = with_reader
        self.socket_path.unlink(missing_ok=True)
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(str(self.socket_path))
        listener.listen(64)
        fd = fcntl.fcntl(listener.fileno(), fcntl.F_DUPFD_CLOEXEC, 10)
        listener.close()
        # bash, not sh: dash cannot redirect file descriptors above 9
        script = (
            "mount -t tmpfs -o size=1m,mode=755 tmpfs /run"
            " && mount -t tmpfs -o size=1m,mode=755 tmpfs /usr/lib/pcsc/drivers"
            " && export LISTEN_PID=$$ LISTEN_FDS=1"
            f" && exec {_pcscd()} --foreground --info --config {self.config_dir}"
            f" 3<&{fd} {fd}<&- {self.network.fd}<&-"
        )
        command = [
            "setpriv", "--pdeathsig", "TERM", "--",
            "unshare", "--mount", "--propagation", "private", "--",
            "nsenter", f"--net=/proc/self/fd/{self.network.fd}", "--",
            "bash", "-c", script,
        ]
        offset = self.log_size()
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log,
                                            stderr=subprocess.STDOUT,
                                            pass_fds=(fd, self.network.fd))
        # our copy must go: a listener left open here would swallow clients once pcscd stops
        os.close(fd)
        self._wait_ready(offset, timeout)

    def _wait_ready(self, start: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"pcscd exited with {self.process.returncode}: {self.tail()}")
            with self.log_path.open("rb") as log:
                log.seek(start)
                if b"daemon ready" in log.read():
                    return
            time.sleep(0.02)
        raise RuntimeError(f"pcscd not ready within {timeout} s: {self.tail()}")

    def log_size(self) -> int:
        """Where pcscd's log ends now (for `wait_logged`)."""
        return self.log_path.stat().st_size if self.log_path.exists() else 0

    def wait_logged(self, text: bytes, since: int, timeout: float = DEADLINE_S) -> None:
        """Until pcscd has logged `text` after the log position `since`."""
        deadline = time.monotonic() + timeout
        while True:
            with self.log_path.open("rb") as log:
                log.seek(since)
                if text in log.read():
                    return
            if time.monotonic() > deadline:
                raise AssertionError(f"pcscd did not log {text!r} within {timeout} s: "
                                     f"{self.tail()}")
            time.sleep(0.02)

    def saw_the_slot_empty(self, since: int, reader: str = f"{READER_NAME} 00 00") -> None:
        """Until pcscd's own look at vpcd (every 0.4 s) has found `reader` empty, after the log
        position `since`. A card lost mid-command is reported gone at once, before pcscd has
        looked; put back before that look, pcscd would never notice it."""
        self.wait_logged(f"Card Removed From {reader}".encode(), since)

    def tail(self, size: int = 2000) -> str:
        data = self.log_path.read_bytes() if self.log_path.exists() else b""
        return data[-size:].decode(errors="replace")

    def stop(self, timeout: float = 5.0) -> None:
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout)
        with contextlib.suppress(OSError):
            self.socket_path.unlink()

    def kill(self) -> None:
        """pcscd dies without cleaning up (a crash, `kill -9`)."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(5)
        self.process = None


def wait_for_slot(present: bool, reader: str = f"{READER_NAME} 00 00",
                  timeout: float = DEADLINE_S) -> None:
    """Wait until pcscd itself sees a card in `reader`, or sees it empty (it looks at vpcd every
    0.4 s, so a test must not race a slot pcscd has not looked at yet)."""
    from smartcard import scard

    result, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    if result != scard.SCARD_S_SUCCESS:
        raise RuntimeError(f"pcscd: {scard.SCardGetErrorMessage(result)}")
    try:
        state, deadline = scard.SCARD_STATE_UNAWARE, time.monotonic() + timeout
        while time.monotonic() < deadline:
            result, states = scard.SCardGetStatusChange(context, 200, [(reader, state)])
            if result == scard.SCARD_S_SUCCESS:
                state = states[0][1] & ~scard.SCARD_STATE_CHANGED
            seen = state != scard.SCARD_STATE_UNAWARE
            if seen and bool(state & scard.SCARD_STATE_PRESENT) is present:
                return
        wanted = "with" if present else "without"
        raise AssertionError(f"pcscd never saw {reader!r} {wanted} a card")
    finally:
        scard.SCardReleaseContext(context)


def pcscd_processes_of(workdir: Path) -> list[int]:
    """Pids of pcscd processes started with `workdir`'s reader.conf.d (none should outlive us)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError as exc:
            if exc.errno in (errno.ENOENT, errno.ESRCH, errno.EACCES):
                continue
            raise
        ours = str(workdir).encode() in b" ".join(cmdline)
        if cmdline and cmdline[0].endswith(b"pcscd") and ours:
            pids.append(int(entry.name))
    return pids


class Looks:
    """Counts the looks a `PcscSsCardReader`'s worker takes (each waits up to `poll_s` for pcscd
    to tell of a change, then acts on it), so that a test waits for a number of looks rather
    than a length of time: on a busy machine it waits longer instead of checking less."""

    def __init__(self, reader) -> None:
        self.count = 0
        look = reader._watch

        def counted() -> None:
            self.count += 1
            look()

        reader._watch = counted  # the worker looks the method up on every turn

    def more(self, looks: int) -> Callable[[], bool]:
        """True once `looks` more looks than now have been taken and acted on (the one after
        them has begun)."""
        target = self.count + looks + 1
        return lambda: self.count >= target
