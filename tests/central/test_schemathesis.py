"""Schemathesis against the platform on a loopback port, from its own /openapi.json.

Every generated request is signed as the test terminal by a requests auth hook
(`SignAsTerminal`: it signs the prepared request, so the signature covers the method, the path
with the query, the body and fresh timestamp and nonce exactly as they go out), so the signed
routes are exercised beyond their 401. The console API is called logged in, with its CSRF
token. Examples are bounded per operation; what is asserted: no 5xx, and every answer matches
what the document says of it (status code, content type, schema).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from central.contract import CertificateCheck
from central.server import EmbeddedPlatform
from tests.central.conftest import SIGNED, TEST_TERMINAL
from tests.central.helpers import PASSWORD, make_user

MAX_EXAMPLES = 8  # per operation and generation mode: the file takes about 15 s of CPU
PARTS = 6  # tests the operations are dealt into
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
# its answer holds pairs (prefixItems): schemathesis 4.32 rewrites them to a draft-4 `items`
# list and then refuses that as OpenAPI 3.1, so its answers are held to the contract's model
TUPLES = "/api/v1/certificates/{code}/verification"


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedPlatform]:
    database = tmp_path_factory.mktemp("schemathesis") / "central.sqlite3"
    with EmbeddedPlatform(f"sqlite:///{database}", terminals=[TEST_TERMINAL],
                          sweep_interval_s=0) as served:
        yield served


@pytest.fixture(scope="module")
def origin(platform: EmbeddedPlatform) -> str:
    return f"http://{platform.host}:{platform.port}"


@pytest.fixture(scope="module")
def openapi(origin: str) -> schemathesis.BaseSchema:
    schema = schemathesis.openapi.from_url(f"{origin}/openapi.json")
    schema.config.update(base_url=origin)
    return schema


@pytest.fixture(scope="module")
def console(platform: EmbeddedPlatform, origin: str) -> requests.Session:
    """A session logged in to the console as an administrator, sending its CSRF token."""
    make_user(platform.app, "fuzz-admin")
    session = requests.Session()
    form = session.get(f"{origin}/console/login", timeout=10).text
    match = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert match
    answer = session.post(f"{origin}/console/login", timeout=10, allow_redirects=False, data={
        "username": "fuzz-admin", "password": PASSWORD, "csrf_token": match.group(1),
        "next": "/console/"})
    assert answer.status_code == 303, answer.text
    me = session.get(f"{origin}/console/api/me", timeout=10)
    session.headers["X-CSRF-Token"] = me.json()["csrf_token"]
    session.headers["Origin"] = origin
    return session


@pytest.mark.parametrize("part", range(PARTS))
def test_the_api_keeps_its_document(openapi: schemathesis.BaseSchema, console: requests.Session,
                                    origin: str, part: int) -> None:
    """Each operation with valid and with invalid data; every failure is listed at the end.

    The operations, in the document's order, are dealt into PARTS tests, so each stays well
    inside the per-test time limit on a busy machine however many routes the platform grows.
    (schemathesis.pytest.from_fixture would give one test per operation, but its lazy schema
    reads a pytest-private attribute that pytest 9 no longer has.)
    """
    failures: list[str] = []
    operations = [result.ok() for result in openapi.get_all_operations()]
    assert len(operations) >= 20
    for operation in operations[part::PARTS]:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(mode))
            @settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
                      phases=[Phase.explicit, Phase.generate],
                      suppress_health_check=list(HealthCheck))
            def exercise(case: schemathesis.Case) -> None:
                if case.path.startswith("/console/"):
                    case.call_and_validate(base_url=origin, session=console, checks=CHECKS)
                elif case.path == TUPLES:
                    response = case.call_and_validate(base_url=origin, checks=CHECKS[:-1])
                    CertificateCheck.model_validate_json(response.content)
                else:
                    case.call_and_validate(base_url=origin, auth=SIGNED, checks=CHECKS)

            try:
                exercise()
            except Unsatisfiable:  # nothing can be invalid here (a path of any string)
                assert mode is GenerationMode.NEGATIVE, operation.label
            except Exception as exc:  # a check's failure, with the request to reproduce it
                failures.append(f"{operation.label} ({mode}): {exc}")
    assert not failures, "\n\n".join(failures)


def test_unsigned_requests_are_refused_as_documented(openapi: schemathesis.BaseSchema,
                                                     origin: str) -> None:
    """Without the hook the same generated requests stop at the documented 401."""
    operation = openapi["/api/v1/applications"]["POST"]

    @given(case=operation.as_strategy())
    @settings(max_examples=5, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def unsigned(case: schemathesis.Case) -> None:
        assert case.call_and_validate(base_url=origin, checks=CHECKS).status_code == 401

    unsigned()

