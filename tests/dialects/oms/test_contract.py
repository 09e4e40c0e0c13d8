"""Pitney Bowes OMS contract: the page's sample replayed, its answer and rules checked."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import httpx
import pytest

from tests.conftest import Tenant
from tests.dialects.oms import examples as ex

URL = "/compat/oms/api/v1/orders"


@pytest.fixture
async def oms(tenant: Tenant, anonymous: httpx.AsyncClient) -> httpx.AsyncClient:
    for sku in (ex.SKU, ex.CUSTOM_PRODUCT):
        response = await tenant.client.post("/v1/products", json={"sku": sku, "name": sku})
        assert response.status_code == 201, response.text
    anonymous.headers["authorization"] = f"Bearer {tenant.key}"
    return anonymous


def body(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(ex.CREATE_ORDER)
    data.update(changes)
    return data


async def test_create_order_answers_as_the_page_shows(oms: httpx.AsyncClient) -> None:
    response = await oms.post(URL, json=ex.CREATE_ORDER)
    assert response.status_code == 200, response.text
    data = response.json()
    assert set(data) == {"orderId", "orderNumber", "status", "transactionCreateDate"}
    assert (data["orderNumber"], data["status"]) == ("ORD12346", "Success")
    stamp = data["transactionCreateDate"]
    assert stamp.endswith("Z") and len(stamp) == len("2026-01-30T10:53:24.554Z")
    dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))


async def test_get_answers_the_order_unfulfilled(oms: httpx.AsyncClient) -> None:
    created = (await oms.post(URL, json=ex.CREATE_ORDER)).json()
    response = await oms.get(f"{URL}/{created['orderId']}")
    assert response.status_code == 200, response.text
    order = response.json()
    assert order["status"] == "unfulfilled" and order["orderId"] == created["orderId"]
    assert order["transactionCreateDate"] == created["transactionCreateDate"]
    for key in (
        "orderMessage",
        "metadata",
        "charges",
        "shippingReference",
        "customerInfo",
        "shippingPreferences",
    ):
        assert order[key] == ex.CREATE_ORDER[key], key
    sent_to = ex.CREATE_ORDER["toAddress"]
    assert order["toAddress"] == {
        **{k: v for k, v in sent_to.items() if k != "phone"},
        "phone": order["toAddress"]["phone"],
        "addressLines": [sent_to["addressLine1"], sent_to["addressLine2"], sent_to["addressLine3"]],
    }
    assert order["items"] == [
        {"customProductId": ex.CUSTOM_PRODUCT, "sku": ex.CUSTOM_PRODUCT, "quantity": 1},
        {"sku": ex.SKU, "name": "Mug", "quantity": 2, "unitPrice": 45},
    ]
    assert order["additionalAddresses"] == [
        {**ex.CREATE_ORDER["additionalAddresses"][0], "addressLine1": "1 Main St"}
    ]
    assert order["shipments"] == []


async def test_order_is_the_same_order_in_the_native_api(oms: httpx.AsyncClient, tenant: Tenant) -> None:
    created = (await oms.post(URL, json=ex.CREATE_ORDER)).json()
    order = (await tenant.client.get(f"/v1/orders/{created['orderId']}")).json()
    assert order["external_reference"] == "ORD12346"
    assert order["gift_message"] == "Happy Birthday! Enjoy your gift."
    assert (order["currency"], order["order_amount"]) == ("USD", "100")
    assert order["charges"] == [
        {"type": "subTotal", "amount": "90", "currency": None},
        {"type": "totalPaid", "amount": "100", "currency": None},
    ]
    assert order["buyer"] == {
        "name": "John Doe",
        "email": "john.doe@example.com",
        "phone": None,
        "customer_id": "CUST12345",
    }
    assert order["internal_note"] == "Handle with care"
    assert {"key": "shipperReference", "value": "Shipper123"} in order["references"]
    assert order["ship_to"]["city"] == "Vancouver" and order["ship_to"]["residential"] is True
    assert order["ship_from"]["address3"] == "Near City Park"
    assert order["transport_detail"] == {"carrier_code": "USPS", "service_level_code": "PM"}
    assert [(line["sku"], line["quantity"]) for line in order["lines"]] == [
        (ex.CUSTOM_PRODUCT, 1),
        (ex.SKU, 2),
    ]
    assert order["additional_addresses"][0]["type"] == "billing"
    assert order["metadata"]["oms-billing-status"] == "Paid"


async def test_address_lines_array_is_the_address_object(oms: httpx.AsyncClient) -> None:
    to = {k: v for k, v in ex.CREATE_ORDER["toAddress"].items() if not k.startswith("addressLine")}
    to["addressLines"] = ["1822 Franklin Street", "Unit 3"]
    created = (await oms.post(URL, json=body(toAddress=to))).json()
    order = (await oms.get(f"{URL}/{created['orderId']}")).json()
    assert order["toAddress"]["addressLines"] == ["1822 Franklin Street", "Unit 3"]


async def test_minimal_order_and_unknown_fields_are_kept(oms: httpx.AsyncClient) -> None:
    minimal = {
        "orderNumber": "MIN-1",
        "fromAddress": {"countryCode": "US"},
        "toAddress": {
            "name": "Jane",
            "addressLines": ["1 Main St"],
            "cityTown": "Austin",
            "countryCode": "US",
            "giftWrap": True,
        },
        "items": [{"sku": ex.SKU, "quantity": 1, "color": "blue"}],
        "salesChannel": {"name": "shop"},
    }
    created = await oms.post(URL, json=minimal)
    assert created.status_code == 200, created.text
    order = (await oms.get(f"{URL}/{created.json()['orderId']}")).json()
    assert order["salesChannel"] == {"name": "shop"}
    assert order["toAddress"]["giftWrap"] is True and order["items"][0]["color"] == "blue"


def errors(response: httpx.Response, status: int) -> list[dict[str, Any]]:
    assert response.status_code == status, response.text
    data = response.json()
    assert isinstance(data, list) and data
    for error in data:
        assert {"errorCode", "message"} <= set(error)
    return data  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("change", "parameter"),
    [
        ({"orderNumber": None}, "orderNumber"),
        ({"fromAddress": None}, "fromAddress"),
        ({"toAddress": None}, "toAddress"),
        ({"items": []}, "items"),
        ({"items": [{"name": "no id"}]}, "items"),
        ({"items": [{"sku": ex.SKU}]}, "items"),
        ({"items": [{"sku": ex.SKU, "quantity": 0}]}, "items quantity"),
        ({"items": [{"sku": "NO-SUCH", "quantity": 1}]}, "items sku"),
        ({"toAddress": {**ex.CREATE_ORDER["toAddress"], "countryCode": "XX"}}, "toAddress countryCode"),
        ({"toAddress": {**ex.CREATE_ORDER["toAddress"], "stateProvince": "ZZ"}}, "toAddress stateProvince"),
        (
            {"toAddress": {**ex.CREATE_ORDER["toAddress"], "addressLines": ["a", "b", "c", "d"]}},
            "toAddress addressLines",
        ),
        ({"charges": {"currency": "EURO"}}, "charges currency"),
        ({"charges": {"gmv": "lots"}}, "charges gmv"),
        ({"customerInfo": {"email": "not-an-email"}}, "customerInfo email"),
        ({"metadata": [{"value": "x"}]}, "metadata name"),
    ],
)
async def test_refusals_are_400_in_pitney_bowes_shape(
    oms: httpx.AsyncClient, change: dict[str, Any], parameter: str
) -> None:
    data = body(**change)
    data = {k: v for k, v in data.items() if v is not None}
    found = errors(await oms.post(URL, json=data), 400)
    assert parameter in [p for e in found for p in e["parameters"]], found


async def test_a_duplicate_order_number_is_400(oms: httpx.AsyncClient) -> None:
    assert (await oms.post(URL, json=ex.CREATE_ORDER)).status_code == 200
    [error] = errors(await oms.post(URL, json=ex.CREATE_ORDER), 400)
    assert error["errorCode"] == "duplicate.order"


async def test_unified_error_structure_on_request(oms: httpx.AsyncClient) -> None:
    response = await oms.post(URL, json=body(items=[]), headers={"X-PB-UnifiedErrorStructure": "true"})
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert set(error) == {"errorCode", "errorDescription", "additionalInfo", "parameters"}
    assert error["errorCode"] == "validation.failed" and error["parameters"] == ["items"]


@pytest.mark.parametrize("raw", [b"", b"{", b"[]", b"null"])
async def test_malformed_bodies(oms: httpx.AsyncClient, raw: bytes) -> None:
    errors(await oms.post(URL, content=raw, headers={"content-type": "application/json"}), 400)


async def test_auth(
    anonymous: httpx.AsyncClient, tenant: Tenant, other_tenant: Tenant, operator_key: str
) -> None:
    for headers in ({}, {"authorization": "Bearer nope"}, {"authorization": f"Basic {tenant.key}"}):
        assert (
            errors(await anonymous.post(URL, json=ex.CREATE_ORDER, headers=headers), 401)[0]["errorCode"]
            == "unauthorized"
        )
    operator = {"authorization": f"Bearer {operator_key}"}
    errors(await anonymous.get(f"{URL}/00000000-0000-0000-0000-000000000000", headers=operator), 401)
    acting = operator | {"organization-slug": tenant.slug}
    errors(await anonymous.get(f"{URL}/00000000-0000-0000-0000-000000000000", headers=acting), 404)


async def test_other_organizations_orders_are_not_found(oms: httpx.AsyncClient, other_tenant: Tenant) -> None:
    created = (await oms.post(URL, json=ex.CREATE_ORDER)).json()
    errors(await other_tenant.client.get(f"{URL}/{created['orderId']}"), 404)
    errors(await other_tenant.client.get(f"{URL}/not-an-id"), 404)
