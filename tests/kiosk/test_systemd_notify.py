"""The sd_notify protocol as systemd receives it: a datagram of KEY=VALUE lines on the socket
named by $NOTIFY_SOCKET, a path or an abstract name ('@...'); nothing at all without it."""

from __future__ import annotations

import os
import socket
import uuid

import pytest

from kiosk.systemd_notify import SystemdNotifier, status_line


def listening(address: str) -> socket.socket:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind("\0" + address[1:] if address.startswith("@") else address)
    sock.settimeout(10.0)  # only bounds a failure
    return sock


def test_a_path_socket_gets_ready_status_watchdog_and_stopping(tmp_path):
    address = str(tmp_path / "notify")
    with listening(address) as systemd:
        notifier = SystemdNotifier.from_environ({"NOTIFY_SOCKET": address})
        notifier.ready()
        notifier.status("Serving")
        notifier.status("Serving")  # unchanged: not sent again
        notifier.status("Serving offline:\nplatform unreachable")
        notifier.watchdog()
        notifier.stopping()
        got = [systemd.recv(4096).decode() for _ in range(5)]
        notifier.close()
    assert got == ["READY=1", "STATUS=Serving",
                   "STATUS=Serving offline: platform unreachable", "WATCHDOG=1",
                   "STOPPING=1\nSTATUS=Stopping"]


def test_an_abstract_socket_is_reached_by_its_at_sign_name():
    address = f"@kiosk-test-{uuid.uuid4().hex}"
    with listening(address) as systemd:
        notifier = SystemdNotifier.from_environ({"NOTIFY_SOCKET": address})
        assert notifier.send("READY=1")
        assert systemd.recv(4096) == b"READY=1"
        notifier.close()


def test_without_notify_socket_nothing_is_sent_and_no_watchdog():
    notifier = SystemdNotifier.from_environ({"WATCHDOG_USEC": "400000"})
    assert not notifier.enabled
    assert notifier.ping_interval_s is None
    assert notifier.send("READY=1") is False
    notifier.ready()
    notifier.watchdog()


def test_the_ping_interval_is_half_the_watchdog_time_for_this_process_only(tmp_path):
    address = str(tmp_path / "notify")
    ours = SystemdNotifier.from_environ({"NOTIFY_SOCKET": address, "WATCHDOG_USEC": "400000",
                                         "WATCHDOG_PID": str(os.getpid())})
    assert ours.ping_interval_s == pytest.approx(0.2)
    anyone = SystemdNotifier.from_environ({"NOTIFY_SOCKET": address,
                                           "WATCHDOG_USEC": "30000000"})
    assert anyone.ping_interval_s == pytest.approx(15.0)
    parent = SystemdNotifier.from_environ({"NOTIFY_SOCKET": address, "WATCHDOG_USEC": "400000",
                                           "WATCHDOG_PID": str(os.getpid() + 1)})
    assert parent.ping_interval_s is None
    assert SystemdNotifier.from_environ({"NOTIFY_SOCKET": address,
                                         "WATCHDOG_USEC": "x"}).ping_interval_s is None


def test_a_failed_send_is_logged_once_and_never_raised(tmp_path, caplog):
    notifier = SystemdNotifier.from_environ({"NOTIFY_SOCKET": str(tmp_path / "nobody")})
    assert notifier.send("WATCHDOG=1") is False
    assert notifier.send("WATCHDOG=1") is False
    assert len([r for r in caplog.records if "systemd notification" in r.message]) == 1


def test_status_lines_say_what_a_technician_needs():
    assert status_line("serving", True) == "Serving"
    assert status_line("serving", False) == "Serving offline: platform unreachable"
    assert status_line("serving", None).startswith("Starting")
    assert status_line("paused", True) == "Paused (暂停服务): maintenance set from the console"
    assert status_line("paused", True, paused_for="a required device failed its check") == (
        "Paused (暂停服务): a required device failed its check")
    assert status_line("pausing", True).startswith("Pausing")
