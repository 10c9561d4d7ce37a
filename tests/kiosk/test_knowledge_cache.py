"""The knowledge snapshots kept for answering offline (offline_cache.knowledge_snapshot)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from central.contract import KnowledgeEntry, KnowledgeSnapshot
from offline_cache.knowledge_snapshot import KnowledgeSnapshots

MORNING = datetime(2026, 11, 3, 1, 30, tzinfo=UTC)


def snapshot(version: str, question: str = "交电费") -> KnowledgeSnapshot:
    entry = KnowledgeEntry(question=question, answer="本机可以缴纳电费。", service_id="SS-033")
    return KnowledgeSnapshot(version=version, catalog_version="c1", entries=[entry])


def test_the_newest_snapshot_is_served_and_only_the_last_few_kept(tmp_path: Path) -> None:
    store = KnowledgeSnapshots(tmp_path / "k.db", keep=2)
    assert store.latest() is None
    for n, version in enumerate(["v1", "v2", "v3"]):
        store.save(snapshot(version), f'"{version}"', MORNING + timedelta(hours=n))
    latest = store.latest()
    assert latest is not None
    assert (latest.snapshot.version, latest.etag) == ("v3", '"v3"')
    assert latest.snapshot.entries[0].question == "交电费"
    with sqlite3.connect(tmp_path / "k.db") as conn:
        assert conn.execute("SELECT count(*) FROM knowledge_snapshot").fetchone() == (2,)


def test_a_confirmation_moves_the_time_of_the_newest(tmp_path: Path) -> None:
    store = KnowledgeSnapshots(tmp_path / "k.db")
    store.save(snapshot("v1"), None, MORNING)
    store.confirm("v1", MORNING + timedelta(hours=3))
    latest = store.latest()
    assert latest is not None and latest.fetched_at == MORNING + timedelta(hours=3)
    with pytest.raises(ValueError):
        store.confirm("v1", datetime(2026, 11, 3))  # a time without a zone


def test_an_unreadable_row_gives_way_to_an_older_one(tmp_path: Path) -> None:
    store = KnowledgeSnapshots(tmp_path / "k.db")
    store.save(snapshot("v1"), None, MORNING)
    store.save(snapshot("v2"), None, MORNING)
    with sqlite3.connect(tmp_path / "k.db") as conn:
        conn.execute("UPDATE knowledge_snapshot SET snapshot_json = '{\"entries\": 3}'"
                     " WHERE version = 'v2'")
    latest = store.latest()
    assert latest is not None and latest.snapshot.version == "v1"


def test_a_damaged_file_is_moved_aside_and_the_store_starts_afresh(tmp_path: Path) -> None:
    path = tmp_path / "k.db"
    path.write_bytes(b"this is not a database" * 100)
    store = KnowledgeSnapshots(path)
    assert store.latest() is None
    store.save(snapshot("v1"), None, MORNING)
    latest = store.latest()
    assert latest is not None and latest.snapshot.version == "v1"
    assert [p.name.split(".corrupt-")[0] for p in tmp_path.glob("k.db.corrupt-*")] == ["k.db"]
