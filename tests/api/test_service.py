"""Health, readiness and the OpenAPI document."""

from __future__ import annotations

import json
import re

import httpx


async def test_health_and_readiness(anonymous: httpx.AsyncClient) -> None:
    assert (await anonymous.get("/healthz")).json() == {"status": "ok"}
    assert (await anonymous.get("/readyz")).json() == {"status": "ok"}


async def test_openapi_documents_the_order_api(anonymous: httpx.AsyncClient) -> None:
    spec = (await anonymous.get("/openapi.json")).json()
    assert spec["openapi"].startswith("3.1")
    paths = spec["paths"]
    for path in (
        "/v1/orders",
        "/v1/orders/{order_id}",
        "/v1/orders/{order_id}/cancel",
        "/v1/events",
    ):
        assert path in paths
    body = paths["/v1/orders"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    name = body["$ref"].rsplit("/", 1)[1]
    assert "external_reference" in spec["components"]["schemas"][name]["properties"]
    refs = {r.rsplit("/", 1)[1] for r in re.findall(r'"\$ref": "([^"]+)"', json.dumps(spec))}
    assert refs <= set(spec["components"]["schemas"]), "every $ref resolves"
    assert (await anonymous.get("/docs")).status_code == 200


async def test_unknown_path_is_a_problem(anonymous: httpx.AsyncClient) -> None:
    response = await anonymous.get("/v1/nothing-here")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
