"""Plain words: official terms replaced by the words an older person uses, on screen and aloud.

容缺 → 可以以后补交, 高拍仪 → 拍照台, 在办 → 正在办理, 人工帮办 → 呼叫工作人员 … The list is data
(`plain_words.toml` beside this module, one table per term) so a hall can add its own; the
shell applies it in one place to every text it shows and every sentence it speaks, whether
the text came from the code, the catalogue or the platform, so no screen needs its own wording.

Why: MIIT's 《互联网网站适老化通用设计规范》 (2021) asks for content older people can take in
without specialist knowledge, and WCAG 2.x SC 3.1.3 (Unusual Words) and 3.1.5 (Reading Level)
ask that jargon be explained or replaced; a term an older person does not know stops them at
the kiosk as surely as small type.

A term may be marked `standalone` (replaced only where it is not part of a longer run of
Chinese characters: the status word 在办 but not 现在办理) or `elder_only` (standard mode keeps
the official word). Replacement is one pass, longest term first, so a plain word is never
replaced again; `Glossary` refuses a plain word that contains a term.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

GLOSSARY_FILE = Path(__file__).with_name("plain_words.toml")
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_MARKUP = re.compile(r"(<[^>]*>)")  # tags of rich text: never changed


@dataclass(frozen=True)
class PlainWord:
    official: str
    plain: str
    standalone: bool = False
    elder_only: bool = False

    def pattern(self) -> str:
        term = re.escape(self.official)
        return f"(?<![{_CJK}]){term}(?![{_CJK}])" if self.standalone else term


class Glossary:
    """The terms and their plain words; `plain(text, elder=...)` says a text in plain words."""

    def __init__(self, words: Iterable[PlainWord]) -> None:
        # longest first; at one length the standalone form is tried before the general one
        self.words = tuple(sorted(words, key=lambda w: (-len(w.official), not w.standalone)))
        for word in self.words:
            if not word.official or not word.plain:
                raise ValueError(f"a plain word needs both words: {word}")
        self._everywhere = self._compile([w for w in self.words if not w.elder_only])
        self._elder = self._compile(list(self.words))
        for word in self.words:
            if self.plain(word.plain, elder=True) != word.plain:
                raise ValueError(f"the plain word {word.plain!r} for {word.official!r} "
                                 "contains an official term: it would be replaced again")

    @staticmethod
    def _compile(words: list[PlainWord]) -> tuple[re.Pattern[str] | None, tuple[str, ...]]:
        if not words:
            return None, ()
        pattern = "|".join(f"({word.pattern()})" for word in words)
        return re.compile(pattern), tuple(word.plain for word in words)

    def plain(self, text: str, *, elder: bool) -> str:
        """`text` with each official term replaced by its plain word (elder-only terms too
        when `elder`)."""
        pattern, plains = self._elder if elder else self._everywhere
        if pattern is None or not text:
            return text
        return pattern.sub(lambda match: plains[(match.lastindex or 1) - 1], text)

    def plain_markup(self, markup: str, *, elder: bool) -> str:
        """The same for rich text: only the text between tags changes."""
        return "".join(part if _MARKUP.fullmatch(part) else self.plain(part, elder=elder)
                       for part in _MARKUP.split(markup))


def load(path: Path = GLOSSARY_FILE) -> Glossary:
    """The glossary in `path` (TOML, a `[[term]]` table per term)."""
    with path.open("rb") as file:
        data = tomllib.load(file)
    return Glossary(PlainWord(official=str(entry["official"]), plain=str(entry["plain"]),
                              standalone=bool(entry.get("standalone", False)),
                              elder_only=bool(entry.get("elder_only", False)))
                    for entry in data.get("term", []))


@cache
def glossary() -> Glossary:
    """The kiosk's glossary (`plain_words.toml`), read once."""
    return load()
