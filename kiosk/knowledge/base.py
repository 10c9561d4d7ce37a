"""The knowledge base: a question in plain words in, the services it most likely means out.

Every matchable text (a service's name, official name and aliases, an FAQ question and its
keywords) is a small document; the features are pinyin (see `phonetic`), so what sounds right
matches. A service scores with BM25 twice — over all its texts together, which rewards a
question touching several of them, and over its best single text, which rewards a question
that is one of them nearly word for word — and the two are added.

Whether to answer is decided by how much of the question the best service explains (the share
of the question's BM25 weight it matches) and by how far it leads the next: a confident
answer, a clarifying question with two or three choices, or 人工帮办 (SS-099). Never a
confident wrong answer: a question mostly about something the knowledge base does not know
goes to staff.

A question typed in Latin letters is pinyin: full (shebao) or initials (sbzm), matched against
the names and aliases, with typos forgiven (rapidfuzz).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from rapidfuzz import fuzz, process

from central.contract import Catalog, KnowledgeEntry
from common.i18n import QT_TR_NOOP
from kiosk.knowledge import phonetic
from kiosk.knowledge.bm25 import BM25
from kiosk.knowledge.normalize import canonical, clean

STAFF_SERVICE = "SS-099"

# the confidence rule (bench/ask.py measured it; see bench/README.md)
UNIT_WEIGHT = 0.5  # the best single text against all texts together
# an FAQ question is a whole sentence, with words incidental to its service (每个月交房租 of
# 公积金提取); in a service's bag it counts less than the names, aliases and keywords
FAQ_QUESTION_WEIGHT = 0.7
ANSWER_COVERAGE = 0.5  # share of the question the best service must explain to be answered
ANSWER_LEAD = 1.6  # and by how much its score must lead the next service's
# A question about something the knowledge base does not know matches a little of many
# services by chance: one word (银行 of 银行卡), or a homophone (唱首 of 长寿). It goes to
# staff when the best service matched less than STAFF_EVIDENCE of telling weight (bigrams and
# words by their idf; about one rare word), or less than STAFF_WEAK_EVIDENCE while explaining
# less than STAFF_COVERAGE of the question. Single syllables alone (婚 of 离婚 in 结婚) are
# never evidence. A question mostly explained (社保) is never sent to staff: it is broad, so
# ask which one. Otherwise a weak lead is a clarifying question, not staff: the citizen is
# better served choosing among three likely services than queueing for a person.
STAFF_LEAD = 2.0
CLEAR_COVERAGE = 0.5  # a question at least half explained is broad, not unknown
STAFF_EVIDENCE = 3.5
STAFF_WEAK_EVIDENCE = 4.5
STAFF_COVERAGE = 0.35
PINYIN_CUTOFF = 75  # rapidfuzz score (0-100) for a pinyin spelling to count as a match

_LATIN = re.compile(r"^[a-z ]+$")
# the answer until the platform's knowledge has arrived (the catalog alone); like the
# platform's answers it is data in Chinese, spoken as it is
_CATALOG_ONLY_ANSWER = QT_TR_NOOP("您要办的可能是“{name}”，点击进入。")


@dataclass(frozen=True)
class Hit:
    service_id: str
    name: str  # the service's display name
    score: float  # 0..1, higher is better
    answer: str  # one or two short sentences to show and speak
    matched: tuple[str, ...] = ()  # substrings of the question that matched, for highlighting


@dataclass(frozen=True)
class AskResult:
    hits: tuple[Hit, ...]  # best first (top 3 shown)
    # answer: hits[0] is confident; clarify: ask which of hits[:3]; staff: hits[0] is SS-099
    kind: Literal["answer", "clarify", "staff"]
    question: str  # the question as understood: markup stripped, half-width, simplified


@dataclass(frozen=True)
class _Text:
    """One matchable text of a service; `answer` is the FAQ's when the text is its question."""

    service_id: str
    text: str
    answer: str | None = None


@dataclass(frozen=True)
class _Spelling:
    """A name or alias as pinyin, for Latin-letter questions and suggestions."""

    display: str
    service_id: str
    written: str  # as matched: lower case, numbers in digits
    initials: str
    full: str
    rank: int  # 0 a service's name, 1 an alias or keyword: names are suggested first


class KnowledgeBase:
    def __init__(self, names: dict[str, str], answers: dict[str, str],
                 texts: Sequence[_Text]) -> None:
        self._names = names  # service id -> display name, in catalog order
        self._answers = answers  # service id -> what the kiosk does for it
        phonetic.add_words(t.text for t in texts)
        self._texts = list(texts)
        text_features = [phonetic.features(canonical(clean(t.text, limit=None)))
                         for t in self._texts]
        self._service_ids = list(names)
        # per service, the weight of each feature over all its texts
        bags: dict[str, dict[str, float]] = {sid: {} for sid in self._service_ids}
        for text, found in zip(self._texts, text_features, strict=True):
            weight = FAQ_QUESTION_WEIGHT if text.answer is not None else 1.0
            bag = bags[text.service_id]
            for f, w in found.items():
                bag[f] = bag.get(f, 0.0) + w * weight
        self._bags = [bags[sid] for sid in self._service_ids]
        self._position = {sid: n for n, sid in enumerate(self._service_ids)}
        self._text_service = np.array([self._position[t.service_id] for t in self._texts],
                                      dtype=np.int32)
        # single syllables only count towards a service as a whole: in thousands of short
        # texts they are everywhere and cost more time than they tell
        self._by_text = BM25([{f: w for f, w in found.items() if not f.startswith("u:")}
                              for found in text_features])
        self._by_service = BM25(self._bags)
        self._spellings = _spellings(names, self._texts)
        self._initials = [s.initials for s in self._spellings]
        self._fulls = [s.full for s in self._spellings]

    @classmethod
    def from_catalog(cls, catalog: Catalog,
                     faq: Iterable[KnowledgeEntry] = ()) -> KnowledgeBase:
        """The catalog's names, official names and aliases, plus the FAQ's questions and
        keywords. A catalog-derived entry from the platform gives the service's answer."""
        names = {s.id: s.name for s in catalog.services}
        answers = {s.id: _CATALOG_ONLY_ANSWER.format(name=s.name) for s in catalog.services}
        texts: list[_Text] = []
        for service in catalog.services:
            for text in dict.fromkeys([service.name, service.official_name, *service.aliases]):
                texts.append(_Text(service.id, text))
        for entry in faq:
            if entry.service_id not in names:
                continue  # the platform withdrew the service since this entry was written
            if entry.source == "catalog":
                answers[entry.service_id] = entry.answer
                continue  # its words are the catalog's, already indexed above
            texts.append(_Text(entry.service_id, entry.question, entry.answer))
            texts += [_Text(entry.service_id, k) for k in entry.keywords]
        return cls(names, answers, texts)

    # -- asking --------------------------------------------------------------------------

    def ask(self, query: str, limit: int = 3) -> AskResult:
        question = clean(query)
        matchable = canonical(question)
        if _LATIN.match(matchable) and len(matchable.replace(" ", "")) >= 2:
            return self._ask_in_pinyin(question, matchable.replace(" ", ""), limit)
        said = phonetic.words(matchable)
        found = phonetic.features_of(said)
        ranked = self._rank(found) if found else []
        if not ranked:
            return self._to_staff(question, [])
        best_id, best_score, _text = ranked[0]
        coverage, evidence = self._explained(best_id, found)
        lead = best_score / ranked[1][1] if len(ranked) > 1 else 2 * ANSWER_LEAD
        confidence = min(1.0, coverage * min(1.0, lead / ANSWER_LEAD))
        hits = [self._hit(sid, confidence * score / best_score, text, said, question)
                for sid, score, text in ranked[:limit]]
        # less than about one telling word matched (or a little more, of a question mostly
        # about something else): the knowledge base does not know what this is about
        vague = evidence < STAFF_EVIDENCE or (evidence < STAFF_WEAK_EVIDENCE
                                              and coverage < STAFF_COVERAGE)
        # "那个什么…就是那个东西": the person cannot name it, and no service stands out
        groping = lead < STAFF_LEAD and phonetic.hedges(said)
        if coverage < CLEAR_COVERAGE and (vague or groping):
            return self._to_staff(question, hits)
        if best_id == STAFF_SERVICE or (coverage >= ANSWER_COVERAGE and lead >= ANSWER_LEAD):
            kind: Literal["answer", "clarify"] = "answer"
        else:
            kind = "clarify"
        return AskResult(tuple(hits), kind, question)

    def _rank(self, found: dict[str, float]) -> list[tuple[str, float, _Text | None]]:
        """Services by score, best first, each with its best-matching text."""
        scores = self._by_service.scores(found)
        by_text = self._by_text.scores(found)
        matched = np.flatnonzero(by_text)
        best_text: dict[int, int] = {}  # service position -> text position
        if matched.size:
            # per service its best text: sort by (service, -score), keep each service's first
            order = matched[np.lexsort((-by_text[matched], self._text_service[matched]))]
            services, first = np.unique(self._text_service[order], return_index=True)
            np.add.at(scores, services, UNIT_WEIGHT * by_text[order[first]])
            best_text = dict(zip(services.tolist(), order[first].tolist(), strict=True))
        ranked = np.flatnonzero(scores > 0)
        ranked = ranked[np.argsort(-scores[ranked], kind="stable")]
        return [(self._service_ids[n], float(scores[n]),
                 self._texts[best_text[n]] if n in best_text else None) for n in ranked]

    def _explained(self, service_id: str, found: dict[str, float]) -> tuple[float, float]:
        """How much of the question the service explains: the share of its weight, and the
        weight of the telling features (bigrams and words, not single syllables) matched."""
        bag = self._bags[self._position[service_id]]
        idf = self._by_service.idf
        total = sum(w * idf(f) for f, w in found.items())
        matched = [(f, w) for f, w in found.items() if f in bag]
        share = sum(w * idf(f) for f, w in matched) / total
        telling = sum(w * idf(f) for f, w in matched if not f.startswith("u:"))
        return share, telling

    def _hit(self, service_id: str, score: float, text: _Text | None,
             said: list[phonetic.Word], question: str) -> Hit:
        answer = (text.answer if text is not None and text.answer else None) or \
            self._answers[service_id]
        bag = self._bags[self._position[service_id]]
        matched = tuple(dict.fromkeys(
            word.text for word in said
            # only what can be found in the question as shown (not 80 for 八十)
            if not word.stop and word.text in question
            and phonetic.word_features(word.sounds) & bag.keys()))
        return Hit(service_id, self._names[service_id], round(max(0.0, min(1.0, score)), 3),
                   answer, matched)

    def _to_staff(self, question: str, guesses: list[Hit]) -> AskResult:
        if STAFF_SERVICE not in self._names:
            return AskResult(tuple(guesses), "staff", question)
        staff = Hit(STAFF_SERVICE, self._names[STAFF_SERVICE], 1.0,
                    self._answers[STAFF_SERVICE])
        others = [h for h in guesses if h.service_id != STAFF_SERVICE]
        return AskResult((staff, *others[:2]), "staff", question)

    def _ask_in_pinyin(self, question: str, letters: str, limit: int) -> AskResult:
        best: dict[str, tuple[float, str]] = {}
        for spelling, score in self._spelled(letters):
            if score > best.get(spelling.service_id, (0.0, ""))[0]:
                best[spelling.service_id] = (score, spelling.display)
        ranked = sorted(best.items(), key=lambda item: -item[1][0])[:limit]
        if not ranked:
            return self._to_staff(question, [])
        hits = [Hit(sid, self._names[sid], round(score, 3), self._answers[sid], (question,))
                for sid, (score, _display) in ranked]
        lead = len(ranked) == 1 or ranked[0][1][0] > ranked[1][1][0]
        kind: Literal["answer", "clarify"] = "answer" if hits[0].score >= 0.9 and lead \
            else "clarify"
        return AskResult(tuple(hits), kind, question)

    def _spelled(self, letters: str) -> list[tuple[_Spelling, float]]:
        """Names and aliases spelled by `letters`: initials or full pinyin, whole or begun,
        or close to it; score 0..1."""
        found: list[tuple[_Spelling, float]] = []
        for spelling in self._spellings:
            if letters in (spelling.initials, spelling.full):
                found.append((spelling, 1.0))
            elif spelling.initials.startswith(letters) or spelling.full.startswith(letters):
                found.append((spelling, 0.8 * len(letters) / len(spelling.full
                              if spelling.full.startswith(letters) else spelling.initials)))
        if not found and len(letters) >= 4:  # a typo in a spelling: shebaozhengmign
            for _full, score, n in process.extract(letters, self._fulls, scorer=fuzz.ratio,
                                                   limit=5, score_cutoff=PINYIN_CUTOFF):
                found.append((self._spellings[n], 0.85 * score / 100))
        return found

    # -- typing and speaking -------------------------------------------------------------

    def suggest(self, prefix: str, limit: int = 6) -> list[str]:
        """Names and aliases to offer while typing: those beginning with `prefix` (or
        sounding like it, or spelled by it in pinyin), then those containing it."""
        typed = canonical(clean(prefix))
        if not typed:
            return []
        letters = typed.replace(" ", "")
        if _LATIN.match(typed):
            matches = [s for s, _score in sorted(self._spelled(letters),
                                                 key=lambda m: (-m[1], m[0].rank))]
        else:
            sounds = "".join(phonetic.syllables(typed))
            begins = [s for s in self._spellings
                      if s.written.startswith(typed) or (sounds and s.full.startswith(sounds))]
            contains = [s for s in self._spellings if typed in s.written]
            matches = sorted(begins, key=lambda s: s.rank) + contains
        return list(dict.fromkeys(s.display for s in matches))[:limit]

    def phrases(self) -> list[str]:
        """Every name, alias and FAQ question without punctuation: the phrase list for a
        recogniser in limited-vocabulary mode (vosk)."""
        found = [*self._names.values(), *(t.text for t in self._texts)]
        cleaned = (re.sub(r"[^\w]+", " ", clean(p, limit=None)).strip() for p in found)
        return list(dict.fromkeys(p for p in cleaned if p))


def _spellings(names: dict[str, str], texts: Sequence[_Text]) -> list[_Spelling]:
    shown: list[_Spelling] = []
    seen: set[str] = set()
    candidates = [(sid, name, 0) for sid, name in names.items()]
    candidates += [(t.service_id, t.text, 1) for t in texts if t.answer is None]
    for service_id, display, rank in candidates:
        if display in seen or len(display) > 16:
            continue  # long official names are not something anyone types
        seen.add(display)
        matchable = canonical(clean(display, limit=None))
        shown.append(_Spelling(display, service_id, matchable, phonetic.initials(matchable),
                               "".join(phonetic.syllables(matchable)), rank))
    return shown
