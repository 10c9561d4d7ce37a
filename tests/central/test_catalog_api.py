"""GET /api/v1/catalog and /health, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from central.contract import Catalog, Health
from central.seed import load_seed
from tests.central.conftest import signed_client

CATALOG = "/api/v1/catalog"


def service(data: dict[str, Any], service_id: str) -> dict[str, Any]:
    return next(s for s in data["services"] if s["id"] == service_id)


def test_catalog_lists_the_forty_services_with_their_themes(client: TestClient) -> None:
    response = client.get(CATALOG)
    assert response.status_code == 200
    catalog = Catalog.model_validate(response.json())
    seed = load_seed()

    assert [s.id for s in catalog.services] == [s.id for s in seed.services]
    assert len(catalog.services) == 40
    assert catalog.themes == seed.themes
    assert {s.theme for s in catalog.services} == set(catalog.themes)
    assert catalog.version == seed.version
    assert catalog.service("SS-004").fee.payable_at_kiosk is False
    assert [s.id for s in catalog.services_in("医保")] == ["SS-007", "SS-008"]
    assert catalog.services == seed.services  # nothing lost on the way through the database


def test_catalog_carries_etag_and_no_cache(client: TestClient) -> None:
    response = client.get(CATALOG)
    version = response.json()["version"]
    assert response.headers["etag"] == f'"{version}"'
    assert response.headers["cache-control"] == "no-cache"


@pytest.mark.parametrize("form", ['"{v}"', 'W/"{v}"', "{v}", '"0000", "{v}"', "*"])
def test_matching_if_none_match_gives_304_without_body(client: TestClient, form: str) -> None:
    version = client.get(CATALOG).json()["version"]
    response = client.get(CATALOG, headers={"If-None-Match": form.format(v=version)})
    assert response.status_code == 304
    assert response.content == b""
    assert response.headers["etag"] == f'"{version}"'
    assert response.headers["cache-control"] == "no-cache"


def test_other_if_none_match_gives_the_catalog(client: TestClient) -> None:
    response = client.get(CATALOG, headers={"If-None-Match": '"0123456789abcdef", W/"x"'})
    assert response.status_code == 200
    assert len(response.json()["services"]) == 40


def test_health_names_the_catalog_version(client: TestClient) -> None:
    health = Health.model_validate(client.get("/api/v1/health").json())
    assert health.status == "ok"
    assert health.catalog_version == client.get(CATALOG).json()["version"]


def test_version_is_stable_across_restarts(make_app, database_url: str) -> None:
    with signed_client(make_app(database_url)) as first:
        before = first.get(CATALOG).json()
    with signed_client(make_app(database_url)) as second:
        after = second.get(CATALOG).json()
    assert (after["version"], after["published_at"]) == (before["version"], before["published_at"])


def test_changed_service_publishes_a_new_version(make_app, database_url: str,
                                                 write_seed) -> None:
    with signed_client(make_app(database_url)) as first:
        before = first.get(CATALOG)

    changed = write_seed(lambda d: service(d, "SS-010").update(name="公积金缴存证明"))
    with signed_client(make_app(database_url, seed_file=changed)) as second:
        stale = second.get(CATALOG, headers={"If-None-Match": before.headers["etag"]})
        assert stale.status_code == 200  # the terminal's copy is out of date
        after = Catalog.model_validate(stale.json())

    assert after.version != before.json()["version"]
    assert after.published_at > Catalog.model_validate(before.json()).published_at
    assert after.service("SS-010").name == "公积金缴存证明"


def test_service_dropped_from_the_seed_is_withdrawn(make_app, database_url: str,
                                                   write_seed) -> None:
    make_app(database_url)
    fewer = write_seed(lambda d: d["services"].remove(service(d, "SS-099")))
    with signed_client(make_app(database_url, seed_file=fewer)) as client:
        catalog = Catalog.model_validate(client.get(CATALOG).json())
    assert len(catalog.services) == 39
    assert catalog.service("SS-099") is None


def test_openapi_and_docs_are_served(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert spec["info"]["title"] == "政务服务中心平台 (reference)"
    assert {"/api/v1/catalog", "/api/v1/health"} <= set(spec["paths"])
    assert "ErrorBody" in spec["components"]["schemas"]
    assert client.get("/docs").status_code == 200


def test_only_signed_terminals_get_the_catalog(client: TestClient) -> None:
    response = client.get(CATALOG, auth=None)
    assert response.status_code == 401
    assert response.json()["code"] == "SIGNATURE_MISSING"
