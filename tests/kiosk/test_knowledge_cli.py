"""`python main.py ask "问题" --json`: for scripts and benchmarks, offline in a fresh checkout."""

from __future__ import annotations

import json
import subprocess
import sys
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
