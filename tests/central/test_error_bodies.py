"""Every non-2xx answer carries the contract's ErrorBody, and a 500 leaks nothing."""

from __future__ import annotations

import logging

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from central.contract import API_PREFIX, ErrorBody


@pytest.fixture
def app(make_app, sqlite_url: str) -> FastAPI:
    app = make_app(sqlite_url)

    # test-only routes, to provoke what the real routes should never do
    @app.get(f"{API_PREFIX}/test/explode")
    def explode() -> None:
        raise RuntimeError("db password is hunter2")

    @app.get(f"{API_PREFIX}/test/count")
    def count(n: int) -> dict[str, int]:
        return {"n": n}

    return app


def error_of(response) -> ErrorBody:
    assert response.headers["content-type"] == "application/json"
    return ErrorBody.model_validate(response.json())


def test_unknown_route_is_404(app: FastAPI) -> None:
    response = TestClient(app).get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert error_of(response).code == "NOT_FOUND"


def test_wrong_method_is_405(app: FastAPI) -> None:
    response = TestClient(app).delete("/api/v1/catalog")
    assert response.status_code == 405
    assert error_of(response).code == "METHOD_NOT_ALLOWED"


def test_invalid_request_is_422_without_echoing_the_value(app: FastAPI) -> None:
    response = TestClient(app).get(f"{API_PREFIX}/test/count", params={"n": "110101199003071234x"})
    assert response.status_code == 422
    body = error_of(response)
    assert body.code == "VALIDATION_FAILED"
    assert "query.n" in body.message
    assert "110101" not in body.message


def test_unhandled_exception_is_a_logged_500_without_internals(
    app: FastAPI, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="central.errors"):
        response = TestClient(app).get(f"{API_PREFIX}/test/explode")
    assert response.status_code == 500
    body = error_of(response)
    assert body.code == "INTERNAL"
    assert "hunter2" not in response.text
    assert "RuntimeError" in caplog.text  # the traceback is in the platform log
    assert "GET /api/v1/test/explode" in caplog.text
