"""The catalog snapshot store: what the kiosk can serve after a restart without the platform."""

from __future__ import annotations

import logging
import sqlite3
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from central.contract import Catalog
from offline_cache.catalog_snapshot import CatalogSnapshots

FETCHED = datetime(2026, 11, 3, 8, 30, tzinfo=UTC)


def _version(catalog: Catalog, version: str) -> Catalog:
    return catalog.model_copy(update={"version": version})


def _rows(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [v for (v,) in conn.execute("SELECT version FROM catalog_snapshot ORDER BY id")]


def test_a_saved_catalog_comes_back_whole(tmp_path: Path, seed_catalog: Catalog) -> None:
    store = CatalogSnapshots(tmp_path / "cache.db")
    assert store.latest() is None
    store.save(seed_catalog, '"test"', FETCHED)

    # a new store object, as after a restart
    stored = CatalogSnapshots(tmp_path / "cache.db").latest()
    assert stored is not None
    assert stored.snapshot == seed_catalog
    assert stored.snapshot.service("SS-001") is not None
    assert stored.etag == '"test"'
    assert stored.fetched_at == FETCHED


def test_the_store_runs_in_wal_mode(tmp_path: Path) -> None:
    CatalogSnapshots(tmp_path / "cache.db")
    with sqlite3.connect(tmp_path / "cache.db") as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_only_the_last_few_versions_are_kept(tmp_path: Path, seed_catalog: Catalog) -> None:
    store = CatalogSnapshots(tmp_path / "cache.db", keep=3)
    for n in range(5):
        store.save(_version(seed_catalog, f"v{n}"), None, FETCHED + timedelta(hours=n))
    assert _rows(tmp_path / "cache.db") == ["v2", "v3", "v4"]
    latest = store.latest()
    assert latest is not None and latest.snapshot.version == "v4"


def test_a_file_that_is_not_a_database_is_moved_aside(
    tmp_path: Path, seed_catalog: Catalog, caplog: pytest.LogCaptureFixture
) -> None:
    db = tmp_path / "cache.db"
    garbage = b"this is not an SQLite database\n" * 200
    db.write_bytes(garbage)

    with caplog.at_level(logging.ERROR):
        store = CatalogSnapshots(db)
    assert store.latest() is None
    aside = list(tmp_path.glob("cache.db.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_bytes() == garbage
    assert "damaged" in caplog.text

    store.save(seed_catalog, None, FETCHED)  # and the kiosk carries on with a fresh store
    assert store.latest() is not None


def test_an_unreadable_newest_row_falls_back_to_the_one_before(
    tmp_path: Path, seed_catalog: Catalog, caplog: pytest.LogCaptureFixture
) -> None:
    db = tmp_path / "cache.db"
    store = CatalogSnapshots(db)
    store.save(_version(seed_catalog, "old"), '"old"', FETCHED)
    store.save(_version(seed_catalog, "new"), '"new"', FETCHED + timedelta(hours=1))
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE catalog_snapshot SET catalog_json = '{\"trunc' WHERE version = 'new'")

    with caplog.at_level(logging.WARNING):
        stored = store.latest()
    assert stored is not None and stored.snapshot.version == "old"
    assert "unreadable" in caplog.text


def test_only_unreadable_rows_mean_no_snapshot(tmp_path: Path, seed_catalog: Catalog) -> None:
    db = tmp_path / "cache.db"
    store = CatalogSnapshots(db)
    store.save(seed_catalog, None, FETCHED)
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE catalog_snapshot SET fetched_at = 'yesterday'")
    assert store.latest() is None


def test_confirming_moves_the_fetch_time_of_the_newest(
    tmp_path: Path, seed_catalog: Catalog
) -> None:
    store = CatalogSnapshots(tmp_path / "cache.db")
    store.save(seed_catalog, None, FETCHED)
    store.confirm("some other version", FETCHED + timedelta(hours=2))
    assert store.latest().fetched_at == FETCHED
    store.confirm(seed_catalog.version, FETCHED + timedelta(hours=1))
    assert store.latest().fetched_at == FETCHED + timedelta(hours=1)


def test_worker_threads_may_save_and_read_at_once(tmp_path: Path, seed_catalog: Catalog) -> None:
    store = CatalogSnapshots(tmp_path / "cache.db", keep=2)
    failures: list[BaseException] = []

    def work(n: int) -> None:
        try:
            store.save(_version(seed_catalog, f"t{n}"), None, FETCHED)
            assert store.latest() is not None
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert len(_rows(tmp_path / "cache.db")) == 2


def test_a_fetch_time_without_time_zone_is_refused(tmp_path: Path, seed_catalog: Catalog) -> None:
    with pytest.raises(ValueError, match="time zone"):
        CatalogSnapshots(tmp_path / "cache.db").save(seed_catalog, None, datetime(2026, 1, 1))
