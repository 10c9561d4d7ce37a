"""Terminals' readiness reports (their boot self-test): the latest one of each is kept, and
what the console shows of it.

A report is replaced only by one the terminal made later (by its own `reported_at`): a report
held up in the network and arriving after a newer one does not hide the newer one.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel
from sqlalchemy.orm import Session

from central import labels
from central.contract.readiness import ReadinessReceived, ReadinessReport
from central.db import ReadinessRecord, TerminalRecord

PAPER_LABELS = {"ok": "正常", "low": "纸将尽", "out": "缺纸", "unknown": "未知"}


def record_readiness(session: Session, terminal: TerminalRecord, report: ReadinessReport,
                     now: datetime) -> ReadinessReceived:
    """Keep `report` as the terminal's latest unless a later one is kept; the caller commits."""
    kept = session.get(ReadinessRecord, terminal.id)
    if kept is not None and kept.reported_at > report.reported_at:
        return ReadinessReceived(received_at=now, kept=False)
    if kept is None:
        kept = ReadinessRecord(terminal_id=terminal.id)
        session.add(kept)
    kept.reported_at = report.reported_at
    kept.received_at = now
    kept.report = report.model_dump(mode="json")
    return ReadinessReceived(received_at=now, kept=True)


class ReadinessDeviceView(BaseModel):
    family: str
    label: str
    driver: str
    required: bool
    passed: bool
    state: str
    state_label: str
    code: str
    detail: str


class PaperView(BaseModel):
    family: str
    label: str
    paper: str
    paper_label: str


class ReadinessView(BaseModel):
    """The latest report as the terminal page shows it."""

    ready: bool
    app_version: str
    code_sha256_short: str  # enough to tell two installations apart at a glance
    code_files: int
    clock_offset_s: float | None
    disk_free_gib: float
    disk_total_gib: float
    devices: list[ReadinessDeviceView]
    paper: list[PaperView]
    reported_at: datetime
    received_at: datetime
    age_s: float  # since it was received: the terminal's own clock may be off


def latest_readiness(session: Session, terminal_id: str, now: datetime) -> ReadinessView | None:
    kept = session.get(ReadinessRecord, terminal_id)
    if kept is None:
        return None
    # stored only after validation; validated again so the page never shows a changed row raw
    report = ReadinessReport.model_validate(kept.report)
    return ReadinessView(
        ready=report.ready,
        app_version=report.app_version,
        code_sha256_short=report.code_sha256[:12],
        code_files=report.code_files,
        clock_offset_s=report.clock_offset_s,
        disk_free_gib=report.disk_free_bytes / 2**30,
        disk_total_gib=report.disk_total_bytes / 2**30,
        devices=[ReadinessDeviceView(
            family=d.family, label=labels.family(d.family), driver=d.driver, required=d.required,
            passed=d.passed, state=d.state,
            state_label=labels.DEVICE_STATES.get(d.state, d.state), code=d.code,
            detail=d.detail) for d in report.devices],
        paper=[PaperView(family=p.family, label=labels.family(p.family), paper=p.paper,
                         paper_label=PAPER_LABELS[p.paper]) for p in report.paper],
        reported_at=report.reported_at,
        received_at=kept.received_at,
        age_s=max(0.0, (now - kept.received_at).total_seconds()),
    )
