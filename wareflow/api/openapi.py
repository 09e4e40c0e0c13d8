"""OpenAPI for routes that parse their own JSON body (to keep the raw bytes for idempotency).

``json_body(Model)`` documents the request body; ``install(app)`` adds the models it named to
``components/schemas`` so every ``$ref`` resolves.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel

_REF = "#/components/schemas/{model}"
_schemas: dict[str, Any] = {}


def json_body(model: type[BaseModel]) -> dict[str, Any]:
    schema = model.model_json_schema(ref_template=_REF)
    _schemas.update(schema.pop("$defs", {}))
    _schemas[model.__name__] = schema
    ref = {"$ref": _REF.format(model=model.__name__)}
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": ref}}}}


def install(app: FastAPI) -> None:
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            spec = build()
            components = spec.setdefault("components", {}).setdefault("schemas", {})
            for name, schema in _schemas.items():
                components.setdefault(name, schema)
            app.openapi_schema = spec
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
