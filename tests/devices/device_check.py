"""Running `main.py devices check --json` the way a console would read it, against a profile
whose device tables point at the tests' emulators."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kiosk.settings import DEFAULT_CONFIG
from main import main

KEYS = {"family", "device", "identity", "action", "ok", "code", "message", "detail"}


def profile(folder: Path, **tables: dict[str, object]) -> Path:
    """config/default.toml with the device tables given (e.g. idcard={"driver": "ga467",
    "port": "/dev/pts/3"}) in place of their simulators."""
    text = DEFAULT_CONFIG.read_text(encoding="utf-8")
    for table, keys in tables.items():
        body = "".join(f"{key} = {json.dumps(value)}\n" for key, value in keys.items())
        # the comments under a table's header stay
        text, found = re.subn(rf'(\[devices\.{table}\]\n(?:#[^\n]*\n)*)driver = "simulator"\n',
                              lambda match, body=body: match.group(1) + body, text)
        assert found == 1, table
    path = folder / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    return path


def run_check(capsys: pytest.CaptureFixture[str], config: Path | None, *options: str
              ) -> tuple[int, list[dict]]:
    """The exit status and the JSON list `devices check --json` printed."""
    capsys.readouterr()  # whatever came before
    argv = ["--config", str(config)] if config is not None else []
    status = main([*argv, "devices", "check", "--json", *options])
    results = json.loads(capsys.readouterr().out)
    assert all(set(result) == KEYS for result in results)
    return status, results
