"""The OpenAPI document at /openapi.json, valid as a whole.

Signed routes read their body as bytes (the signature covers them), so FastAPI does not know
the body's model: `json_body(Model)` describes it instead, as a `$ref` to the model's schema
in `components.schemas`, and `install` puts that schema there, with the models it refers to
(pydantic's `$defs`, which would otherwise be pointers into nowhere). The `Idempotency-Key`
header is described by `idempotency_key_header` where a route reads it.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel

from central.contract import HEADER_IDEMPOTENCY_KEY, IDEMPOTENCY_KEY_PATTERN

COMPONENTS = "#/components/schemas/"
# every model named by `json_body`, by schema name
_REQUEST_MODELS: dict[str, type[BaseModel]] = {}


def json_body(model: type[BaseModel]) -> dict[str, Any]:
    """The `openapi_extra` request body of a route that parses `model` from its raw body."""
    _REQUEST_MODELS[model.__name__] = model
    return {"required": True, "content": {"application/json": {
        "schema": {"$ref": f"{COMPONENTS}{model.__name__}"}}}}


def idempotency_key_header(*, required: bool) -> dict[str, Any]:
    return {
        "name": HEADER_IDEMPOTENCY_KEY, "in": "header", "required": required,
        "description": "The terminal's id of this write (its outbox row): a repeat with the "
                       "same key and body gets the first answer, never a second record",
        "schema": {"type": "string", "pattern": IDEMPOTENCY_KEY_PATTERN},
    }


def _request_schemas() -> dict[str, dict[str, Any]]:
    """The schemas of the request models and of every model they refer to."""
    schemas: dict[str, dict[str, Any]] = {}
    for name, model in _REQUEST_MODELS.items():
        schema = model.model_json_schema(ref_template=COMPONENTS + "{model}", mode="validation")
        for def_name, definition in schema.pop("$defs", {}).items():
            _add(schemas, def_name, definition)
        _add(schemas, name, schema)
    return schemas


def _add(schemas: dict[str, dict[str, Any]], name: str, schema: dict[str, Any]) -> None:
    if schemas.setdefault(name, schema) != schema:
        raise ValueError(f"two different schemas are both called {name}")


def document(app: FastAPI) -> dict[str, Any]:
    """The whole document, generated once."""
    if app.openapi_schema is None:
        doc = get_openapi(title=app.title, version=app.version, openapi_version=app.openapi_version,
                          description=app.description, routes=app.routes)
        components = doc.setdefault("components", {}).setdefault("schemas", {})
        for name, schema in _request_schemas().items():
            known = components.get(name)
            if known is not None and known != schema:
                raise ValueError(f"request model {name} differs from the response model of "
                                 "the same name (FastAPI's output schema)")
            components[name] = schema
        app.openapi_schema = doc
    return app.openapi_schema


def install(app: FastAPI) -> None:
    app.openapi = lambda: document(app)
