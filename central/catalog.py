"""The catalog in the database: publish a checked seed, and read back what terminals get.

Publishing is idempotent: services are upserted on their id, and a new `CatalogRelease` is
recorded only when the content hash changes, so `published_at` stays put across restarts.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from central.contract import Catalog, Service
from central.db import CatalogRelease, ServiceRecord
from central.seed import CatalogSeed

log = logging.getLogger(__name__)


def publish(session: Session, seed: CatalogSeed, now: datetime | None = None) -> CatalogRelease:
    """Make the database serve exactly this seed; return the release now current."""
    now = now or datetime.now(UTC)
    stored = {record.id: record for record in session.scalars(select(ServiceRecord))}
    for position, service in enumerate(seed.services):
        body = service.model_dump(mode="json")
        record = stored.pop(service.id, None)
        if record is None:
            session.add(ServiceRecord(id=service.id, position=position, theme=service.theme,
                                      name=service.name, body=body, updated_at=now))
        elif (record.body, record.position) != (body, position):
            record.position, record.theme, record.name = position, service.theme, service.name
            record.body, record.updated_at = body, now
    # the seed file is the source of truth: a service removed from it is withdrawn
    for withdrawn in stored.values():
        session.delete(withdrawn)

    release = current_release(session)
    version = seed.version
    if release is None or release.version != version:
        release = CatalogRelease(version=version, published_at=now, themes=seed.themes)
        session.add(release)
        log.info("catalog version %s published (%d services)", version, len(seed.services))
    session.commit()
    return release


def current_release(session: Session) -> CatalogRelease | None:
    return session.scalars(
        select(CatalogRelease).order_by(CatalogRelease.id.desc()).limit(1)
    ).first()


def load_catalog(session: Session, release: CatalogRelease) -> Catalog:
    bodies = session.scalars(select(ServiceRecord.body).order_by(ServiceRecord.position))
    return Catalog(
        version=release.version,
        published_at=release.published_at,
        themes=release.themes,
        services=[Service.model_validate(body) for body in bodies],
    )
