"""What a heartbeat changes on the platform, and what the silence of a terminal changes.

`record_heartbeat` updates the terminal's row, records device-health changes as events, raises
and resolves alerts (device error, outbox backlog growing, back online), adds the activity
counts to the hourly totals and answers with the terminal's state and pending commands.
`sweep` runs every few seconds: terminals that missed 3 heartbeats get an offline alert, and
old nonces and expired console sessions are deleted.

A heartbeat that changes nothing costs four statements (terminal, nonce, commands, update).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from central import labels
from central.contract import Command, Heartbeat, HeartbeatAnswer, HoursOverride
from central.db import (
    AlertRecord,
    CommandRecord,
    ConsoleSession,
    HourlyActivity,
    TerminalEvent,
    TerminalRecord,
    rows_matched,
)
from central.terminal_auth import forget_old_nonces
from central.terminals import heartbeats_stopped

log = logging.getLogger(__name__)

FAULTY_STATES = ("error", "offline")  # a device that cannot serve: an alert
BACKLOG_RISES_ALERT = 3  # the outbox grew at this many heartbeats in a row
COMMANDS_PER_ANSWER = 20


HOURLY_COUNT_CAP = 1_000_000_000  # per terminal and hour; far beyond any real hall

def record_heartbeat(session: Session, terminal: TerminalRecord, heartbeat: Heartbeat,
                     now: datetime) -> HeartbeatAnswer:
    """Apply one heartbeat of `terminal`; the caller commits."""
    tid = terminal.id
    if terminal.last_seen_at is None:
        _event(session, tid, now, "online", "首次上线")
    elif terminal.offline_since is not None or heartbeats_stopped(terminal, now):
        gone = now - (terminal.last_seen_at or now)
        _event(session, tid, now, "online", f"恢复在线（中断 {_duration(gone)}）")
        _resolve(session, tid, now, "terminal_offline")
    if terminal.uptime_s is not None and heartbeat.uptime_s + 1 < terminal.uptime_s:
        _event(session, tid, now, "restarted", f"应用已重启（版本 {heartbeat.app_version}）")

    devices = _record_devices(session, terminal, heartbeat, now)
    _record_backlog(session, terminal, heartbeat.outbox_backlog, now)
    _add_counts(session, tid, heartbeat, now)
    commands = _commands(session, tid, heartbeat.acknowledged, now)

    terminal.last_seen_at = now
    terminal.offline_since = None
    terminal.interval_s = heartbeat.interval_s
    terminal.app_version = heartbeat.app_version
    terminal.uptime_s = heartbeat.uptime_s
    terminal.network = heartbeat.network
    terminal.catalog_version = heartbeat.catalog_version
    terminal.service_state = heartbeat.service_state
    terminal.outbox_backlog = heartbeat.outbox_backlog
    if devices != terminal.devices:
        terminal.devices = devices
    return HeartbeatAnswer(received_at=now, maintenance=terminal.maintenance,
                           notice=terminal.notice, commands=commands,
                           hours_override=_hours_override(terminal.hours_override))


def _hours_override(stored: str | None) -> HoursOverride | None:
    return "open" if stored == "open" else "closed" if stored == "closed" else None


def _record_devices(session: Session, terminal: TerminalRecord, heartbeat: Heartbeat,
                    now: datetime) -> dict[str, dict[str, str]]:
    before: dict[str, dict[str, str]] = terminal.devices or {}
    after = {d.family: {"state": d.state, "code": d.code, "detail": d.detail}
             for d in heartbeat.devices}
    for family, health in after.items():
        old = before.get(family)
        if old is not None and (old["state"], old["code"]) == (health["state"], health["code"]):
            continue
        state_word = labels.DEVICE_STATES.get(health["state"], health["state"])
        session.add(TerminalEvent(
            terminal_id=terminal.id, at=now, kind="device", family=family,
            state=health["state"], code=health["code"],
            detail=f"{labels.family(family)}：{state_word}（{labels.code(health['code'])}）",
        ))
        faulty = health["state"] in FAULTY_STATES
        was_faulty = old is not None and old["state"] in FAULTY_STATES
        if was_faulty:
            _resolve(session, terminal.id, now, "device_error", family)
        if faulty:
            session.add(AlertRecord(
                terminal_id=terminal.id, kind="device_error", family=family,
                code=health["code"], raised_at=now,
                detail=f"{labels.family(family)}{labels.code(health['code'])}",
            ))
    for family in before.keys() - after.keys():  # a device taken out of the profile
        _resolve(session, terminal.id, now, "device_error", family)
    return after


def _record_backlog(session: Session, terminal: TerminalRecord, backlog: int,
                    now: datetime) -> None:
    if backlog > terminal.outbox_backlog:
        terminal.backlog_rises += 1
        if terminal.backlog_rises == BACKLOG_RISES_ALERT:
            session.add(AlertRecord(
                terminal_id=terminal.id, kind="outbox_backlog", raised_at=now,
                detail=f"待上传数据持续增加，当前 {backlog} 条",
            ))
    elif backlog < terminal.outbox_backlog or backlog == 0:
        if terminal.backlog_rises >= BACKLOG_RISES_ALERT:
            _resolve(session, terminal.id, now, "outbox_backlog")
        terminal.backlog_rises = 0


def _add_counts(session: Session, terminal_id: str, heartbeat: Heartbeat, now: datetime) -> None:
    counts = heartbeat.counts
    if not (counts.sessions or counts.services or counts.prints or counts.ratings):
        return
    hour = now.replace(minute=0, second=0, microsecond=0)
    row = session.get(HourlyActivity, (terminal_id, hour))
    if row is None:
        session.add(HourlyActivity(terminal_id=terminal_id, hour=hour, sessions=counts.sessions,
                                   services=counts.services, prints=counts.prints,
                                   ratings=counts.ratings))
        return
    # capped: a terminal's counts are bounded per heartbeat, not in how many it sends, and the
    # console sums these rows over halls and days (the column is a 32-bit INTEGER on PostgreSQL)
    row.sessions = min(row.sessions + counts.sessions, HOURLY_COUNT_CAP)
    row.services = min(row.services + counts.services, HOURLY_COUNT_CAP)
    row.prints = min(row.prints + counts.prints, HOURLY_COUNT_CAP)
    row.ratings = min(row.ratings + counts.ratings, HOURLY_COUNT_CAP)


def _commands(session: Session, terminal_id: str, acknowledged: list[int],
              now: datetime) -> list[Command]:
    if acknowledged:
        done = session.scalars(
            select(CommandRecord).where(CommandRecord.terminal_id == terminal_id,
                                        CommandRecord.id.in_(acknowledged[:100]),
                                        CommandRecord.done_at.is_(None)))
        for command in done:
            command.done_at = now
            _event(session, terminal_id, now, "command_done",
                   f"{labels.COMMANDS.get(command.kind, command.kind)}：终端已执行")
    pending = session.scalars(
        select(CommandRecord)
        .where(CommandRecord.terminal_id == terminal_id, CommandRecord.done_at.is_(None))
        .order_by(CommandRecord.id)
        .limit(COMMANDS_PER_ANSWER)
    ).all()
    for command in pending:
        if command.delivered_at is None:
            command.delivered_at = now
    return [Command(id=c.id, kind=c.kind, text=c.text, issued_at=c.issued_at)
            for c in pending]


def sweep(session: Session, now: datetime) -> int:
    """Raise an offline alert for each terminal that has missed 3 heartbeats; tidy up.

    Returns how many terminals went offline. Safe to run from several workers at once: a
    terminal is marked offline by one conditional update, and only its winner raises the alert.
    """
    went_offline = 0
    candidates = session.scalars(
        select(TerminalRecord).where(TerminalRecord.enabled.is_(True),
                                     TerminalRecord.last_seen_at.is_not(None),
                                     TerminalRecord.offline_since.is_(None))
    ).all()
    for terminal in candidates:
        last_seen = terminal.last_seen_at
        if last_seen is None or not heartbeats_stopped(terminal, now):
            continue
        marked = session.execute(
            update(TerminalRecord)
            .where(TerminalRecord.id == terminal.id, TerminalRecord.offline_since.is_(None),
                   TerminalRecord.last_seen_at == terminal.last_seen_at)
            .values(offline_since=now)
            .execution_options(synchronize_session=False)
        )
        if rows_matched(marked) != 1:
            continue
        last = last_seen.astimezone().strftime("%m-%d %H:%M:%S")
        detail = f"连续 3 次未收到心跳（最后一次 {last}）"
        session.add(AlertRecord(terminal_id=terminal.id, kind="terminal_offline",
                                raised_at=now, detail=detail))
        _event(session, terminal.id, now, "offline", detail)
        went_offline += 1
        log.warning("terminal %s is offline: no heartbeat since %s", terminal.id, last)
    forget_old_nonces(session, now)
    session.execute(delete(ConsoleSession).where(ConsoleSession.expires_at < now))
    session.commit()
    return went_offline


def _resolve(session: Session, terminal_id: str, now: datetime, kind: str,
             family: str | None = None) -> None:
    condition = [AlertRecord.terminal_id == terminal_id, AlertRecord.kind == kind,
                 AlertRecord.resolved_at.is_(None)]
    if family is not None:
        condition.append(AlertRecord.family == family)
    session.execute(update(AlertRecord).where(*condition).values(resolved_at=now)
                    .execution_options(synchronize_session=False))


def _event(session: Session, terminal_id: str, now: datetime, kind: str, detail: str) -> None:
    session.add(TerminalEvent(terminal_id=terminal_id, at=now, kind=kind, detail=detail))


def _duration(span: timedelta) -> str:
    seconds = int(span.total_seconds())
    if seconds < 120:
        return f"{seconds} 秒"
    if seconds < 7200:
        return f"{seconds // 60} 分钟"
    return f"{seconds // 3600} 小时 {seconds % 3600 // 60} 分钟"
