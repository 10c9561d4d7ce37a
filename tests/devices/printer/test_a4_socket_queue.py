"""A4 queues whose backend only hands the data over (socket://, usb://): CUPS's "completed"
is not "on paper" there. The printer is the fake AppSocket printer (appsocket_printer.py)
behind the test backend `paper_tray/kiosk-socket`, shaped like CUPS's socket backend."""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from devices.health import HealthState
from devices.printer import ipp
from devices.printer.a4 import AcceptanceNotice
from devices.printer.a4_printer import CupsA4Printer
from devices.printer.a4_render import render_pdf
from tests.devices.printer.appsocket_printer import AppSocketPrinter
from tests.devices.printer.cups_server import TEST_BACKENDS

TRANSCRIPTS = json.loads(Path(__file__).with_name("socket_backend_states.json").read_text())


def notice() -> AcceptanceNotice:
    return AcceptanceNotice(title="受理通知书", paragraphs=("一页。",))


@pytest.mark.parametrize("transcript", TRANSCRIPTS, ids=lambda t: t["case"])
def test_the_test_backend_reports_states_as_cups_socket_backend_does(tmp_path, transcript):
    fake = AppSocketPrinter(tmp_path)
    fake.load(transcript["sheets"])
    fake.switch_on()
    (tmp_path / "job.pdf").write_bytes(b"%PDF-1.4 one page\n%%EOF\n")
    backend = next(path for path in TEST_BACKENDS if path.name == "kiosk-socket")
    uri = f"kiosk-socket://127.0.0.1:{fake.port}{tmp_path}"
    try:
        run = subprocess.run([sys.executable, str(backend), "7", "kiosk", "t", "1", "",
                              str(tmp_path / "job.pdf")], env={**os.environ, "DEVICE_URI": uri},
                             capture_output=True, text=True, timeout=30)
    finally:
        fake.close()
    states = [line for line in run.stderr.splitlines() if line.startswith("STATE:")]
    assert states == transcript["state_lines"]
    assert run.returncode == transcript["exit"]
    assert fake.received == [b"%PDF-1.4 one page\n%%EOF\n"]


def test_a_socket_printer_that_took_the_data_without_paper_is_paper_out_not_printed(
    cups, qapp, appsocket_queue
):
    uri, fake, _name = appsocket_queue()
    fake.load(0)  # the tray is empty: the printer takes the job into memory and waits
    fake.switch_on()
    printer = CupsA4Printer(uri, poll_s=0.2, settle_s=30)

    result = asyncio.run(printer.print_document(notice()))

    [job] = fake.wait_for_jobs(1)
    assert job.startswith(b"%PDF-")  # the data was handed over: CUPS completed the job
    assert (fake.sheets_out, fake.held) == (0, 1)
    assert not result.printed, cups.error_log()
    assert result.code == "PAPER_OUT"
    assert "缺纸" in result.message
    assert result.pages_done == 0
    assert printer.health().code == "PAPER_OUT"


def test_a_socket_printer_with_paper_prints_once_the_settling_time_has_passed(
    cups, qapp, appsocket_queue
):
    uri, fake, _name = appsocket_queue()
    fake.switch_on()
    printer = CupsA4Printer(uri, poll_s=0.2, settle_s=1.0)

    result = asyncio.run(printer.print_document(notice()))

    assert result.printed, (result, cups.error_log())
    assert result.message == "文件已打印，请在出纸口取走。"
    assert (len(fake.received), fake.sheets_out) == (1, 1)
    assert printer.health().ok


def wait_until(condition, timeout_s: float = 30) -> None:
    """Until `condition()` holds: the queue's state is the event (the timeout bounds a failure)."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "the state never came"
        time.sleep(0.05)


def test_a_queue_cups_paused_after_a_backend_error_is_reported_and_started_again(
    cups, qapp, appsocket_queue
):
    uri, fake, _name = appsocket_queue(error_policy="stop-printer")
    client = ipp.IppClient(uri)  # the kiosk's CUPS user, as the driver
    # a person's job while the printer was off: the backend fails, CUPS pauses the queue and
    # keeps the job, which would come out for whoever stands there when someone resumes it
    left_behind = client.print_pdf(render_pdf(notice()).pdf, "left behind")
    wait_until(lambda: client.printer().paused)
    assert client.job(left_behind).state == ipp.JOB_PENDING
    fake.switch_on()  # the printer is back; the queue stays paused (OpenPrinting/cups#278)
    printer = CupsA4Printer(uri, poll_s=0.2, settle_s=0.5)
    seen: list[str] = []
    printer.on_health_change(lambda _family, health: seen.append(health.code))

    result = asyncio.run(printer.print_document(notice()))

    assert result.printed, (result, cups.error_log())
    assert seen[0] == "QUEUE_PAUSED" and seen[-1] == "OK"
    assert client.job(left_behind).state == ipp.JOB_CANCELED
    assert (len(fake.received), fake.sheets_out) == (1, 1)  # this person's document only
    assert not client.printer().paused


def test_a_paused_queue_the_kiosk_may_not_start_says_what_staff_must_run(
    cups, qapp, appsocket_queue
):
    # Resume-Printer kept from us; CUPS paused the queue when the kiosk's job failed
    uri, fake, name = appsocket_queue(error_policy="stop-printer", op_policy="locked")
    client = ipp.IppClient(uri)
    left_behind = client.print_pdf(render_pdf(notice()).pdf, "left behind")
    wait_until(lambda: client.printer().paused)
    fake.switch_on()
    printer = CupsA4Printer(uri, poll_s=0.2, settle_s=0.5)

    result = asyncio.run(printer.print_document(notice()))

    assert (result.printed, result.code) == (False, "QUEUE_PAUSED")
    assert "未能打印" in result.message
    assert printer.health().state is HealthState.ERROR
    assert "本机无权恢复" in printer.health().detail
    assert f"cupsenable {name}" in printer.health().detail
    assert client.job(left_behind).state == ipp.JOB_CANCELED
    assert fake.received == []  # nothing was sent to a queue that would hold it
    # its job withdrawn, the pause is still the kiosk's: it tries again, and says so again
    checked = printer.check()
    assert checked.code == "QUEUE_PAUSED"
    assert "本机无权恢复" in checked.detail
    assert "printer-error-policy stop-printer" in checked.detail
    assert client.printer().paused


def test_the_self_check_names_the_error_policy_and_advises_on_stop_printer(
    cups, qapp, appsocket_queue
):
    uri, fake, name = appsocket_queue(error_policy="stop-printer")
    fake.switch_on()
    printer = CupsA4Printer(uri, settle_s=3)

    checked = printer.check()
    status = printer.describe()

    assert checked.ok
    assert "printer-error-policy stop-printer" in checked.detail
    assert f"lpadmin -p {name} -o printer-error-policy=abort-job" in checked.detail
    assert (status.reachable, status.state, status.accepting) == (True, "idle", True)
    assert (status.backend, status.follows_device, status.error_policy) == (
        "kiosk-socket", False, "stop-printer")
    text = "\n".join(status.lines())
    assert "data handed over; printer watched 3 s more" in text
    assert "stop-printer" in text and "abort-job" in text
    # the default queue prints through cups-pdf, whose completion is the file written
    assert CupsA4Printer(cups.uri).describe().follows_device
    assert CupsA4Printer(cups.uri).check().detail == "printer-error-policy abort-job"


def test_a_queue_paused_under_a_job_withdraws_the_job_at_once(cups, qapp, appsocket_queue):
    uri, _fake, _name = appsocket_queue(error_policy="stop-printer")  # the printer is off
    printer = CupsA4Printer(uri, poll_s=0.2, fault_grace_s=0.5, stall_timeout_s=60,
                            settle_s=0.5)

    result = asyncio.run(printer.print_document(notice()))

    # the backend failed, CUPS paused the queue and kept the job pending: withdrawn, not
    # left to come out for someone else when the queue is started again
    assert (result.printed, result.code) == (False, "QUEUE_PAUSED")
    assert ipp.IppClient(uri).my_unfinished_jobs() == []


def run_cups_tool(cups, *command: str) -> None:
    """cupsdisable, cupsreject … against the tests' CUPS, as staff would run them."""
    subprocess.run([command[0], "-h", f"127.0.0.1:{cups.port}", *command[1:]], check=True,
                   capture_output=True, timeout=20)


@pytest.mark.parametrize("staff_command", [("cupsdisable",), ("cupsdisable", "-r", "更换墨粉"),
                                           ("cupsreject",)],
                         ids=["cupsdisable", "cupsdisable-with-reason", "cupsreject"])
def test_a_queue_staff_paused_stays_paused_and_the_person_is_told_the_printer_is_unavailable(
    cups, qapp, appsocket_queue, staff_command
):
    uri, fake, name = appsocket_queue(error_policy="stop-printer")
    fake.switch_on()
    run_cups_tool(cups, *staff_command, name)  # staff took the printer out for maintenance
    client = ipp.IppClient(uri)
    printer = CupsA4Printer(uri, poll_s=0.2, settle_s=0.5)

    checked = printer.check()
    result = asyncio.run(printer.print_document(notice()))

    assert client.printer().paused  # the staff's decision stands
    assert checked.code == "QUEUE_PAUSED"
    assert "本机以外" in checked.detail
    assert f"cupsenable {name} && cupsaccept {name}" in checked.detail
    assert (result.printed, result.code) == (False, "QUEUE_PAUSED")
    assert result.message == "打印机故障，未能打印。请联系工作人员。"
    assert fake.received == []  # nothing sent to a queue that would hold it
    assert printer.health().code == "QUEUE_PAUSED"
    assert "本机以外" in "\n".join(printer.describe().lines())  # the devices check says so too


@pytest.mark.parametrize("reason", [(), ("-r", "打开打印机取卡纸")], ids=["paused", "with-reason"])
def test_staff_pausing_a_queue_cups_had_stopped_under_a_kiosk_job_keeps_it_paused(
    cups, qapp, appsocket_queue, reason
):
    uri, fake, name = appsocket_queue(error_policy="stop-printer")
    client = ipp.IppClient(uri)
    left_behind = client.print_pdf(render_pdf(notice()).pdf, "left behind")
    wait_until(lambda: client.printer().paused)  # CUPS stopped the queue under our job …
    run_cups_tool(cups, "cupsdisable", *reason, name)  # … then staff paused it themselves
    fake.switch_on()
    printer = CupsA4Printer(uri, poll_s=0.2, settle_s=0.5)

    checked = printer.check()

    assert client.printer().paused
    assert checked.code == "QUEUE_PAUSED" and "本机以外" in checked.detail
    assert client.job(left_behind).state == ipp.JOB_CANCELED  # still nothing of ours comes out
    assert fake.received == []


def test_a_queue_cups_paused_under_the_kiosks_own_job_is_started_for_the_next_person(
    cups, qapp, appsocket_queue
):
    uri, fake, _name = appsocket_queue(error_policy="stop-printer")  # the printer is off
    printer = CupsA4Printer(uri, poll_s=0.2, fault_grace_s=0.5, settle_s=0.5)
    first = asyncio.run(printer.print_document(notice()))
    assert first.code == "QUEUE_PAUSED"  # its job withdrawn: none of ours is left in the queue
    fake.switch_on()

    second = asyncio.run(printer.print_document(notice()))

    assert second.printed, (second, cups.error_log())
    assert (len(fake.received), fake.sheets_out) == (1, 1)
    assert not ipp.IppClient(uri).printer().paused


def test_staff_pausing_the_queue_while_the_kiosk_prints_withdraws_the_job_and_keeps_it_paused(
    cups, qapp, tmp_path
):
    # a printer that takes the connection and keeps it: the job stays processing
    holder = socket.create_server(("127.0.0.1", 0))
    state_dir = cups.root / f"held-{tmp_path.name}"
    state_dir.mkdir()
    (state_dir / "status").write_text("idle\n")
    name = "HeldJob"
    run_cups_tool(cups, "lpadmin", "-p", name, "-E", "-v",
                  f"kiosk-socket://127.0.0.1:{holder.getsockname()[1]}{state_dir}", "-m", "raw",
                  "-o", "printer-error-policy=stop-printer")
    uri = f"ipp://127.0.0.1:{cups.port}/printers/{name}"
    printer = CupsA4Printer(uri, poll_s=0.2, fault_grace_s=0.5, settle_s=0.5)
    try:
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            printing = pool.submit(printer.print_document_blocking, notice())
            holder.settimeout(30)
            connection, _ = holder.accept()  # the job is on its way to the printer
            run_cups_tool(cups, "cupsdisable", "-r", "打开打印机取卡纸", name)
            result = printing.result(timeout=60)
        connection.close()

        checked = printer.check()

        assert (result.printed, result.code) == (False, "QUEUE_PAUSED")
        assert ipp.IppClient(uri).my_unfinished_jobs() == []  # withdrawn
        assert ipp.IppClient(uri).printer().paused  # and the staff's pause stands
        assert "本机以外" in checked.detail
    finally:
        holder.close()
        run_cups_tool(cups, "lpadmin", "-x", name)
