"""POST /api/v1/evaluations: 好差评 stored once per Idempotency-Key, tied to the application
rated by its acceptance number or by the terminal's local number."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from central.contract import HEADER_IDEMPOTENCY_KEY, EvaluationAccepted, EvaluationSubmission
from central.db import ApplicationRecord, EvaluationRecord
from tests.central.citizen import (
    EVALUATIONS,
    JSON,
    apply,
    good_face,
    id_card,
    new_key,
    submission,
    verified_application,
)


def rating(**changes) -> EvaluationSubmission:
    values = {"service_id": "SS-015", "level": 5, "rated_at": datetime.now(UTC)}
    values.update(changes)
    return EvaluationSubmission(**values)


def post(client, body: EvaluationSubmission | bytes, key: str | None):
    content = body if isinstance(body, bytes) else body.model_dump_json().encode()
    headers = dict(JSON)
    if key is not None:
        headers[HEADER_IDEMPOTENCY_KEY] = key
    return client.post(EVALUATIONS, content=content, headers=headers)


def stored(client) -> list[EvaluationRecord]:
    with client.app.state.sessions() as session:
        return list(session.scalars(select(EvaluationRecord)))


def application_id(client, number: str) -> int:
    with client.app.state.sessions() as session:
        return session.scalars(select(ApplicationRecord.id).where(
            ApplicationRecord.number == number)).one()


def test_a_rating_of_an_application_is_stored_with_it(client) -> None:
    accepted = verified_application(client)
    response = post(client, rating(acceptance_number=accepted.acceptance_number, level=2,
                                   reasons=["等待时间长"], comment="排队太久"), new_key())
    assert response.status_code == 201, response.text
    answer = EvaluationAccepted.model_validate_json(response.content)
    [record] = stored(client)
    assert record.id == answer.evaluation_id
    assert (record.level, record.reasons, record.comment) == (2, ["等待时间长"], "排队太久")
    assert (record.service_id, record.terminal_id) == ("SS-015", "TEST-0001")
    assert record.application_id == application_id(client, accepted.acceptance_number)


def test_a_rating_of_an_application_queued_offline_finds_it_by_local_number(client) -> None:
    queued = submission(evidence=id_card(), face=good_face())
    accepted = apply(client, queued)
    assert post(client, rating(local_number=queued.local_number), new_key()).status_code == 201
    [record] = stored(client)
    assert record.application_id == application_id(client, accepted.acceptance_number)


def test_a_rating_without_an_application_is_kept(client) -> None:
    assert post(client, rating(service_id="SS-090", level=4), new_key()).status_code == 201
    assert post(client, rating(local_number="L-not-arrived"), new_key()).status_code == 201
    records = stored(client)
    assert [r.application_id for r in records] == [None, None]
    assert records[1].local_number == "L-not-arrived"


def test_the_same_key_twice_is_one_rating(client) -> None:
    key, body = new_key(), rating(level=3)
    first, again = post(client, body, key), post(client, body, key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    assert len(stored(client)) == 1
    conflict = post(client, rating(level=1, reasons=["态度差"]), key)
    assert conflict.status_code == 409 and conflict.json()["code"] == "IDEMPOTENCY_KEY_REUSED"


def test_bad_ratings_are_refused_with_an_error_body(client) -> None:
    out_of_range = post(client, b'{"service_id": "SS-015", "level": 6, '
                                b'"rated_at": "2026-11-23T10:00:00Z"}', new_key())
    assert out_of_range.status_code == 422 and out_of_range.json()["code"] == "VALIDATION_FAILED"
    unknown = post(client, rating(service_id="SS-999"), new_key())
    assert unknown.status_code == 422 and unknown.json()["code"] == "SERVICE_UNKNOWN"
    assert post(client, rating(), None).status_code == 400
    unsigned = client.post(EVALUATIONS, content=rating().model_dump_json(),
                           headers={**JSON, HEADER_IDEMPOTENCY_KEY: new_key()}, auth=None)
    assert unsigned.status_code == 401
    assert stored(client) == []


def test_the_console_overview_shows_the_days_ratings_by_level_per_hall(client) -> None:
    from tests.central.helpers import console, make_user

    for level in (5, 5, 4, 1):
        assert post(client, rating(level=level, reasons=["态度差"] if level == 1 else []),
                    new_key()).status_code == 201
    make_user(client.app, "admin")
    make_user(client.app, "west", role="hall-manager", hall="另一大厅")
    with console(client.app, "admin") as admin:
        assert admin.get("/console/api/stats").json()["satisfaction"] == {
            "非常满意": 2, "满意": 1, "基本满意": 0, "不满意": 0, "非常不满意": 1}
        page = admin.get("/console/").text
        assert "非常满意 <b>2</b>" in page and "非常不满意 <b>1</b>" in page
    with console(client.app, "west") as west:
        assert set(west.get("/console/api/stats").json()["satisfaction"].values()) == {0}
