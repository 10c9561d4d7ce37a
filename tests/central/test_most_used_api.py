"""GET /api/v1/services/most-used: a hall's most used services (applications accepted and
certificates issued by its terminals over the last 90 days), on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from central.app import KnownTerminal
from central.contract import MostUsedServices
from tests.central.citizen import verified_application
from tests.central.conftest import TEST_TERMINAL, SignAsTerminal
from tests.central.helpers import Clock
from tests.central.test_certificates_api import issue_to_zhang_san

MOST_USED = "/api/v1/services/most-used"
OTHER_HALL = KnownTerminal("TEST-0002", "另一个大厅", "other-terminal-key-0123456789abcd")
DAY_S = 24 * 3600


@pytest.fixture
def halls(make_app: Callable[..., FastAPI], database_url: str, clock: Clock,
          ) -> Iterator[tuple[TestClient, TestClient]]:
    """Two terminals of one platform on `clock`, each in its own hall."""
    app = make_app(database_url, clock=clock, terminals=[TEST_TERMINAL, OTHER_HALL])
    with TestClient(app) as ours, TestClient(app) as theirs:
        ours.auth = SignAsTerminal(clock=clock)
        theirs.auth = SignAsTerminal(OTHER_HALL, clock=clock)
        yield ours, theirs


def most_used(client: TestClient, **params: int) -> MostUsedServices:
    response = client.get(MOST_USED, params=params)
    assert response.status_code == 200, response.text
    return MostUsedServices.model_validate_json(response.content)


def counts(answer: MostUsedServices) -> list[tuple[str, int]]:
    return [(use.service_id, use.uses) for use in answer.services]


Halls = tuple[TestClient, TestClient]


def test_a_hall_gets_its_own_applications_and_certificates_most_used_first(
        halls: Halls, clock: Clock) -> None:
    ours, theirs = halls
    assert counts(most_used(ours)) == []
    verified_application(ours)
    verified_application(ours)
    issue_to_zhang_san(ours)
    for _ in range(3):  # another hall's use is not ours
        issue_to_zhang_san(theirs)
    answer = most_used(ours)
    assert answer.days == 90
    assert counts(answer) == [("SS-015", 2), ("SS-001", 1)]
    assert counts(most_used(theirs)) == [("SS-001", 3)]
    assert counts(most_used(ours, limit=1)) == [("SS-015", 2)]
    clock.advance(91 * DAY_S)  # a season later, nothing of it counts
    assert counts(most_used(ours)) == []


@pytest.mark.parametrize("limit", [0, 13])
def test_the_list_is_bounded(halls: Halls, limit: int) -> None:
    ours, _ = halls
    assert ours.get(MOST_USED, params={"limit": limit}).status_code == 422


def test_unsigned_requests_are_refused(halls: Halls) -> None:
    ours, _ = halls
    response = ours.get(MOST_USED, auth=None)
    assert response.status_code == 401
    assert response.json()["code"]
