"""Tenant isolation, generated from the route table: every native route that takes an id answers
404 to another organization (its merchant key, or an operator acting for it), exactly like a
missing id. A new route with an id it does not know how to make fails here until it is added."""

from __future__ import annotations

import base64
import re
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

from tests.conftest import Tenant, order_body

Factory = Callable[[Tenant, httpx.AsyncClient], Awaitable[str]]
OPERATOR_ONLY = re.compile(r"^/v1/shipments/\{shipment_id\}/(pick|pack|ship|hold|release)$")
PDF = base64.b64encode(b"%PDF-1.4\n%x\n").decode()
PACKAGE = {
    "weight": "1",
    "weight_unit": "kg",
    "length": 1,
    "width": 1,
    "height": 1,
    "dim_unit": "cm",
    "lines": [{"line_number": 1, "quantity": 1}],
}
# A valid body for every route that reads one, so a refusal can only come from the id.
BODIES: dict[tuple[str, str], dict[str, Any] | None] = {
    ("patch", "/v1/orders/{order_id}"): {"customer_note": "x"},
    ("patch", "/v1/products/{product_id}"): {"name": "x"},
    ("patch", "/v1/webhook-endpoints/{endpoint_id}"): {"description": "x"},
    ("post", "/v1/orders/{order_id}/documents"): {"title": "t", "kind": "other", "content": PDF},
    ("post", "/v1/shipments/{shipment_id}/pick"): {"lines": [{"line_number": 1, "quantity": 1}]},
    ("post", "/v1/shipments/{shipment_id}/pack"): {"packages": [PACKAGE]},
    ("post", "/v1/shipments/{shipment_id}/ship"): {"carrier_code": "UPS", "tracking_number": "1Z"},
}
NO_BODY = {"get", "delete"}
NO_BODY_ACTIONS = re.compile(
    r"/(cancel|hold|release|allocate|retry|test|rotate-secret|document|content|events)$"
)


async def _order(tenant: Tenant, operator: httpx.AsyncClient) -> dict[str, Any]:
    response = await tenant.client.post("/v1/orders", json=order_body())
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def order_id(tenant: Tenant, operator: httpx.AsyncClient) -> str:
    return str((await _order(tenant, operator))["id"])


async def shipment_id(tenant: Tenant, operator: httpx.AsyncClient) -> str:
    return str((await _order(tenant, operator))["shipments"][0]["id"])


async def product_id(tenant: Tenant, operator: httpx.AsyncClient) -> str:
    return str((await tenant.client.get("/v1/products?code=A-1")).json()["items"][0]["id"])


async def pick_list_id(tenant: Tenant, operator: httpx.AsyncClient) -> str:
    order = await _order(tenant, operator)
    return str((await operator.post("/v1/pick-lists", json={"order_ids": [order["id"]]})).json()["id"])


async def document_id(tenant: Tenant, operator: httpx.AsyncClient) -> str:
    order = await _order(tenant, operator)
    body = {"title": "label", "kind": "label", "content": PDF}
    return str((await tenant.client.post(f"/v1/orders/{order['id']}/documents", json=body)).json()["id"])


async def endpoint_id(tenant: Tenant, operator: httpx.AsyncClient) -> str:
    body = {"url": "https://93.184.215.14/hooks"}
    return str((await tenant.client.post("/v1/webhook-endpoints", json=body)).json()["id"])


async def delivery_id(tenant: Tenant, operator: httpx.AsyncClient) -> str:
    endpoint = await endpoint_id(tenant, operator)
    return str((await tenant.client.post(f"/v1/webhook-endpoints/{endpoint}/test")).json()["id"])


async def key_id(tenant: Tenant, operator: httpx.AsyncClient) -> str:
    return str((await tenant.client.post("/v1/api-keys", json={"name": "isolation"})).json()["id"])


FACTORIES: dict[str, Factory] = {
    "key_id": key_id,
    "order_id": order_id,
    "shipment_id": shipment_id,
    "product_id": product_id,
    "pick_list_id": pick_list_id,
    "document_id": document_id,
    "endpoint_id": endpoint_id,
    "delivery_id": delivery_id,
}


def routes_with_ids(app: Any) -> list[tuple[str, str]]:
    spec = app.openapi()
    return [
        (method, path)
        for path, operations in spec["paths"].items()
        if path.startswith("/v1/") and "{" in path
        for method in operations
    ]


def test_every_id_route_is_covered(app: Any) -> None:
    for method, path in routes_with_ids(app):
        for name in re.findall(r"\{(\w+)\}", path):
            assert name in FACTORIES, f"{method.upper()} {path}: add a factory for {name} to this test"
        if method not in NO_BODY and not NO_BODY_ACTIONS.search(path):
            assert (method, path) in BODIES, f"{method.upper()} {path}: add a valid body to this test"


@pytest.fixture
async def outsider_operator(app: Any, operator_key: str, other_tenant: Tenant) -> Any:
    transport = httpx.ASGITransport(app=app)
    headers = {"x-api-key": operator_key, "organization-slug": other_tenant.slug}
    async with httpx.AsyncClient(transport=transport, base_url="http://wareflow.test", headers=headers) as c:
        yield c


async def test_other_organizations_ids_are_404(
    app: Any,
    tenant: Tenant,
    operator: httpx.AsyncClient,
    other_tenant: Tenant,
    outsider_operator: httpx.AsyncClient,
) -> None:
    made: dict[str, str] = {}
    for method, path in routes_with_ids(app):
        names = re.findall(r"\{(\w+)\}", path)
        for name in names:
            if name not in made:
                made[name] = await FACTORIES[name](tenant, operator)
        url = path.format(**made)
        body = BODIES.get((method, path))
        for who, client in (("merchant", other_tenant.client), ("operator", outsider_operator)):
            response = await client.request(method.upper(), url, json=body)
            allowed = {403, 404} if who == "merchant" and OPERATOR_ONLY.match(path) else {404}
            assert response.status_code in allowed, (who, method, path, response.status_code, response.text)
    # and nothing of the first organization shows in the other's lists or feed
    seen = " ".join(
        [
            (await other_tenant.client.get(f"{path}?limit=200")).text
            for path in (
                "/v1/orders",
                "/v1/products",
                "/v1/stock",
                "/v1/stock/movements",
                "/v1/events",
                "/v1/api-keys",
            )
        ]
    )
    for value in made.values():
        assert value not in seen
