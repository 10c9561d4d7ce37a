"""Okapi BM25 over weighted features, with an inverted index so a question touches only the
documents sharing a feature with it. Postings are numpy arrays: at 5,000 entries a question
adds up tens of thousands of postings, which in a Python loop alone would take ~5 ms."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt


class BM25:
    def __init__(self, documents: Sequence[Mapping[str, float]], k1: float = 1.2,
                 b: float = 0.75) -> None:
        self.size = len(documents)
        lengths = [sum(doc.values()) for doc in documents]
        average = (sum(lengths) / self.size) if self.size else 1.0
        postings: dict[str, tuple[list[int], list[float]]] = defaultdict(lambda: ([], []))
        for n, doc in enumerate(documents):
            norm = k1 * (1 - b + b * lengths[n] / (average or 1.0))
            for feature, tf in doc.items():
                ids, parts = postings[feature]
                ids.append(n)
                parts.append(tf * (k1 + 1) / (tf + norm))  # the document's side, done once
        self._postings = {
            feature: (np.array(ids, dtype=np.int32),
                      np.array(parts, dtype=np.float64) * self.idf_of(len(ids)))
            for feature, (ids, parts) in postings.items()
        }
        self._idf = {f: self.idf_of(len(ids)) for f, (ids, _parts) in postings.items()}

    def idf_of(self, document_frequency: int) -> float:
        n = self.size
        return math.log(1 + (n - document_frequency + 0.5) / (document_frequency + 0.5))

    def idf(self, feature: str) -> float:
        """A feature no document has is as telling as the rarest: the question is about
        something else."""
        return self._idf.get(feature, self.idf_of(0))

    def scores(self, query: Mapping[str, float]) -> npt.NDArray[np.float64]:
        """Every document's score, 0 for those sharing nothing with the query."""
        found = np.zeros(self.size)
        for feature, weight in query.items():
            posting = self._postings.get(feature)
            if posting is not None:
                ids, parts = posting
                found[ids] += weight * parts  # a document appears once in a posting list
        return found
