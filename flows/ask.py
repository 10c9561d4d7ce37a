"""Ask in plain words: search → answer → the service's guide (GB/T 40756 §9.8.5.3 交互对话).

The person types on the on-screen keyboard or speaks; the knowledge base
(`kiosk.knowledge.KnowledgeBase`) answers with its best hits and how sure it is: a confident
answer with one button that opens the service, a clarifying question with two or three
choices, or the 人工帮办 path (SS-099) — never a confident wrong answer. Opening a service
goes to its guide through the caller (`open_service`), so 返回 on the guide comes back to the
answer and every later flow starts from the guide as it does when browsing.

This session's searches are kept in the citizen session and wiped with it; the query text is
never logged.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

from common.i18n import Text, tr
from flows.steps import CALL_STAFF, CALL_STAFF_KEY, Choice, Nav, OpenService, Reply, Step, Ui
from kiosk.session import CitizenSession

STAFF_SERVICE = "SS-099"  # 人工帮办: where what the kiosk cannot answer goes
RECENT_KEY = "recent_searches"
RECENT_KEPT = 6
HOT_SHOWN = 8
SUGGESTIONS_SHOWN = 6
LONGEST_QUERY = 200  # what a person can mean in one question; the rest is not searched


# -- what the flow needs of the knowledge base (kiosk.knowledge provides it) ------------------

# read-only members: the knowledge base's results are frozen, and a flow only reads them
class HitView(Protocol):
    @property
    def service_id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def score(self) -> float: ...
    @property
    def answer(self) -> str: ...
    @property
    def matched(self) -> tuple[str, ...]: ...


class AskResultView(Protocol):
    @property
    def hits(self) -> Sequence[HitView]: ...
    @property
    def kind(self) -> Literal["answer", "clarify", "staff"]: ...
    @property
    def question(self) -> str: ...


class Knowledge(Protocol):
    def ask(self, query: str, limit: int = 3) -> AskResultView: ...

    def suggest(self, prefix: str, limit: int = 6) -> list[str]: ...


@dataclass
class AskDesk:
    """What one person's questions are answered from: the knowledge base (None until it has
    loaded), the platform's hot searches, and the session that keeps their recent searches."""

    knowledge: Callable[[], Knowledge | None]
    hot: Callable[[], Sequence[str]]
    session: CitizenSession
    # the platform counts which service was opened after asking (hot searches); no query text
    chosen: Callable[[str], None] = lambda service_id: None

    @property
    def recent(self) -> tuple[str, ...]:
        kept = self.session.get(RECENT_KEY)
        return tuple(kept) if isinstance(kept, list) else ()

    def remember(self, query: str) -> None:
        recent = [query, *(q for q in self.recent if q != query)][:RECENT_KEPT]
        self.session.keep(RECENT_KEY, recent)

    def suggestions(self, typed: str) -> tuple[Suggestion, ...]:
        knowledge = self.knowledge()
        typed = typed.strip()[:LONGEST_QUERY]
        if knowledge is None or not typed:
            return ()
        return tuple(Suggestion(text, marks(text, typed))
                     for text in knowledge.suggest(typed, SUGGESTIONS_SHOWN))


# -- steps and answers -------------------------------------------------------------------------

Span = tuple[int, int]  # [start, end) of characters to highlight


@dataclass(frozen=True)
class Suggestion:
    text: str
    marks: tuple[Span, ...]  # the parts of `text` the person typed


@dataclass(frozen=True)
class SearchStep(Step):
    """The search box with the on-screen keyboard, hot searches and this session's searches."""

    query: str  # what is in the box when the screen opens
    hot: tuple[str, ...]
    recent: tuple[str, ...]
    # suggestions while typing; asked by the screen on every change, so not a flow round trip
    suggest: Callable[[str], tuple[Suggestion, ...]] = field(
        default=lambda typed: (), compare=False, repr=False)
    problem: Text | None = None


@dataclass(frozen=True)
class AnswerStep(Step):
    question: str  # as typed or heard; shown as text, never as markup
    marks: tuple[Span, ...]  # the words of the question that were understood
    kind: Literal["answer", "clarify", "staff"]
    heading: Text
    answer: str  # the short answer to show and speak ("" when choosing or for staff)
    choices: tuple[Choice, ...]  # key = service id
    spoken: bool = False  # asked by voice

    def spoken_text(self) -> Text:
        """What is read aloud on arrival (in every mode: the person asked)."""
        names = "、".join(c.label for c in self.choices if isinstance(c.label, str))
        if self.kind == "answer":
            return tr("{answer} 如需办理，请点击“{name}”。", answer=self.answer, name=names)
        if self.kind == "clarify":
            return tr("您想办理的是哪一项？{names}。", names=names)
        return tr("这个问题请工作人员为您解答。请点“{staff}”。", staff=CALL_STAFF)


@dataclass(frozen=True)
class OpenSearch(Reply):
    """The search entry on home was tapped."""


@dataclass(frozen=True)
class Search(Reply):
    """A question: typed, a suggestion, a hot or recent search tapped, or spoken."""

    query: str
    spoken: bool = False


# -- the flow ----------------------------------------------------------------------------------

async def ask_questions(ui: Ui, desk: AskDesk, open_service: Callable[[str], Awaitable[Nav]],
                        first: Search | None = None) -> Nav:
    """Search and answers until the person goes home or back out of the search screen.

    `open_service` shows a service's guide (and whatever starts from it) and says how the
    person left it: 返回 comes back to the answer, 首页 ends the asking.
    """
    typed = first.query if first else ""
    question = first
    problem: Text | None = None
    while True:
        if question is None:
            reply = await ui.ask(search_step(desk, typed, problem))
            problem = None
            if isinstance(reply, Nav):
                return reply
            if isinstance(reply, OpenService):
                if await open_service(reply.service_id) is Nav.HOME:
                    return Nav.HOME
                continue
            if not isinstance(reply, Search):
                continue
            question = reply
        typed = question.query
        knowledge = desk.knowledge()
        if not question.query.strip():
            problem, question = tr("请说出或输入您要办理的事项。"), None
            continue
        if knowledge is None:
            problem, question = tr("智能问答暂不可用，请按主题查找或呼叫工作人员。"), None
            continue
        desk.remember(question.query.strip()[:LONGEST_QUERY])
        step = answer_step(knowledge.ask(question.query[:LONGEST_QUERY]), question)
        question = None
        while True:
            reply = await ui.ask(step)
            if isinstance(reply, OpenService):
                desk.chosen(reply.service_id)
                if await open_service(reply.service_id) is Nav.HOME:
                    return Nav.HOME
                continue  # back from the guide: the answer again
            if reply is Nav.HOME:
                return Nav.HOME
            if isinstance(reply, Search):
                question = reply  # asked again (by voice) on the answer screen
            break  # 返回: the search screen with the question still in the box


def search_step(desk: AskDesk, typed: str = "", problem: Text | None = None) -> SearchStep:
    return SearchStep(query=typed, hot=tuple(desk.hot())[:HOT_SHOWN], recent=desk.recent,
                      suggest=desk.suggestions, problem=problem)


def answer_step(result: AskResultView, question: Search) -> AnswerStep:
    asked = question.query.strip()[:LONGEST_QUERY]
    hits = list(result.hits)
    matched = tuple(word for hit in hits[:1] for word in hit.matched)
    shown = marks_of_words(asked, matched)
    if result.kind == "answer" and hits:
        top = hits[0]
        return AnswerStep(asked, shown, "answer", tr("为您找到以下事项"), top.answer,
                          (Choice(top.service_id, top.name, primary=True),),
                          question.spoken)
    if result.kind == "clarify" and len(hits) >= 2:
        return AnswerStep(asked, shown, "clarify", tr("您想办理的是哪一项？"), "",
                          tuple(Choice(hit.service_id, hit.name) for hit in hits[:3]),
                          question.spoken)
    return AnswerStep(asked, (), "staff", tr("这个问题需要工作人员为您解答"), "",
                      (Choice(CALL_STAFF_KEY, CALL_STAFF, primary=True),), question.spoken)


# -- highlighting ------------------------------------------------------------------------------

def marks(text: str, typed: str) -> tuple[Span, ...]:
    """The runs of `text` that appear in what was typed (case-insensitive), longest first at
    each position, for highlighting suggestions; a lone character counts only when that is all
    that was typed. Pinyin typed as letters marks nothing."""
    haystack = typed.lower()
    lowered = text.lower()
    shortest = min(2, len(haystack.strip())) or 1
    spans: list[Span] = []
    position = 0
    while position < len(text):
        size = 0
        while (position + size < len(text)
               and lowered[position : position + size + 1] in haystack):
            size += 1
        if size >= shortest and not lowered[position : position + size].isspace():
            _add(spans, (position, position + size))
            position += size
        else:
            position += 1
    return tuple(spans)


def marks_of_words(text: str, words: Sequence[str]) -> tuple[Span, ...]:
    """Every occurrence of each word in `text`, merged where they touch."""
    spans: list[tuple[int, int]] = []
    for word in words:
        if not word:
            continue
        start = text.find(word)
        while start >= 0:
            spans.append((start, start + len(word)))
            start = text.find(word, start + 1)
    merged: list[Span] = []
    for span in sorted(spans):
        _add(merged, span)
    return tuple(merged)


def _add(spans: list[Span], span: Span) -> None:
    if spans and span[0] <= spans[-1][1]:
        spans[-1] = (spans[-1][0], max(spans[-1][1], span[1]))
    else:
        spans.append(span)
