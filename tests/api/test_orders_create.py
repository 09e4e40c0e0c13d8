"""Creating orders through the native API."""

from __future__ import annotations

from tests.conftest import Tenant, order_body


async def test_create_returns_the_stored_order(tenant: Tenant) -> None:
    response = await tenant.client.post("/v1/orders", json=order_body("WEB-10001"))
    assert response.status_code == 201, response.text
    order = response.json()
    assert order["number"] == "ORD00000000001"
    assert order["status"] == "received"
    assert order["external_reference"] == "WEB-10001"
    assert order["ship_to"]["phone"] == "+12135550123"
    assert order["lines"][0]["line_number"] == 1
    assert order["lines"][0]["unit_price"] == "999.00"
    assert response.headers["location"] == f"/v1/orders/{order['id']}"
    assert response.headers["etag"] == '"1"'

    fetched = await tenant.client.get(f"/v1/orders/{order['id']}")
    assert fetched.status_code == 200
    assert fetched.json() == order


async def test_numbers_count_per_organization(tenant: Tenant, other_tenant: Tenant) -> None:
    first = (await tenant.client.post("/v1/orders", json=order_body())).json()
    second = (await tenant.client.post("/v1/orders", json=order_body())).json()
    other = (await other_tenant.client.post("/v1/orders", json=order_body())).json()
    assert [first["number"], second["number"], other["number"]] == [
        "ORD00000000001",
        "ORD00000000002",
        "ORD00000000001",
    ]
