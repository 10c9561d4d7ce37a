"""Asking in plain words: the knowledge base and its retrieval. Pure Python, no Qt.

    kb = KnowledgeBase.from_catalog(catalog, snapshot.entries)   # a second or two: off the loop
    result = kb.ask("帮我打一下社宝参保证明")    # AskResult: hits, kind, question
    kb.suggest("sb")                           # ["社保证明", …] while typing
    kb.phrases()                               # the phrase list for vosk's limited vocabulary

`normalize` makes text one written form (half-width, simplified, markup stripped, numbers in
digits); `phonetic` turns it into pinyin features (jieba words, stop words and synonyms by
sound); `bm25` scores; `base` ranks services and decides between answer, clarify and staff;
`source` keeps the index fresh from the platform and answers offline from the last snapshot.

How its choices were made, and what each was measured to give: bench/README.md, section
"ask.py — tuning the knowledge base".
"""

from __future__ import annotations

from kiosk.knowledge.base import STAFF_SERVICE, AskResult, Hit, KnowledgeBase

__all__ = ["STAFF_SERVICE", "AskResult", "Hit", "KnowledgeBase"]
