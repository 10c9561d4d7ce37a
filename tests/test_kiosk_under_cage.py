"""The kiosk as deploy/kiosk.service starts it: the only client of cage, here on wlroots'
headless backend (`WLR_BACKENDS=headless`, software rendering), through XWayland as the unit
says (`QT_QPA_PLATFORM=xcb`: Qt's Wayland client refuses `QT_IM_MODULE=qtvirtualkeyboard`,
so the on-screen keyboard would never appear). It reaches READY with the home screen, pings
the watchdog, and stops cleanly on SIGTERM.

cage refuses to run as root (it checks that it could not regain root after dropping it), and
the suite runs as root in CI; so, as root, cage is started in a user namespace as uid 1000,
with a private /tmp/.X11-unix (the host's belongs to a root that namespace cannot see, and
XWayland refuses a socket folder owned by anyone else).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
from pathlib import Path

import pytest

from tests.test_kiosk_process import START_S, STOP_S, KioskProcess

AS_UID_1000 = ["unshare", "--user", "--map-user=1000", "--map-group=1000", "--mount",
               "--keep-caps", "sh", "-c",
               "mkdir -p /tmp/.X11-unix && mount -t tmpfs -o mode=1777 tmpfs /tmp/.X11-unix "
               '&& exec "$@"', "sh"]


def launcher() -> list[str]:
    if shutil.which("cage") is None or shutil.which("Xwayland") is None:
        pytest.fail("cage and xwayland are not installed: `bash setup.sh` installs them as root")
    if os.geteuid() != 0:
        return ["cage", "--"]
    probe = subprocess.run([*AS_UID_1000, "true"], capture_output=True, text=True, timeout=30)
    if probe.returncode != 0:
        pytest.skip("cage will not run as root, and this machine allows no user namespace to "
                    f"run it as another user: {probe.stderr.strip()}")
    return [*AS_UID_1000, "cage", "--"]


def listen(folder: Path) -> socket.socket:
    """A NOTIFY_SOCKET as systemd's: it learns who sent each message (SO_PASSCRED)."""
    systemd = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    systemd.bind(str(folder / "notify"))
    systemd.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
    systemd.settimeout(START_S)  # bounds a failure only
    return systemd


def test_under_cage_it_reaches_ready_pings_the_watchdog_and_stops(tmp_path: Path) -> None:
    runtime_dir = tmp_path / "xdg"
    runtime_dir.mkdir(mode=0o700)
    systemd = listen(tmp_path)
    kiosk = KioskProcess(tmp_path, {
        "NOTIFY_SOCKET": str(tmp_path / "notify"), "WATCHDOG_USEC": "2000000",
        "XDG_RUNTIME_DIR": str(runtime_dir), "WLR_BACKENDS": "headless",
        "WLR_RENDERER": "pixman", "WLR_LIBINPUT_NO_DEVICES": "1", "QT_QPA_PLATFORM": "xcb",
        "WAYLAND_DISPLAY": "", "DISPLAY": ""}, launcher=launcher())
    said: list[tuple[str, int]] = []  # (message, sender's pid)

    def hear(start: str) -> int:
        while True:
            for message, pid in said:
                if any(line.startswith(start) for line in message.split("\n")):
                    return pid
            data, ancillary, _flags, _address = systemd.recvmsg(
                4096, socket.CMSG_SPACE(3 * 4))
            pid = next((int.from_bytes(payload[:4], "little")
                        for level, kind, payload in ancillary
                        if level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS), 0)
            said.append((data.decode(), pid))

    try:
        kiosk_pid = hear("READY=1")
        hear("STATUS=Serving")
        said.clear()
        assert hear("WATCHDOG=1") == kiosk_pid
        assert kiosk_pid != kiosk.process.pid  # the kiosk, cage's child, not cage
        os.kill(kiosk_pid, signal.SIGTERM)  # as systemd stops the unit
        hear("STOPPING=1")
        kiosk.process.wait(timeout=STOP_S)  # cage ends with its only client
    finally:
        systemd.close()
        if kiosk.process.poll() is None:
            os.killpg(kiosk.process.pid, signal.SIGKILL)
            kiosk.process.wait()
    kiosk.wait_for("<end of stderr>", timeout_s=STOP_S)
    log = kiosk.stderr()
    assert "stopping on SIGTERM" in log
    assert "Traceback" not in log, log
    assert "qtvirtualkeyboard currently is not supported" not in log  # the keyboard works
