"""No demo secret reaches a real hall by a forgotten option.

Before: `main.py central` after a demo run served the demo's database and took terminal
DEMO-0001 with the key published in config/default.toml; with it anyone could verify someone
else's ID number at level 5 with a grey picture for a face, have a certificate issued, and
see /verify call it 真实有效. Now the development-only verifier and issuer want an explicit
`--development`, the demo's key is taken by the embedded demo only, whatever database the
platform opens, and /metrics off loopback wants a token.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from fastapi.testclient import TestClient

from central.app import DevelopmentOnly, KnownTerminal, create_app
from central.server import EmbeddedPlatform
from central.terminal_auth import DEMO_TERMINAL_KEY
from kiosk.settings import PROJECT_ROOT, load_settings
from main import central_database_url, standalone_database_url
from tests.central.conftest import SignAsTerminal

DEMO = KnownTerminal("DEMO-0001", "示范社区政务服务中心", DEMO_TERMINAL_KEY)


def central(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "main.py", "central", *args], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, **(env or {})})


def test_the_demo_profile_carries_the_key_the_platform_refuses() -> None:
    assert load_settings().terminal.key == DEMO_TERMINAL_KEY


def test_the_development_only_parts_are_refused_without_the_flag(sqlite_url) -> None:
    with pytest.raises(DevelopmentOnly, match="identity verifier"):
        create_app(sqlite_url)
    done = central("--database-url", sqlite_url, "--port", "0")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "error: no identity verifier was given and the reference one is for development only "
        "(main.py central --development)"]


def test_metrics_off_loopback_want_a_token(sqlite_url) -> None:
    done = central("--database-url", sqlite_url, "--development", "--host", "0.0.0.0",
                   env={"CENTRAL_METRICS_TOKEN": ""})
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "error: listening on 0.0.0.0 needs CENTRAL_METRICS_TOKEN for /metrics"]


def test_the_standalone_platform_does_not_open_the_demos_database() -> None:
    settings = load_settings()
    assert standalone_database_url(settings) != central_database_url(settings)


def test_the_demo_key_works_only_on_the_demo_platform(sqlite_url) -> None:
    demo = EmbeddedPlatform(sqlite_url, terminals=[DEMO], demo=True)
    with demo:  # the demo ran once on this database: DEMO-0001 is registered with its key
        signed = TestClient(demo.app).get("/api/v1/catalog", auth=SignAsTerminal(DEMO))
        assert signed.status_code == 200
    with pytest.raises(DevelopmentOnly, match="public terminal key"):
        create_app(sqlite_url, terminals=[DEMO], development=True)

    real = create_app(sqlite_url, development=True, sweep_interval_s=0)  # the same database
    try:
        with TestClient(real) as client:
            refused = client.get("/api/v1/catalog", auth=SignAsTerminal(DEMO))
            beat = client.post("/api/v1/heartbeats", content=b"{}", auth=SignAsTerminal(DEMO),
                               headers={"Content-Type": "application/json"})
    finally:
        real.state.engine.dispose()
    assert refused.status_code == 401 and refused.json()["code"] == "TERMINAL_DEMO_KEY"
    assert beat.status_code == 401
