"""The kiosk's 便民服务 copies: kept with their time, an older document of a tile dropped when
its new one is kept, and a damaged file moved aside instead of stopping the kiosk."""

from __future__ import annotations

from datetime import UTC, datetime

from offline_cache.convenience_store import ConvenienceCopies

AT = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def test_a_copy_comes_back_with_when_it_was_received(tmp_path) -> None:
    copies = ConvenienceCopies(tmp_path / "c.sqlite3")
    copies.save("feed:1", b'{"lines": []}', AT)
    assert copies.load("feed:1") == (b'{"lines": []}', AT)
    assert copies.load("feed:2") is None


def test_a_tile_s_new_document_replaces_its_old_one(tmp_path) -> None:
    copies = ConvenienceCopies(tmp_path / "c.sqlite3")
    copies.save("document:7:v1", b"%PDF-old", AT, replacing="document:7:")
    copies.save("document:8:v1", b"%PDF-other", AT, replacing="document:8:")
    copies.save("document:7:v2", b"%PDF-new", AT, replacing="document:7:")
    assert copies.load("document:7:v1") is None
    assert copies.load("document:7:v2") == (b"%PDF-new", AT)
    assert copies.load("document:8:v1") == (b"%PDF-other", AT)


def test_a_damaged_file_is_moved_aside_and_a_fresh_store_begun(tmp_path) -> None:
    path = tmp_path / "c.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    copies = ConvenienceCopies(path)
    assert copies.load("tiles") is None
    copies.save("tiles", b"{}", AT)
    assert copies.load("tiles") == (b"{}", AT)
    assert (tmp_path / "c.sqlite3.corrupt").read_bytes().startswith(b"this is not")
