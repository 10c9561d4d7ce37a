"""How much each service is used in a hall: applications accepted and certificates issued by
the hall's terminals over the last days, for 长辈模式's home (`flows.elder_home`).

Only counts per service id leave: no applicant, no terminal, no time. The window and the list
are bounded (`WINDOW_DAYS`, `MOST`), and both counts are two grouped queries over indexed time
columns, so a terminal asking at each refresh costs little.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from central.contract import ServiceUse
from central.db import ApplicationRecord, CertificateRecord, TerminalRecord

WINDOW_DAYS = 90  # a season: long enough to count, short enough to follow a change
MOST = 12  # the longest list a terminal may ask for


def most_used(session: Session, hall: str, now: datetime, limit: int,
              days: int = WINDOW_DAYS) -> list[ServiceUse]:
    """The hall's most used services, most used first (ties by service id), at most `limit`."""
    since = now - timedelta(days=days)
    uses: Counter[str] = Counter()
    applications = (
        select(ApplicationRecord.service_id, func.count())
        .join(TerminalRecord, TerminalRecord.id == ApplicationRecord.terminal_id)
        .where(TerminalRecord.hall == hall, ApplicationRecord.accepted_at >= since)
        .group_by(ApplicationRecord.service_id))
    certificates = (
        select(CertificateRecord.service_id, func.count())
        .where(CertificateRecord.hall == hall, CertificateRecord.issued_at >= since)
        .group_by(CertificateRecord.service_id))
    for query in (applications, certificates):
        for service_id, count in session.execute(query).all():
            uses[service_id] += count
    ranked = sorted(uses.items(), key=lambda item: (-item[1], item[0]))
    return [ServiceUse(service_id=service_id, uses=count)
            for service_id, count in ranked[:min(limit, MOST)]]
