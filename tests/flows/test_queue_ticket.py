"""取号: a group, a priority if any (70+ from the ID card, or declared), the ticket shown large
and printed; the queue away sends the person to the service desk."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

import pytest

from central.contract.queue import PriorityReason, QueueGroup, Ticket
from flows.citizen import serve_citizen
from flows.identity import PERSON, Person
from flows.queue_ticket import (
    AGE,
    DISABILITY,
    QUEUE_DOWN,
    REGULAR,
    OpenQueue,
    QueueChoiceStep,
    QueueTicketStep,
    take_queue_ticket,
)
from flows.steps import Choose, HomeStep, IdentityStep, MessageStep, Nav, Reply
from kiosk.identity import from_id_card
from tests.flows.kiosk_harness import CARDS, NOW, Kiosk, unreachable
from tests.flows.scripted_ui import ScriptedUi, ScriptEnded, Wait

GROUPS = [QueueGroup(group_id="A", name="社保医保", window_area="一楼 A 区 1-4 号窗口",
                     waiting=3),
          QueueGroup(group_id="B", name="户籍证照", window_area="一楼 B 区 5-8 号窗口",
                     waiting=0)]


@dataclass
class FakeQueue:
    """The queue as the platform answers it: people ahead as it counts them."""

    down: bool = False
    taken: list[tuple[str, PriorityReason | None]] = field(default_factory=list)

    async def groups(self) -> list[QueueGroup]:
        if self.down:
            raise unreachable()
        return GROUPS

    async def take_ticket(self, group_id: str, priority: PriorityReason | None,
                          idempotency_key: str) -> Ticket:
        self.taken.append((group_id, priority))
        group = next(g for g in GROUPS if g.group_id == group_id)
        ahead = 0 if priority else group.waiting
        return Ticket(number=f"{group_id}{'P' if priority else ''}001", group_id=group_id,
                      group_name=group.name, window_area=group.window_area, priority=priority,
                      verify_at_window=priority in ("pregnant", "disability"),
                      people_ahead=ahead, wait_minutes=ahead * 6,
                      taken_at=datetime(2026, 11, 23, 2, tzinfo=UTC), token="t" * 32,
                      follow_url="https://platform.example/queue/ticket/" + "t" * 32)

    async def ticket(self, token: str) -> Ticket | None:
        return None


class Nonsense(Reply):
    """An answer no screen of this flow gives."""


@pytest.fixture
def kiosk(seed_catalog) -> Kiosk:
    return Kiosk(ScriptedUi([]), seed_catalog)


def run(kiosk: Kiosk, queue: FakeQueue):
    return kiosk.run(lambda ctx: take_queue_ticket(replace(ctx, queue=queue)))


def render(text) -> str:
    return text if isinstance(text, str) else text.render()


def test_a_regular_ticket_shown_large_and_printed(kiosk) -> None:
    queue = FakeQueue()
    kiosk.ui.script = [Choose("A"), Choose(REGULAR), Choose("done")]
    assert run(kiosk, queue) is None
    assert queue.taken == [("A", None)]
    groups, _priority = kiosk.ui.of_type(QueueChoiceStep)
    assert [render(t.label) for t in groups.tiles] == [
        "社保医保\n一楼 A 区 1-4 号窗口 · 等候 3 人", "户籍证照\n一楼 B 区 5-8 号窗口 · 等候 0 人"]
    (shown,) = kiosk.ui.of_type(QueueTicketStep)
    assert (shown.number, shown.people_ahead, shown.window_area) == ("A001", 3,
                                                                     "一楼 A 区 1-4 号窗口")
    assert shown.printed and shown.priority is None
    slip = kiosk.receipt_printer.last_text()
    for words in ("排队号 A001", "一楼 A 区 1-4 号窗口", "3 人", "约 18 分钟",
                  NOW.strftime("%Y-%m-%d %H:%M")):
        assert words in slip
    assert kiosk.receipt_printer.receipts[-1].qr.payload.endswith("/queue/ticket/" + "t" * 32)
    assert kiosk.counts == ["prints", "services"]


def test_a_verified_person_of_70_or_more_gets_priority_without_being_asked(kiosk) -> None:
    elder = CARDS["elder"]  # born 1950
    kiosk.session.keep(PERSON, Person(from_id_card(elder, NOW), None, None, 2, "李*英"))
    queue = FakeQueue()
    kiosk.ui.script = [Choose("B"), Choose("done")]
    run(kiosk, queue)
    assert queue.taken == [("B", "age_70")]
    assert len(kiosk.ui.of_type(QueueChoiceStep)) == 1, "no priority question"
    (shown,) = kiosk.ui.of_type(QueueTicketStep)
    assert shown.number == "BP001" and render(shown.priority) == "70 岁以上"
    assert "优先号：70 岁以上" in kiosk.receipt_printer.last_text()


def test_the_id_card_of_a_person_over_70_placed_for_the_ticket(kiosk) -> None:
    queue = FakeQueue()
    kiosk.ui.script = [Choose("A"), Choose(AGE),
                       Wait(lambda step: kiosk.id_reader.insert(CARDS["elder"])),
                       Choose("done")]
    assert render(run(kiosk, queue)) == "请取走您的证件。"
    assert queue.taken == [("A", "age_70")]
    assert kiosk.ui.of_type(IdentityStep)[0].methods == ("id_card",)
    assert kiosk.session.get(PERSON) is None, "the card's data is kept nowhere"


def test_a_card_under_70_offers_a_regular_ticket(kiosk) -> None:
    queue = FakeQueue()
    kiosk.ui.script = [Choose("A"), Choose(AGE),
                       Wait(lambda step: kiosk.id_reader.insert(CARDS["resident"])),
                       Choose(REGULAR), Choose("done")]
    run(kiosk, queue)
    assert queue.taken == [("A", None)]
    assert render(kiosk.ui.of_type(MessageStep)[0].title) == "未满 70 周岁"


def test_declared_priority_without_identity_is_verified_at_the_window(kiosk) -> None:
    queue = FakeQueue()
    kiosk.ui.script = [Choose("A"), Choose(DISABILITY), Choose("done")]
    run(kiosk, queue)
    assert queue.taken == [("A", "disability")]
    (shown,) = kiosk.ui.of_type(QueueTicketStep)
    assert render(shown.priority) == "残疾人（需窗口核验）"
    assert "需窗口核验" in kiosk.receipt_printer.last_text()


def test_the_queue_away_sends_the_person_to_the_service_desk(kiosk) -> None:
    queue = FakeQueue(down=True)
    kiosk.ui.script = [Choose("home")]
    run(kiosk, queue)
    (told,) = kiosk.ui.of_type(MessageStep)
    assert told.lines == (QUEUE_DOWN,)
    assert render(QUEUE_DOWN) == "排队系统暂时无法连接，请到服务台取号。"
    assert queue.taken == [] and not kiosk.ui.of_type(QueueChoiceStep)


def test_no_queue_configured_says_the_same(kiosk) -> None:
    kiosk.ui.script = [Choose("home")]
    kiosk.run(take_queue_ticket)
    assert kiosk.ui.of_type(MessageStep)[0].lines == (QUEUE_DOWN,)


def test_nonsense_answers_ask_again(kiosk) -> None:
    queue = FakeQueue()
    kiosk.ui.script = [Nonsense(), Choose("Z"), Choose("A"), Nonsense(), Choose("nope"),
                       Choose(REGULAR), Choose("done")]
    run(kiosk, queue)
    assert queue.taken == [("A", None)]
    assert len(kiosk.ui.of_type(QueueChoiceStep)) == 6


def test_back_from_the_priority_question_chooses_the_group_again(kiosk) -> None:
    queue = FakeQueue()
    kiosk.ui.script = [Choose("A"), Nav.BACK, Choose("B"), Choose(REGULAR), Choose("done")]
    run(kiosk, queue)
    assert queue.taken == [("B", None)]


def test_home_takes_no_ticket(kiosk) -> None:
    queue = FakeQueue()
    kiosk.ui.script = [Choose("A"), Nav.HOME]
    run(kiosk, queue)
    assert queue.taken == [] and not kiosk.ui.of_type(QueueTicketStep)


def test_a_slip_that_did_not_print_leaves_the_number_on_screen(kiosk) -> None:
    kiosk.receipt_printer.run_out_of_paper()
    queue = FakeQueue()
    kiosk.ui.script = [Choose("A"), Choose(REGULAR), Choose("done")]
    run(kiosk, queue)
    (shown,) = kiosk.ui.of_type(QueueTicketStep)
    assert not shown.printed
    assert render(shown.print_problem) == "打印机没纸了，排队小票没有打印好。"
    assert shown.follow_url.endswith("/queue/ticket/" + "t" * 32)
    assert kiosk.counts == ["services"]


def test_home_offers_the_ticket_only_with_a_queue(kiosk) -> None:
    queue = FakeQueue()
    kiosk.ui.script = [OpenQueue(), Choose("A"), Choose(REGULAR), Choose("done")]
    with pytest.raises(ScriptEnded):
        kiosk.run(lambda ctx: serve_citizen(replace(ctx, queue=queue)))
    assert queue.taken == [("A", None)]
    first, after = kiosk.ui.of_type(HomeStep)
    assert first.queue and after.queue
    kiosk.ui = ScriptedUi([])
    with pytest.raises(ScriptEnded):
        kiosk.run(serve_citizen)
    assert not kiosk.ui.of_type(HomeStep)[0].queue
