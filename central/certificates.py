"""Certificates (证明) the platform issues to a verified holder, and their verification.

A deployment plugs in its own `CertificateIssuer` (the social-insurance, housing-fund and tax
systems hold the real records); `DemoIssuer` is the reference one and is DEVELOPMENT ONLY: it
makes up plausible records from the ID number, the same every time, and marks its PDFs 演示数据.

What was issued is stored masked (service, 张*三, 110***********0011, the period and a summary)
with the platform's signature over it (`central.signing`), so `/verify/{code}` can vouch for a
certificate and notice a record changed behind the platform's back.
"""

from __future__ import annotations

import base64
import hashlib
import json
import random
import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from central.certificate_pdf import CertificateLayout, render_certificate
from central.contract import CertificateCheck, CertificateIssued, Holder, Service
from central.contract.masking import mask_id_number, mask_name
from central.db import CertificateRecord, TerminalRecord
from central.signing import PlatformSigner

# no 0/O, 1/I: a code read aloud or typed from paper is not misread
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 16


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i:i + 4] for i in range(0, CODE_LENGTH, 4))


def normalize_code(text: str) -> str | None:
    """The code in its printed form (K7QM-3XPA-9RTW-HC4D) from what someone typed or scanned;
    None when it cannot be a code at all."""
    raw = re.sub(r"[\s-]", "", text).upper()
    if len(raw) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in raw):
        return None
    return "-".join(raw[i:i + 4] for i in range(0, CODE_LENGTH, 4))


# -- what an issuer is asked and answers -----------------------------------------------------

@dataclass(frozen=True)
class CertificateOrder:
    service: Service
    holder: Holder  # as verified by the platform; the issuer prints it masked
    options: Mapping[str, str | list[str]]
    code: str
    verify_url: str
    issued_at: datetime  # local time of the hall, for the printed date


@dataclass(frozen=True)
class Certificate:
    title: str
    period: str  # what the certificate covers, e.g. 2025年01月至2025年12月
    summary: tuple[tuple[str, str], ...]  # shown on the verification page; no raw personal data
    pdf: bytes


@dataclass(frozen=True)
class Refusal:
    code: str  # NO_RECORDS, OPTIONS_INVALID, NOT_OFFERED
    reason: str  # for the person at the kiosk
    advice: str  # what to do instead


class CertificateIssuer(Protocol):
    def issue(self, order: CertificateOrder) -> Certificate | Refusal: ...


# -- the reference issuer ----------------------------------------------------------------------

@dataclass(frozen=True)
class _Records:
    statement: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    summary: tuple[tuple[str, str], ...]
    period: str


_NO_RECORDS = {
    "SS-001": ("没有查询到您的参保记录。",
               "如您刚参加社会保险，记录可能尚未归集，请到社保经办窗口咨询或拨打 12333。"),
    "SS-002": ("没有查询到您该年度的养老保险缴费记录。",
               "请换一个年度查询，或到社保经办窗口咨询、拨打 12333。"),
    "SS-008": ("没有查询到您的医疗保险参保记录。",
               "请到医保经办窗口咨询或拨打 12393。"),
    "SS-010": ("没有查询到您的住房公积金缴存记录。",
               "请向单位了解缴存情况，或到住房公积金管理中心窗口咨询、拨打 12329。"),
    "SS-023": ("没有查询到您在所选期间的个人所得税纳税记录。",
               "请调整开具期间，或到税务局办税服务厅咨询、拨打 12366。"),
}
_EMPLOYERS = ("示例科技有限公司", "样板商贸有限责任公司", "演示建设集团有限公司",
              "示范物流股份有限公司", "模拟信息服务有限公司")
INSURANCE_TYPES = ("企业职工基本养老保险", "失业保险", "工伤保险", "城镇职工基本医疗保险")
MAX_PERIOD_MONTHS = 120


class DemoIssuer:
    """DEVELOPMENT ONLY: made-up records, deterministic per ID number and service.

    A holder whose ID number has 7 as its 17th character (the last digit of the sequence code)
    has no records anywhere, so the refusal can be shown with any demo card."""

    def issue(self, order: CertificateOrder) -> Certificate | Refusal:
        make = _RECORDS.get(order.service.id)
        if make is None:
            return Refusal("NOT_OFFERED", "本平台暂不能在自助终端出具此证明。",
                           "请到窗口办理，工作人员会为您出具。")
        no_records = _NO_RECORDS[order.service.id]
        if _has_no_records(order.holder.id_number):
            return Refusal("NO_RECORDS", *no_records)
        try:
            records = make(order, _rng(order))
        except _OptionsInvalid as exc:
            return Refusal("OPTIONS_INVALID", exc.reason, "请返回修改后再试。")
        if records is None:
            return Refusal("NO_RECORDS", *no_records)
        title = _output_name(order.service)
        layout = CertificateLayout(
            title=title,
            holder_rows=(("姓名", mask_name(order.holder.name)),
                         ("公民身份号码", mask_id_number(order.holder.id_number))),
            statement=records.statement,
            columns=records.columns,
            rows=records.rows,
            notes=("本证明通过政务服务自助终端出具，可扫描二维码或登录平台输入验证码核验真伪。",
                   "以上信息仅证明出具之日的记录情况。"),
            issuer=order.service.department,
            issued_on=f"{order.issued_at:%Y年%m月%d日}",
            code=order.code,
            verify_url=order.verify_url,
            watermark="演示数据",
        )
        return Certificate(title, records.period, records.summary, render_certificate(layout))


def has_demo_records(id_number: str) -> bool:
    """Whether the demo issuer finds records for this holder at all (see `DemoIssuer`)."""
    return not _has_no_records(id_number)


def _has_no_records(id_number: str) -> bool:
    return len(id_number) >= 17 and id_number[16] == "7"


class _OptionsInvalid(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _rng(order: CertificateOrder) -> random.Random:
    seed = hashlib.sha256(f"{order.holder.id_number}|{order.service.id}".encode()).digest()
    return random.Random(int.from_bytes(seed[:8], "big"))


def _output_name(service: Service) -> str:
    a4 = next((o for o in service.outputs if o.type == "A4"), None)
    return a4.name if a4 else service.official_name


def _birth_year(id_number: str) -> int:
    digits = id_number[6:10] if len(id_number) == 18 else ""
    return int(digits) if re.fullmatch(r"[0-9]{4}", digits) else 1980


def _months(start: tuple[int, int], end: tuple[int, int]) -> list[tuple[int, int]]:
    months, (y, m) = [], start
    while (y, m) <= end:
        months.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


def _shift(month: tuple[int, int], months: int) -> tuple[int, int]:
    index = month[0] * 12 + month[1] - 1 + months
    return index // 12, index % 12 + 1


def _ym(month: tuple[int, int]) -> str:
    return f"{month[0]}年{month[1]:02d}月"


def _period(options: Mapping[str, str | list[str]], key: str,
            today: date) -> tuple[tuple[int, int], tuple[int, int]]:
    """The form's date range as (first month, last month); the last 12 full months if absent."""
    value = options.get(key)
    text = " ".join(value) if isinstance(value, list) else (value or "")
    found = re.findall(r"(\d{4})[-/年.]?(\d{1,2})", text)
    current = (today.year, today.month)
    if not found:
        end = _shift(current, -1)
        return _shift(end, -11), end
    if len(found) != 2:
        raise _OptionsInvalid("证明时段需要开始和结束两个月份。")
    start, end = ((int(y), int(m)) for y, m in found)
    if not (1 <= start[1] <= 12 and 1 <= end[1] <= 12):
        raise _OptionsInvalid("证明时段的月份不正确。")
    if start > end:
        raise _OptionsInvalid("证明时段的开始月份晚于结束月份。")
    if start > current:
        raise _OptionsInvalid("证明时段不能是将来的月份。")
    end = min(end, current)
    if len(_months(start, end)) > MAX_PERIOD_MONTHS:
        raise _OptionsInvalid("证明时段最长为 10 年，请缩短后再试。")
    return start, end


def _chosen(options: Mapping[str, str | list[str]], key: str,
            allowed: Sequence[str]) -> tuple[str, ...]:
    value = options.get(key)
    chosen = value if isinstance(value, list) else [v for v in (value or "").split(",") if v]
    if not chosen:
        return tuple(allowed)
    unknown = [c for c in chosen if c not in allowed]
    if unknown:
        raise _OptionsInvalid("所选险种不在可开具的范围内。")
    return tuple(c for c in allowed if c in chosen)


def _social_insurance(order: CertificateOrder, rng: random.Random) -> _Records | None:
    today = order.issued_at.date()
    start, end = _period(order.options, "period", today)
    types = _chosen(order.options, "insurance_types", INSURANCE_TYPES)
    first_year = max(_birth_year(order.holder.id_number) + 20 + rng.randint(0, 6), 1995)
    rows, summary = [], []
    for kind in types:
        if kind == "工伤保险" and rng.random() < 0.25:
            continue  # not every employer insured it
        first = (first_year + rng.randint(0, 2), rng.randint(1, 12))
        gap = rng.randint(0, 14)  # months without contributions (between jobs)
        status = "正常参保" if rng.random() < 0.85 else "暂停缴费"
        stopped = rng.randint(1, 6) if status == "暂停缴费" else 0  # the last months unpaid
        in_period = [m for m in _months(start, end) if m >= first]
        paid = max(0, len(in_period) - (gap if len(in_period) > 24 else 0) - stopped)
        total = max(0, len(_months(first, end)) - gap - stopped)
        if total == 0:
            continue
        rows.append((kind, status, f"{first[0]}-{first[1]:02d}", str(paid), str(total)))
        summary.append((kind, f"{status}，本时段缴费 {paid} 个月"))
    if not rows:
        return None
    period = f"{_ym(start)}至{_ym(end)}"
    return _Records(
        statement=f"兹证明上述人员在本市参加社会保险，{period}的参保缴费情况如下。",
        columns=("险种", "参保状态", "首次参保年月", "本时段缴费月数", "累计缴费月数"),
        rows=tuple(rows), summary=(("证明时段", period), *summary), period=period)


def _pension_detail(order: CertificateOrder, rng: random.Random) -> _Records | None:
    today = order.issued_at.date()
    raw = order.options.get("year")
    text = raw[0] if isinstance(raw, list) and raw else raw if isinstance(raw, str) else ""
    year = int(text[:4]) if re.fullmatch(r"[0-9]{4}", text[:4]) else today.year - 1
    if not 1995 <= year <= today.year:
        raise _OptionsInvalid("查询年度不在可查询的范围内。")
    if year < _birth_year(order.holder.id_number) + 18:
        return None
    base = rng.randrange(4000, 15000, 100)
    rows = []
    for month in _months((year, 1), (year, 12 if year < today.year else today.month)):
        rows.append((f"{month[0]}-{month[1]:02d}", f"{base}", f"{base * 0.16:.2f}",
                     f"{base * 0.08:.2f}", "已实缴"))
    period = f"{year}年度"
    return _Records(
        statement=f"兹证明上述人员{period}企业职工基本养老保险缴费明细如下。",
        columns=("费款所属期", "缴费基数", "单位缴费", "个人缴费", "缴费状态"),
        rows=tuple(rows),
        summary=(("查询年度", period), ("缴费月数", f"{len(rows)} 个月")), period=period)


def _medical_insurance(order: CertificateOrder, rng: random.Random) -> _Records | None:
    since = (max(_birth_year(order.holder.id_number) + 20, 1999) + rng.randint(0, 5),
             rng.randint(1, 12))
    period = f"截至{order.issued_at:%Y年%m月%d日}"
    employer = rng.choice(_EMPLOYERS) + "（演示）"
    return _Records(
        statement=f"兹证明上述人员参加本市基本医疗保险，{period}的参保情况如下。",
        columns=("险种", "参保单位", "参保日期", "参保状态"),
        rows=(("城镇职工基本医疗保险", employer, f"{since[0]}-{since[1]:02d}-01", "正常参保"),),
        summary=(("险种", "城镇职工基本医疗保险"), ("参保状态", "正常参保"),
                 ("证明截止日期", period.removeprefix("截至"))),
        period=period)


def _housing_fund(order: CertificateOrder, rng: random.Random) -> _Records | None:
    opened = (max(_birth_year(order.holder.id_number) + 22, 2000) + rng.randint(0, 6),
              rng.randint(1, 12))
    today = order.issued_at.date()
    last = _shift((today.year, today.month), -1)
    if opened > last:
        return None
    monthly = rng.randrange(600, 4800, 2)
    months = len(_months(opened, last))
    period = f"截至{_ym(last)}"
    return _Records(
        statement=f"兹证明上述人员在本中心缴存住房公积金，{period}的缴存情况如下。",
        columns=("缴存单位", "开户年月", "月缴存额（元）", "缴至年月", "缴存状态"),
        rows=((rng.choice(_EMPLOYERS) + "（演示）", f"{opened[0]}-{opened[1]:02d}",
               f"{monthly:.2f}", f"{last[0]}-{last[1]:02d}", "正常缴存"),),
        summary=(("缴存状态", "正常缴存"), ("缴至年月", _ym(last)),
                 ("累计缴存月数", f"{months} 个月")),
        period=period)


def _tax_record(order: CertificateOrder, rng: random.Random) -> _Records | None:
    start, end = _period(order.options, "period", order.issued_at.date())
    employer = rng.choice(_EMPLOYERS) + "（演示）"
    salary = rng.randrange(5000, 30000, 100)
    working_from = (_birth_year(order.holder.id_number) + 22, 7)
    rows = []
    total_tax = 0.0
    for month in _months(start, end):
        if month < working_from:
            continue
        taxable = max(0.0, salary - 5000 - salary * 0.2)
        tax = round(taxable * (0.03 if taxable <= 3000 else 0.1) - (0 if taxable <= 3000
                                                                    else 210), 2)
        tax = max(tax, 0.0)
        total_tax += tax
        rows.append((f"{month[0]}-{month[1]:02d}", "工资薪金", employer, f"{salary:.2f}",
                     f"{tax:.2f}"))
    if not rows:
        return None
    period = f"{_ym(start)}至{_ym(end)}"
    return _Records(
        statement=f"经查询，上述纳税人{period}在税务系统中的个人所得税纳税记录如下。",
        columns=("所属期", "所得项目", "扣缴义务人", "收入额（元）", "实缴税额（元）"),
        rows=tuple(rows),
        summary=(("开具期间", period), ("记录条数", f"{len(rows)} 条"),
                 ("实缴税额合计", f"{total_tax:.2f} 元")),
        period=period)


_RECORDS = {
    "SS-001": _social_insurance,
    "SS-002": _pension_detail,
    "SS-008": _medical_insurance,
    "SS-010": _housing_fund,
    "SS-023": _tax_record,
}


# -- issuing and storing -----------------------------------------------------------------------

def signed_content(record: CertificateRecord) -> bytes:
    """What the platform's signature covers: every stored fact the verification page shows,
    and the hash of the PDF handed out."""
    content = {
        "code": record.code, "service_id": record.service_id, "title": record.title,
        "holder_masked": record.holder_masked, "id_number_masked": record.id_number_masked,
        "period": record.period, "summary": [list(row) for row in record.summary],
        "issued_at": record.issued_at.isoformat(timespec="seconds"),
        "terminal_id": record.terminal_id, "hall": record.hall, "pdf_sha256": record.pdf_sha256,
    }
    return json.dumps(content, ensure_ascii=False, sort_keys=True,
                      separators=(",", ":")).encode("utf-8")


def issue(session: Session, *, issuer: CertificateIssuer, signer: PlatformSigner,
          terminal: TerminalRecord, service: Service, holder: Holder,
          options: Mapping[str, str | list[str]], idempotency_key: str | None,
          public_url: str, now: datetime, local_now: datetime) -> CertificateRecord | Refusal:
    """Issue one certificate and store it (the caller commits). A repeated Idempotency-Key of
    the same terminal gets the certificate it got the first time; `KeyReused` when the key
    came with another service or holder."""
    if idempotency_key is not None:
        earlier = session.scalar(select(CertificateRecord).where(
            CertificateRecord.terminal_id == terminal.id,
            CertificateRecord.idempotency_key == idempotency_key))
        if earlier is not None:
            if (earlier.service_id, earlier.id_number_masked) != (
                    service.id, mask_id_number(holder.id_number)):
                raise KeyReused
            return earlier
    code = new_code()
    order = CertificateOrder(service=service, holder=holder, options=options, code=code,
                             verify_url=verify_url(public_url, code), issued_at=local_now)
    result = issuer.issue(order)
    if isinstance(result, Refusal):
        return result
    record = CertificateRecord(
        code=code, service_id=service.id, title=result.title,
        holder_masked=mask_name(holder.name), id_number_masked=mask_id_number(holder.id_number),
        period=result.period, summary=[list(row) for row in result.summary],
        issued_at=now.replace(microsecond=0), terminal_id=terminal.id, hall=terminal.hall,
        pdf_sha256=hashlib.sha256(result.pdf).hexdigest(), signature="",
        idempotency_key=idempotency_key, pdf=result.pdf)
    record.signature = signer.sign(signed_content(record))
    session.add(record)
    return record


class KeyReused(Exception):
    """An Idempotency-Key this terminal used before, for another certificate."""


def verify_url(public_url: str, code: str) -> str:
    return f"{public_url.rstrip('/')}/verify/{code}"


def issued_answer(record: CertificateRecord, public_url: str) -> CertificateIssued:
    return CertificateIssued(code=record.code, service_id=record.service_id, title=record.title,
                             verify_url=verify_url(public_url, record.code),
                             issued_at=record.issued_at,
                             pdf_b64=base64.b64encode(record.pdf).decode("ascii"))


def check(session: Session, signer: PlatformSigner, text: str) -> CertificateCheck:
    """Whether `text` is the code of a certificate this platform issued, and what it said."""
    code = normalize_code(text)
    record = session.get(CertificateRecord, code) if code else None
    shown = code or text[:40]
    if record is None:
        return CertificateCheck(code=shown, genuine=False, problem="NOT_FOUND")
    if not signer.verify(signed_content(record), record.signature):
        return CertificateCheck(code=shown, genuine=False, problem="SIGNATURE_INVALID")
    return CertificateCheck(
        code=record.code, genuine=True, service_id=record.service_id, title=record.title,
        holder_masked=record.holder_masked, id_number_masked=record.id_number_masked,
        period=record.period, summary=[(str(k), str(v)) for k, v in record.summary],
        issued_at=record.issued_at, terminal_id=record.terminal_id, hall=record.hall)
