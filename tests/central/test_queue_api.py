"""取号 on the reference platform: numbers per group per day, priority tickets first, people
ahead counted by the priority rules, the public status page, hostile requests refused."""

from __future__ import annotations

from central import queue
from central.contract import HEADER_IDEMPOTENCY_KEY
from central.contract.queue import QueueGroups, Ticket
from tests.central.citizen import JSON, new_key
from tests.central.conftest import TEST_TERMINAL

TICKETS = "/api/v1/queue/tickets"


def take(client, group: str = "A", priority: str | None = None, key: str | None = None):
    body = {"group_id": group, "priority": priority}
    return client.post(TICKETS, json=body,
                       headers={**JSON, HEADER_IDEMPOTENCY_KEY: key or new_key()})


def ticket(client, group: str = "A", priority: str | None = None) -> Ticket:
    answer = take(client, group, priority)
    assert answer.status_code == 201, answer.text
    return Ticket.model_validate(answer.json())


def status(client, token: str) -> Ticket:
    answer = client.get(f"{TICKETS}/{token}")
    assert answer.status_code == 200, answer.text
    return Ticket.model_validate(answer.json())


def call_next(client, group: str = "A") -> str | None:
    app = client.app
    with app.state.sessions() as session:
        record = queue.call_next(session, TEST_TERMINAL.hall, group, app.state.clock())
        session.commit()
        return record.number if record else None


def test_the_hall_s_groups_with_their_window_areas(clocked_client) -> None:
    ticket(clocked_client, "B")
    groups = QueueGroups.model_validate(clocked_client.get("/api/v1/queue/groups").json())
    by_id = {g.group_id: g for g in groups.groups}
    assert set(by_id) == {"A", "B", "C"}
    assert by_id["A"].window_area == "一楼 A 区 1-4 号窗口"
    assert (by_id["A"].waiting, by_id["B"].waiting) == (0, 1)


def test_numbers_run_per_group_and_priority_tickets_have_their_own(clocked_client) -> None:
    numbers = [ticket(clocked_client, g, p).number for g, p in
               [("A", None), ("A", None), ("B", None), ("A", "age_70"), ("A", "pregnant")]]
    assert numbers == ["A001", "A002", "B001", "AP001", "AP002"]


def test_people_ahead_follow_the_priority_rules(clocked_client) -> None:
    first, second = ticket(clocked_client), ticket(clocked_client)
    assert (first.people_ahead, second.people_ahead) == (0, 1)
    elder = ticket(clocked_client, priority="age_70")
    assert elder.people_ahead == 0  # served before every regular ticket
    assert elder.verify_at_window is False  # the ID card said so
    assert status(clocked_client, second.token).people_ahead == 2
    later = ticket(clocked_client)
    assert later.people_ahead == 3
    assert later.wait_minutes == 3 * queue.DEMO_GROUPS[0].minutes_per_person
    declared = ticket(clocked_client, priority="disability")
    assert (declared.people_ahead, declared.verify_at_window) == (1, True)


def test_priority_tickets_are_called_first_then_in_order(clocked_client) -> None:
    ticket(clocked_client)
    ticket(clocked_client)
    ticket(clocked_client, priority="pregnant")
    assert [call_next(clocked_client) for _ in range(4)] == ["AP001", "A001", "A002", None]


def test_a_called_ticket_moves_the_others_up(clocked_client) -> None:
    first, second = ticket(clocked_client), ticket(clocked_client)
    call_next(clocked_client)
    assert status(clocked_client, first.token).state == "called"
    assert status(clocked_client, second.token).people_ahead == 0


def test_numbers_start_again_the_next_day(clocked_client, clock) -> None:
    ticket(clocked_client)
    old = ticket(clocked_client)
    clock.advance(24 * 3600)
    new = ticket(clocked_client)
    assert (new.number, new.people_ahead) == ("A001", 0)
    assert old.number == "A002"


def test_a_repeated_key_gets_the_same_ticket(clocked_client) -> None:
    key = new_key()
    first = take(clocked_client, key=key)
    again = take(clocked_client, key=key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["number"] == again.json()["number"]
    assert take(clocked_client, "B", key=key).status_code == 409


def test_the_public_page_shows_the_ticket_without_signing(clocked_client) -> None:
    taken = ticket(clocked_client, priority="pregnant")
    assert taken.follow_url.endswith(f"/queue/ticket/{taken.token}")
    page = clocked_client.get(f"/queue/ticket/{taken.token}", auth=None)
    assert page.status_code == 200
    assert "AP001" in page.text and "一楼 A 区 1-4 号窗口" in page.text
    assert "需窗口核验" in page.text
    assert page.headers["Content-Security-Policy"].startswith("default-src 'none'")
    unknown = clocked_client.get("/queue/ticket/" + "x" * 32, auth=None)
    assert unknown.status_code == 404


def test_hostile_requests_are_refused(clocked_client) -> None:
    assert take(clocked_client, "Z").status_code == 422  # no such group in the hall
    assert take(clocked_client, "<b>").status_code == 422
    assert take(clocked_client, "A", "vip").status_code == 422
    assert take(clocked_client, "A" * 5000).status_code == 422
    no_key = clocked_client.post(TICKETS, json={"group_id": "A"}, headers=JSON)
    assert no_key.status_code == 400
    unsigned = clocked_client.post(TICKETS, json={"group_id": "A"}, auth=None,
                                   headers={**JSON, HEADER_IDEMPOTENCY_KEY: new_key()})
    assert unsigned.status_code == 401
    assert clocked_client.get(f"{TICKETS}/not-a-token!").status_code == 422
    assert clocked_client.get(f"{TICKETS}/{'y' * 32}").status_code == 404
