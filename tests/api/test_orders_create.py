"""Creating orders through the native API."""

from __future__ import annotations

from tests.conftest import Tenant, order_body


async def test_create_returns_the_stored_order(tenant: Tenant) -> None:
    response = await tenant.client.post("/v1/orders", json=order_body("WEB-10001"))
    assert response.status_code == 201, response.text
    order = response.json()
    assert order["number"] == "ORD00000000001"
    assert order["status"] == "allocated"  # the test catalog has the SKU in stock
    assert order["external_reference"] == "WEB-10001"
    assert order["ship_to"]["phone"] == "+12135550123"
    assert order["lines"][0]["line_number"] == 1
    assert order["lines"][0]["variant"]["sku"] == "HP-SPX360"
    assert order["lines"][0]["unit_price"] == "999.00"
    assert response.headers["location"] == f"/v1/orders/{order['id']}"
    assert response.headers["etag"] == f'"{order["version"]}"'

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


async def test_read_only_and_unknown_fields_are_refused(tenant: Tenant) -> None:
    body = order_body(id="x", status="shipped", colour="red")
    response = await tenant.client.post("/v1/orders", json=body)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    errors = {e["pointer"]: e["code"] for e in response.json()["errors"]}
    assert errors == {"/id": "read_only", "/status": "read_only", "/colour": "unknown_field"}


async def test_every_field_error_is_reported_with_a_pointer(tenant: Tenant) -> None:
    body = order_body(metadata={"Sales Channel": "x"}, incoterm="XYZ")
    body["ship_to"] = {**body["ship_to"], "country": "Narnia"}  # type: ignore[dict-item]
    body["lines"] = [{"sku": "A", "quantity": 0}, {"sku": "B", "quantity": 1.5}]
    problem = (await tenant.client.post("/v1/orders", json=body)).json()
    pointers = {e["pointer"] for e in problem["errors"]}
    assert {"/ship_to/country", "/lines/0/quantity", "/lines/1/quantity", "/incoterm"} <= pointers
    assert any(p.startswith("/metadata") for p in pointers)
    assert problem["status"] == 422 and problem["code"] == "validation_failed"


async def test_addresses_are_normalized_by_the_field_libraries(tenant: Tenant) -> None:
    body = order_body()
    body["ship_to"] = {
        "name": "Jan Jansen",
        "street": "Keizersgracht",
        "house_number": "12",
        "house_number_addition": "A",
        "city": "Amsterdam",
        "postal_code": "1015 CX",
        "country": "NLD",
        "phone": "020 123 4567",
        "email": "Jan@Example.COM",
    }
    order = (await tenant.client.post("/v1/orders", json=body)).json()
    assert order["ship_to"]["country"] == "NL"
    assert order["ship_to"]["phone"] == "+31201234567"
    assert order["ship_to"]["email"] == "Jan@example.com"


async def test_us_state_must_be_real(tenant: Tenant) -> None:
    body = order_body()
    body["ship_to"] = {**body["ship_to"], "state": "ZZ"}  # type: ignore[dict-item]
    problem = (await tenant.client.post("/v1/orders", json=body)).json()
    assert [e["pointer"] for e in problem["errors"]] == ["/ship_to/state"]


async def test_duplicate_reference_names_the_existing_order(tenant: Tenant) -> None:
    first = (await tenant.client.post("/v1/orders", json=order_body("DUP-1"))).json()
    response = await tenant.client.post("/v1/orders", json=order_body("DUP-1"))
    assert response.status_code == 409
    assert response.json()["existing_order_id"] == first["id"]


async def test_same_reference_in_another_organization_is_fine(tenant: Tenant, other_tenant: Tenant) -> None:
    assert (await tenant.client.post("/v1/orders", json=order_body("SHARED"))).status_code == 201
    assert (await other_tenant.client.post("/v1/orders", json=order_body("SHARED"))).status_code == 201


async def test_dry_run_validates_without_storing(tenant: Tenant) -> None:
    response = await tenant.client.post("/v1/orders?dry_run=true", json=order_body("DRY-1"))
    assert response.status_code == 200
    assert response.json()["status"] == "received" and response.json()["number"] is None
    listed = (await tenant.client.get("/v1/orders")).json()
    assert listed["items"] == []
    assert (await tenant.client.post("/v1/orders", json=order_body("DRY-1"))).status_code == 201


async def test_unknown_warehouse_is_a_field_error(tenant: Tenant) -> None:
    problem = (await tenant.client.post("/v1/orders", json=order_body(warehouse_code="NOPE"))).json()
    assert problem["errors"][0]["pointer"] == "/warehouse_code"


async def test_default_warehouse_is_used_when_left_out(tenant: Tenant) -> None:
    body = order_body()
    del body["warehouse_code"]
    order = (await tenant.client.post("/v1/orders", json=body)).json()
    assert order["warehouse_code"] == "LAW"
