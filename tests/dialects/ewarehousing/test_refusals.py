"""Each documented validation rule with a failing example: 400 ``{"errors": {field: [...]}}``
naming the vendor's field. And no input, however malformed, gets a 500."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.dialects.ewarehousing import examples as ex

Body = dict[str, Any]


def without(*path: str | int) -> Callable[[Body], None]:
    def change(body: Body) -> None:
        node: Any = body
        for part in path[:-1]:
            node = node[part]
        del node[path[-1]]

    return change


def setting(value: Any, *path: str | int) -> Callable[[Body], None]:
    def change(body: Body) -> None:
        node: Any = body
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = value

    return change


REFUSED = [
    (without("external_reference"), "external_reference"),
    (without("order_lines"), "order_lines"),
    (setting([], "order_lines"), "order_lines"),
    (without("order_lines", 0, "article_code"), "order_lines[0].article_code"),
    (without("order_lines", 0, "quantity"), "order_lines[0].quantity"),
    (setting(0, "order_lines", 0, "quantity"), "order_lines[0].quantity"),
    (setting(1.5, "order_lines", 0, "quantity"), "order_lines[0].quantity"),
    (without("order_lines", 0, "description"), "order_lines[0].description"),
    (setting("22.99", "order_lines", 0, "price"), "order_lines[0].price"),
    (setting({"Gift Wrap": "yes"}, "order_lines", 0, "meta_data"), "order_lines[0].meta_data"),
    (setting("NOPE-1", "order_lines", 0, "article_code"), "order_lines[0].article_code"),
    (without("shipping_address"), "shipping_address"),
    (without("shipping_address", "street"), "shipping_address.street"),
    (without("shipping_address", "city"), "shipping_address.city"),
    (without("shipping_address", "country"), "shipping_address.country"),
    (setting("Narnia", "shipping_address", "country"), "shipping_address.country"),
    (without("shipping_address", "zipcode"), "shipping_address.zipcode"),
    (without("shipping_address", "addressed_to"), "shipping_address.addressed_to"),
    (without("shipping_contactperson"), "shipping_contactperson"),
    (setting("not-an-email", "shipping_email"), "shipping_email"),
    (without("requested_delivery_date"), "requested_delivery_date"),
    (setting("18-04-2026", "requested_delivery_date"), "requested_delivery_date"),
    (setting("standard", "shipping_method"), "shipping_method"),
    (setting(45.99, "order_amount"), "order_amount"),
    (setting("4599", "assured_amount"), "assured_amount"),
    (setting(-1, "order_amount"), "order_amount"),
    (setting("EXW", "inco_terms"), "inco_terms"),
    (setting("ZZZ", "currency"), "currency"),
    (setting({"Sales Channel": "web"}, "meta_data"), "meta_data"),
    (setting({"nested": {"a": 1}}, "meta_data"), "meta_data"),
    (setting("English", "language"), "language"),
    (setting("x", "business_to_business"), "business_to_business"),
    (
        setting([{"file": "JVBERi0=", "title": "x", "order_price": 5}], "documents"),
        "documents[0].order_price",
    ),
]


@pytest.mark.parametrize(("change", "field"), REFUSED)
async def test_create_refusals_name_the_field(
    wms: httpx.AsyncClient, page_article: dict[str, Any], change: Callable[[Body], None], field: str
) -> None:
    body = copy.deepcopy(ex.CREATE_REQUEST)
    change(body)
    response = await wms.post("/wms/orders/", json=body)
    assert response.status_code == 400, response.text
    errors = response.json()["errors"]
    assert field in errors, errors
    assert all(isinstance(m, str) for m in errors[field])


@pytest.mark.parametrize("country", ["HK", "AE"])
async def test_zipcode_is_not_mandatory_where_there_are_none(
    wms: httpx.AsyncClient, page_article: dict[str, Any], country: str
) -> None:
    body = copy.deepcopy(ex.CREATE_REQUEST)
    del body["shipping_address"]["zipcode"]
    body["shipping_address"]["country"] = country
    assert (await wms.post("/wms/orders/", json=body)).status_code == 201


async def test_duplicate_external_reference(wms: httpx.AsyncClient, page_article: dict[str, Any]) -> None:
    assert (await wms.post("/wms/orders/", json=ex.CREATE_REQUEST)).status_code == 201
    again = await wms.post("/wms/orders/", json=ex.CREATE_REQUEST)
    assert again.status_code == 400
    assert list(again.json()["errors"]) == ["external_reference"]


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"external_reference": "OTHER"}, "external_reference"),
        ({"order_lines": [{"quantity": 1}]}, "order_lines[0].article_code"),
        ({"order_lines": []}, "order_lines"),
        ({"shipping_address": {"country": "Narnia"}}, "shipping_address.country"),
        ({"shipping_address": {"state": "Nowhere", "country": "US"}}, "shipping_address.state"),
        ({"documents": [{"title": "x"}]}, "documents"),
        ({"inco_terms": "FOB"}, "inco_terms"),
        ({"meta_data": {"UPPER": "x"}}, "meta_data"),
        ({"status": "shipped"}, "status"),
    ],
)
async def test_update_refusals_name_the_field(
    wms: httpx.AsyncClient, page_article: dict[str, Any], patch: Body, field: str
) -> None:
    order = (await wms.post("/wms/orders/", json=ex.CREATE_REQUEST)).json()
    response = await wms.patch(f"/wms/orders/{order['id']}/", json=patch)
    assert response.status_code == 400, response.text
    assert field in response.json()["errors"], response.json()


async def test_patch_can_clear_and_move_the_address(
    wms: httpx.AsyncClient, page_article: dict[str, Any]
) -> None:
    order = (await wms.post("/wms/orders/", json=ex.CREATE_REQUEST)).json()
    patch = {
        "note": None,
        "shipping_address": {"street_number": "29", "street2": "Unit B"},
        "external_id": "",
    }
    answer = (
        await wms.patch(f"/wms/orders/{order['id']}/", json=patch, headers={"expand": "shipping_address"})
    ).json()
    assert (answer["note"], answer["external_id"]) == (None, None)
    address = answer["shipping_address"]
    assert (address["street"], address["street_number"], address["street2"]) == (
        "Nijverheidsweg",
        "29",
        "Unit B",
    )


async def test_a_cancelled_order_cannot_be_updated(
    wms: httpx.AsyncClient, page_article: dict[str, Any]
) -> None:
    order = (await wms.post("/wms/orders/", json=ex.CREATE_REQUEST)).json()
    await wms.patch(f"/wms/orders/{order['id']}/cancel/")
    response = await wms.patch(f"/wms/orders/{order['id']}/", json={"note": "too late"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["status"]


async def test_only_created_planned_or_invalid_address_orders_cancel(
    wms: httpx.AsyncClient, page_article: dict[str, Any], tenant: Any
) -> None:
    order = (await wms.post("/wms/orders/", json=ex.CREATE_REQUEST)).json()
    await tenant.client.post(f"/v1/orders/{order['id']}/hold")
    held = (await wms.get(f"/wms/orders/{order['id']}/")).json()
    assert held["status"] == "on_hold"
    response = await wms.patch(f"/wms/orders/{order['id']}/cancel/")
    assert response.status_code == 400
    assert "on_hold" in response.json()["errors"]["status"][0]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?limit=0", "limit"),
        ("?limit=1000", "limit"),
        ("?page=0", "page"),
        ("?sort=colour", "sort"),
        ("?direction=up", "direction"),
        ("?status=lost", "status"),
        ("?requested_delivery_date_gte=tomorrow", "requested_delivery_date_gte"),
        ("?from=yesterday", "from"),
        ("?is_business_to_business=maybe", "is_business_to_business"),
    ],
)
async def test_bad_list_parameters(wms: httpx.AsyncClient, query: str, field: str) -> None:
    response = await wms.get(f"/wms/orders/{query}")
    assert response.status_code == 400
    assert field in response.json()["errors"], response.json()


MALFORMED = [b"", b"{", b"[]", b"null", b'"x"', b"[" * 3000 + b"]" * 3000, b'{"external_reference": "\xff"}']


@pytest.mark.parametrize("raw", MALFORMED)
@pytest.mark.parametrize(
    "method_path", [("POST", "/wms/orders/"), ("POST", "/wms/articles/"), ("POST", "/wms/auth/login/")]
)
async def test_malformed_bodies_get_a_400(
    wms: httpx.AsyncClient, raw: bytes, method_path: tuple[str, str]
) -> None:
    method, path = method_path
    response = await wms.request(method, path, content=raw, headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert "errors" in response.json()


async def test_body_over_the_limit_is_413(wms: httpx.AsyncClient) -> None:
    declared = await wms.post("/wms/orders/", json={**ex.CREATE_REQUEST, "note": "x" * 100_000})
    assert declared.status_code == 413  # refused by the app's body limit before any route runs

    async def chunks():  # type: ignore[no-untyped-def]
        for _ in range(100):
            yield b" " * 1024

    streamed = await wms.post("/wms/orders/", content=chunks(), headers={"content-type": "application/json"})
    assert streamed.status_code == 413
    assert streamed.json()["code"] == 413
