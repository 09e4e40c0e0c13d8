"""XPS Ship contract: the page's Put Order replayed, its field table's rules, DELETE, search."""

from __future__ import annotations

import copy
from typing import Any

import httpx
import pytest

from tests.conftest import Tenant
from tests.dialects.webship import examples as ex


@pytest.fixture
async def xps(tenant: Tenant, anonymous: httpx.AsyncClient) -> httpx.AsyncClient:
    response = await tenant.client.post("/v1/products", json={"sku": ex.SKU, "name": "Socks"})
    assert response.status_code == 201, response.text
    anonymous.headers["authorization"] = f"RSIS {tenant.key}"
    return anonymous


def url(tenant: Tenant, order_id: str = "123ABC", integration: str = ex.INTEGRATION) -> str:
    return f"/compat/webship/restapi/v1/customers/{tenant.slug}/integrations/{integration}/orders/{order_id}"


def body(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(ex.PUT_ORDER)
    data.update(changes)
    return data


async def native(tenant: Tenant, reference: str = "123ABC") -> dict[str, Any]:
    items = (await tenant.client.get(f"/v1/orders?external_reference={reference}")).json()["items"]
    assert len(items) == 1
    return items[0]  # type: ignore[no-any-return]


async def test_put_order_example_answers_201_ok(xps: httpx.AsyncClient, tenant: Tenant) -> None:
    response = await xps.put(url(tenant), json=ex.PUT_ORDER)
    assert response.status_code == 201, response.text
    assert response.json() == {"ok": True}


async def test_put_order_is_the_same_order_in_the_native_api(xps: httpx.AsyncClient, tenant: Tenant) -> None:
    await xps.put(url(tenant), json=ex.PUT_ORDER)
    order = await native(tenant)
    assert order["status"] == "backordered"  # no socks in stock yet
    assert (order["invoice_number"], order["shipping_method"], order["shipping_total"]) == (
        "abc123",
        "Standard",
        "8.24",
    )
    assert (order["due_by_date"], order["content_description"]) == ("2016-04-26", "Stuff and things")
    assert order["ship_to"]["name"] == "Alice Janson" and order["ship_to"]["company"] is None
    assert order["ship_to"]["postal_code"] == "84106" and order["ship_to"]["state"] == "UT"
    assert order["ship_from"]["company"] == "Jones Co." and order["return_to"]["city"] == "American Fork"
    line = order["lines"][0]
    assert (line["sku"], line["quantity"], line["unit_price"], line["weight"], line["weight_unit"]) == (
        ex.SKU,
        2,
        "3.99",
        "0.5",
        "lb",
    )
    assert (line["product_id"], line["description"], line["hs_code"], line["pick_location"]) == (
        "856673",
        "Socks",
        "555555",
        "100-03S",
    )
    assert order["metadata"]["webship-order-group"] == "Workstation 1"
    assert order["metadata"]["webship-integration-id"] == ex.INTEGRATION


async def test_get_reads_back_what_was_put(xps: httpx.AsyncClient, tenant: Tenant) -> None:
    await xps.put(url(tenant), json=ex.PUT_ORDER)
    response = await xps.get(url(tenant))
    assert response.status_code == 200, response.text
    assert response.json() == ex.PUT_ORDER


async def test_second_put_replaces_the_order(xps: httpx.AsyncClient, tenant: Tenant) -> None:
    await xps.put(url(tenant), json=ex.PUT_ORDER)
    changed = body(shippingService="Expedited", items=[{**ex.PUT_ORDER["items"][0], "quantity": 5}])
    del changed["returnTo"], changed["contentDescription"]
    response = await xps.put(url(tenant), json=changed)
    assert response.status_code == 201 and response.json() == {"ok": True}
    order = await native(tenant)
    assert order["shipping_method"] == "Expedited" and order["lines"][0]["quantity"] == 5
    assert order["return_to"] is None and order["content_description"] is None
    assert (await xps.get(url(tenant))).json() == changed


async def test_integration_is_registered_on_first_use(xps: httpx.AsyncClient, tenant: Tenant) -> None:
    assert (await tenant.client.get("/v1/integrations")).json()["items"] == []
    await xps.put(url(tenant), json=ex.PUT_ORDER)
    await xps.put(url(tenant), json=ex.PUT_ORDER)
    await xps.put(url(tenant, "B-1", integration="9999"), json=body(orderId="B-1"))
    items = (await tenant.client.get("/v1/integrations")).json()["items"]
    assert [(i["dialect"], i["external_id"]) for i in items] == [("webship", "3214"), ("webship", "9999")]


async def test_delete_removes_an_order_before_picking(xps: httpx.AsyncClient, tenant: Tenant) -> None:
    await xps.put(url(tenant), json=ex.PUT_ORDER)
    response = await xps.delete(url(tenant))
    assert response.status_code == 200 and response.json() == {"ok": True}
    assert (await native(tenant))["status"] == "canceled"
    gone = await xps.delete(url(tenant))
    assert gone.status_code == 404 and gone.json()["errorCategory"] == "not_found"
    assert (await xps.get(url(tenant))).status_code == 404
    again = await xps.put(url(tenant), json=ex.PUT_ORDER)
    assert again.status_code == 422 and again.json()["errorCategory"] == "unprocessable"


async def test_search_shipments_by_order_id(xps: httpx.AsyncClient, tenant: Tenant) -> None:
    await xps.put(url(tenant), json=ex.PUT_ORDER)
    search = f"/compat/webship/restapi/v1/customers/{tenant.slug}/searchShipments"
    response = await xps.post(search, json={"keyword": "123ABC"})
    assert response.status_code == 200, response.text
    assert response.json() == {"shipments": []}  # no label yet
    assert (await xps.post(search, json={"keyword": "1Z999"})).json() == {"shipments": []}
    refused = await xps.post(search, json={})
    assert refused.status_code == 400 and refused.json()["errorCategory"] == "validation"


async def test_rsis_auth_and_customer(
    anonymous: httpx.AsyncClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    target = url(tenant)
    for header in (None, "Bearer " + tenant.key, "RSIS", "RSIS wrong-key"):
        headers = {"authorization": header} if header else {}
        response = await anonymous.put(target, json=ex.PUT_ORDER, headers=headers)
        assert response.status_code == 401, header
        assert response.json()["errorCategory"] == "authentication"
    elsewhere = await anonymous.put(
        url(other_tenant), json=ex.PUT_ORDER, headers={"authorization": f"RSIS {tenant.key}"}
    )
    assert elsewhere.status_code == 404 and set(elsewhere.json()) == {"error", "errorCategory"}
    await tenant.client.post("/v1/products", json={"sku": ex.SKU, "name": "Socks"})
    spaced = await anonymous.put(
        target, json=ex.PUT_ORDER, headers={"authorization": f"  rsis   {tenant.key}  "}
    )
    assert spaced.status_code == 201, spaced.text
