"""`python main.py ask "问题" --json`: for scripts and benchmarks, offline in a fresh checkout."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def ask(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "main.py", "ask", *args], cwd=ROOT, text=True,
                          capture_output=True, timeout=120, check=False)


def test_ask_prints_the_top_services_as_json() -> None:
    done = ask("帮我打一下社宝参保证明", "--json")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert rows[0]["service_id"] == "SS-001"
    assert rows[0]["name"] == "社保参保证明打印"
    assert 1 <= len(rows) <= 3
    assert all(set(r) == {"service_id", "name", "score", "answer", "kind"} for r in rows)
    assert all(0 <= r["score"] <= 1 and r["answer"] for r in rows)


def test_an_out_of_scope_question_is_sent_to_staff() -> None:
    rows = json.loads(ask("今天股票涨了吗", "--json").stdout)
    assert (rows[0]["service_id"], rows[0]["kind"]) == ("SS-099", "staff")


def test_without_json_it_reads_as_lines() -> None:
    done = ask("交电费")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "answer: 交电费"
    assert lines[1].startswith("1. SS-033 水电燃气缴费")


def remote_profile(tmp_path: Path, url: str) -> Path:
    """The default profile, talking to the platform at `url`, with its data in tmp_path."""
    text = (ROOT / "config" / "default.toml").read_text(encoding="utf-8")
    text = text.replace('mode = "embedded"', 'mode = "remote"', 1)
    text = text.replace('url = "http://127.0.0.1:8765/api/v1"', f'url = "{url}"', 1)
    text = text.replace('dir = "var/kiosk"', f'dir = "{tmp_path / "data"}"', 1)
    profile = tmp_path / "remote.toml"
    profile.write_text(text, encoding="utf-8")
    return profile


def test_with_the_platform_away_the_cached_snapshots_answer(tmp_path: Path) -> None:
    from central.contract import KnowledgeEntry
    from central.knowledge import seed_snapshot
    from offline_cache.catalog_snapshot import CatalogSnapshots
    from offline_cache.knowledge_snapshot import KnowledgeSnapshots

    catalog, snapshot = seed_snapshot()
    cached_only = KnowledgeEntry(question="青蛙跳进了电表箱", answer="缓存里的答案。",
                                 service_id="SS-033")
    snapshot = snapshot.model_copy(update={"entries": [*snapshot.entries, cached_only]})
    now = datetime.now(UTC)
    CatalogSnapshots(tmp_path / "data" / "offline_cache.sqlite3").save(catalog, None, now)
    KnowledgeSnapshots(tmp_path / "data" / "knowledge.sqlite3").save(snapshot, None, now)
    profile = remote_profile(tmp_path, "http://127.0.0.1:9/api/v1")  # nothing listens there

    done = subprocess.run([sys.executable, "main.py", "--config", str(profile), "ask",
                           "青蛙跳进了电表箱", "--json"], cwd=ROOT, text=True,
                          capture_output=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    best = json.loads(done.stdout)[0]
    assert (best["service_id"], best["answer"]) == ("SS-033", "缓存里的答案。")
