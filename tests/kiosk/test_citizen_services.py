"""Citizen services over the outbox, against the real platform on loopback: an application is
accepted online, queued when the network is cut and delivered once when it is back; nonsense
from the platform means "later", a refusal is kept for staff; evaluations never overtake the
application they rate; nothing personal stays on disk after delivery."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import select

from central.applications import set_status
from central.contract import (
    HEADER_IDEMPOTENCY_KEY,
    ApplicationAccepted,
    ApplicationSubmission,
    EvaluationSubmission,
    VerificationRequest,
)
from central.db import ApplicationRecord, EvaluationRecord, TerminalRecord
from central.server import EmbeddedPlatform
from kiosk.citizen_services import send_outbox_item
from kiosk.platform_client import PlatformClient, PlatformError, PlatformErrorKind
from kiosk.settings import DataSettings
from kiosk.terminal import Terminal, build_terminal
from offline_cache.outbox import Outbox, OutboxItem, OutboxState
from offline_cache.outbox_sync import Delivered, OutboxSync, Refused, RetryLater
from offline_cache.sealed import Sealer
from tests.kiosk.citizen_platform import (
    ADDRESS,
    ID_NUMBER,
    NAME,
    TERMINAL,
    applications_at_platform,
    kiosk_terminal,
    residence_permit,
    run_sync_until,
    settings_for,
    start_platform,
)


@pytest.fixture
def platform(tmp_path: Path) -> Iterator[EmbeddedPlatform]:
    server = start_platform(tmp_path)
    yield server
    server.stop()


@pytest.fixture
def kiosk(platform: EmbeddedPlatform, tmp_path: Path) -> Iterator[Terminal]:
    terminal = kiosk_terminal(platform, tmp_path / "kiosk")
    yield terminal


def today() -> str:
    return datetime.now(UTC).strftime("%Y%m%d")


# -- online and offline -------------------------------------------------------------------


def test_online_an_application_gets_its_acceptance_number_at_once(platform, kiosk) -> None:
    services = kiosk.services

    async def scenario():
        submitted = await services.submit_application(residence_permit())
        progress = await services.progress(submitted.accepted.acceptance_number)
        scanned = await services.progress_by_receipt_code(submitted.accepted.receipt_code)
        return submitted, progress, scanned

    submitted, progress, scanned = asyncio.run(scenario())
    accepted = submitted.accepted
    assert accepted is not None and submitted.queued_because is None
    assert submitted.local_number == f"{TERMINAL.id}-{today()}-0001"
    assert accepted.local_number == submitted.local_number
    assert applications_at_platform(platform, submitted.local_number) == [
        accepted.acceptance_number]
    assert services.local_status(submitted.local_number) == accepted
    assert progress.acceptance_number == accepted.acceptance_number
    assert progress.service_id == "SS-015" and progress.applicant_masked == "张*"
    assert scanned.acceptance_number == accepted.acceptance_number
    assert kiosk.outbox_sync.backlog() == 0


def test_a_cut_network_queues_the_application_and_its_return_delivers_it_once(
        platform, kiosk) -> None:
    services, sync = kiosk.services, kiosk.outbox_sync

    async def scenario():
        kiosk.network.cut()
        submitted = await services.submit_application(residence_permit())
        queued = (sync.backlog(), applications_at_platform(platform, submitted.local_number),
                  services.local_status(submitted.local_number))
        kiosk.network.restore()  # wakes the outbox loop: no waiting for the backoff
        await run_sync_until(kiosk, lambda: services.local_status(submitted.local_number))
        again = await sync.deliver_due(ignore_backoff=True)
        return submitted, queued, again

    submitted, queued, again = asyncio.run(scenario())
    assert submitted.accepted is None, "the receipt says 待受理"
    assert submitted.local_number == f"{TERMINAL.id}-{today()}-0001"
    assert "NETWORK_DOWN" in submitted.queued_because
    assert queued == (1, [], None), "kept at the kiosk, the platform has nothing yet"
    accepted = services.local_status(submitted.local_number)
    assert accepted is not None and accepted.local_number == submitted.local_number
    assert again == 0
    assert applications_at_platform(platform, submitted.local_number) == [
        accepted.acceptance_number], "delivered exactly once"
    assert sync.backlog() == 0


def test_a_platform_that_is_down_at_submit_gets_the_application_once_it_is_back(
        platform, kiosk) -> None:
    services, sync = kiosk.services, kiosk.outbox_sync

    async def scenario():
        platform.stop()
        submitted = await services.submit_application(residence_permit())
        platform.start()  # same port, same database
        sync.wake()  # skip the backoff (a first retry after 4-5 s) the kiosk would wait out
        await run_sync_until(kiosk, lambda: services.local_status(submitted.local_number))
        return submitted

    submitted = asyncio.run(scenario())
    assert submitted.accepted is None and "PLATFORM_UNREACHABLE" in submitted.queued_because
    accepted = services.local_status(submitted.local_number)
    assert applications_at_platform(platform, submitted.local_number) == [
        accepted.acceptance_number]


def test_a_cut_network_fails_every_request_at_once_and_sends_nothing(kiosk) -> None:
    scripted = ScriptedPlatform()
    try:
        client = PlatformClient(scripted.base_url, network=kiosk.network)
        kiosk.network.cut()
        with pytest.raises(PlatformError) as caught:
            client.get_catalog()
        assert caught.value.kind is PlatformErrorKind.OFFLINE
        assert caught.value.health_code == "NETWORK_DOWN" and not caught.value.refused
        assert caught.value.user_message == "本机网络已断开，请稍后再试或联系工作人员。"
        assert scripted.seen == []
        kiosk.network.restore()
        with pytest.raises(PlatformError):
            client.get_catalog()  # the scripted platform knows no catalog
        assert len(scripted.seen) == 1
    finally:
        scripted.close()


def test_a_verified_person_finds_their_applications_and_prints_the_result(platform,
                                                                         kiosk) -> None:
    services = kiosk.services
    request = VerificationRequest(evidence=residence_permit().evidence,
                                  face=residence_permit().face, required_level=4)

    async def scenario():
        verification = await services.verify_identity(request)
        submitted = await services.submit_application(
            residence_permit(verification_id=verification.verification_id, evidence=None,
                             face=None))
        with platform.app.state.sessions() as session:
            set_status(session, submitted.accepted.acceptance_number, "办结", "",
                       datetime.now(UTC))
            session.commit()
        (mine,) = await services.applications_of(verification.verification_id)
        pdf = await services.document(mine.documents[0].path)
        return verification, submitted, mine, pdf

    verification, submitted, mine, pdf = asyncio.run(scenario())
    assert verification.verified and verification.level == 5  # card through the reader's SAM
    assert mine.acceptance_number == submitted.accepted.acceptance_number
    assert [event.status for event in mine.timeline] == ["已受理", "办结"]
    assert pdf.startswith(b"%PDF-")


def test_offline_reads_say_so_and_a_garbled_receipt_code_is_not_looked_up(platform,
                                                                          kiosk) -> None:
    services = kiosk.services

    async def scenario():
        unknown = await services.progress("SL20260101000000")
        garbled = await services.progress_by_receipt_code("ZWRC:SL1:不是签名")
        kiosk.network.cut()
        with pytest.raises(PlatformError) as caught:
            await services.progress("SL20260101000000")
        return unknown, garbled, caught.value

    unknown, garbled, offline = asyncio.run(scenario())
    assert unknown is None and garbled is None
    assert offline.kind is PlatformErrorKind.OFFLINE


# -- a platform that misbehaves --------------------------------------------------------------


@pytest.mark.parametrize("fault", ["http500", "malformed_json", "unexpected_json"])
def test_nonsense_from_the_platform_means_later_and_nothing_is_lost(platform, kiosk,
                                                                    fault) -> None:
    services, sync = kiosk.services, kiosk.outbox_sync

    async def scenario():
        platform.set_fault(fault)
        submitted = await services.submit_application(residence_permit())
        pending = sync.backlog()
        platform.set_fault(None)
        delivered = await sync.deliver_due(ignore_backoff=True)
        return submitted, pending, delivered

    submitted, pending, delivered = asyncio.run(scenario())
    assert submitted.accepted is None and pending == 1
    assert "PLATFORM_" in submitted.queued_because
    assert delivered == 1
    accepted = services.local_status(submitted.local_number)
    assert applications_at_platform(platform, submitted.local_number) == [
        accepted.acceptance_number]


def test_an_invalid_application_is_refused_kept_for_staff_and_never_resent(platform,
                                                                           kiosk) -> None:
    services, sync = kiosk.services, kiosk.outbox_sync
    outbox = sync.outbox

    async def scenario():
        submitted = await services.submit_application(residence_permit(service_id="SS-999"))
        again = await sync.deliver_due(ignore_backoff=True)
        return submitted, again

    submitted, again = asyncio.run(scenario())
    assert submitted.accepted is None and submitted.queued_because.startswith("refused")
    assert again == 0
    (item,) = outbox.items()
    assert item.state is OutboxState.REFUSED and item.attempts == 1, "sent once, never again"
    assert "HTTP 4" in item.last_error
    assert sync.backlog() == 0, "not waiting for the platform: waiting for staff"
    with sqlite3.connect(outbox_path(kiosk)) as db:
        (payload,) = db.execute("SELECT payload FROM outbox").fetchone()
    assert payload is not None, "the sealed application is kept for staff"
    assert applications_at_platform(platform, submitted.local_number) == []


# -- evaluations ----------------------------------------------------------------------------


def test_an_evaluation_waits_behind_the_application_it_rates(platform, kiosk) -> None:
    services, sync = kiosk.services, kiosk.outbox_sync

    async def scenario():
        kiosk.network.cut()
        submitted = await services.submit_application(residence_permit())
        await services.rate(EvaluationSubmission(
            service_id="SS-015", local_number=submitted.local_number, level=2,
            reasons=["等候时间长"], rated_at=datetime.now(UTC)))
        backlog = sync.backlog()
        kiosk.network.restore()
        await run_sync_until(kiosk, lambda: sync.backlog() == 0)
        return submitted, backlog

    submitted, backlog = asyncio.run(scenario())
    assert backlog == 2
    accepted = services.local_status(submitted.local_number)
    assert [item.state for item in sync.outbox.items()] == [OutboxState.DELIVERED] * 2
    with platform.app.state.sessions() as session:
        (evaluation,) = session.scalars(select(EvaluationRecord)).all()
        rated = session.scalars(select(ApplicationRecord.id).where(
            ApplicationRecord.number == accepted.acceptance_number)).one()
    assert evaluation.level == 2 and evaluation.reasons == ["等候时间长"]
    assert evaluation.application_id == rated, "the platform knew the application when it came"


def test_the_oldest_item_backing_off_holds_back_the_ones_behind_it(tmp_path) -> None:
    now = [datetime(2026, 11, 23, 9, 0, tzinfo=UTC)]
    outbox = Outbox(tmp_path / "outbox.sqlite3", Sealer(bytes(32)), "T-1", lambda: now[0])
    first = outbox.put("application", {"n": 1})
    sent: list[str] = []

    def platform_down_for_the_first(item):
        sent.append(item.kind)
        return RetryLater("down") if item.id == first.id else Delivered("{}")

    sync = OutboxSync(outbox, platform_down_for_the_first, clock=lambda: now[0])
    asyncio.run(sync.deliver_due())
    outbox.put("evaluation", {"rates": first.local_number})
    assert outbox.due() == [], "the evaluation is due, but not before its application"
    assert asyncio.run(sync.deliver_due()) == 0 and sent == ["application"]
    assert [item.kind for item in outbox.due(ignore_backoff=True)] == [
        "application", "evaluation"]


def test_citizens_submitting_during_a_hanging_outage_do_not_pile_up_attempts(tmp_path) -> None:
    outbox = Outbox(tmp_path / "outbox.sqlite3", Sealer(bytes(32)), "T-1")
    hanging = threading.Event()
    tried: list[str] = []

    def platform_hangs_then_fails(item):
        tried.append(item.local_number)
        hanging.wait(10)
        return RetryLater("PLATFORM_TIMEOUT")

    sync = OutboxSync(outbox, platform_hangs_then_fails)

    async def citizen(n: int):
        item = await sync.enqueue("application", {"n": n})
        return await sync.try_now(item.id, wait_s=0.3)

    async def scenario():
        first = await citizen(1)  # its pass hangs on the platform
        others = await asyncio.gather(*(citizen(n) for n in range(2, 6)))
        hanging.set()
        await sync.deliver_due()  # after the passes already waiting (the lock is fair)
        return [first, *others]

    answers = asyncio.run(scenario())
    assert [item.state for item in answers] == [OutboxState.PENDING] * 5, "all safe, all told"
    assert tried == [answers[0].local_number] * 2, (
        "the oldest tried once more for the four who came during the outage, not four times")


# -- personal data --------------------------------------------------------------------------


def test_once_delivered_nothing_personal_remains_in_the_outbox_file(platform, kiosk) -> None:
    services, sync = kiosk.services, kiosk.outbox_sync

    async def scenario():
        kiosk.network.cut()
        submitted = await services.submit_application(residence_permit())
        with sqlite3.connect(outbox_path(kiosk)) as db:
            (sealed,) = db.execute("SELECT payload FROM outbox").fetchone()
        kiosk.network.restore()
        await sync.deliver_due(ignore_backoff=True)
        return submitted, sealed

    submitted, sealed = asyncio.run(scenario())
    assert services.local_status(submitted.local_number) is not None
    stored = b"".join(path.read_bytes() for path in outbox_path(kiosk).parent.glob(
        "outbox.sqlite3*"))
    for secret in (NAME, ID_NUMBER, ADDRESS, "13812345678"):
        assert secret.encode() not in stored
    assert sealed[40:104] not in stored, "not even the sealed copy"
    with sqlite3.connect(outbox_path(kiosk)) as db:
        (result,) = db.execute("SELECT result FROM outbox").fetchone()
    assert json.loads(result)["acceptance_number"] == services.local_status(
        submitted.local_number).acceptance_number


def test_the_outbox_key_is_made_once_readable_by_its_owner_only(platform, tmp_path) -> None:
    kiosk_terminal(platform, tmp_path / "a")
    made = tmp_path / "a" / "outbox.key"
    assert made.stat().st_mode & 0o777 == 0o600
    key = made.read_bytes()
    kiosk_terminal(platform, tmp_path / "a")
    assert made.read_bytes() == key, "kept across restarts: queued applications still open"
    elsewhere = tmp_path / "secrets" / "kiosk.key"
    settings = settings_for(tmp_path / "b").model_copy(update={"data": DataSettings(
        dir=tmp_path / "b", key_file=str(elsewhere))})
    build_terminal(settings, platform.base_url)
    assert elsewhere.stat().st_mode & 0o777 == 0o600
    assert not (tmp_path / "b" / "outbox.key").exists()


# -- telemetry ------------------------------------------------------------------------------


def test_the_heartbeat_carries_the_outbox_backlog(platform, kiosk) -> None:
    def backlog_at_platform() -> int:
        with platform.app.state.sessions() as session:
            return session.get(TerminalRecord, TERMINAL.id).outbox_backlog

    async def scenario():
        kiosk.network.cut()
        await kiosk.services.submit_application(residence_permit())
        await kiosk.services.submit_application(residence_permit())
        kiosk.network.restore()
        await kiosk.telemetry.send_once()
        waiting = backlog_at_platform()
        await kiosk.outbox_sync.deliver_due(ignore_backoff=True)
        await kiosk.telemetry.send_once()
        return waiting, backlog_at_platform()

    assert asyncio.run(scenario()) == (2, 0)


# -- an answer lost on the way back ----------------------------------------------------------


class ScriptedPlatform:
    """Takes applications idempotently like the platform, but can lose its first answer (the
    connection closes after the application was recorded), which the real one cannot do."""

    def __init__(self, lose_first_answer: bool = False, status: int | None = None) -> None:
        self.seen: list[tuple[str, str | None]] = []  # (path, Idempotency-Key)
        self.accepted: dict[str, ApplicationAccepted] = {}
        self.lose = lose_first_answer
        self.status = status  # answer every POST with this status and an error body instead
        script = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                key = self.headers.get(HEADER_IDEMPOTENCY_KEY)
                script.seen.append((self.path, key))
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if script.status is not None:
                    self.send_error(script.status)
                    return
                submission = ApplicationSubmission.model_validate_json(body)
                answer = script.accepted.setdefault(key, ApplicationAccepted(
                    acceptance_number=f"SL{today()}{len(script.accepted) + 1:06d}",
                    local_number=submission.local_number, status="已受理",
                    accepted_at=datetime.now(UTC), receipt_code="ZWRC:x:y", next_steps=""))
                if script.lose:
                    script.lose = False
                    self.close_connection = True
                    return  # recorded, and the answer never leaves
                data = answer.model_dump_json().encode()
                self.send_response(201)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                script.seen.append((self.path, None))
                self.send_error(404)

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}/api/v1"
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def test_a_lost_answer_is_asked_again_with_the_same_key_and_gives_one_application() -> None:
    scripted = ScriptedPlatform(lose_first_answer=True)
    try:
        client = PlatformClient(scripted.base_url, timeout_s=2.0, retries=1, backoff_s=0.01)
        accepted = client.submit_application(residence_permit(local_number="T-1-0001"),
                                             idempotency_key="item-0123456789abcdef")
    finally:
        scripted.close()
    assert scripted.seen == [("/api/v1/applications", "item-0123456789abcdef")] * 2
    assert list(scripted.accepted.values()) == [accepted], "one application, not two"


# -- helpers --------------------------------------------------------------------------------


def outbox_path(terminal: Terminal) -> Path:
    return terminal.data_dir / "outbox.sqlite3"


@pytest.mark.parametrize(("status", "outcome"), [
    (422, Refused), (409, Refused), (404, Refused),  # about the application itself: for staff
    (401, RetryLater), (403, RetryLater), (429, RetryLater),  # the terminal's key, clock, rate
    (500, RetryLater), (503, RetryLater),
])
def test_what_the_platform_says_decides_between_staff_and_later(status, outcome) -> None:
    scripted = ScriptedPlatform(status=status)
    try:
        client = PlatformClient(scripted.base_url, timeout_s=2.0, retries=0)
        item = OutboxItem("item-0123456789abcdef", "application", "T-1-0001",
                          datetime.now(UTC), OutboxState.PENDING, 0,
                          payload=residence_permit().model_dump(mode="json"))
        result = send_outbox_item(client, item)
    finally:
        scripted.close()
    assert isinstance(result, outcome)
    assert f"HTTP {status}" in result.reason

