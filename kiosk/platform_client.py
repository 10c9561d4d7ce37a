"""The terminal's client for the central government-service platform (/api/v1).

Synchronous on purpose: it runs in a worker thread (see `kiosk.catalog_source`), never on the
GUI thread. Every answer is validated with the shared contract models, and every way a call can
fail — no network, a slow platform, an error page, JSON of the wrong shape — comes out as one
exception type, `PlatformError`, that carries a sentence for the citizen, a code for the hall
manager and a short technical detail for the log. Nothing else escapes.

Reads (GET) are retried with exponential backoff after network faults and 502/503/504, and so
are the writes that carry an Idempotency-Key (applications, evaluations, payments, queue
tickets, offline tickets, bookings, SMS: the platform answers a repeat with its first answer)
and those whose repeat the platform answers the same way (cancelling an appointment: already
cancelled; checking in: the same ticket; a queue lease: the blocks already granted); no other
write is ever repeated (a 便民服务 lookup: a third party may have acted). A write the platform
refused (`PlatformError.refused`: 4xx about the request itself) must not be sent again at all.
While the terminal's `NetworkSwitch` is cut, every call fails at once with OFFLINE.

Every attempt is signed with the terminal's id and key (`central.contract.signed_headers`: HMAC
over method, path, time, a fresh nonce and the body's hash), so a retry is never a replay.
"""

from __future__ import annotations

import base64
import enum
import json
import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar
from urllib.parse import quote, urlsplit

import requests
import urllib3.exceptions
from pydantic import BaseModel, ValidationError
from requests.structures import CaseInsensitiveDict

from central.contract import (
    HEADER_IDEMPOTENCY_KEY,
    HEADER_VERIFICATION,
    PAYMENT_ORDER_ID_PATTERN,
    ApplicationAccepted,
    ApplicationList,
    ApplicationProgress,
    ApplicationSubmission,
    AskCounted,
    Catalog,
    CertificateIssued,
    CertificateRefused,
    CertificateRequest,
    ErrorBody,
    EvaluationAccepted,
    EvaluationSubmission,
    Heartbeat,
    HeartbeatAnswer,
    HotService,
    HotServices,
    KnowledgeSnapshot,
    MostUsedServices,
    Verification,
    VerificationRequest,
    signed_headers,
)
from central.contract.appointments import (
    Appointment,
    Appointments,
    AppointmentSlots,
    Booking,
    BookingRequest,
    Cancellation,
    CheckIn,
    CheckInRequest,
)
from central.contract.convenience import (
    MAX_DOCUMENT_BYTES,
    FeedAnswer,
    HallTiles,
    LookupAnswer,
    LookupQuery,
)
from central.contract.hall_map import MAX_IMAGE_BYTES, HallMap
from central.contract.payments import (
    MAX_WAIT_S,
    PayCodeRequest,
    PaymentChannel,
    PaymentOrder,
    PaymentOrderRequest,
    PaymentQr,
    PaymentState,
    QrRequest,
)
from central.contract.queue import (
    LeaseRequest,
    OfflineTicket,
    QueueGroup,
    QueueGroups,
    QueueLeases,
    Ticket,
    TicketRequest,
)
from central.contract.readiness import ReadinessReceived, ReadinessReport
from central.contract.releases import SignedRelease
from central.contract.sms import SmsRequest, SmsSent
from central.contract.staff import StaffEvents, StaffEventsRecorded
from common.backoff import backoff
from common.citizen_services import IssuedCertificate, ServiceUnavailable
from common.i18n import QT_TR_NOOP
from kiosk.clock_offset import ClockOffset
from kiosk.http_body import BodyRefused, network_reason, read_bounded
from kiosk.network_switch import NetworkSwitch
from kiosk.pii import redact

log = logging.getLogger(__name__)

_DETAIL_MAX = 200  # log lines stay readable and a body never ends up in the log whole
_BODY_MAX = 16 * 1024 * 1024  # a catalog is ~100 kB; anything this big is not one
_TRANSIENT_STATUSES = frozenset({502, 503, 504})  # a proxy or the platform restarting
RETRY_CAP_S = 5.0  # the longest wait between two tries of a read: a citizen may be waiting
# 4xx that say nothing against the request itself: the terminal's key or clock (401, 403),
# a proxy's timeout (408), too many requests (429)
_NOT_REFUSALS = frozenset({401, 403, 408, 429})

M = TypeVar("M", bound=BaseModel)


class PlatformErrorKind(enum.Enum):
    OFFLINE = "offline"  # the terminal's network is cut (kiosk.network_switch): nothing sent
    UNREACHABLE = "unreachable"  # no connection could be made
    TIMEOUT = "timeout"  # connected, but the answer did not come in time
    SERVER_ERROR = "server_error"  # 5xx
    CLIENT_ERROR = "client_error"  # 4xx: the terminal asked something the platform refuses
    MALFORMED = "malformed"  # not JSON at all (HTML error page, truncated body)
    UNEXPECTED = "unexpected"  # JSON of the wrong shape, an odd status, a bug on our side


_USER_MESSAGES: dict[PlatformErrorKind, str] = {
    PlatformErrorKind.OFFLINE: QT_TR_NOOP("本机网络已断开，请稍后再试或联系工作人员。"),
    PlatformErrorKind.UNREACHABLE: QT_TR_NOOP("暂时连不上政务服务平台，请稍后再试或联系工作人员。"),
    PlatformErrorKind.TIMEOUT: QT_TR_NOOP("政务服务平台响应太慢，请稍后再试或联系工作人员。"),
    PlatformErrorKind.SERVER_ERROR: QT_TR_NOOP(
        "政务服务平台暂时出现故障，请稍后再试或联系工作人员。"
    ),
    PlatformErrorKind.CLIENT_ERROR: QT_TR_NOOP("本机的请求未被政务服务平台接受，已通知工作人员。"),
    PlatformErrorKind.MALFORMED: QT_TR_NOOP("政务服务平台返回了无法识别的数据，已通知工作人员。"),
    PlatformErrorKind.UNEXPECTED: QT_TR_NOOP(
        "政务服务平台返回的数据与本机不匹配，已通知工作人员。"
    ),
}

_HEALTH_CODES: dict[PlatformErrorKind, str] = {
    PlatformErrorKind.OFFLINE: "NETWORK_DOWN",
    PlatformErrorKind.UNREACHABLE: "PLATFORM_UNREACHABLE",
    PlatformErrorKind.TIMEOUT: "PLATFORM_TIMEOUT",
    PlatformErrorKind.SERVER_ERROR: "PLATFORM_ERROR",
    PlatformErrorKind.CLIENT_ERROR: "PLATFORM_ERROR",
    PlatformErrorKind.MALFORMED: "PLATFORM_BAD_RESPONSE",
    PlatformErrorKind.UNEXPECTED: "PLATFORM_BAD_RESPONSE",
}


def _short(text: str) -> str:
    """A log-safe excerpt: personal data masked, one line, capped."""
    one_line = " ".join(redact(text).split())
    return one_line if len(one_line) <= _DETAIL_MAX else one_line[: _DETAIL_MAX - 1] + "…"


class PlatformError(ServiceUnavailable):
    """Any failure talking to the platform, as the citizen services port's error.

    `user_message` is for the person at the screen (Simplified Chinese, marked for
    translation), `health_code` for the manager console, `detail` for the log only.
    """

    def __init__(self, kind: PlatformErrorKind, detail: str, status: int | None = None) -> None:
        self.kind = kind
        self.status = status
        self.detail = _short(detail)
        super().__init__(
            f"{kind.name}: {self.detail}",
            user_message=_USER_MESSAGES[kind],
            # a wrong key or id, or the terminal's clock far off
            health_code="PLATFORM_AUTH_REFUSED" if status == 401 else _HEALTH_CODES[kind],
            # worth another attempt: the network or a gateway, not the request itself
            transient=kind in (PlatformErrorKind.UNREACHABLE, PlatformErrorKind.TIMEOUT)
            or status in _TRANSIENT_STATUSES,
            # the platform said no to the request itself (invalid, conflicting, unknown):
            # sending the same again gets the same no. A write refused so is kept for staff,
            # never resent; anything else (network, 5xx, a garbled answer, a key or clock
            # problem) may pass later.
            refused=kind is PlatformErrorKind.CLIENT_ERROR and status not in _NOT_REFUSALS)


@dataclass(frozen=True)
class TerminalCredentials:
    """Who this terminal is to the platform: `[terminal] id` and `key` of its profile."""

    terminal_id: str
    key: str = field(repr=False)


@dataclass(frozen=True)
class CatalogFetch:
    """The result of GET /catalog: a new catalog, or `not_modified` for a 304."""

    catalog: Catalog | None
    etag: str | None
    not_modified: bool


@dataclass(frozen=True)
class _Answer:
    """A complete HTTP answer, body read within the deadline."""

    status: int
    headers: CaseInsensitiveDict[str]
    body: bytes


@dataclass(frozen=True)
class _RetryPolicy:
    retries: int
    backoff_s: float
    cap_s: float = RETRY_CAP_S

    def delay(self, attempt: int) -> float:
        """Seconds to wait after failed attempt number `attempt` (0-based)."""
        return backoff(attempt, self.backoff_s, self.cap_s)


def _with_retries(
    attempt: Callable[[], _Answer],
    policy: _RetryPolicy,
    *,
    repeatable: bool,
    what: str,
    sleep: Callable[[float], None] = time.sleep,
) -> _Answer:
    """Run `attempt`, repeating it after transient faults if the request is `repeatable`.

    A 502/503/504 answer counts as a transient fault; the last one is returned as it is so the
    caller turns it into a SERVER_ERROR like any other 5xx.
    """
    tries = 1 + (policy.retries if repeatable else 0)
    for n in range(tries):
        last = n == tries - 1
        try:
            answer = attempt()
        except PlatformError as exc:
            if last or not exc.transient:
                raise
            log.warning("%s failed (%s), retry %d/%d", what, exc, n + 1, policy.retries)
        else:
            if last or answer.status not in _TRANSIENT_STATUSES:
                return answer
            log.warning("%s got HTTP %d, retry %d/%d", what, answer.status, n + 1, policy.retries)
        sleep(policy.delay(n))
    raise AssertionError("unreachable")  # pragma: no cover - the loop always returns or raises


class PlatformClient:
    """Calls to the central platform over one HTTP session (connection reuse, keep-alive).

    `timeout_s` bounds connecting and each wait for data; one attempt as a whole (headers and
    body) is cut off after twice that, so a platform that trickles bytes cannot hold a worker.
    """

    def __init__(
        self,
        base_url: str,
        timeout_s: float = 5.0,
        retries: int = 2,
        backoff_s: float = 0.5,
        *,
        credentials: TerminalCredentials | None = None,
        network: NetworkSwitch | None = None,
        wall_clock: Callable[[], float] | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._network = network
        # the platform checks the signature over the path it sees, /api/v1/… included
        self._base_path = urlsplit(self.base_url).path
        self._credentials = credentials
        self._timeout_s = timeout_s
        # the terminal's time as it signs requests with it; every answer's Date header
        # measures how far it is from the platform's (kiosk.clock_offset). None: the clock
        # signed_headers reads itself (bench/payments.py moves that one)
        self._wall_clock = wall_clock
        self.clock = ClockOffset()
        self._policy = _RetryPolicy(retries=max(0, retries), backoff_s=backoff_s)
        self._session = requests.Session()
        self._session.headers.update({"Accept": "application/json", "User-Agent": "gov-kiosk"})
        # requests.Session is not documented as thread-safe; calls may come from several workers
        self._lock = threading.Lock()

    def _now(self) -> float:
        return self._wall_clock() if self._wall_clock else time.time()

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> PlatformClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- API -----------------------------------------------------------------------------

    def get_catalog(self, etag: str | None = None) -> CatalogFetch:
        """GET /catalog; with `etag`, an unchanged catalog costs only a 304."""
        headers = {"If-None-Match": etag} if etag else {}
        answer = self._request("GET", "/catalog", headers=headers)
        if answer.status == 304:
            etag = answer.headers.get("ETag", etag)
            return CatalogFetch(catalog=None, etag=etag, not_modified=True)
        catalog = self._model_from(answer, Catalog, "GET /catalog")
        return CatalogFetch(catalog=catalog, etag=answer.headers.get("ETag"), not_modified=False)

    def send_heartbeat(self, heartbeat: Heartbeat) -> HeartbeatAnswer:
        """POST /heartbeats, once: a lost heartbeat is replaced by the next, never repeated."""
        body = heartbeat.model_dump_json().encode("utf-8")
        answer = self._request("POST", "/heartbeats", body=body,
                               headers={"Content-Type": "application/json"})
        return self._model_from(answer, HeartbeatAnswer, "POST /heartbeats")

    def health(self) -> None:
        """GET /health, once: raises `PlatformError` when the platform cannot be reached."""
        self._request("GET", "/health", repeatable=False)

    def send_staff_events(self, events: StaffEvents, idempotency_key: str) -> int:
        """POST /terminal-events: staff at the screen (`central.contract.staff`); how many
        were new to the platform. Each event is recorded once, so a repeat is safe."""
        answer = self._post_json("/terminal-events", events, idempotency_key=idempotency_key)
        return self._model_from(answer, StaffEventsRecorded, "POST /terminal-events").recorded

    def send_readiness(self, report: ReadinessReport) -> ReadinessReceived:
        """POST /readiness, once: a report not delivered is made afresh when sent again."""
        answer = self._post_json("/readiness", report)
        return self._model_from(answer, ReadinessReceived, "POST /readiness")

    # -- citizen services ------------------------------------------------------------

    def verify_identity(self, request: VerificationRequest) -> Verification:
        """POST /identity/verifications, once: the person is there to try again."""
        answer = self._post_json("/identity/verifications", request)
        return self._model_from(answer, Verification, "POST /identity/verifications")

    def submit_application(self, submission: ApplicationSubmission,
                           idempotency_key: str) -> ApplicationAccepted:
        """POST /applications. The key makes a repeat safe (the platform answers it with the
        first acceptance), so this one write is retried after network faults like a read."""
        answer = self._post_json("/applications", submission, idempotency_key=idempotency_key)
        return self._model_from(answer, ApplicationAccepted, "POST /applications")

    def submit_evaluation(self, evaluation: EvaluationSubmission,
                          idempotency_key: str) -> EvaluationAccepted:
        """POST /evaluations, idempotent like an application."""
        answer = self._post_json("/evaluations", evaluation, idempotency_key=idempotency_key)
        return self._model_from(answer, EvaluationAccepted, "POST /evaluations")

    def application(self, acceptance_number: str) -> ApplicationProgress | None:
        """GET /applications/{number}; None when the platform knows no such number."""
        return self._get_or_none(f"/applications/{quote(acceptance_number, safe='')}",
                                 ApplicationProgress)

    def application_by_receipt_code(self, code: str) -> ApplicationProgress | None:
        """GET /applications/by-receipt-code/{code}; None when the code is not genuine.

        The platform checks the signature over the decoded path, so a code must need no
        percent-encoding (a receipt's never does: "ZWRC:" + number + ":" + base64url).
        """
        return self._get_or_none(f"/applications/by-receipt-code/{quote(code, safe=':')}",
                                 ApplicationProgress)

    def applications_of(self, verification_id: str) -> list[ApplicationProgress]:
        """GET /applications with the verification's token in a header (never in the URL,
        which proxies and access logs keep): the verified holder's applications."""
        answer = self._request("GET", "/applications",
                               headers={HEADER_VERIFICATION: verification_id})
        return self._model_from(answer, ApplicationList, "GET /applications").applications

    def document(self, path: str) -> bytes:
        """The PDF at a ResultDocument's `path` (/api/v1/applications/{no}/documents/{id})."""
        if not path.startswith(self._base_path + "/"):
            raise PlatformError(PlatformErrorKind.UNEXPECTED, f"document outside the API: {path}")
        relative = path[len(self._base_path):]
        answer = self._request("GET", relative)
        if not answer.body.startswith(b"%PDF-"):
            raise PlatformError(PlatformErrorKind.MALFORMED,
                                f"GET {relative}: not a PDF ({_content_type(answer)})",
                                answer.status)
        return answer.body

    # -- 取号 (central.contract.queue) ----------------------------------------------------

    def queue_groups(self) -> list[QueueGroup]:
        """GET /queue/groups: the groups of this terminal's hall."""
        answer = self._request("GET", "/queue/groups")
        return self._model_from(answer, QueueGroups, "GET /queue/groups").groups

    def take_ticket(self, request: TicketRequest, idempotency_key: str) -> Ticket:
        """POST /queue/tickets; the key makes a repeat the same ticket, so it is retried."""
        answer = self._post_json("/queue/tickets", request, idempotency_key=idempotency_key)
        ticket = self._model_from(answer, Ticket, "POST /queue/tickets")
        if (ticket.group_id, ticket.priority) != (request.group_id, request.priority):
            raise PlatformError(PlatformErrorKind.UNEXPECTED,
                                "POST /queue/tickets: a ticket for another group", answer.status)
        return ticket

    def queue_ticket(self, token: str) -> Ticket | None:
        """GET /queue/tickets/{token}; None when the platform knows no such ticket."""
        return self._get_or_none(f"/queue/tickets/{quote(token, safe='')}", Ticket)

    # -- 便民服务 (central.contract.convenience) ----------------------------------------------

    def convenience_tiles(self) -> HallTiles:
        """GET /convenience/tiles: this terminal's hall's tiles."""
        answer = self._request("GET", "/convenience/tiles")
        return self._model_from(answer, HallTiles, "GET /convenience/tiles")

    def convenience_feed(self, tile_id: int) -> FeedAnswer:
        path = f"/convenience/tiles/{int(tile_id)}/feed"
        return self._model_from(self._request("GET", path), FeedAnswer, f"GET {path}")

    def convenience_lookup(self, tile_id: int, query: LookupQuery) -> LookupAnswer:
        """POST a lookup: never repeated (a third party may have been slow the first time)."""
        path = f"/convenience/tiles/{int(tile_id)}/lookup"
        answer = self._model_from(self._post_json(path, query), LookupAnswer, f"POST {path}")
        if answer.tile_id != tile_id:
            raise PlatformError(PlatformErrorKind.UNEXPECTED, f"POST {path}: another tile")
        return answer

    def convenience_document(self, tile_id: int) -> bytes:
        """A print tile's PDF, at most MAX_DOCUMENT_BYTES."""
        path = f"/convenience/tiles/{int(tile_id)}/document"
        answer = self._request("GET", path)
        if not answer.body.startswith(b"%PDF-") or len(answer.body) > MAX_DOCUMENT_BYTES:
            raise PlatformError(PlatformErrorKind.MALFORMED, f"GET {path}: not a bounded PDF",
                                answer.status)
        return answer.body

    # -- 取号 offline (central.contract.queue; kiosk.offline_queue) -------------------------

    def queue_leases(self, day: date) -> QueueLeases:
        """POST /queue/leases: this terminal's blocks of numbers for `day`. Asking again
        grants nothing more, so it is retried like a GET."""
        answer = self._request("POST", "/queue/leases",
                               body=LeaseRequest(day=day).model_dump_json().encode("utf-8"),
                               headers={"Content-Type": "application/json"}, repeatable=True)
        return self._model_from(answer, QueueLeases, "POST /queue/leases")

    def reconcile_queue_ticket(self, ticket: OfflineTicket, idempotency_key: str) -> Ticket:
        """POST /queue/offline-tickets: a ticket given offline, into the day's queue."""
        answer = self._post_json("/queue/offline-tickets", ticket,
                                 idempotency_key=idempotency_key)
        got = self._model_from(answer, Ticket, "POST /queue/offline-tickets")
        if (got.token, got.number) != (ticket.token, ticket.number):
            raise PlatformError(PlatformErrorKind.UNEXPECTED,
                                "POST /queue/offline-tickets: another ticket", answer.status)
        return got

    # -- 预约 (central.contract.appointments) ---------------------------------------------

    def appointment_slots(self, service_id: str) -> AppointmentSlots | None:
        """GET /appointments/slots/{service_id}; None when the hall books no such service."""
        path = f"/appointments/slots/{quote(service_id, safe='')}"
        slots = self._get_or_none(path, AppointmentSlots)
        if slots is not None and slots.service_id != service_id:
            raise PlatformError(PlatformErrorKind.UNEXPECTED, f"GET {path}: another service")
        return slots

    def book_appointment(self, request: BookingRequest, verification_id: str,
                         idempotency_key: str) -> Booking:
        """POST /appointments for the verified holder (the token in a header, never the URL);
        the key makes a repeat the same booking, so it is retried."""
        what = "POST /appointments"
        answer = self._request(
            "POST", "/appointments", body=request.model_dump_json().encode("utf-8"),
            headers={"Content-Type": "application/json", HEADER_VERIFICATION: verification_id,
                     HEADER_IDEMPOTENCY_KEY: idempotency_key}, repeatable=True)
        booking = self._model_from(answer, Booking, what)
        made = booking.appointment
        if made is not None and (made.service_id, made.day, made.start) != (
                request.service_id, request.day, request.start):
            raise PlatformError(PlatformErrorKind.UNEXPECTED, f"{what}: another slot",
                                answer.status)
        return booking

    def my_appointments(self, verification_id: str) -> list[Appointment]:
        """GET /appointments: the verified holder's, from today on."""
        answer = self._request("GET", "/appointments",
                               headers={HEADER_VERIFICATION: verification_id})
        return self._model_from(answer, Appointments, "GET /appointments").appointments

    def cancel_appointment(self, token: str, verification_id: str) -> Cancellation | None:
        """POST /appointments/{token}/cancel; None when it is no appointment of the holder.
        Cancelling twice says already_cancelled, so it is retried."""
        path = f"/appointments/{quote(token, safe='')}/cancel"
        try:
            answer = self._request("POST", path, headers={HEADER_VERIFICATION: verification_id},
                                   repeatable=True)
        except PlatformError as exc:
            if exc.status == 404:
                return None
            raise
        cancelled = self._model_from(answer, Cancellation, f"POST {path}")
        if cancelled.appointment.token != token:
            raise PlatformError(PlatformErrorKind.UNEXPECTED, f"POST {path}: another one",
                                answer.status)
        return cancelled

    def check_in_appointment(self, request: CheckInRequest) -> CheckIn:
        """POST /appointments/check-in; asked again, the platform gives the same ticket, so
        it is retried."""
        answer = self._request("POST", "/appointments/check-in",
                               body=request.model_dump_json().encode("utf-8"),
                               headers={"Content-Type": "application/json"}, repeatable=True)
        return self._model_from(answer, CheckIn, "POST /appointments/check-in")

    # -- 大厅导航 and 短信 (central.contract.hall_map, central.contract.sms) ---------------

    def hall_map(self) -> HallMap:
        """GET /hall-map: this terminal's hall's window areas and its plan's digest."""
        return self._model_from(self._request("GET", "/hall-map"), HallMap, "GET /hall-map")

    def hall_map_image(self) -> bytes:
        """GET /hall-map/image: the plan, a PNG of at most MAX_IMAGE_BYTES."""
        answer = self._request("GET", "/hall-map/image")
        png = answer.body
        if not png.startswith(b"\x89PNG\r\n\x1a\n") or len(png) > MAX_IMAGE_BYTES:
            raise PlatformError(PlatformErrorKind.MALFORMED,
                                f"GET /hall-map/image: not a plan ({_content_type(answer)})",
                                answer.status)
        return png

    def send_sms(self, request: SmsRequest, idempotency_key: str) -> SmsSent:
        """POST /sms; the key makes a repeat the same message, so it is retried."""
        answer = self._post_json("/sms", request, idempotency_key=idempotency_key)
        return self._model_from(answer, SmsSent, "POST /sms")

    def release(self, version: str) -> SignedRelease:
        """The signed manifest of a release (remote update, `kiosk.updates`)."""
        path = f"/releases/{version}"
        return self._model_from(self._request("GET", path), SignedRelease, f"GET {path}")

    def release_bundle(self, version: str) -> bytes:
        """A release's tar.gz, at most as much as any answer (MAX_BUNDLE_BYTES)."""
        return self._request("GET", f"/releases/{version}/bundle").body

    def _post_json(self, path: str, model: BaseModel, *,
                   idempotency_key: str | None = None) -> _Answer:
        headers = {"Content-Type": "application/json"}
        if idempotency_key is not None:
            headers[HEADER_IDEMPOTENCY_KEY] = idempotency_key
        return self._request("POST", path, body=model.model_dump_json().encode("utf-8"),
                             headers=headers, repeatable=idempotency_key is not None)

    def _get_or_none(self, path: str, model: type[M]) -> M | None:
        try:
            answer = self._request("GET", path)
        except PlatformError as exc:
            if exc.status == 404:
                return None
            raise
        return self._model_from(answer, model, f"GET {path}")

    # -- plumbing ------------------------------------------------------------------------

    def _request(
        self,
        method: str,
        path: str,
        *,
        headers: dict[str, str] | None = None,
        body: bytes = b"",
        repeatable: bool | None = None,
        wait_s: float = 0.0,
    ) -> _Answer:
        """One logical request, retried if repeatable (GET by default); never raises else.

        `wait_s`: the platform holds the answer up to that long (a long poll). Such a request
        gets that much more time, and an HTTP session of its own instead of the shared one, so
        it holds up no other call of this client while it waits."""
        what = f"{method} {path}"
        if repeatable is None:
            repeatable = method in ("GET", "HEAD")
        try:
            if wait_s > 0:
                with requests.Session() as session:
                    session.headers.update(self._session.headers)
                    answer = _with_retries(
                        lambda: self._attempt(method, path, headers or {}, body,
                                              wait_s=wait_s, session=session),
                        self._policy, repeatable=repeatable, what=what)
            else:
                with self._lock:
                    answer = _with_retries(
                        lambda: self._attempt(method, path, headers or {}, body),
                        self._policy,
                        repeatable=repeatable,
                        what=what,
                    )
        except PlatformError:
            raise
        except Exception as exc:  # a bug or a library surprise must still look like a fault
            log.exception("%s: unexpected failure", what)
            raise PlatformError(
                PlatformErrorKind.UNEXPECTED, f"{what}: {type(exc).__name__}"
            ) from exc
        if answer.status == 304 or 200 <= answer.status < 300:
            return answer
        raise self._error_from(answer, what)

    def _attempt(self, method: str, path: str, headers: dict[str, str], body: bytes, *,
                 wait_s: float = 0.0, session: requests.Session | None = None) -> _Answer:
        """One HTTP exchange with the body read completely before a deadline (`wait_s` later
        for a long poll)."""
        what = f"{method} {path}"
        if self._network is not None and self._network.is_cut:
            raise PlatformError(PlatformErrorKind.OFFLINE, f"{what}: network cut")
        deadline = time.monotonic() + 2 * self._timeout_s + wait_s
        if self._credentials is not None:
            headers = {**headers, **signed_headers(
                self._credentials.terminal_id, self._credentials.key, method,
                self._base_path + path, body,
                now=self._wall_clock() if self._wall_clock else None)}
        sent_at = self._now()
        try:
            with (session or self._session).request(
                method,
                self.base_url + path,
                headers=headers,
                data=body or None,
                timeout=(self._timeout_s, self._timeout_s + wait_s),
                stream=True,
                allow_redirects=False,
            ) as response:
                self.clock.record(response.headers.get("Date"), sent_at, self._now())
                return _Answer(
                    response.status_code, response.headers, _read_body(response, deadline, what)
                )
        except requests.ConnectTimeout as exc:
            # no TCP connection at all: for the citizen and the manager that is "unreachable"
            raise PlatformError(PlatformErrorKind.UNREACHABLE, f"{what}: connect timeout") from exc
        except requests.Timeout as exc:
            raise PlatformError(PlatformErrorKind.TIMEOUT, f"{what}: read timeout") from exc
        except requests.ConnectionError as exc:
            raise PlatformError(PlatformErrorKind.UNREACHABLE,
                                f"{what}: {network_reason(exc)}") from exc
        except urllib3.exceptions.ReadTimeoutError as exc:  # raised by the body reads
            raise PlatformError(PlatformErrorKind.TIMEOUT, f"{what}: read timeout") from exc
        except urllib3.exceptions.DecodeError as exc:
            raise PlatformError(PlatformErrorKind.MALFORMED, f"{what}: bad gzip/deflate") from exc
        except (urllib3.exceptions.HTTPError, requests.exceptions.ChunkedEncodingError) as exc:
            raise PlatformError(
                PlatformErrorKind.UNREACHABLE, f"{what}: connection broke mid-answer"
            ) from exc
        except requests.RequestException as exc:  # bad URL and the like: configuration
            raise PlatformError(
                PlatformErrorKind.UNEXPECTED, f"{what}: {type(exc).__name__}: {exc}"
            ) from exc

    @staticmethod
    def _model_from(answer: _Answer, model: type[M], what: str) -> M:
        try:
            data = json.loads(answer.body)
        except ValueError as exc:  # JSONDecodeError and undecodable bytes alike
            raise PlatformError(
                PlatformErrorKind.MALFORMED,
                f"{what}: not JSON ({_content_type(answer)}, {len(answer.body)} bytes)",
                answer.status,
            ) from exc
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            # where and what, never the offending values: they could be anything
            first = exc.errors()[0]
            place = ".".join(str(p) for p in first["loc"]) or "<root>"
            raise PlatformError(
                PlatformErrorKind.UNEXPECTED,
                f"{what}: not a {model.__name__} ({exc.error_count()} errors, "
                f"first at {place}: {first['type']})",
                answer.status,
            ) from exc

    @staticmethod
    def _error_from(answer: _Answer, what: str) -> PlatformError:
        """The PlatformError for a non-2xx answer, using its ErrorBody when there is one."""
        status = answer.status
        if 500 <= status < 600:
            kind = PlatformErrorKind.SERVER_ERROR
        elif 400 <= status < 500:
            kind = PlatformErrorKind.CLIENT_ERROR
        else:  # redirects (we do not follow them) and 1xx: not something the platform sends
            kind = PlatformErrorKind.UNEXPECTED
        try:
            body = ErrorBody.model_validate_json(answer.body)
            said = f"{body.code}: {body.message}"
        except ValidationError:
            said = f"no ErrorBody ({_content_type(answer)}, {len(answer.body)} bytes)"
        return PlatformError(kind, f"{what}: HTTP {status}, {said}", status)

    # -- certificates -------------------------------------------------------------------

    def issue_certificate(self, request: CertificateRequest,
                          idempotency_key: str | None = None) -> IssuedCertificate:
        """POST /certificates: the whole PDF and its verification code, or
        `CertificateNotIssued` (a PlatformError) with the sentence for the person: the
        platform's reason when it refused, "needs the network" when it could not be asked.
        With a key, a repeat is safe (the same certificate comes back) and so is retried."""
        what = "POST /certificates"
        headers = {"Content-Type": "application/json"}
        if idempotency_key is not None:
            headers[HEADER_IDEMPOTENCY_KEY] = idempotency_key
        body = request.model_dump_json().encode("utf-8")
        try:
            with self._lock:
                answer = _with_retries(
                    lambda: self._attempt("POST", "/certificates", headers, body),
                    self._policy, repeatable=idempotency_key is not None, what=what)
            if answer.status == 422:
                refusal = _certificate_refusal(answer.body)
                if refusal is not None:
                    raise CertificateNotIssued(
                        PlatformErrorKind.CLIENT_ERROR, f"{what}: refused, {refusal.code}",
                        422, reason=refusal.reason, advice=refusal.advice)
            if not 200 <= answer.status < 300:
                raise self._error_from(answer, what)
            issued = self._model_from(answer, CertificateIssued, what)
            try:
                pdf = base64.b64decode(issued.pdf_b64, validate=True)
            except ValueError as exc:  # bad base64
                raise PlatformError(PlatformErrorKind.MALFORMED, f"{what}: bad PDF data",
                                    answer.status) from exc
            if not pdf.startswith(b"%PDF-"):  # never send half a document to the printer
                raise PlatformError(PlatformErrorKind.MALFORMED, f"{what}: not a PDF", 200)
        except CertificateNotIssued:
            raise
        except PlatformError as exc:
            raise CertificateNotIssued(exc.kind, exc.detail, exc.status,
                                       reason=CERTIFICATE_NEEDS_NETWORK) from exc
        except Exception as exc:  # a bug or a library surprise must still look like a fault
            log.exception("%s: unexpected failure", what)
            raise CertificateNotIssued(PlatformErrorKind.UNEXPECTED,
                                       f"{what}: {type(exc).__name__}",
                                       reason=CERTIFICATE_NEEDS_NETWORK) from exc
        return IssuedCertificate(code=issued.code, title=issued.title,
                                 verify_url=issued.verify_url, issued_at=issued.issued_at,
                                 pdf=pdf)

    # -- knowledge base ----------------------------------------------------------------

    def get_knowledge(self, etag: str | None = None) -> tuple[KnowledgeSnapshot | None, str | None]:
        """GET /knowledge: (the snapshot, its ETag), or (None, the ETag) when `etag` is current."""
        answer = self._request("GET", "/knowledge", headers={"If-None-Match": etag} if etag else {})
        if answer.status == 304:
            return None, answer.headers.get("ETag", etag)
        return (self._model_from(answer, KnowledgeSnapshot, "GET /knowledge"),
                answer.headers.get("ETag"))

    def hot_services(self, limit: int = 6) -> list[HotService]:
        """GET /knowledge/hot: the services people ask for most, most asked first."""
        answer = self._request("GET", f"/knowledge/hot?limit={int(limit)}")
        return self._model_from(answer, HotServices, "GET /knowledge/hot").services

    def most_used_services(self, limit: int = 6) -> list[str]:
        """GET /services/most-used: the ids of the services this terminal's hall used most,
        most used first (长辈模式's home)."""
        answer = self._request("GET", f"/services/most-used?limit={int(limit)}")
        most = self._model_from(answer, MostUsedServices, "GET /services/most-used")
        return [use.service_id for use in most.services]

    def count_ask(self, service_id: str) -> None:
        """POST /knowledge/asks, once: the service chosen after a question, never the question."""
        self._post_json("/knowledge/asks", AskCounted(service_id=service_id))

    # -- payments (central.contract.payments) ------------------------------------------------
    #
    # Every write carries an Idempotency-Key, so each is retried after a network fault like a
    # read: the platform answers a repeat with its first answer, never a second order or
    # charge. An answer about another order than the one asked about is garbled, not trusted.

    def create_payment(self, request: PaymentOrderRequest, idempotency_key: str) -> PaymentOrder:
        """POST /payments: the order for the fee of `request.service_id`."""
        what = "POST /payments"
        answer = self._post_json("/payments", request, idempotency_key=idempotency_key)
        order = self._model_from(answer, PaymentOrder, what)
        if order.service_id != request.service_id:
            raise PlatformError(PlatformErrorKind.UNEXPECTED,
                                f"{what}: an order for another service", answer.status)
        return order

    def pay_with_code(self, order_id: str, auth_code: str, idempotency_key: str) -> PaymentOrder:
        """POST /payments/{id}/pay-code: the pay code the scanner read (被扫)."""
        try:
            request = PayCodeRequest(auth_code=auth_code)
        except ValidationError as exc:  # the flow checks the code's form before it asks
            raise PlatformError(PlatformErrorKind.UNEXPECTED, "not a pay code") from exc
        path = f"{_order_path(order_id)}/pay-code"
        answer = self._post_json(path, request, idempotency_key=idempotency_key)
        return _same_order(self._model_from(answer, PaymentOrder, f"POST {path}"), order_id,
                           answer)

    def payment_qr(self, order_id: str, channel: PaymentChannel,
                   idempotency_key: str) -> PaymentQr:
        """POST /payments/{id}/qr: the QR code to show for `channel` (主扫)."""
        path = f"{_order_path(order_id)}/qr"
        answer = self._post_json(path, QrRequest(channel=channel),
                                 idempotency_key=idempotency_key)
        qr = self._model_from(answer, PaymentQr, f"POST {path}")
        _same_order(qr.order, order_id, answer)
        if not qr.qr_content.strip():
            raise PlatformError(PlatformErrorKind.UNEXPECTED, f"POST {path}: an empty QR code",
                                answer.status)
        return qr

    def payment(self, order_id: str, state: PaymentState | None = None,
                wait_s: float = 0.0) -> PaymentOrder:
        """GET /payments/{id}: how the order stands; with `state` and `wait_s`, answered as
        soon as it is no longer `state`, or after `wait_s` (at most MAX_WAIT_S) as it is."""
        seconds = min(max(0, int(wait_s)), MAX_WAIT_S)  # whole seconds, as the route takes
        path = _order_path(order_id)
        if state is not None and seconds > 0:
            path += f"?state={state}&wait_s={seconds}"
        else:
            seconds = 0
        answer = self._request("GET", path, wait_s=seconds)
        return _same_order(self._model_from(answer, PaymentOrder, f"GET {path}"), order_id,
                           answer)

    def cancel_payment(self, order_id: str, idempotency_key: str) -> PaymentOrder:
        """POST /payments/{id}/cancel: the person gave up; the platform closes what is open
        and reverses a charge still being decided."""
        path = f"{_order_path(order_id)}/cancel"
        answer = self._request("POST", path, headers={HEADER_IDEMPOTENCY_KEY: idempotency_key},
                               repeatable=True)
        return _same_order(self._model_from(answer, PaymentOrder, f"POST {path}"), order_id,
                           answer)


def _read_body(response: requests.Response, deadline: float, what: str) -> bytes:
    """The whole body (`kiosk.http_body`), or a PlatformError once it is too large or
    `deadline` (time.monotonic) has passed."""
    try:
        return read_bounded(response, _BODY_MAX, deadline)
    except BodyRefused as exc:
        kind = PlatformErrorKind.MALFORMED if exc.why == "too_large" else PlatformErrorKind.TIMEOUT
        raise PlatformError(kind, f"{what}: {exc}", response.status_code) from None


_ORDER_ID = re.compile(PAYMENT_ORDER_ID_PATTERN)


def _order_path(order_id: str) -> str:
    """The path of an order; an id not of the contract's form never reaches a URL."""
    if not _ORDER_ID.fullmatch(order_id):
        raise PlatformError(PlatformErrorKind.UNEXPECTED, "not a payment order id")
    return f"/payments/{order_id}"


def _same_order(order: PaymentOrder, order_id: str, answer: _Answer) -> PaymentOrder:
    if order.order_id != order_id:
        raise PlatformError(PlatformErrorKind.UNEXPECTED,
                            f"/payments/{order_id}: the answer is about another order",
                            answer.status)
    return order


def _content_type(answer: _Answer) -> str:
    return answer.headers.get("Content-Type", "no content type").split(";")[0][:40]


# -- certificates ---------------------------------------------------------------------------

CERTIFICATE_NEEDS_NETWORK = QT_TR_NOOP("证明需要联网开具，请稍后再试或到窗口办理。")


class CertificateNotIssued(PlatformError):
    """No certificate: `user_message` says why (the platform's reason when it refused) and
    `advice` what to do instead."""

    def __init__(self, kind: PlatformErrorKind, detail: str, status: int | None = None, *,
                 reason: str, advice: str = "") -> None:
        super().__init__(kind, detail, status)
        self.reason = self.user_message = reason
        self.advice = advice


def _certificate_refusal(body: bytes) -> CertificateRefused | None:
    try:
        return CertificateRefused.model_validate_json(body)
    except ValidationError:
        return None
