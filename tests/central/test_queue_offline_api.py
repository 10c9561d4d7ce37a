"""取号 while the platform is away: leases of numbers per terminal that the platform's own
numbering skips, offline tickets reconciled into the day's queue in the order they were taken,
the status page before and after, and a terminal that sends numbers not its own refused."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from central import queue
from central.app import KnownTerminal
from central.contract import HEADER_IDEMPOTENCY_KEY
from central.contract.queue import LEASE_SIZE, QueueLease, QueueLeases, Ticket
from tests.central.citizen import JSON, new_key
from tests.central.conftest import TEST_TERMINAL, SignAsTerminal
from tests.central.test_queue_api import call_next, status, ticket

LEASES = "/api/v1/queue/leases"
OFFLINE = "/api/v1/queue/offline-tickets"
# a second kiosk of the same hall
NEIGHBOUR = KnownTerminal("TEST-0002", TEST_TERMINAL.hall, "neighbour-terminal-key-0123456789")


@pytest.fixture
def two_kiosks(make_app, database_url, clock) -> Iterator[tuple[TestClient, TestClient]]:
    app = make_app(database_url, clock=clock, terminals=[TEST_TERMINAL, NEIGHBOUR])
    with TestClient(app) as first, TestClient(app) as second:
        first.auth = SignAsTerminal(clock=clock)
        second.auth = SignAsTerminal(NEIGHBOUR, clock=clock)
        yield first, second


def today(clock) -> str:
    return queue.hall_day(clock()).isoformat()


def leases_of(client, day: str) -> QueueLeases:
    answer = client.post(LEASES, json={"day": day}, headers=JSON)
    assert answer.status_code == 200, answer.text
    return QueueLeases.model_validate(answer.json())


def lease(leases: QueueLeases, group: str = "A", priority: bool = False) -> QueueLease:
    return next(x for x in leases.leases if (x.group_id, x.priority) == (group, priority))


def offline_body(held: QueueLease, sequence: int, at: datetime,
                 priority: str | None = None, **changes: object) -> dict[str, object]:
    mark = "P" if held.priority else ""
    body: dict[str, object] = {
        "day": held.day.isoformat(), "group_id": held.group_id, "priority": priority,
        "number": f"{held.group_id}{mark}{sequence:03d}",
        "token": f"{held.token_prefix}-{secrets.token_urlsafe(18)}",
        "taken_at": at.isoformat()}
    return {**body, **changes}


def send(client, body: dict[str, object], key: str | None = None):
    return client.post(OFFLINE, json=body,
                       headers={**JSON, HEADER_IDEMPOTENCY_KEY: key or new_key()})


def test_two_kiosks_hold_blocks_that_never_overlap_and_the_platform_skips(two_kiosks,
                                                                          clock) -> None:
    first, second = two_kiosks
    mine, theirs = leases_of(first, today(clock)), leases_of(second, today(clock))
    assert len(mine.leases) == 6  # three groups, regular and priority
    a, b = lease(mine), lease(theirs)
    assert (a.first, a.last) == (501, 500 + LEASE_SIZE)
    assert (b.first, b.last) == (501 + LEASE_SIZE, 500 + 2 * LEASE_SIZE)
    assert mine.follow_base.endswith("/queue/ticket/")
    assert {g.group_id for g in mine.groups} == {"A", "B", "C"}
    # asking again grants nothing more while the blocks are unused
    assert leases_of(first, today(clock)) == mine
    # tomorrow's too: a kiosk starting with the platform away still has numbers
    tomorrow = (queue.hall_day(clock()) + timedelta(days=1)).isoformat()
    assert lease(leases_of(first, tomorrow)).day.isoformat() == tomorrow
    far = (queue.hall_day(clock()) + timedelta(days=5)).isoformat()
    assert first.post(LEASES, json={"day": far}, headers=JSON).status_code == 422


def test_the_platform_s_own_numbers_jump_over_leased_blocks(clocked_client, clock) -> None:
    with clocked_client.app.state.sessions() as session:
        for n in range(1, 500):  # a busy morning: 499 numbers given
            session.add(queue._new_record(
                session, TEST_TERMINAL.hall, queue.DEMO_GROUPS[0],
                queue.TicketRequest(group_id="A"), "X", f"k{n}", clock()))
            session.flush()
        session.commit()
    held = lease(leases_of(clocked_client, today(clock)))
    assert held.first == 501
    assert [ticket(clocked_client).number for _ in range(2)] == ["A500", f"A{held.last + 1}"]


def test_an_offline_ticket_joins_the_queue_where_it_was_taken(clocked_client, clock) -> None:
    held = lease(leases_of(clocked_client, today(clock)))
    taken_offline_at = clock()
    clock.advance(600)
    later = ticket(clocked_client)  # taken online ten minutes after the offline one
    body = offline_body(held, held.first, taken_offline_at)
    page = clocked_client.get(f"/queue/ticket/{body['token']}", auth=None)
    assert page.status_code == 200 and "尚未收到" in page.text  # the QR before it arrived
    answer = send(clocked_client, body)
    assert answer.status_code == 201, answer.text
    got = Ticket.model_validate(answer.json())
    assert (got.number, got.people_ahead, got.issued_offline) == ("A501", 0, True)
    assert got.token == body["token"] and got.follow_url.endswith(str(body["token"]))
    assert status(clocked_client, later.token).people_ahead == 1  # the offline one is ahead
    assert [call_next(clocked_client), call_next(clocked_client)] == ["A501", later.number]
    page = clocked_client.get(f"/queue/ticket/{body['token']}", auth=None)
    assert page.status_code == 200 and "A501" in page.text and "离线" in page.text


def test_a_repeat_is_the_same_ticket_and_a_reused_key_or_number_is_refused(clocked_client,
                                                                          clock) -> None:
    held = lease(leases_of(clocked_client, today(clock)))
    body, key = offline_body(held, held.first, clock()), new_key()
    first, again = send(clocked_client, body, key), send(clocked_client, body, key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["number"] == again.json()["number"]
    assert send(clocked_client, offline_body(held, held.first + 1, clock()), key).status_code == 409
    # the same number under another key: taken already
    twin = send(clocked_client, offline_body(held, held.first, clock()))
    assert (twin.status_code, twin.json()["code"]) == (422, "QUEUE_NUMBER_TAKEN")


def test_numbers_not_of_the_terminal_s_own_leases_are_refused(two_kiosks, clock) -> None:
    first, second = two_kiosks
    mine = lease(leases_of(first, today(clock)))
    theirs = lease(leases_of(second, today(clock)))
    priority = lease(leases_of(first, today(clock)), priority=True)
    now = clock()
    hostile = [
        offline_body(theirs, theirs.first, now),  # the neighbour's block and prefix
        offline_body(mine, theirs.first, now),  # my prefix, the neighbour's number
        offline_body(mine, 1, now),  # a number of the platform's own
        offline_body(mine, mine.last + 1, now),  # past my block
        offline_body(mine, mine.first, now, number=f"A0{mine.first}"),  # the same, padded
        offline_body(mine, mine.first, now, group_id="B"),  # another group's
        offline_body(priority, priority.first, now),  # priority numbers for a regular ticket
        offline_body(mine, mine.first, now, priority="age_70"),  # and the other way round
        offline_body(mine, mine.first, now, token="x" * 12 + "-" + "y" * 24),  # unknown lease
    ]
    for body in hostile:
        answer = send(first, body)
        assert answer.status_code == 422, body
    for malformed in (offline_body(mine, mine.first, now, number="A" * 500),
                      offline_body(mine, mine.first, now, token="short"),
                      offline_body(mine, mine.first, now, taken_at="2026-12-07T10:00:00")):
        assert send(first, malformed).status_code == 422
    unsigned = first.post(OFFLINE, json=offline_body(mine, mine.first, now), auth=None,
                          headers={**JSON, HEADER_IDEMPOTENCY_KEY: new_key()})
    assert unsigned.status_code == 401
    assert status_of_queue(first) == 0  # nothing of it reached the queue


def status_of_queue(client) -> int:
    groups = client.get("/api/v1/queue/groups").json()["groups"]
    return sum(g["waiting"] for g in groups)


def test_a_ticket_of_a_day_gone_by_is_history_not_waiting(clocked_client, clock) -> None:
    held = lease(leases_of(clocked_client, today(clock)))
    taken_at = clock()
    clock.advance(24 * 3600)  # the kiosk comes back the next day
    answer = send(clocked_client, offline_body(held, held.first, taken_at))
    assert answer.status_code == 201, answer.text
    got = Ticket.model_validate(answer.json())
    assert (got.state, got.people_ahead) == ("gone", 0)
    assert status_of_queue(clocked_client) == 0


def test_a_time_from_the_kiosk_s_clock_stays_inside_its_day(clocked_client, clock) -> None:
    held = lease(leases_of(clocked_client, today(clock)))
    online = ticket(clocked_client)
    future = send(clocked_client, offline_body(held, held.first, clock() + timedelta(days=3)))
    got = Ticket.model_validate(future.json())
    assert got.taken_at == clock()  # never after it arrived: behind the ticket taken online
    assert got.people_ahead == 1 and status(clocked_client, online.token).people_ahead == 0


def test_another_block_once_half_of_the_last_came_back(clocked_client, clock) -> None:
    held = lease(leases_of(clocked_client, today(clock)))
    for n in range(LEASE_SIZE // 2):
        assert send(clocked_client, offline_body(held, held.first + n, clock())).status_code == 201
    blocks = [x for x in leases_of(clocked_client, today(clock)).leases
              if (x.group_id, x.priority) == ("A", False)]
    assert [(x.first, x.last) for x in blocks] == [
        (held.first, held.last), (held.last + 1, held.last + LEASE_SIZE)]
