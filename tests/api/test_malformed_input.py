"""No input, however malformed, gets a 500; every refusal is problem+json."""

from __future__ import annotations

import pytest

from tests.conftest import Tenant, order_body

MALFORMED = [
    b"",
    b"{",
    b"not json",
    b"[]",
    b"null",
    b'"string"',
    b"[" * 5000 + b"]" * 5000,
    b'{"a":' * 3000 + b"1" + b"}" * 3000,
    b'{"external_reference": "\xff\xfe"}',
    b'{"external_reference": 5, "ship_to": [], "lines": {}}',
    b'{"external_reference": "\\ud800", "ship_to": null, "lines": null}',
    '{"external_reference": "日本語🚚", "ship_to": {"country": "日本"}, "lines": []}'.encode(),
]


@pytest.mark.parametrize("raw", MALFORMED)
async def test_malformed_bodies_get_a_problem(tenant: Tenant, raw: bytes) -> None:
    response = await tenant.client.post(
        "/v1/orders", content=raw, headers={"content-type": "application/json"}
    )
    assert 400 <= response.status_code < 500
    assert response.headers["content-type"] == "application/problem+json"


async def test_body_over_the_limit_is_413(tenant: Tenant) -> None:
    body = order_body(internal_note="x" * 100_000)
    response = await tenant.client.post("/v1/orders", json=body)
    assert response.status_code == 413


async def test_streamed_body_over_the_limit_is_413_without_content_length(tenant: Tenant) -> None:
    async def chunks():  # type: ignore[no-untyped-def]
        for _ in range(100):
            yield b" " * 1024

    response = await tenant.client.post(
        "/v1/orders", content=chunks(), headers={"content-type": "application/json"}
    )
    assert "content-length" not in response.request.headers
    assert response.status_code == 413


async def test_bad_query_parameters_are_400_with_pointers(tenant: Tenant) -> None:
    response = await tenant.client.get("/v1/orders?limit=0&sort=colour")
    assert response.status_code == 400
    pointers = {e["pointer"] for e in response.json()["errors"]}
    assert pointers == {"/query/limit", "/query/sort"}


async def test_bad_cursor_is_422(tenant: Tenant) -> None:
    response = await tenant.client.get("/v1/orders?cursor=garbage")
    assert response.status_code == 422
    response = await tenant.client.get("/v1/events?after=garbage")
    assert response.status_code == 422


async def test_not_a_uuid_is_400(tenant: Tenant) -> None:
    response = await tenant.client.get("/v1/orders/not-an-id")
    assert response.status_code == 400
    assert response.json()["errors"][0]["pointer"] == "/path/order_id"


async def test_nul_characters_are_refused_not_stored(tenant: Tenant) -> None:
    # PostgreSQL text cannot hold U+0000: it must be a 400, never a database error.
    body = order_body(customer_note="before\u0000after")
    response = await tenant.client.post("/v1/orders", json=body)
    assert response.status_code == 400
    assert (await tenant.client.get("/v1/orders?warehouse_code=%00")).status_code == 400
    assert (await tenant.client.get("/v1/orders?external_reference=a%00b")).status_code == 400
    assert (await tenant.client.post("/v1/products", json={"sku": "N\u0000", "name": "x"})).status_code == 400
