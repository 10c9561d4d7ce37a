"""What the console shows, read from the database with the viewer's rights applied.

Every query that touches terminals, their events, alerts or commands goes through here and is
limited to the viewer's hall unless the viewer is an administrator; a terminal of another hall
is simply not found (404), so its existence is not revealed either. The pages and the JSON API
both use these functions, which is why the hall rule is tested at the API.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import Literal

from pydantic import BaseModel, Field
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from central import labels
from central.console.users import Viewer
from central.contract import EVALUATION_LEVELS, CommandKind
from central.db import (
    AlertRecord,
    CommandRecord,
    EvaluationRecord,
    FindingKind,
    FindingResolution,
    HourlyActivity,
    PaymentAttemptRecord,
    PaymentFindingRecord,
    PaymentOrderRecord,
    PaymentRefundRecord,
    ReconciliationRun,
    TerminalEvent,
    TerminalRecord,
)
from central.errors import Refused
from central.payments import reconciliation
from central.terminals import TerminalStatus, status_of

STATUS_ORDER = {"offline": 0, "degraded": 1, "never": 2, "online": 3}
CHART_HOURS = 24
NOTICE_MAX = 120  # one line in the kiosk's top bar
MAX_ROW_ID = 2**63 - 1  # integer primary keys are signed 64-bit in SQLite and PostgreSQL


class DeviceView(BaseModel):
    family: str
    label: str
    state: str
    state_label: str
    code: str
    code_label: str
    detail: str = ""


class TerminalView(BaseModel):
    id: str
    hall: str
    status: TerminalStatus
    status_label: str
    maintenance: bool
    hours_override_label: str | None  # the manager's override of the hall hours; None: none
    service_state: str | None
    service_state_label: str
    notice: str | None
    last_seen_at: datetime | None
    seconds_since_heartbeat: float | None
    interval_s: float
    app_version: str | None
    uptime_s: float | None
    network: str | None
    catalog_version: str | None
    outbox_backlog: int
    devices: list[DeviceView]
    open_alerts: int = 0

    @property
    def faults(self) -> list[DeviceView]:
        return [d for d in self.devices if d.state != "ok"]


class AlertView(BaseModel):
    id: int
    terminal_id: str
    hall: str
    kind: str
    kind_label: str
    family: str | None
    code: str | None
    detail: str
    raised_at: datetime
    resolved_at: datetime | None
    acked_at: datetime | None
    acked_by: str | None


class CommandView(BaseModel):
    id: int
    terminal_id: str
    kind: CommandKind
    kind_label: str
    text: str | None
    issued_by: str
    issued_at: datetime
    delivered_at: datetime | None
    done_at: datetime | None


class EventView(BaseModel):
    at: datetime
    kind: str
    kind_label: str
    family: str | None
    state: str | None
    code: str | None
    detail: str


class Uptime(BaseModel):
    family: str
    label: str
    percent: float  # time in state ok over the window, where the state is known


class Stats(BaseModel):
    """Chart data: counts per hour over the last day, device uptime over the same day."""

    hours: list[str]  # local "HH:00" labels, oldest first
    sessions: list[int]
    services: list[int]
    prints: list[int]
    ratings: list[int]
    uptime: list[Uptime]
    statuses: dict[str, int]
    # 好差评 received over the same day by level, 非常满意 first
    satisfaction: dict[str, int]


# the hall hours override each command sets on the terminal (None: the hall's own hours)
HOURS_COMMANDS: dict[str, str | None] = {"hours_open": "open", "hours_closed": "closed",
                                         "hours_scheduled": None}


class CommandRequest(BaseModel):
    kind: CommandKind
    text: str | None = None


# -- terminals -------------------------------------------------------------------------------

def _visible(query: Select, viewer: Viewer) -> Select:
    return query if viewer.is_admin else query.where(TerminalRecord.hall == viewer.hall)


def halls(session: Session, viewer: Viewer) -> list[str]:
    if not viewer.is_admin:
        return [viewer.hall] if viewer.hall else []
    return list(session.scalars(select(TerminalRecord.hall).distinct().order_by(
        TerminalRecord.hall)))


def find_terminal(session: Session, viewer: Viewer, terminal_id: str) -> TerminalRecord | None:
    """The terminal, if it exists and the viewer may see it."""
    return session.scalars(
        _visible(select(TerminalRecord).where(TerminalRecord.id == terminal_id), viewer)
    ).first()


def list_terminals(session: Session, viewer: Viewer, now: datetime, hall: str | None = None,
                   status: str | None = None) -> list[TerminalView]:
    query = _visible(select(TerminalRecord), viewer)
    if hall:
        query = query.where(TerminalRecord.hall == hall)
    terminals = session.scalars(query).all()
    open_alerts = dict(session.execute(
        select(AlertRecord.terminal_id, func.count())
        .where(AlertRecord.resolved_at.is_(None))
        .group_by(AlertRecord.terminal_id)
    ).all())
    views = [terminal_view(t, now, open_alerts.get(t.id, 0)) for t in terminals]
    if status == "maintenance":
        views = [v for v in views if v.maintenance]
    elif status:
        views = [v for v in views if v.status == status]
    views.sort(key=lambda v: (STATUS_ORDER[v.status], v.hall, v.id))
    return views


def _device_view(family: str, health: dict[str, str]) -> DeviceView:
    state = health["state"]
    return DeviceView(family=family, label=labels.family(family), state=state,
                      state_label=labels.DEVICE_STATES.get(state, state),
                      code=health["code"], code_label=labels.code(health["code"]),
                      detail=health.get("detail", ""))


def terminal_view(terminal: TerminalRecord, now: datetime, open_alerts: int = 0) -> TerminalView:
    status = status_of(terminal, now)
    devices = [_device_view(family, health) for family, health in (terminal.devices or {}).items()]
    state = terminal.service_state
    return TerminalView(
        id=terminal.id, hall=terminal.hall, status=status,
        status_label=labels.TERMINAL_STATUSES[status], maintenance=terminal.maintenance,
        hours_override_label=labels.HOURS_OVERRIDES.get(terminal.hours_override or ""),
        service_state=state, service_state_label=labels.SERVICE_STATES.get(state or "", "—"),
        notice=terminal.notice, last_seen_at=terminal.last_seen_at,
        seconds_since_heartbeat=(now - terminal.last_seen_at).total_seconds()
        if terminal.last_seen_at else None,
        interval_s=terminal.interval_s, app_version=terminal.app_version,
        uptime_s=terminal.uptime_s, network=terminal.network,
        catalog_version=terminal.catalog_version, outbox_backlog=terminal.outbox_backlog,
        devices=devices, open_alerts=open_alerts,
    )


def events(session: Session, terminal_id: str, limit: int = 100,
           device_only: bool = False) -> list[EventView]:
    query = select(TerminalEvent).where(TerminalEvent.terminal_id == terminal_id)
    if device_only:
        query = query.where(TerminalEvent.kind == "device")
    rows = session.scalars(query.order_by(TerminalEvent.at.desc(), TerminalEvent.id.desc())
                           .limit(limit))
    return [EventView(at=e.at, kind=e.kind, kind_label=labels.EVENT_KINDS.get(e.kind, e.kind),
                      family=e.family, state=e.state, code=e.code, detail=e.detail)
            for e in rows]


# -- commands --------------------------------------------------------------------------------

def issue_command(session: Session, viewer: Viewer, terminal: TerminalRecord,
                  request: CommandRequest, now: datetime) -> CommandRecord:
    """Record a command for a terminal the viewer may see; the caller commits.

    Maintenance and the notice are also kept on the terminal as the state every heartbeat
    answer carries, so they hold across restarts of the kiosk.
    """
    assert viewer.may_see_hall(terminal.hall), "find_terminal first"
    text = (request.text or "").strip()[:NOTICE_MAX] or None
    if request.kind == "maintenance_on":
        terminal.maintenance = True
    elif request.kind == "maintenance_off":
        terminal.maintenance = False
    elif request.kind == "notice":
        terminal.notice = text
    elif request.kind in HOURS_COMMANDS:
        terminal.hours_override = HOURS_COMMANDS[request.kind]
    command = CommandRecord(terminal_id=terminal.id, kind=request.kind,
                            text=text if request.kind == "notice" else None,
                            issued_by=viewer.username, issued_at=now)
    session.add(command)
    what = labels.COMMANDS[request.kind]
    if request.kind == "notice":
        what = f"发布公告：{text}" if text else "清除公告"
    session.add(TerminalEvent(terminal_id=terminal.id, at=now, kind="command",
                              detail=f"{what}（{viewer.username}）"))
    session.flush()
    return command


def commands(session: Session, terminal_id: str, limit: int = 20) -> list[CommandView]:
    rows = session.scalars(select(CommandRecord).where(CommandRecord.terminal_id == terminal_id)
                           .order_by(CommandRecord.id.desc()).limit(limit))
    return [command_view(c) for c in rows]


def command_view(c: CommandRecord) -> CommandView:
    return CommandView(id=c.id, terminal_id=c.terminal_id, kind=c.kind,
                       kind_label=labels.COMMANDS.get(c.kind, c.kind), text=c.text,
                       issued_by=c.issued_by, issued_at=c.issued_at,
                       delivered_at=c.delivered_at, done_at=c.done_at)


# -- alerts ----------------------------------------------------------------------------------

def alerts(session: Session, viewer: Viewer, *, unacknowledged_only: bool = False,
           hall: str | None = None, terminal_id: str | None = None,
           limit: int = 200) -> list[AlertView]:
    query = _visible(select(AlertRecord, TerminalRecord.hall)
                     .join(TerminalRecord, TerminalRecord.id == AlertRecord.terminal_id), viewer)
    if unacknowledged_only:
        query = query.where(AlertRecord.acked_at.is_(None))
    if hall:
        query = query.where(TerminalRecord.hall == hall)
    if terminal_id:
        query = query.where(AlertRecord.terminal_id == terminal_id)
    rows = session.execute(query.order_by(AlertRecord.raised_at.desc(), AlertRecord.id.desc())
                           .limit(limit))
    return [alert_view(alert, alert_hall) for alert, alert_hall in rows]


def alert_view(a: AlertRecord, hall: str) -> AlertView:
    return AlertView(id=a.id, terminal_id=a.terminal_id, hall=hall, kind=a.kind,
                     kind_label=labels.ALERT_KINDS.get(a.kind, a.kind), family=a.family,
                     code=a.code, detail=a.detail, raised_at=a.raised_at,
                     resolved_at=a.resolved_at, acked_at=a.acked_at, acked_by=a.acked_by)


def unacknowledged_count(session: Session, viewer: Viewer) -> int:
    query = _visible(select(func.count()).select_from(AlertRecord)
                     .join(TerminalRecord, TerminalRecord.id == AlertRecord.terminal_id)
                     .where(AlertRecord.acked_at.is_(None)), viewer)
    return session.scalar(query) or 0


def acknowledge(session: Session, viewer: Viewer, alert_id: int,
                now: datetime) -> AlertView | None:
    """Acknowledge an alert the viewer may see; None when there is no such alert for them."""
    if not 0 < alert_id <= MAX_ROW_ID:  # beyond any id, and beyond what SQLite can compare
        return None
    row = session.execute(
        _visible(select(AlertRecord, TerminalRecord.hall)
                 .join(TerminalRecord, TerminalRecord.id == AlertRecord.terminal_id)
                 .where(AlertRecord.id == alert_id), viewer)
    ).first()
    if row is None:
        return None
    alert, hall = row
    if alert.acked_at is None:
        alert.acked_at, alert.acked_by = now, viewer.username
        session.add(TerminalEvent(
            terminal_id=alert.terminal_id, at=now, kind="alert_ack",
            detail=f"{labels.ALERT_KINDS.get(alert.kind, alert.kind)}：{alert.detail}"
                   f"（{viewer.username} 已确认）"))
    return alert_view(alert, hall)


# -- charts ----------------------------------------------------------------------------------

def stats(session: Session, viewer: Viewer, now: datetime, hall: str | None = None,
          terminal_id: str | None = None) -> Stats:
    ids_query = _visible(select(TerminalRecord.id), viewer)
    if hall:
        ids_query = ids_query.where(TerminalRecord.hall == hall)
    if terminal_id:
        ids_query = ids_query.where(TerminalRecord.id == terminal_id)
    ids = list(session.scalars(ids_query))
    this_hour = now.replace(minute=0, second=0, microsecond=0)
    hours = [this_hour - timedelta(hours=CHART_HOURS - 1 - n) for n in range(CHART_HOURS)]
    totals: dict[datetime, list[int]] = {h: [0, 0, 0, 0] for h in hours}
    if ids:
        rows = session.execute(
            select(HourlyActivity.hour, func.sum(HourlyActivity.sessions),
                   func.sum(HourlyActivity.services), func.sum(HourlyActivity.prints),
                   func.sum(HourlyActivity.ratings))
            .where(HourlyActivity.terminal_id.in_(ids), HourlyActivity.hour >= hours[0])
            .group_by(HourlyActivity.hour))
        for hour, *sums in rows:
            if hour in totals:
                totals[hour] = [int(s or 0) for s in sums]
    series = list(zip(*(totals[h] for h in hours), strict=True))
    satisfaction = {label: 0 for label in EVALUATION_LEVELS.values()}
    if ids:
        for level, count in session.execute(
                select(EvaluationRecord.level, func.count())
                .where(EvaluationRecord.terminal_id.in_(ids),
                       EvaluationRecord.received_at >= hours[0])
                .group_by(EvaluationRecord.level)):
            satisfaction[EVALUATION_LEVELS[level]] = count
    statuses: dict[str, int] = defaultdict(int)
    for view in list_terminals(session, viewer, now, hall=hall):
        if terminal_id is None or view.id == terminal_id:
            statuses[view.status] += 1
    return Stats(
        hours=[f"{h.astimezone():%H}:00" for h in hours],
        sessions=list(series[0]), services=list(series[1]), prints=list(series[2]),
        ratings=list(series[3]),
        uptime=device_uptime(session, ids, now - timedelta(hours=CHART_HOURS), now),
        statuses=dict(statuses),
        satisfaction=satisfaction,
    )


def device_uptime(session: Session, terminal_ids: list[str], since: datetime,
                  now: datetime) -> list[Uptime]:
    """Share of the window each device family was `ok`, over the given terminals.

    Worked out from the device events (one per change of health): the state before the window
    is the last change before it; time before a device's first report is not counted.
    """
    if not terminal_ids:
        return []
    rows = session.execute(
        select(TerminalEvent.terminal_id, TerminalEvent.family, TerminalEvent.state,
               TerminalEvent.at)
        .where(TerminalEvent.kind == "device", TerminalEvent.terminal_id.in_(terminal_ids),
               TerminalEvent.at >= since - timedelta(days=30))
        .order_by(TerminalEvent.at, TerminalEvent.id))
    timelines: dict[tuple[str, str], list[tuple[datetime, str]]] = defaultdict(list)
    for terminal_id, family, state, at in rows:
        if family is not None and state is not None:  # a device event has both
            timelines[(terminal_id, family)].append((at, state))
    ok: dict[str, float] = defaultdict(float)
    known: dict[str, float] = defaultdict(float)
    for (_terminal, family), changes in timelines.items():
        for n, (at, state) in enumerate(changes):
            start = max(at, since)
            end = changes[n + 1][0] if n + 1 < len(changes) else now
            if end <= start:
                continue
            seconds = (end - start).total_seconds()
            known[family] += seconds
            if state == "ok":
                ok[family] += seconds
    order = list(labels.FAMILIES)
    families = sorted(known, key=lambda f: (order.index(f) if f in order else len(order), f))
    return [Uptime(family=f, label=labels.family(f),
                   percent=round(100 * ok[f] / known[f], 1) if known[f] else 100.0)
            for f in families]


StatusFilter = Literal["online", "degraded", "offline", "never", "maintenance"]


# -- payments (收费) and reconciliation (对账) ---------------------------------------------------
#
# Orders belong to the terminal that made them, findings to the terminal of their order: the
# hall rule is the terminal's. A finding with no order (money for a trade that is not the
# platform's) belongs to no hall: administrators only. Nothing about the person is shown: an
# order is named by its reference.

class FailureCount(BaseModel):
    reason: str
    label: str
    count: int


class PaymentTotals(BaseModel):
    """Today's payments (China's day) of the terminals the viewer may see."""

    day: date
    paid_count: int
    paid_fen: int
    refunded_count: int
    refunded_fen: int
    attempts: int
    unresolved_orders: int  # left to staff by the state machine (any day)
    open_findings: int
    failures: list[FailureCount]  # attempts of today not paid, by why


class FindingView(BaseModel):
    id: int
    kind: FindingKind
    kind_label: str
    day: date
    channel: str
    channel_label: str
    reference: str  # the order's reference (the trade's number for one that is not ours)
    terminal_id: str | None
    hall: str | None
    expected_fen: int | None
    statement_fen: int | None
    detail: str
    found_at: datetime
    resolution: FindingResolution | None
    resolution_label: str | None
    resolved_by: str | None
    resolved_at: datetime | None
    note: str
    refund_state: str | None
    refund_label: str | None
    refundable: bool  # an administrator may give its money back from here


class RunView(BaseModel):
    day: date
    channel: str
    channel_label: str
    outcome: str
    outcome_label: str
    lines: int
    findings: int
    finished_at: datetime | None
    started_by: str


class ResolveRequest(BaseModel):
    action: Literal["refund", "settle"]
    note: str = Field(default="", max_length=200)


def _today(now: datetime) -> tuple[date, datetime]:
    day = reconciliation.china_day(now)
    return day, datetime.combine(day, time(0), reconciliation.BEIJING)


def _orders_seen(query: Select, viewer: Viewer, hall: str | None,
                 terminal_id: str | None) -> Select:
    query = _visible(query.join(TerminalRecord,
                                TerminalRecord.id == PaymentOrderRecord.terminal_id), viewer)
    if hall:
        query = query.where(TerminalRecord.hall == hall)
    if terminal_id:
        query = query.where(PaymentOrderRecord.terminal_id == terminal_id)
    return query


def payment_totals(session: Session, viewer: Viewer, now: datetime, hall: str | None = None,
                   terminal_id: str | None = None) -> PaymentTotals:
    day, start = _today(now)
    paid_count, paid_fen = session.execute(_orders_seen(
        select(func.count(), func.coalesce(func.sum(PaymentOrderRecord.amount_fen), 0))
        .select_from(PaymentOrderRecord).where(PaymentOrderRecord.paid_at >= start),
        viewer, hall, terminal_id)).one()
    refunded_count, refunded_fen = session.execute(_orders_seen(
        select(func.count(), func.coalesce(func.sum(PaymentRefundRecord.amount_fen), 0))
        .select_from(PaymentRefundRecord)
        .join(PaymentOrderRecord, PaymentOrderRecord.id == PaymentRefundRecord.order_id)
        .where(PaymentRefundRecord.state == "done", PaymentRefundRecord.done_at >= start),
        viewer, hall, terminal_id)).one()
    attempts = session.scalar(_orders_seen(
        select(func.count()).select_from(PaymentAttemptRecord)
        .join(PaymentOrderRecord, PaymentOrderRecord.id == PaymentAttemptRecord.order_id)
        .where(PaymentAttemptRecord.created_at >= start), viewer, hall, terminal_id)) or 0
    failures: dict[str, int] = defaultdict(int)
    for failure, ending, state, count in session.execute(_orders_seen(
            select(PaymentAttemptRecord.failure, PaymentAttemptRecord.ending,
                   PaymentAttemptRecord.state, func.count())
            .select_from(PaymentAttemptRecord)
            .join(PaymentOrderRecord, PaymentOrderRecord.id == PaymentAttemptRecord.order_id)
            .where(PaymentAttemptRecord.created_at >= start,
                   PaymentAttemptRecord.state.in_(("failed", "closed", "unresolved")))
            .group_by(PaymentAttemptRecord.failure, PaymentAttemptRecord.ending,
                      PaymentAttemptRecord.state), viewer, hall, terminal_id)):
        if state == "unresolved":
            failures["unresolved"] += count
        elif failure is not None:
            failures[failure] += count
        elif ending is not None and ending != "replaced":
            failures[ending] += count
    words = {**labels.PAYMENT_FAILURES, **labels.PAYMENT_ENDINGS,
             "unresolved": "未决（待人工处理）"}
    unresolved = session.scalar(_orders_seen(
        select(func.count()).select_from(PaymentOrderRecord)
        .where(PaymentOrderRecord.state == "unresolved"), viewer, hall, terminal_id)) or 0
    open_count = session.scalar(_findings_seen(
        select(func.count()).select_from(PaymentFindingRecord)
        .where(PaymentFindingRecord.resolved_at.is_(None)), viewer, hall, terminal_id)) or 0
    return PaymentTotals(
        day=day, paid_count=paid_count, paid_fen=int(paid_fen), refunded_count=refunded_count,
        refunded_fen=int(refunded_fen), attempts=attempts, unresolved_orders=unresolved,
        open_findings=open_count,
        failures=[FailureCount(reason=reason, label=words.get(reason, reason), count=count)
                  for reason, count in sorted(failures.items(), key=lambda kv: -kv[1])])


def _findings_seen(query: Select, viewer: Viewer, hall: str | None,
                   terminal_id: str | None) -> Select:
    on = TerminalRecord.id == PaymentFindingRecord.terminal_id
    if viewer.is_admin and not hall:
        query = query.outerjoin(TerminalRecord, on)
    else:
        query = _visible(query.join(TerminalRecord, on), viewer)
        if hall:
            query = query.where(TerminalRecord.hall == hall)
    if terminal_id:
        query = query.where(PaymentFindingRecord.terminal_id == terminal_id)
    return query


def findings(session: Session, viewer: Viewer, *, hall: str | None = None,
             terminal_id: str | None = None, include_resolved: bool = False,
             limit: int = 200) -> list[FindingView]:
    query = _findings_seen(select(PaymentFindingRecord, TerminalRecord.hall), viewer, hall,
                           terminal_id)
    if not include_resolved:
        query = query.where(PaymentFindingRecord.resolved_at.is_(None))
    rows = session.execute(query.order_by(PaymentFindingRecord.resolved_at.is_not(None),
                                          PaymentFindingRecord.found_at.desc(),
                                          PaymentFindingRecord.id.desc()).limit(limit)).all()
    return [finding_view(session, finding, finding_hall) for finding, finding_hall in rows]


def find_finding(session: Session, viewer: Viewer, finding_id: int
                 ) -> tuple[PaymentFindingRecord, str | None] | None:
    """The finding, if it exists and the viewer may see it, and its hall."""
    if not 0 < finding_id <= MAX_ROW_ID:
        return None
    row = session.execute(_findings_seen(
        select(PaymentFindingRecord, TerminalRecord.hall)
        .where(PaymentFindingRecord.id == finding_id), viewer, None, None)).first()
    return (row[0], row[1]) if row is not None else None


def finding_view(session: Session, finding: PaymentFindingRecord,
                 hall: str | None) -> FindingView:
    reference = finding.out_trade_no
    if finding.order_id is not None:
        reference = session.scalar(select(PaymentOrderRecord.reference).where(
            PaymentOrderRecord.id == finding.order_id)) or reference
    refund_state = session.scalar(select(PaymentRefundRecord.state).where(
        PaymentRefundRecord.id == finding.refund_id)) if finding.refund_id else None
    return FindingView(
        id=finding.id, kind=finding.kind, kind_label=labels.FINDING_KINDS[finding.kind],
        day=finding.day, channel=finding.channel,
        channel_label=labels.CHANNELS.get(finding.channel, finding.channel),
        reference=reference, terminal_id=finding.terminal_id, hall=hall,
        expected_fen=finding.expected_fen, statement_fen=finding.statement_fen,
        detail=finding.detail, found_at=finding.found_at, resolution=finding.resolution,
        resolution_label=labels.FINDING_RESOLUTIONS.get(finding.resolution or ""),
        resolved_by=finding.resolved_by, resolved_at=finding.resolved_at, note=finding.note,
        refund_state=refund_state,
        refund_label=labels.REFUND_STATES.get(refund_state or ""),
        refundable=finding.resolved_at is None
        and reconciliation.refundable(session, finding))


def resolve_finding(session: Session, viewer: Viewer, finding_id: int,
                    request: ResolveRequest, now: datetime) -> tuple[FindingView, bool] | None:
    """Resolve a finding the viewer may see (administrators only: 403 for a hall manager);
    the view, and whether a refund was asked (the caller commits, then wakes the payments'
    resolver). None when there is no such finding for the viewer; 409 when it cannot be
    resolved so (resolved already, nothing to give back)."""
    found = find_finding(session, viewer, finding_id)
    if found is None:
        return None
    if not viewer.is_admin:
        raise Refused(403, "only an administrator resolves a reconciliation finding",
                      code="ADMINISTRATOR_ONLY")
    finding, hall = found
    try:
        refund = reconciliation.resolve(session, finding, request.action, viewer.username,
                                        request.note, now)
    except reconciliation.ResolveRefused as exc:
        raise Refused(exc.status, exc.message, code="FINDING_NOT_RESOLVABLE") from None
    session.flush()
    return finding_view(session, finding, hall), refund is not None


def reconciliation_runs(session: Session, limit: int = 14) -> list[RunView]:
    """The latest runs (no hall's data: the providers' statements are the platform's)."""
    rows = session.scalars(select(ReconciliationRun).order_by(
        ReconciliationRun.id.desc()).limit(limit))
    return [RunView(day=r.day, channel=r.channel,
                    channel_label=labels.CHANNELS.get(r.channel, r.channel), outcome=r.outcome,
                    outcome_label=labels.RUN_OUTCOMES.get(r.outcome, r.outcome), lines=r.lines,
                    findings=r.findings, finished_at=r.finished_at, started_by=r.started_by)
            for r in rows]
