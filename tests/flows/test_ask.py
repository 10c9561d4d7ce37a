"""Asking in plain words, driven by a scripted person, without Qt: search → answer → guide."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from flows.ask import (
    AnswerStep,
    AskDesk,
    OpenSearch,
    Search,
    SearchStep,
    marks,
    marks_of_words,
)
from flows.browse import browse_catalog
from flows.steps import (
    CALL_STAFF,
    CALL_STAFF_KEY,
    Choice,
    GuideStep,
    HomeStep,
    Nav,
    OpenService,
)
from kiosk.session import CitizenSession
from tests.conftest import load_seed_catalog
from tests.flows.scripted_ui import ScriptedUi, ScriptEnded


@dataclass(frozen=True)
class Hit:
    service_id: str
    name: str
    score: float
    answer: str
    matched: tuple[str, ...] = ()


@dataclass(frozen=True)
class Result:
    hits: tuple[Hit, ...]
    kind: str
    question: str


class FakeKnowledge:
    """Stands in for kiosk.knowledge until it lands: names by the characters they share."""

    def __init__(self, catalog) -> None:
        self.services = [s for s in catalog.services if s.id != "SS-099"]

    def _scored(self, query: str) -> list[tuple[float, object, tuple[str, ...]]]:
        scored = []
        for service in self.services:
            words = tuple(w for w in (service.name[i:i + 2] for i in range(len(service.name)))
                          if len(w) == 2 and w in query)
            if words:
                scored.append((len(words) / len(service.name), service, words))
        return sorted(scored, key=lambda item: -item[0])

    def ask(self, query: str, limit: int = 3) -> Result:
        scored = self._scored(query)
        hits = tuple(Hit(s.id, s.name, score, f"{s.name}：请按指南办理。", words)
                     for score, s, words in scored[:limit])
        if not hits:
            return Result((Hit("SS-099", "人工帮办", 0.0, ""),), "staff", query)
        if len(hits) > 1 and hits[1].score >= hits[0].score * 0.8:
            return Result(hits, "clarify", query)
        return Result(hits, "answer", query)

    def suggest(self, prefix: str, limit: int = 6) -> list[str]:
        return [s.name for _score, s, _words in self._scored(prefix)][:limit]


@pytest.fixture(scope="module")
def knowledge():
    return FakeKnowledge(load_seed_catalog())


@dataclass
class Status:
    online: bool = True
    updated_at: datetime = datetime(2026, 11, 23, tzinfo=UTC)


@dataclass
class Source:
    catalog: object
    status: Status


def run(ui: ScriptedUi, seed_catalog, desk: AskDesk) -> None:
    """Home → (search …): the home screen's routing as the citizen flows set it up."""
    with pytest.raises(ScriptEnded):
        asyncio.run(browse_catalog(ui, Source(seed_catalog, Status()), ask=desk))


def desk_for(knowledge, session: CitizenSession | None = None,
             hot: tuple[str, ...] = ("社保参保证明打印", "公积金提取（租房）")) -> AskDesk:
    return AskDesk(lambda: knowledge, lambda: hot, session or CitizenSession())


def render(text) -> str:
    return text if isinstance(text, str) else text.render()


def test_search_from_home_shows_hot_searches_and_nothing_recent_yet(seed_catalog, knowledge):
    ui = ScriptedUi([OpenSearch()])
    run(ui, seed_catalog, desk_for(knowledge))
    search = ui.shown[1]
    assert isinstance(search, SearchStep)
    assert search.hot == ("社保参保证明打印", "公积金提取（租房）") and search.recent == ()


def test_a_plain_question_is_answered_and_its_button_opens_the_guide(seed_catalog, knowledge):
    def open_top(step):
        return OpenService(step.choices[0].key)

    ui = ScriptedUi([OpenSearch(), Search("我要打个社保证明，买房子用"), open_top, Nav.BACK,
                     Nav.HOME])
    counted: list[str] = []
    desk = desk_for(knowledge)
    desk.chosen = counted.append
    run(ui, seed_catalog, desk)
    assert counted == ["SS-001"], "the platform hears which service was opened, not the words"
    _home, _search, answer, guide, answer_again, home_again = ui.shown
    assert isinstance(answer, AnswerStep) and answer.kind == "answer"
    assert answer.choices[0].key == "SS-001" and answer.choices[0].label == "社保参保证明打印"
    assert answer.answer, "a short answer to show and speak"
    assert isinstance(guide, GuideStep) and guide.guide.title == "社保参保证明打印"
    assert answer_again == answer, "返回 on the guide comes back to the answer"
    assert isinstance(home_again, HomeStep)


def test_a_voice_question_on_home_goes_straight_to_its_answer(seed_catalog, knowledge):
    ui = ScriptedUi([Search("我要打社保证明", spoken=True), Nav.HOME])
    run(ui, seed_catalog, desk_for(knowledge))
    answer = ui.shown[1]
    assert isinstance(answer, AnswerStep) and answer.spoken
    assert answer.choices[0].key == "SS-001"
    assert "如需办理" in render(answer.spoken_text())


def test_back_from_an_answer_keeps_the_question_in_the_box_and_in_recent(seed_catalog,
                                                                         knowledge):
    ui = ScriptedUi([OpenSearch(), Search("公积金怎么提取"), Nav.BACK, Nav.BACK, Nav.HOME])
    run(ui, seed_catalog, desk_for(knowledge))
    search_again = ui.shown[3]
    assert isinstance(search_again, SearchStep)
    assert search_again.query == "公积金怎么提取" and search_again.recent == ("公积金怎么提取",)
    assert isinstance(ui.shown[4], HomeStep), "返回 on the search screen leaves it"


def test_recent_searches_are_newest_first_without_repeats_and_go_with_the_session(
        seed_catalog, knowledge):
    session = CitizenSession()
    ui = ScriptedUi([OpenSearch(), Search("护照"), Nav.BACK, Search("社保证明"), Nav.BACK,
                     Search("护照"), Nav.BACK])
    run(ui, seed_catalog, desk_for(knowledge, session))
    assert ui.shown[-1].recent == ("护照", "社保证明")
    session.wipe()
    assert desk_for(knowledge, session).recent == ()


def test_an_unclear_question_asks_which_of_two_or_three(seed_catalog, knowledge):
    ui = ScriptedUi([OpenSearch(), Search("公积金")])
    run(ui, seed_catalog, desk_for(knowledge))
    answer = ui.shown[2]
    assert answer.kind == "clarify" and 2 <= len(answer.choices) <= 3
    assert {c.key for c in answer.choices} <= {"SS-010", "SS-011", "SS-012"}


def test_an_out_of_scope_question_goes_to_staff(seed_catalog, knowledge):
    ui = ScriptedUi([OpenSearch(), Search("今天晚饭吃什么好呢")])
    run(ui, seed_catalog, desk_for(knowledge))
    answer = ui.shown[2]
    # the one help path, by its one name: the shell answers it as the bottom bar's button
    assert answer.kind == "staff" and answer.choices == (
        Choice(CALL_STAFF_KEY, CALL_STAFF, primary=True),)


def test_an_empty_search_says_what_to_do(seed_catalog, knowledge):
    ui = ScriptedUi([OpenSearch(), Search("   ")])
    run(ui, seed_catalog, desk_for(knowledge))
    again = ui.shown[2]
    assert isinstance(again, SearchStep) and "请说出或输入" in render(again.problem)


def test_without_a_knowledge_base_search_says_so_and_browsing_still_works(seed_catalog):
    ui = ScriptedUi([OpenSearch(), Search("社保证明"), Nav.HOME])
    run(ui, seed_catalog, AskDesk(lambda: None, lambda: (), CitizenSession()))
    assert "智能问答暂不可用" in render(ui.shown[2].problem)
    assert isinstance(ui.shown[3], HomeStep)


def test_a_2000_character_question_is_cut_to_what_can_be_shown(seed_catalog, knowledge):
    ui = ScriptedUi([OpenSearch(), Search("社保证明" * 500)])
    run(ui, seed_catalog, desk_for(knowledge))
    answer = ui.shown[2]
    assert isinstance(answer, AnswerStep) and len(answer.question) == 200


def test_suggestions_mark_the_typed_words(knowledge):
    desk = desk_for(knowledge)
    suggestions = desk.suggestions("社保")
    assert suggestions, "社保 suggests services"
    for suggestion in suggestions[:3]:
        if "社保" in suggestion.text:
            start = suggestion.text.index("社保")
            assert (start, start + 2) in suggestion.marks
    assert desk.suggestions("") == ()


def test_marks_find_typed_runs_and_ignore_markup_meaning():
    assert marks("社保参保证明打印", "社保证明") == ((0, 2), (3, 6))
    assert marks("社保参保证明打印", "sbzm") == ()
    assert marks("<b>社保</b>", "<b>") == ((0, 3), (7, 9))  # characters, not markup
    assert marks("社保参保证明打印", "社保") == ((0, 2),), "no lone 保 in 参保"
    assert marks("社保卡补换卡", "卡") == ((2, 3), (5, 6))
    assert marks_of_words("我要打个社保证明", ("社保", "证明")) == ((4, 8),)
