"""Releases and rollouts on the platform: the signed manifest and bundle a terminal downloads,
the stages of a rollout, and the stop at the first failed update."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from fastapi import FastAPI
from fastapi.testclient import TestClient

from central.app import KnownTerminal
from central.contract.releases import ReleaseManifest, SignedRelease
from central.deps import PlatformState, platform_signer
from central.releases import add_release
from tests.central.conftest import TEST_TERMINAL, SignAsTerminal
from tests.central.helpers import console, make_user, register, send_heartbeat

A = KnownTerminal("HALL-A-01", "东城区政务服务中心", "terminal-a-key-0123456789abcdef")
B = KnownTerminal("HALL-A-02", "东城区政务服务中心", "terminal-b-key-0123456789abcdef")
BUNDLE = b"\x1f\x8b not really a tar.gz, the platform does not look inside"


@pytest.fixture
def app(make_app: Callable[..., FastAPI], database_url: str) -> FastAPI:
    app = make_app(database_url)
    with TestClient(app):  # the lifespan: the database migrated
        pass
    for terminal in (A, B):
        register(app, terminal)
    make_user(app, "admin")
    make_user(app, "east", "hall-manager", A.hall)
    assert isinstance(app.state, PlatformState)
    with app.state.sessions() as session:
        add_release(session, platform_signer(app.state), "2.0.0", BUNDLE, app.state.clock())
        session.commit()
    return app


def beat(app: FastAPI, terminal: KnownTerminal, version: str = "1.0.0",
         **fields: Any) -> str | None:
    with TestClient(app) as client:
        return send_heartbeat(client, terminal, app_version=version, **fields).target_version


def roll_out(app: FastAPI, **body: Any) -> dict[str, Any]:
    admin = console(app, "admin")
    answer = admin.post("/console/api/rollouts", json=body, headers={"X-CSRF-Token": admin.csrf})
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_the_manifest_is_signed_and_names_the_bundle(app: FastAPI) -> None:
    with TestClient(app) as client:
        client.auth = SignAsTerminal(TEST_TERMINAL)
        release = SignedRelease.model_validate_json(client.get("/api/v1/releases/2.0.0").content)
        bundle = client.get("/api/v1/releases/2.0.0/bundle")
        assert client.get("/api/v1/releases/9.9.9").status_code == 404
        assert client.get("/api/v1/releases/9.9.9/bundle").status_code == 404
        key = load_pem_public_key(client.get("/api/v1/signing-key").content)
    assert isinstance(key, Ed25519PublicKey)
    key.verify(base64.urlsafe_b64decode(release.signature + "=="), release.manifest.encode())
    manifest = ReleaseManifest.model_validate_json(release.manifest)
    assert (manifest.version, manifest.size) == ("2.0.0", len(BUNDLE))
    assert manifest.sha256 == hashlib.sha256(bundle.content).hexdigest()
    assert bundle.headers["content-type"] == "application/gzip"


def test_releases_are_for_signed_terminals_only(app: FastAPI) -> None:
    with TestClient(app) as client:
        assert client.get("/api/v1/releases/2.0.0").status_code == 401
        assert client.get("/api/v1/releases/2.0.0/bundle").status_code == 401


def test_the_rest_follow_once_the_first_stage_runs_the_version(app: FastAPI) -> None:
    roll_out(app, version="2.0.0", hall=A.hall, first_stage=1)
    assert (beat(app, A), beat(app, B)) == ("2.0.0", None)
    beat(app, A, update={"version": "2.0.0", "state": "installed"})
    assert beat(app, B) is None  # installed is not running
    assert beat(app, A, "2.0.0") is None  # running it: nothing more to move to
    assert beat(app, B) == "2.0.0"


def test_a_failed_update_stops_the_rollout(app: FastAPI) -> None:
    roll_out(app, version="2.0.0", terminal_ids=[A.id, B.id], first_stage=2)
    assert beat(app, A) == "2.0.0"
    reason = "启动 3 次均未就绪，已回退到 1.0.0"
    assert beat(app, B, update={"version": "2.0.0", "state": "rolled_back",
                                "reason": reason}) is None
    assert beat(app, A) is None  # stopped for everyone
    shown = console(app, "admin").get("/console/api/releases").json()
    assert shown["versions"] == ["2.0.0"]
    rollout = shown["rollouts"][0]
    assert rollout["stop_reason"] == f"终端 {B.id} 更新失败：{reason}"
    states = {row["terminal_id"]: (row["state"], row["reason"]) for row in rollout["terminals"]}
    assert states == {A.id: ("pending", None), B.id: ("rolled_back", reason)}


def test_rollouts_are_for_administrators(app: FastAPI) -> None:
    manager = console(app, "east")
    assert manager.get("/console/api/releases").status_code == 403
    assert manager.post("/console/api/rollouts", json={"version": "2.0.0", "hall": A.hall},
                        headers={"X-CSRF-Token": manager.csrf}).status_code == 403


@pytest.mark.parametrize("body", [{"version": "9.9.9", "hall": A.hall},
                                  {"version": "2.0.0", "hall": "无此大厅"}])
def test_a_rollout_of_nothing_is_refused(app: FastAPI, body: dict[str, Any]) -> None:
    admin = console(app, "admin")
    answer = admin.post("/console/api/rollouts", json=body, headers={"X-CSRF-Token": admin.csrf})
    assert answer.status_code == 400


def test_the_console_page_rolls_out_and_shows_each_terminal(app: FastAPI) -> None:
    admin = console(app, "admin")
    answer = admin.post("/console/releases", follow_redirects=False, data={
        "csrf_token": admin.csrf, "version": "2.0.0", "terminal_ids": f"{B.id}, {A.id}",
        "first_stage": "1"})
    assert answer.status_code == 303, answer.text
    beat(app, B, update={"version": "2.0.0", "state": "downloading"})
    page = admin.get("/console/releases").text
    assert f'data-terminal="{B.id}" data-state="downloading"' in page and "下载中" in page
    assert f'data-terminal="{A.id}" data-state="pending"' in page
    assert console(app, "east").get("/console/releases").status_code == 404
