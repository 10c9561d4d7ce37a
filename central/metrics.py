"""GET /metrics: the fleet in Prometheus text format (exposition format 0.0.4).

Gauges are read from the database on each scrape (a hall has tens of terminals, a city a few
thousand: one pass over the terminal rows), counters from the hourly activity totals. When the
platform is started with a metrics token, a scrape must send it as `Authorization: Bearer`.
"""

from __future__ import annotations

import hmac
import threading
from collections import Counter
from collections.abc import Iterable

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy import func, select

from central.db import AlertRecord, HourlyActivity, TerminalRecord
from central.deps import NowDep, PlatformDep, SessionDep
from central.errors import Refused
from central.terminals import status_of

router = APIRouter(include_in_schema=False)

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _sample(name: str, value: float, **labels: str) -> str:
    number = float(value)
    text = str(int(number)) if number.is_integer() else repr(number)
    if labels:
        inner = ",".join(f'{key}="{_escape(str(v))}"' for key, v in labels.items())
        return f"{name}{{{inner}}} {text}"
    return f"{name} {text}"


def _family(name: str, kind: str, help_text: str, samples: Iterable[str]) -> list[str]:
    return [f"# HELP {name} {help_text}", f"# TYPE {name} {kind}", *samples]


async def _scraper(request: Request, platform: PlatformDep) -> None:
    """The scrape sends the platform's metrics token, when it has one (401 otherwise)."""
    token = platform.metrics_token
    if token:
        sent = request.headers.get("authorization", "")
        if not hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
            raise Refused(401, "a metrics token is required")


@router.get("/metrics", dependencies=[Depends(_scraper)])
def metrics(session: SessionDep, platform: PlatformDep, now: NowDep) -> Response:
    terminals = session.scalars(select(TerminalRecord)).all()
    alerts = session.execute(
        select(AlertRecord.kind, TerminalRecord.hall, func.count())
        .join(TerminalRecord, TerminalRecord.id == AlertRecord.terminal_id)
        .where(AlertRecord.resolved_at.is_(None))
        .group_by(AlertRecord.kind, TerminalRecord.hall)).all()
    activity = session.execute(
        select(HourlyActivity.terminal_id, func.sum(HourlyActivity.sessions),
               func.sum(HourlyActivity.services), func.sum(HourlyActivity.prints),
               func.sum(HourlyActivity.ratings))
        .group_by(HourlyActivity.terminal_id)).all()
    halls = {t.id: t.hall for t in terminals}
    statuses = Counter((t.hall, status_of(t, now)) for t in terminals)
    lines: list[str] = []
    lines += _family("kiosk_terminals", "gauge", "Registered terminals by hall and status.",
                     (_sample("kiosk_terminals", n, hall=hall, status=status)
                      for (hall, status), n in sorted(statuses.items())))
    lines += _family("kiosk_terminal_up", "gauge",
                     "1 while the terminal's heartbeats arrive, 0 after 3 missed.",
                     (_sample("kiosk_terminal_up", status_of(t, now) in ("online", "degraded"),
                              terminal=t.id, hall=t.hall) for t in terminals))
    lines += _family("kiosk_terminal_last_heartbeat_timestamp_seconds", "gauge",
                     "Unix time of the last heartbeat received.",
                     (_sample("kiosk_terminal_last_heartbeat_timestamp_seconds",
                              t.last_seen_at.timestamp(), terminal=t.id, hall=t.hall)
                      for t in terminals if t.last_seen_at))
    lines += _family("kiosk_terminal_maintenance", "gauge",
                     "1 while a manager has put the terminal in maintenance.",
                     (_sample("kiosk_terminal_maintenance", t.maintenance, terminal=t.id,
                              hall=t.hall) for t in terminals))
    lines += _family("kiosk_terminal_outbox_backlog", "gauge",
                     "Writes waiting on the terminal to be sent to the platform.",
                     (_sample("kiosk_terminal_outbox_backlog", t.outbox_backlog, terminal=t.id,
                              hall=t.hall) for t in terminals if t.last_seen_at))
    lines += _family("kiosk_device_ok", "gauge",
                     "1 when the device reports ok; the code says what is wrong otherwise.",
                     (_sample("kiosk_device_ok", health.get("state") == "ok", terminal=t.id,
                              hall=t.hall, family=family, state=health.get("state", ""),
                              code=health.get("code", ""))
                      for t in terminals for family, health in sorted((t.devices or {}).items())))
    lines += _family("kiosk_alerts_open", "gauge", "Alerts not yet resolved, by kind and hall.",
                     (_sample("kiosk_alerts_open", n, kind=kind, hall=hall)
                      for kind, hall, n in sorted(alerts)))
    kinds = ("sessions", "services", "prints", "ratings")
    lines += _family("kiosk_activity_total", "counter",
                     "People served, services, prints and ratings reported by terminals.",
                     (_sample("kiosk_activity_total", int(values[n] or 0), terminal=tid,
                              hall=halls.get(tid, ""), kind=kind)
                      for tid, *values in sorted(activity) for n, kind in enumerate(kinds)))
    lines += _family("kiosk_heartbeats_received_total", "counter",
                     "Heartbeats accepted by this platform process since it started.",
                     [_sample("kiosk_heartbeats_received_total",
                              platform.heartbeats_received.value)])
    return Response("\n".join(lines) + "\n", media_type=CONTENT_TYPE)


class ProcessCounter:
    """A counter shared by the request threads of one process."""

    def __init__(self) -> None:
        self.value = 0
        self._lock = threading.Lock()

    def add(self, n: int = 1) -> None:
        with self._lock:
            self.value += n
