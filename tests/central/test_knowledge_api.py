"""GET /api/v1/knowledge, /knowledge/hot and POST /knowledge/asks, on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from central.contract import HotServices, KnowledgeSnapshot
from central.knowledge import KNOWLEDGE_FILE, load_faq
from central.seed import load_seed
from tests.central.conftest import signed_client

KNOWLEDGE = "/api/v1/knowledge"
HOT = "/api/v1/knowledge/hot"
ASKS = "/api/v1/knowledge/asks"


def ask(client: TestClient, service_id: str) -> int:
    body = json.dumps({"service_id": service_id}).encode()
    return client.post(ASKS, content=body, headers={"Content-Type": "application/json"}
                       ).status_code


def test_snapshot_holds_every_service_and_the_faq(client: TestClient) -> None:
    response = client.get(KNOWLEDGE)
    assert response.status_code == 200
    snapshot = KnowledgeSnapshot.model_validate(response.json())
    seed = load_seed()
    derived = [e for e in snapshot.entries if e.source == "catalog"]
    assert [e.service_id for e in derived] == [s.id for s in seed.services]
    assert derived[0].question == "社保参保证明打印"
    assert "社保证明" in derived[0].keywords  # the aliases come along to be matched
    faq = [e for e in snapshot.entries if e.source == "faq"]
    assert len(faq) == len(load_faq()) >= 60
    assert snapshot.catalog_version == seed.version
    assert response.headers["etag"] == f'"{snapshot.version}"'
    assert response.headers["cache-control"] == "no-cache"


def test_every_faq_entry_names_a_catalog_service_and_answers_briefly() -> None:
    offered = {s.id for s in load_seed().services}
    faq = load_faq(KNOWLEDGE_FILE)
    assert {e.service_id for e in faq} <= offered
    assert offered <= {e.service_id for e in faq} | {"SS-099"}  # every service has a question
    assert all(len(e.answer) <= 60 for e in faq)  # short enough to speak


@pytest.mark.parametrize("form", ['"{v}"', 'W/"{v}"', "*"])
def test_current_etag_gives_304_without_body(client: TestClient, form: str) -> None:
    version = client.get(KNOWLEDGE).json()["version"]
    response = client.get(KNOWLEDGE, headers={"If-None-Match": form.format(v=version)})
    assert response.status_code == 304
    assert response.content == b""
    assert response.headers["etag"] == f'"{version}"'


def test_an_old_etag_gives_the_snapshot(client: TestClient) -> None:
    response = client.get(KNOWLEDGE, headers={"If-None-Match": '"0123456789abcdef"'})
    assert response.status_code == 200
    assert response.json()["entries"]


def test_version_follows_the_catalog(make_app, sqlite_url: str, write_seed) -> None:
    with signed_client(make_app(sqlite_url)) as first:
        before = first.get(KNOWLEDGE).json()
    renamed = write_seed(lambda d: d["services"][0].update(name="社保证明打印"))
    with signed_client(make_app(sqlite_url, seed_file=renamed)) as second:
        after = second.get(KNOWLEDGE).json()
    assert after["version"] != before["version"]
    assert after["entries"][0]["question"] == "社保证明打印"


@pytest.mark.parametrize("path", [KNOWLEDGE, HOT])
def test_unsigned_requests_are_refused(client: TestClient, path: str) -> None:
    response = client.get(path, auth=None)
    assert response.status_code == 401
    assert response.json()["code"]


def test_unsigned_asks_are_refused_and_not_counted(client: TestClient) -> None:
    body = json.dumps({"service_id": "SS-001"}).encode()
    assert client.post(ASKS, content=body, auth=None).status_code == 401
    assert client.get(HOT).json() == {"services": []}


def test_hot_lists_the_most_asked_services_first(client: TestClient) -> None:
    for service_id in ["SS-010", "SS-001", "SS-010", "SS-033", "SS-010", "SS-001"]:
        assert ask(client, service_id) == 204
    hot = HotServices.model_validate(client.get(HOT).json())
    assert [(h.service_id, h.asks) for h in hot.services] == [
        ("SS-010", 3), ("SS-001", 2), ("SS-033", 1)]
    assert hot.services[0].name == "公积金缴存证明打印"
    assert [h.service_id for h in HotServices.model_validate(
        client.get(HOT, params={"limit": 1}).json()).services] == ["SS-010"]


def test_an_ask_carries_only_a_known_service_id(client: TestClient) -> None:
    assert ask(client, "SS-777") == 404
    with_text = json.dumps({"service_id": "SS-001", "question": "我叫张三"}).encode()
    # extra keys are ignored by the contract, and nothing but the id is kept
    assert client.post(ASKS, content=with_text).status_code == 204
    assert "张三" not in client.get(HOT).text
    assert client.post(ASKS, content=b"not json").status_code == 422
