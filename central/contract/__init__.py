"""The API contract between terminals and the central platform (/api/v1).

This package is the only part of `central/` that the kiosk side imports: plain pydantic models,
no FastAPI and no database. The platform serialises with them, the kiosk validates what it
receives with them, so both ends agree by construction. Beside them, the rules both programs
apply to what they exchange: `masking` (a name, an ID number) and `id_number` (GB 11643-1999).

The service catalog follows GB/T 40756-2021 §9.4.5 (事项要素). Models ignore unknown keys so a
fleet of terminals keeps working when the platform adds a field; the platform checks its own
seed data strictly (see `central.seed`).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from central.contract.releases import VERSION_PATTERN, UpdateReport

API_PREFIX = "/api/v1"

KioskMode = Literal[
    "查询", "打印", "办理", "自助申报", "预约", "缴费", "进度查询", "评价", "取号", "指引", "帮办"
]
OfflineBehavior = Literal[
    "offline_guide_only",  # only the cached guide is shown
    "offline_queue_submit",  # encrypted and queued, receipt says 待受理
    "online_required",  # unavailable offline, citizen sent to a counter
    "offline_cached_stale",  # cached data shown with its date
    "offline_full",  # works fully offline
]
MaskRule = Literal["none", "id_card", "name", "mobile", "address", "plate", "bank"]
FieldType = Literal[
    "text", "tel", "number", "date", "datetime", "date_range",
    "radio", "select", "checkbox", "image",
]


class ContractModel(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class Auth(ContractModel):
    """How a citizen must prove who they are for this service."""

    level: Literal["实人实证", "无需登录"]
    methods: list[str] = []
    proxy_allowed: bool = False
    # GB/T 40756 §9.8.5.2: aged 60+ may pass with face captured but not compared
    elderly_relaxed: bool = False

    @property
    def identity_level(self) -> int:
        """GB/T 39047-2020 §5.2.3.2 level: 4 = document + live face; 0 = anonymous."""
        return 4 if self.level == "实人实证" else 0


class TimeLimit(ContractModel):
    promised: int | None = None
    legal: int | None = None
    unit: Literal["工作日", "日"] = "工作日"
    note: str | None = None


class Fee(ContractModel):
    amount_cny: float = 0
    variable: bool = False
    payable_at_kiosk: bool = False
    basis: str | None = None
    note: str | None = None


class Material(ContractModel):
    name: str
    source: Literal["政府部门核发", "申请人自备", "其他制发机构"]
    shared: bool  # obtained by data sharing, the citizen brings nothing
    type: Literal["原件", "复印件", "自制"]
    form: Literal["电子", "纸质", "实体证件"]
    copies: int = Field(ge=0)
    required: bool = True
    tolerance_missing: bool = False  # 容缺受理
    share_dept: str | None = None
    note: str | None = None


class FormField(ContractModel):
    key: str
    label: str
    type: FieldType
    editable: bool = True
    mask: MaskRule = "none"
    required: bool = False
    shared_from: str | None = None
    options: list[str] | None = None  # None for choices the platform supplies at run time


class Output(ContractModel):
    type: Literal["凭条80mm", "A4"]
    name: str
    e_seal: bool = False
    verify_qr: bool = False


class SituationOption(ContractModel):
    answer: str
    materials: list[str] = []  # the names of the catalog materials this answer needs


class Situation(ContractModel):
    """A 情形 question whose answer decides which materials are needed (GB/T 40756 §9.4.5)."""

    key: str
    question: str
    options: list[SituationOption] = Field(min_length=2)
    field: str | None = None  # the form field the answer fills in (shown locked)


class Service(ContractModel):
    """One government service item (事项) as a kiosk offers it."""

    id: str = Field(pattern=r"^SS-\d{3}$")
    name: str = Field(min_length=1)
    official_name: str
    theme: str
    domain_004: str | None = None
    department: str
    item_type: str
    handling_type: Literal["即办件", "承诺件"]
    kiosk_modes: list[KioskMode]
    auth: Auth
    time_limit: TimeLimit
    fee: Fee
    materials: list[Material] = []
    form_fields: list[FormField] = []
    outputs: list[Output] = []
    aliases: list[str] = []
    offline_behavior: OfflineBehavior
    qr_codes: list[str] = []
    legal_basis: list[str] = []
    # 情形 questions; when empty a terminal derives them where the materials say "（三选一）"
    situations: list[Situation] = []
    # an editor's remark for the platform team, never shown to citizens
    note: str | None = None


class Catalog(ContractModel):
    """GET /api/v1/catalog: every service a terminal offers, as one versioned snapshot."""

    version: str = Field(min_length=1)  # content hash; the ETag is this value quoted
    published_at: datetime
    themes: list[str]  # display order of the home tiles
    services: list[Service]

    def service(self, service_id: str) -> Service | None:
        return next((s for s in self.services if s.id == service_id), None)

    def services_in(self, theme: str) -> list[Service]:
        return [s for s in self.services if s.theme == theme]


class ErrorBody(ContractModel):
    """Every non-2xx answer of the platform carries this body."""

    code: str  # machine-readable, e.g. NOT_FOUND, INTERNAL
    message: str  # for logs and staff, never personal data


class Health(ContractModel):
    """GET /api/v1/health: the platform is up and serves this catalog version."""

    status: Literal["ok"]
    catalog_version: str | None  # None only before the first catalog is published


# -- terminals: signed requests, heartbeats and commands (GB/T 40756 §9.8.4.9) ---------------
#
# Every request a terminal makes carries its id, the time, a fresh nonce and an HMAC-SHA256
# over method, path, time, nonce and the SHA-256 of the body, keyed with the terminal's own key
# (`python main.py central add-terminal`). The platform refuses a request that is unsigned,
# mis-signed, replays a nonce it has seen, or whose time is more than five minutes off its own.

HEADER_TERMINAL = "X-Terminal-Id"
HEADER_TIMESTAMP = "X-Timestamp"  # Unix time in whole seconds, as decimal text
HEADER_NONCE = "X-Nonce"  # 16 to 64 characters of [A-Za-z0-9_-], never reused by a terminal
HEADER_SIGNATURE = "X-Signature"  # lowercase hex HMAC-SHA256
MAX_CLOCK_SKEW_S = 300
NONCE_PATTERN = r"^[A-Za-z0-9_-]{16,64}$"
TERMINAL_ID_PATTERN = r"^[A-Za-z0-9._-]{1,64}$"


def canonical_request(method: str, path: str, timestamp: str, nonce: str, body: bytes) -> bytes:
    """What is signed: one field a line. `path` is the request path from /api/v1 on, with
    `?query` when there is one, exactly as sent."""
    fields = (method.upper(), path, timestamp, nonce, hashlib.sha256(body).hexdigest())
    return "\n".join(fields).encode("utf-8")


def request_signature(key: str, method: str, path: str, timestamp: str, nonce: str,
                      body: bytes) -> str:
    digest = hmac.new(key.encode("utf-8"), canonical_request(method, path, timestamp, nonce, body),
                      hashlib.sha256)
    return digest.hexdigest()


def signed_headers(terminal_id: str, key: str, method: str, path: str, body: bytes = b"",
                   *, now: float | None = None, nonce: str | None = None) -> dict[str, str]:
    """The four headers that authenticate one request of terminal `terminal_id`."""
    timestamp = str(int(time.time() if now is None else now))
    nonce = nonce or secrets.token_urlsafe(18)
    return {
        HEADER_TERMINAL: terminal_id,
        HEADER_TIMESTAMP: timestamp,
        HEADER_NONCE: nonce,
        HEADER_SIGNATURE: request_signature(key, method, path, timestamp, nonce, body),
    }


DeviceState = Literal["ok", "degraded", "error", "offline"]
# what the kiosk is doing about maintenance: serving, finishing the current person, paused;
# closed: outside the hall's hours (screen off), neither offline nor faulty
ServiceState = Literal["serving", "pausing", "paused", "closed"]
# send_readiness: the terminal sends its readiness report (central/contract/readiness.py) now;
# hours_*: the manager's override of the hall's hours (HoursOverride), kept as state
CommandKind = Literal["maintenance_on", "maintenance_off", "notice", "refresh_catalog", "restart",
                      "send_readiness", "hours_open", "hours_closed", "hours_scheduled"]
# "open": always open whatever the hours say; "closed": closed now; None: the hall's hours
HoursOverride = Literal["open", "closed"]


# What a terminal sends is untrusted (a stolen key is a terminal too): identifiers are held to
# the shapes the kiosk uses (`receipt_printer`, `PAPER_OUT`), so they can never carry markup,
# and every number and list is bounded, so no sum overflows and no list floods the console.
DEVICE_FAMILY = r"^[a-z][a-z0-9_]{0,31}$"
HEALTH_CODE = r"^[A-Z][A-Z0-9_]{0,63}$"
MAX_DEVICES = 32  # a kiosk has 8 families
MAX_COUNT = 100_000  # of anything in one heartbeat: far above a day's people at one kiosk
TEN_YEARS_S = 10 * 365 * 24 * 3600.0


class DeviceReport(ContractModel):
    family: str = Field(pattern=DEVICE_FAMILY)
    state: DeviceState
    code: str = Field(default="OK", pattern=HEALTH_CODE)
    detail: str = Field(default="", max_length=200)  # for staff; never personal data


class ActivityCounts(ContractModel):
    """What happened at the terminal since its last acknowledged heartbeat."""

    sessions: int = Field(default=0, ge=0, le=MAX_COUNT)  # people served (touched at least once)
    services: int = Field(default=0, ge=0, le=MAX_COUNT)  # services carried out
    prints: int = Field(default=0, ge=0, le=MAX_COUNT)
    ratings: int = Field(default=0, ge=0, le=MAX_COUNT)


class Heartbeat(ContractModel):
    """POST /api/v1/heartbeats: a terminal's state every `interval_s`. No personal data."""

    app_version: str = Field(min_length=1, max_length=64)
    sent_at: datetime
    uptime_s: float = Field(ge=0, le=TEN_YEARS_S, allow_inf_nan=False)
    # the platform calls it offline after 3 missed
    interval_s: float = Field(gt=0, le=3600, allow_inf_nan=False)
    network: Literal["online", "offline"]  # whether its last catalog request reached us
    # attempts lost since the last that arrived
    failed_heartbeats: int = Field(default=0, ge=0, le=10_000_000)
    catalog_version: str | None = Field(default=None, max_length=64)
    devices: list[DeviceReport] = Field(default=[], max_length=MAX_DEVICES)
    outbox_backlog: int = Field(default=0, ge=0, le=10_000_000)  # writes waiting to be sent
    counts: ActivityCounts = ActivityCounts()
    service_state: ServiceState = "serving"
    # ids of commands carried out since the last heartbeat
    acknowledged: list[Annotated[int, Field(ge=0, le=2**53)]] = Field(default=[], max_length=200)
    update: UpdateReport | None = None  # the last remote update tried (contract.releases)


class Command(ContractModel):
    """Something a manager asked of the terminal; sent until the terminal acknowledges it."""

    id: int
    kind: CommandKind
    text: str | None = None  # the notice for `notice`; None or empty clears it
    issued_at: datetime


class HeartbeatAnswer(ContractModel):
    """The answer to a heartbeat: the state the terminal must be in, and the commands to carry
    out. Maintenance and the notice are given in full every time, so a restarted terminal
    comes back in the right state; `commands` repeats each one until it is acknowledged."""

    received_at: datetime
    maintenance: bool
    notice: str | None = None
    hours_override: HoursOverride | None = None  # given in full every time, like maintenance
    commands: list[Command] = []
    # the release the terminal should run (contract.releases); None: stay as it is
    target_version: str | None = Field(default=None, pattern=VERSION_PATTERN)


# -- citizens: identity, applications, progress, evaluations (GB/T 40756 §9.8.5, §9.4.6) ------
#
# Every one of these requests is signed like a heartbeat. Writes (applications, evaluations)
# also carry `Idempotency-Key` (the terminal's outbox row id): the platform answers a repeated
# key with the first answer, so a resend after a crash or a lost answer never duplicates.

HEADER_IDEMPOTENCY_KEY = "Idempotency-Key"
# GET /applications (the verified holder's): the verification's token travels in this header,
# never in the URL, which proxies and access logs keep
HEADER_VERIFICATION = "X-Verification-Token"
IDEMPOTENCY_KEY_PATTERN = r"^[A-Za-z0-9_-]{16,64}$"

EvidenceKind = Literal["id_card", "ss_card", "qr_code"]
# GB/T 40756 §9.4.6.5 a): the states a citizen can look up; 待受理 exists only on the terminal
ApplicationStatus = Literal[
    "已受理", "在办", "补齐补正", "挂起", "办结", "不予受理", "不予许可", "退件"
]
VerificationFailure = Literal[
    "FACE_MISMATCH",  # the live face is not the document's holder
    "FACE_QUALITY",  # the face sample is too poor to compare (or not live)
    "DOCUMENT_INVALID",  # the ID number fails its check digit, or the document is unknown
    "DOCUMENT_EXPIRED",
    "CODE_UNKNOWN",  # a citizen QR code the platform cannot resolve (or has expired)
]


class FaceSample(ContractModel):
    """The live face captured at the kiosk, with the kiosk's own quality figures."""

    jpeg_b64: str = Field(min_length=1, repr=False)
    quality: float = Field(ge=0, le=1)  # the capture's score from its quality gates
    liveness_passed: bool  # a blink was seen


class IdentityEvidenceIn(ContractModel):
    """What the kiosk read about the person: a card's fields, or a citizen QR code."""

    kind: EvidenceKind
    name: str = Field(default="", repr=False)  # empty for a QR code: the platform resolves it
    id_number: str = Field(default="", repr=False)
    valid_to: date | None = None  # None: long-term or not on the document
    dedicated_reader: bool = False  # read through the ID-card reader's SAM (level 5)
    document_photo_b64: str = Field(default="", repr=False)  # the card's own photo, if read
    code: str | None = Field(default=None, repr=False)  # the scanned QR payload, for qr_code


class VerificationRequest(ContractModel):
    """POST /api/v1/identity/verifications."""

    evidence: IdentityEvidenceIn
    face: FaceSample | None = None
    # the service allows the 60+ relaxation (GB/T 40756 §9.8.5.2): a face is captured and
    # kept, but a holder aged 60+ is not refused on its comparison
    elderly_relaxed: bool = False
    required_level: int = Field(default=4, ge=0, le=5)


class Holder(ContractModel):
    """Who the platform says the person is; a terminal shows it only masked."""

    name: str = Field(repr=False)
    id_number: str = Field(repr=False)


class Verification(ContractModel):
    """The platform's answer: verified or not, at which GB/T 39047 level, and a token that
    proves it to later requests of this session (applications, the by-holder lookup)."""

    verified: bool
    level: int = Field(ge=0, le=5)
    failure: VerificationFailure | None = None
    elderly_relaxed_applied: bool = False  # verified on the 60+ rule, not on the comparison
    verification_id: str | None = None  # the token; None when not verified
    expires_at: datetime | None = None
    holder: Holder | None = None  # for a QR code, whom it resolved to


class ScannedMaterial(ContractModel):
    name: str  # the catalog's material name
    pages_jpeg_b64: list[str] = Field(default=[], repr=False)
    missing_tolerated: bool = False  # 容缺: to be brought later


class Consent(ContractModel):
    """What the person agreed to share, each asked separately (GB/T 35273)."""

    shared_data: bool  # the platform fetches the shared materials from other departments
    face: bool  # the live face is kept with the application
    materials: bool  # the scanned pages are kept with the application
    given_at: datetime


# a payment order's id (central.contract.payments)
PAYMENT_ORDER_ID_PATTERN = r"^PO[0-9A-Z]{10,30}$"


class ApplicationSubmission(ContractModel):
    """POST /api/v1/applications (with Idempotency-Key)."""

    service_id: str = Field(pattern=r"^SS-\d{3}$")
    local_number: str  # the terminal's own number, on the 待受理 receipt when offline
    submitted_at: datetime  # when the person pressed 提交 at the kiosk
    applicant: Holder
    # a verification made online before submitting; None when the kiosk was offline, in which
    # case `evidence` and `face` are verified by the platform when the submission arrives
    verification_id: str | None = None
    evidence: IdentityEvidenceIn | None = None
    face: FaceSample | None = None
    situations: dict[str, str] = {}  # 情形: question key → chosen answer
    form: dict[str, str | list[str]] = Field(default={}, repr=False)
    materials: list[ScannedMaterial] = []
    signature_png_b64: str = Field(default="", repr=False)
    consent: Consent
    # the paid order of a fee-bearing service (central.contract.payments); refunded by the
    # platform when it refuses the application
    payment_order_id: str | None = Field(default=None, pattern=PAYMENT_ORDER_ID_PATTERN)


ACCEPTANCE_NUMBER_PREFIX = "SL"  # 受理 before the digits; a person types only the digits
ACCEPTANCE_NUMBER_DIGITS = 14  # the day of acceptance (YYYYMMDD) and six more


def acceptance_number(digits: str) -> str:
    """The acceptance number whose digits a person typed (the prefix is implied)."""
    return f"{ACCEPTANCE_NUMBER_PREFIX}{digits}"


class ApplicationAccepted(ContractModel):
    """The answer to a submission: the acceptance number (受理编号) and the receipt's code."""

    acceptance_number: str
    local_number: str
    status: ApplicationStatus
    accepted_at: datetime
    # what the receipt's QR code holds: the number and the platform's signature over it, so
    # a counter can check a receipt (`receipt_code` / `parse_receipt_code` below)
    receipt_code: str
    next_steps: str  # one sentence for the receipt, e.g. when and where to collect


class ProgressEvent(ContractModel):
    status: ApplicationStatus
    at: datetime
    note: str = ""  # for the citizen, e.g. which material to bring


class ResultDocument(ContractModel):
    """A document the application produced, printable on A4 at the kiosk."""

    id: str
    name: str
    path: str  # GET this (signed) for the PDF, e.g. /api/v1/applications/{no}/documents/{id}


class ApplicationProgress(ContractModel):
    """GET /api/v1/applications/{no}: where an application stands. The name is masked."""

    acceptance_number: str
    service_id: str
    service_name: str
    applicant_masked: str  # 张*三
    submitted_at: datetime
    status: ApplicationStatus
    timeline: list[ProgressEvent]  # oldest first; the last is the current status
    documents: list[ResultDocument] = []


class ApplicationList(ContractModel):
    """GET /api/v1/applications with X-Verification-Token: the verified holder's applications."""

    applications: list[ApplicationProgress]


class EvaluationSubmission(ContractModel):
    """POST /api/v1/evaluations (with Idempotency-Key): 好差评 after a service."""

    service_id: str = Field(pattern=r"^SS-\d{3}$")
    # the application rated, by its acceptance number or, when it was queued offline, by the
    # local number of the same terminal; both None for a service without an application
    acceptance_number: str | None = None
    local_number: str | None = None
    level: int = Field(ge=1, le=5)  # 5 非常满意, 4 满意, 3 基本满意, 2 不满意, 1 非常不满意
    reasons: list[str] = []  # asked for levels 1 and 2
    comment: str = Field(default="", max_length=200)
    rated_at: datetime


class EvaluationAccepted(ContractModel):
    evaluation_id: str


EVALUATION_LEVELS = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}

RECEIPT_CODE_PREFIX = "ZWRC"  # 政务回执: tells a receipt's code from other QR codes


def receipt_code(acceptance_number: str, signature: str) -> str:
    return f"{RECEIPT_CODE_PREFIX}:{acceptance_number}:{signature}"


def parse_receipt_code(text: str) -> tuple[str, str] | None:
    """(acceptance number, signature) of a receipt's QR code; None for any other text."""
    parts = text.strip().split(":")
    if len(parts) != 3 or parts[0] != RECEIPT_CODE_PREFIX or not parts[1] or not parts[2]:
        return None
    return parts[1], parts[2]


# -- knowledge base: questions in plain words (GB/T 40756 §9.4.4.3, §9.8.5.3) -----------------
#
# GET /api/v1/knowledge is versioned like the catalog (ETag = version). Asks are counted per
# service only (POST /api/v1/knowledge/asks): never the question's text, never who asked.


class KnowledgeEntry(ContractModel):
    """One question as a citizen would put it, and the short answer shown and spoken."""

    question: str = Field(min_length=1, max_length=200)
    answer: str = Field(min_length=1, max_length=200)  # one or two sentences
    service_id: str = Field(pattern=r"^SS-\d{3}$")
    keywords: list[str] = []  # other words people use for the same thing
    source: Literal["faq", "catalog"] = "faq"  # catalog: derived from the service itself


class KnowledgeSnapshot(ContractModel):
    """GET /api/v1/knowledge: every entry a terminal answers from, as one versioned snapshot."""

    version: str = Field(min_length=1)  # content hash; the ETag is this value quoted
    catalog_version: str  # the catalog the catalog-derived entries were made from
    entries: list[KnowledgeEntry]


class AskCounted(ContractModel):
    """POST /api/v1/knowledge/asks: a citizen chose this service after asking."""

    service_id: str = Field(pattern=r"^SS-\d{3}$")


class HotService(ContractModel):
    service_id: str
    name: str
    asks: int = Field(ge=0)


class HotServices(ContractModel):
    """GET /api/v1/knowledge/hot: the most asked services, most asked first."""

    services: list[HotService]


class ServiceUse(ContractModel):
    service_id: str = Field(pattern=r"^SS-\d{3}$")
    uses: int = Field(ge=1)  # applications accepted and certificates issued


class MostUsedServices(ContractModel):
    """GET /api/v1/services/most-used: what the asking terminal's hall used most over the
    last `days` days, most used first (长辈模式's home is made from it)."""

    days: int = Field(ge=1)
    services: list[ServiceUse]


# -- certificates (证明) printed at the kiosk, verifiable by anyone (issue 7) ------------------
#
# POST /api/v1/certificates (signed; Idempotency-Key optional but honoured) issues a certificate
# to a holder verified by POST /api/v1/identity/verifications. The PDF carries a verification
# code and a QR code of `verify_url`, the public page `GET /verify/{code}` where a counter or a
# bank sees whether it is genuine and what it said.

CERTIFICATE_CODE_PATTERN = r"^[2-9A-HJ-NP-Z]{4}(-[2-9A-HJ-NP-Z]{4}){3}$"  # K7QM-3XPA-9RTW-HC4D


class CertificateRequest(ContractModel):
    service_id: str = Field(pattern=r"^SS-\d{3}$")
    verification_id: str = Field(min_length=1, repr=False)
    # whom the verification named (Verification.holder); the platform checks it against the
    # verification, which keeps no ID number of its own
    holder: Holder
    # the editable fields of the service's form: a date_range as [start, end] (YYYY-MM or
    # YYYY-MM-DD), a checkbox as the chosen options, anything else as its text
    options: dict[str, str | list[str]] = {}


class CertificateIssued(ContractModel):
    code: str = Field(pattern=CERTIFICATE_CODE_PATTERN)
    service_id: str
    title: str  # the certificate's name, e.g. 社会保险个人参保证明
    verify_url: str
    issued_at: datetime
    pdf_b64: str = Field(repr=False)


class CertificateRefused(ErrorBody):
    """The body of a 422 with code NO_RECORDS, OPTIONS_INVALID, NOT_OFFERED or
    VERIFICATION_INVALID: why the certificate cannot be issued, and what to do instead. Both
    sentences are for the person at the kiosk (Simplified Chinese, no personal data)."""

    reason: str
    advice: str


class CertificateCheck(ContractModel):
    """GET /api/v1/certificates/{code}/verification: what /verify/{code} shows, for machines."""

    code: str
    genuine: bool
    # why not: NOT_FOUND (no such code: mistyped, or not issued here), SIGNATURE_INVALID (the
    # record does not match the platform's signature)
    problem: Literal["NOT_FOUND", "SIGNATURE_INVALID"] | None = None
    service_id: str | None = None
    title: str | None = None
    holder_masked: str | None = None
    id_number_masked: str | None = None
    period: str | None = None
    summary: list[tuple[str, str]] = []
    issued_at: datetime | None = None
    terminal_id: str | None = None
    hall: str | None = None


def is_certificate_service(service: Service) -> bool:
    """A certificate the kiosk prints on A4 with a verification QR (SS-001, SS-008, SS-010,
    SS-023 …), not an application or a payment: those print their results in their own flows."""
    return ("打印" in service.kiosk_modes
            and any(o.type == "A4" and o.verify_qr for o in service.outputs)
            and not {"自助申报", "缴费", "进度查询", "办理"} & set(service.kiosk_modes))
