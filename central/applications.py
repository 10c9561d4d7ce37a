"""Applications (受理, GB/T 40756 §9.4.6): what a terminal submits, and where it stands.

- `submit` records a submission exactly once per (terminal, Idempotency-Key). The person's
  identity comes from a verification of the same terminal that was valid when they pressed
  提交, or else from the evidence and face sent along (an application queued offline arrives
  that way, maybe hours later). A submission whose identity fails is still recorded, as
  不予受理 with the reason, so nothing is lost and the citizen can look up why.
- Acceptance numbers are `SL` + the day in China + 6 random digits; the receipt's QR code
  carries the number and the platform's HMAC over it (`central.platform_secret`).
- `set_status` moves an application along the §9.4.6.5 words; 办结 produces a 办结通知书.
- A fee-bearing application names its order (`payment_order_id`, `central.payments`): the
  order must be this terminal's, for this service and this person, named by no other
  application, and paid, or unpaid (the person chose to pay later by the order's 缴款码: the
  two are linked, and the receipt's next steps give the code). Without one it is accepted
  unpaid. An application that ends 不予受理, at submission or later, has its paid order
  refunded.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar, get_args

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from central.completion_notice import NAME as COMPLETION_NOTICE
from central.completion_notice import completion_notice_pdf
from central.contract import (
    API_PREFIX,
    ApplicationAccepted,
    ApplicationProgress,
    ApplicationStatus,
    ApplicationSubmission,
    ProgressEvent,
    ResultDocument,
    Service,
    VerificationRequest,
    acceptance_number,
    parse_receipt_code,
    receipt_code,
)
from central.contract.masking import mask_name
from central.db import (
    ApplicationEventRecord,
    ApplicationFileRecord,
    ApplicationRecord,
    EvaluationRecord,
    PaymentOrderRecord,
    ResultDocumentRecord,
    ServiceRecord,
    open_engine,
    session_factory,
)
from central.identity.verifications import current, find_verification, in_china
from central.identity.verifier import IdentityVerifier
from central.migrate import migrate
from central.payments import orders as payment_orders
from central.payments.fees import yuan
from central.platform_secret import CitizenKeys

log = logging.getLogger(__name__)

STATUSES: tuple[ApplicationStatus, ...] = get_args(ApplicationStatus)
FINAL_STATUSES = frozenset({"办结", "不予受理", "不予许可", "退件"})
INSERT_ATTEMPTS = 5  # a random number may collide, or a twin request may win the race

# why identity failed, for the timeline and the receipt (the citizen reads these)
REFUSALS = {
    "FACE_MISMATCH": "人脸与证件持有人不一致，身份核验未通过",
    "FACE_QUALITY": "人脸采集质量不足或未通过活体检测，身份核验未通过",
    "DOCUMENT_INVALID": "证件信息无效，身份核验未通过",
    "DOCUMENT_EXPIRED": "证件已过有效期，身份核验未通过",
    "CODE_UNKNOWN": "电子证件二维码无法识别或已失效，身份核验未通过",
    "NO_IDENTITY": "未附有效的身份核验",
    "NOT_THE_APPLICANT": "核验的身份与申请人不一致",
}
REFUSED_NEXT_STEP = "请携带有效身份证件到窗口办理。"
LOOKUP_NEXT_STEP = "可凭回执二维码或受理编号在自助终端查询进度"
REFUNDED_NEXT_STEP = "已缴费用将原路退回。"
UNPAID_NEXT_STEP = "费用尚未缴纳，请凭缴款码在窗口或线上缴纳。"
# an unpaid order named by the application: its amount and 缴款码
UNPAID_WITH_CODE = "费用{amount}元尚未缴纳，请凭缴款码{code}在收费窗口或线上缴纳。"
REFUND_ON = frozenset({"不予受理"})  # the statuses whose paid order is refunded


class SubmissionRefused(Exception):
    """The submission cannot be an application at all (HTTP 422): keep it for staff."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class KeyReused(Exception):
    """The Idempotency-Key came before with a different body (HTTP 409)."""


class StatusChangeRefused(Exception):
    pass


Keyed = TypeVar("Keyed", ApplicationRecord, EvaluationRecord)  # stored with key and digest


def request_digest(body: BaseModel) -> str:
    """What a repeat with the same Idempotency-Key must match."""
    return hashlib.sha256(body.model_dump_json().encode("utf-8")).hexdigest()


def earlier_with_key(session: Session, record: type[Keyed], terminal_id: str,
                     idempotency_key: str, digest: str) -> Keyed | None:
    """What this terminal's earlier request with the key stored, or None; `KeyReused` when
    that request had another body."""
    earlier = session.scalars(select(record).where(
        record.terminal_id == terminal_id, record.idempotency_key == idempotency_key)).first()
    if earlier is not None and earlier.request_sha256 != digest:
        raise KeyReused("this Idempotency-Key came before with a different body")
    return earlier


@dataclass(frozen=True)
class Outcome:
    answer: ApplicationAccepted
    created: bool  # False: a repeat, answered as the first time


@dataclass(frozen=True)
class _Identity:
    level: int
    elderly_relaxed_applied: bool = False
    refusal: str | None = None  # why the identity was not established


def submit(session: Session, *, terminal_id: str, idempotency_key: str,
           submission: ApplicationSubmission, verifier: IdentityVerifier, keys: CitizenKeys,
           now: datetime) -> Outcome:
    """Record the submission (the caller commits) or answer a repeat of it."""
    digest = request_digest(submission)
    for _attempt in range(INSERT_ATTEMPTS):
        earlier = earlier_with_key(session, ApplicationRecord, terminal_id, idempotency_key,
                                   digest)
        if earlier is not None:
            return Outcome(ApplicationAccepted.model_validate(earlier.answer), created=False)
        service = _service(session, submission.service_id)
        check_form(service, submission)
        files = _files(submission)
        order = _payment_order(session, terminal_id, submission, service, keys)
        identity = _identity(session, verifier, keys, terminal_id, submission, service, now)
        try:
            with session.begin_nested():
                answer = _record(session, terminal_id, idempotency_key, digest, submission,
                                 service, identity, files, keys, now, order)
            log.info("application %s for %s from terminal %s: %s", answer.acceptance_number,
                     service.id, terminal_id, answer.status)
            return Outcome(answer, created=True)
        except IntegrityError:
            continue  # the number was taken, or a twin request won: look again
    raise RuntimeError("could not record the application")


def _service(session: Session, service_id: str) -> Service:
    record = session.get(ServiceRecord, service_id)
    if record is None:
        raise SubmissionRefused("SERVICE_UNKNOWN", f"no service {service_id} in the catalog")
    return Service.model_validate(record.body)


def _payment_order(session: Session, terminal_id: str, submission: ApplicationSubmission,
                   service: Service, keys: CitizenKeys
                   ) -> PaymentOrderRecord | None:
    """The order the submission names (paid, or unpaid), checked; None when it names none."""
    if submission.payment_order_id is None:
        return None
    try:
        return payment_orders.claim(
            session, submission.payment_order_id, terminal_id=terminal_id,
            service_id=service.id, holder_key_of=keys.holder_key(submission.applicant.id_number))
    except payment_orders.ClaimRefused as exc:
        raise SubmissionRefused(exc.code, exc.message) from None


def check_form(service: Service, submission: ApplicationSubmission) -> None:
    missing = [f.key for f in service.form_fields
               if f.required and not _filled(submission.form.get(f.key))]
    if missing:
        raise SubmissionRefused("FORM_INCOMPLETE",
                                f"{service.id} needs the form fields: {', '.join(missing)}")


def _filled(value: str | list[str] | None) -> bool:
    if isinstance(value, list):
        return any(item.strip() for item in value)
    return bool(value and value.strip())


def _files(submission: ApplicationSubmission) -> list[ApplicationFileRecord]:
    """The pages, signature and face to keep, as far as the person consented."""
    files = []
    if submission.consent.materials:
        for material in submission.materials:
            for position, page in enumerate(material.pages_jpeg_b64, start=1):
                files.append(ApplicationFileRecord(
                    kind="page", material=material.name, position=position,
                    media_type="image/jpeg", data=_decoded(page, f"a page of {material.name}")))
    if submission.signature_png_b64:
        files.append(ApplicationFileRecord(
            kind="signature", position=1, media_type="image/png",
            data=_decoded(submission.signature_png_b64, "the signature")))
    if submission.consent.face and submission.face is not None:
        files.append(ApplicationFileRecord(
            kind="face", position=1, media_type="image/jpeg",
            data=_decoded(submission.face.jpeg_b64, "the face")))
    return files


def _decoded(data_b64: str, what: str) -> bytes:
    try:
        return base64.b64decode(data_b64, validate=True)
    except (binascii.Error, ValueError):
        raise SubmissionRefused("NOT_BASE64", f"{what} is not base64") from None


def _identity(session: Session, verifier: IdentityVerifier, keys: CitizenKeys,
              terminal_id: str, submission: ApplicationSubmission, service: Service,
              now: datetime) -> _Identity:
    required = service.auth.identity_level
    if required == 0:
        return _Identity(level=0)
    applicant = keys.holder_key(submission.applicant.id_number)
    pressed = min(now, utc(submission.submitted_at))  # when the person pressed 提交
    if submission.verification_id:
        record = current(find_verification(session, submission.verification_id, terminal_id),
                         pressed)
        if record is not None and record.holder_key == applicant and record.level >= required:
            return _Identity(record.level, record.elderly_relaxed_applied)
    if submission.evidence is None:
        return _Identity(0, refusal=REFUSALS["NO_IDENTITY"])
    request = VerificationRequest(evidence=submission.evidence, face=submission.face,
                                  elderly_relaxed=service.auth.elderly_relaxed,
                                  required_level=required)
    check = verifier.verify(request, in_china(pressed).date())
    if not check.verified:
        return _Identity(check.level, refusal=REFUSALS[check.failure or "DOCUMENT_INVALID"])
    if check.holder is None or keys.holder_key(check.holder.id_number) != applicant:
        return _Identity(0, refusal=REFUSALS["NOT_THE_APPLICANT"])
    return _Identity(check.level, check.elderly_relaxed_applied)


def _record(session: Session, terminal_id: str, idempotency_key: str, digest: str,
            submission: ApplicationSubmission, service: Service, identity: _Identity,
            files: list[ApplicationFileRecord], keys: CitizenKeys, now: datetime,
            order: PaymentOrderRecord | None) -> ApplicationAccepted:
    number = acceptance_number(f"{in_china(now):%Y%m%d}{secrets.randbelow(10**6):06d}")
    refused = identity.refusal is not None
    status = "不予受理" if refused else "已受理"
    if refused:
        steps = f"{identity.refusal}。{REFUSED_NEXT_STEP}"
        steps += REFUNDED_NEXT_STEP if order is not None and order.state == "paid" else ""
    else:
        steps = next_steps(service, submission) + _fee_step(service, order)
    answer = ApplicationAccepted(
        acceptance_number=number, local_number=submission.local_number, status=status,
        accepted_at=now, receipt_code=receipt_code(number, keys.receipt_signature(number)),
        next_steps=steps)
    record = ApplicationRecord(
        number=number, terminal_id=terminal_id, idempotency_key=idempotency_key,
        request_sha256=digest, answer=answer.model_dump(mode="json"), service_id=service.id,
        service_name=service.name, local_number=submission.local_number,
        applicant_name=submission.applicant.name.strip(),
        holder_key=keys.holder_key(submission.applicant.id_number),
        identity_level=identity.level, elderly_relaxed_applied=identity.elderly_relaxed_applied,
        status=status, submitted_at=utc(submission.submitted_at), accepted_at=now,
        situations=dict(submission.situations), form=dict(submission.form),
        consent=submission.consent.model_dump(mode="json"),
        missing_materials=[m.name for m in submission.materials if m.missing_tolerated])
    session.add(record)
    session.flush()
    session.add(ApplicationEventRecord(application_id=record.id, status=status, at=now,
                                       note=identity.refusal or ""))
    for file in files:
        file.application_id = record.id
        session.add(file)
    if order is not None:
        payment_orders.link(session, order, number, now)
        if refused:
            payment_orders.request_refund(session, order, "refused", now)
    session.flush()
    return answer


def _fee_step(service: Service, order: PaymentOrderRecord | None) -> str:
    """The receipt's word on the fee: paid (and the number to quote), or still to pay."""
    if order is not None and order.state == "paid":
        return f"已缴费{yuan(order.amount_fen)}元（缴费参考号{order.reference}）。"
    if order is not None:
        return UNPAID_WITH_CODE.format(amount=yuan(order.amount_fen), code=order.notice_code)
    fee = service.fee
    if fee.payable_at_kiosk and (fee.amount_cny > 0 or fee.variable):
        return UNPAID_NEXT_STEP
    return ""


def next_steps(service: Service, submission: ApplicationSubmission) -> str:
    """One sentence for the receipt: the time limit, the delivery chosen, how to follow up."""
    limit = service.time_limit
    unit = "个工作日" if limit.unit == "工作日" else "日"
    parts = []
    if service.handling_type == "即办件" or limit.promised == 0:
        parts.append("即时办理")
    elif limit.promised:
        parts.append(f"承诺{limit.promised}{unit}内办结")
    elif limit.legal:
        parts.append(f"法定{limit.legal}{unit}内办结")
    delivery = submission.form.get("delivery")
    if isinstance(delivery, str) and delivery.strip():
        parts.append(f"取件方式：{delivery.strip()}")
    parts.append(LOOKUP_NEXT_STEP)
    return "；".join(parts) + "。"


# -- looking up -----------------------------------------------------------------------------


def find(session: Session, number: str) -> ApplicationRecord | None:
    return session.scalars(select(ApplicationRecord).where(
        ApplicationRecord.number == number.strip().upper())).first()


def find_by_receipt_code(session: Session, keys: CitizenKeys,
                         code: str) -> ApplicationRecord | None:
    """The application of a genuine receipt code; None for a forged or unknown one."""
    parsed = parse_receipt_code(code)
    if parsed is None:
        return None
    number, signature = parsed
    if not keys.receipt_signature_matches(number, signature):
        return None
    return find(session, number)


def of_holder(session: Session, holder_key: str) -> list[ApplicationRecord]:
    return list(session.scalars(select(ApplicationRecord).where(
        ApplicationRecord.holder_key == holder_key).order_by(ApplicationRecord.id.desc())))


def progress(session: Session, record: ApplicationRecord) -> ApplicationProgress:
    events = session.scalars(select(ApplicationEventRecord).where(
        ApplicationEventRecord.application_id == record.id).order_by(ApplicationEventRecord.id))
    documents = session.execute(select(ResultDocumentRecord.id, ResultDocumentRecord.name).where(
        ResultDocumentRecord.application_id == record.id).order_by(
        ResultDocumentRecord.created_at))
    return ApplicationProgress(
        acceptance_number=record.number, service_id=record.service_id,
        service_name=record.service_name, applicant_masked=mask_name(record.applicant_name),
        submitted_at=record.submitted_at, status=record.status,
        timeline=[ProgressEvent(status=e.status, at=e.at, note=e.note)
                  for e in events],
        documents=[ResultDocument(id=doc_id, name=name,
                                  path=f"{API_PREFIX}/applications/{record.number}/documents/"
                                       f"{doc_id}")
                   for doc_id, name in documents])


def document_pdf(session: Session, number: str, document_id: str) -> bytes | None:
    record = find(session, number)
    if record is None:
        return None
    document = session.get(ResultDocumentRecord, document_id)
    return document.pdf if document is not None and document.application_id == record.id \
        else None


# -- status changes (the department's side) -------------------------------------------------


def set_status(session: Session, number: str, status: str, note: str,
               now: datetime) -> ApplicationProgress:
    """Move the application to `status`, one timeline event (the caller commits)."""
    if status not in STATUSES or status == "已受理":
        raise StatusChangeRefused(f"{status} is not a status to move to; one of: "
                                  f"{' '.join(s for s in STATUSES if s != '已受理')}")
    record = find(session, number)
    if record is None:
        raise StatusChangeRefused(f"no application {number}")
    if record.status in FINAL_STATUSES:
        raise StatusChangeRefused(f"{number} is {record.status} already, which is final")
    if status == record.status:
        raise StatusChangeRefused(f"{number} is {status} already")
    record.status = status
    session.add(ApplicationEventRecord(application_id=record.id, status=status, at=now,
                                       note=note.strip()))
    if status in REFUND_ON:  # the resolver of the running platform gives the money back
        payment_orders.refund_for_application(session, record.number, "refused", now)
    if status == "办结":
        pdf = completion_notice_pdf(
            masked_name=mask_name(record.applicant_name), service_name=record.service_name,
            acceptance_number=record.number, completed_on=in_china(now).date())
        session.add(ResultDocumentRecord(id=secrets.token_hex(8), application_id=record.id,
                                         name=COMPLETION_NOTICE, created_at=now, pdf=pdf))
    session.flush()
    return progress(session, record)


def change_status(database_url: str, number: str, status: str, note: str = "") -> \
        ApplicationProgress:
    """`python main.py central set-status`: on a database brought up to date first."""
    engine = open_engine(database_url)
    try:
        migrate(engine)
        with session_factory(engine)() as session:
            answer = set_status(session, number, status, note, datetime.now(UTC))
            session.commit()
            return answer
    finally:
        engine.dispose()


def utc(moment: datetime) -> datetime:
    """A terminal's timestamp in UTC; one without a zone is taken as UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
