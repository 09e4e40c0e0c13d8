"""Every rule of the XPS Ship field table with a failing example, in ``{error, errorCategory}``."""

from __future__ import annotations

import copy
from typing import Any

import httpx
import pytest

from tests.conftest import Tenant
from tests.dialects.webship import examples as ex
from tests.dialects.webship.test_contract import body, url, xps  # noqa: F401 (fixture)

REQUIRED = [
    "orderId",
    "orderDate",
    "orderNumber",
    "fulfillmentStatus",
    "shippingService",
    "shippingTotal",
    "weightUnit",
    "dimUnit",
    "dueByDate",
    "orderGroup",
    "sender",
    "receiver",
    "items",
    "packages",
]
PARTY_REQUIRED = ["name", "address1", "city", "state", "zip", "country"]


def refusal(response: httpx.Response, status: int, category: str) -> str:
    assert response.status_code == status, response.text
    data = response.json()
    assert set(data) == {"error", "errorCategory"} and data["errorCategory"] == category
    return data["error"]  # type: ignore[no-any-return]


def changed(path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    data = copy.deepcopy(ex.PUT_ORDER)
    node: Any = data
    for part in path[:-1]:
        node = node[part]
    if value is KeyError:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return data


@pytest.mark.parametrize("field", REQUIRED)
async def test_required_fields(xps: httpx.AsyncClient, tenant: Tenant, field: str) -> None:  # noqa: F811
    error = refusal(await xps.put(url(tenant), json=changed((field,), KeyError)), 400, "validation")
    assert f"/{field}" in error


@pytest.mark.parametrize("party", ["sender", "receiver"])
@pytest.mark.parametrize("field", PARTY_REQUIRED)
async def test_required_party_fields(xps: httpx.AsyncClient, tenant: Tenant, party: str, field: str) -> None:  # noqa: F811
    error = refusal(await xps.put(url(tenant), json=changed((party, field), KeyError)), 400, "validation")
    assert f"/{party}/{field}" in error


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("fulfillmentStatus",), "shipped"),
        (("weightUnit",), "oz"),
        (("dimUnit",), "mm"),
        (("orderDate",), "yesterday"),
        (("dueByDate",), "2016-02-30"),
        (("shippingTotal",), "eight"),
        (("sender", "state"), "Utah"),
        (("receiver", "state"), "U"),
        (("returnTo", "state"), "XX"),
        (("receiver", "country"), "USA"),
        (("sender", "country"), "ZZ"),
        (("returnTo", "country"), "United States"),
        (("sender", "phone"), "801-504"),
        (("receiver", "phone"), "+44 20 7946 0958"),
        (("items", 0, "price"), "3,99"),
        (("items", 0, "quantity"), "2"),
        (("items", 0, "quantity"), 1.5),
        (("items", 0, "weight"), True),
        (("items", 0, "countryOfOrigin"), "USA"),
        (("packages", 0, "weight"), 0.5),
        (("packages", 0, "length"), "six"),
        (("packages", 0, "declaredValue"), "10.00"),
        (("packages", 0, "insuranceAmount"), "-1"),
    ],
)
async def test_field_rules(xps: httpx.AsyncClient, tenant: Tenant, path: tuple[Any, ...], value: Any) -> None:  # noqa: F811
    error = refusal(await xps.put(url(tenant), json=changed(path, value)), 400, "validation")
    assert "/" + "/".join(str(p) for p in path) in error


async def test_order_id_must_match_the_url(xps: httpx.AsyncClient, tenant: Tenant) -> None:  # noqa: F811
    error = refusal(await xps.put(url(tenant, "123456"), json=ex.PUT_ORDER), 400, "validation")
    assert "/orderId" in error


async def test_declared_value_is_for_international_shipments(xps: httpx.AsyncClient, tenant: Tenant) -> None:  # noqa: F811
    abroad = changed(("packages", 0, "declaredValue"), "10.00")
    abroad["receiver"].update({"country": "CA", "state": "BC", "city": "Vancouver", "zip": "V5L 1P8"})
    response = await xps.put(url(tenant), json=abroad)
    assert response.status_code == 201, response.text
    assert (await xps.get(url(tenant))).json()["packages"][0]["declaredValue"] == "10.00"


async def test_state_is_free_text_outside_us_and_canada(xps: httpx.AsyncClient, tenant: Tenant) -> None:  # noqa: F811
    abroad = copy.deepcopy(ex.PUT_ORDER)
    abroad["receiver"].update(
        {"country": "GB", "state": "Greater London", "city": "London", "zip": "SW1A 1AA"}
    )
    abroad["receiver"]["phone"] = "+44 20 7946 0958"
    response = await xps.put(url(tenant), json=abroad)
    assert response.status_code == 201, response.text


async def test_nullable_fields_may_be_null(xps: httpx.AsyncClient, tenant: Tenant) -> None:  # noqa: F811
    nulls = body(
        orderNumber=None,
        shippingService=None,
        shippingTotal=None,
        weightUnit=None,
        dimUnit=None,
        dueByDate=None,
        orderGroup=None,
        packages=None,
    )
    nulls["items"][0].update({"weight": None, "imgUrl": None, "htsNumber": None})
    response = await xps.put(url(tenant), json=nulls)
    assert response.status_code == 201, response.text
    assert (await xps.get(url(tenant))).json() == nulls | {
        "items": [{**nulls["items"][0], "weight": None}],
    }


async def test_what_wareflow_cannot_take_is_422(xps: httpx.AsyncClient, tenant: Tenant) -> None:  # noqa: F811
    unknown = changed(("items", 0, "sku"), "NO-SUCH-SKU")
    assert "/items/0/sku" in refusal(await xps.put(url(tenant), json=unknown), 422, "unprocessable")
    empty = body(items=None)
    assert "/items" in refusal(await xps.put(url(tenant), json=empty), 422, "unprocessable")


@pytest.mark.parametrize("raw", [b"", b"{", b"[]", b'"x"', b"\xff\xfe"])
async def test_malformed_bodies(xps: httpx.AsyncClient, tenant: Tenant, raw: bytes) -> None:  # noqa: F811
    response = await xps.put(url(tenant), content=raw, headers={"content-type": "application/json"})
    refusal(response, 400, "validation")


async def test_too_long_integration_id(xps: httpx.AsyncClient, tenant: Tenant) -> None:  # noqa: F811
    refusal(await xps.put(url(tenant, integration="9" * 101), json=ex.PUT_ORDER), 400, "validation")
