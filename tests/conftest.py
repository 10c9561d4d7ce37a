"""Shared test fixtures: the seed catalog, as the platform would serve it."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from central.contract import Catalog, Service

SEED = Path(__file__).resolve().parent.parent / "central" / "seed_data" / "services.json"


def load_seed_catalog() -> Catalog:
    raw = json.loads(SEED.read_text(encoding="utf-8"))
    services = [Service.model_validate(s) for s in raw["services"]]
    themes = list(dict.fromkeys(s.theme for s in services))
    return Catalog(version="test", published_at=datetime(2026, 11, 1, tzinfo=UTC),
                   themes=themes, services=services)


@pytest.fixture
def seed_catalog() -> Catalog:
    return load_seed_catalog()
