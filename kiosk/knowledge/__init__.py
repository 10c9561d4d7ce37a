"""Asking in plain words: the knowledge base and its retrieval (issue 8). Pure Python, no Qt.

Figures: see `base` and bench/ask.py.
"""

from __future__ import annotations

from kiosk.knowledge.base import STAFF_SERVICE, AskResult, Hit, KnowledgeBase

__all__ = ["STAFF_SERVICE", "AskResult", "Hit", "KnowledgeBase"]
