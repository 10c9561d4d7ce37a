"""/openapi.json is a valid OpenAPI document: every reference resolves, and the refusals and
headers the routes really use are described."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from openapi_spec_validator import validate

# routes anyone may call: everything else under /api/v1 is signed by a terminal
PUBLIC = {"/api/v1/health", "/api/v1/signing-key", "/api/v1/certificates/{code}/verification"}


@pytest.fixture
def document(make_app: Callable[..., FastAPI], sqlite_url: str) -> dict[str, Any]:
    with TestClient(make_app(sqlite_url)) as client:
        answer = client.get("/openapi.json")
    assert answer.status_code == 200
    return answer.json()


def operations(doc: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def references(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from references(value)
    elif isinstance(node, list):
        for value in node:
            yield from references(value)


def resolve(doc: dict[str, Any], ref: str) -> Any:
    assert ref.startswith("#/"), ref
    node: Any = doc
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        assert isinstance(node, dict) and part in node, f"{ref} points at nothing"
        node = node[part]
    return node


def test_the_document_is_valid_openapi(document: dict[str, Any]) -> None:
    validate(document)  # the OpenAPI 3.1 meta-schema
    schemathesis.openapi.from_dict(document).validate()


def test_every_reference_resolves(document: dict[str, Any]) -> None:
    refs = set(references(document))
    assert refs
    for ref in refs:
        resolve(document, ref)
    assert not any("$defs" in ref for ref in refs)


def test_request_bodies_name_their_models(document: dict[str, Any]) -> None:
    bodies = {(method, path): operation["requestBody"]["content"]["application/json"]["schema"]
              for path, method, operation in operations(document)
              if "requestBody" in operation}
    assert bodies[("post", "/api/v1/applications")] == {
        "$ref": "#/components/schemas/ApplicationSubmission"}
    for schema in bodies.values():
        resolve(document, schema["$ref"])


def test_signed_routes_document_401(document: dict[str, Any]) -> None:
    for path, _method, operation in operations(document):
        if path.startswith("/api/v1/") and path not in PUBLIC:
            assert "401" in operation["responses"], path
        if path.startswith("/console/api/"):
            assert "401" in operation["responses"], path


def test_lookups_document_404(document: dict[str, Any]) -> None:
    for path, method, operation in operations(document):
        if "{" in path and path not in PUBLIC:
            assert "404" in operation["responses"], (method, path)


def test_idempotency_key_is_documented(document: dict[str, Any]) -> None:
    for path, required in (("/api/v1/applications", True), ("/api/v1/evaluations", True),
                           ("/api/v1/certificates", False)):
        parameters = document["paths"][path]["post"]["parameters"]
        (key,) = [p for p in parameters if p["name"] == "Idempotency-Key"]
        assert key["in"] == "header" and key["required"] is required, path
        assert "409" in document["paths"][path]["post"]["responses"], path
