"""Articles over the catalog and stock over stock levels, as eWarehousing integrations use them."""

from __future__ import annotations

import copy
from typing import Any

import httpx
import pytest

from tests.conftest import STOCKED, WAREHOUSE, Tenant
from tests.dialects.ewarehousing import examples as ex

ARTICLE: dict[str, Any] = {
    "name": "T-shirt",
    "variants": [
        {
            "name": "T-shirt M blue",
            "article_code": "TS-M-BLUE",
            "description": "Blue T-shirt size M",
            "ean": "4006381333931",
            "sku": "TS-M",
            "hs_tariff_code": "61091000",
            "height": 2,
            "depth": 40,
            "width": 30,
            "weight": 250,
            "expirable": False,
            "country_of_origin": "PT",
            "using_serial_numbers": True,
        }
    ],
}


async def test_create_get_and_update_an_article(wms: httpx.AsyncClient, tenant: Tenant) -> None:
    created = await wms.post("/wms/articles/", json=ARTICLE)
    assert created.status_code == 201, created.text
    article = created.json()
    assert article["name"] == "T-shirt M blue"  # one name: the variant's when it has one
    [variant] = article["variants"]
    assert variant == {
        "id": article["id"],
        **{
            k: v for k, v in ARTICLE["variants"][0].items() if k not in ("height", "depth", "width", "weight")
        },
        "height": "2",
        "depth": "40",
        "width": "30",
        "weight": "250",
        "value": 0,
    }
    assert (await wms.get(f"/wms/articles/{article['id']}/")).json() == article
    native = (await tenant.client.get(f"/v1/products/{article['id']}")).json()
    assert (native["sku"], native["article_code"], native["ean"], native["hs_code"]) == (
        "TS-M",
        "TS-M-BLUE",
        "4006381333931",
        "61091000",
    )
    assert (native["weight"], native["weight_unit"], native["length"], native["dim_unit"]) == (
        "250",
        "g",
        "40",
        "cm",
    )
    patch = {"variants": [{"weight": 300, "ean": "036000291452", "description": None}]}
    updated = await wms.patch(f"/wms/articles/{article['id']}", json=patch)
    assert updated.status_code == 200, updated.text
    variant = updated.json()["variants"][0]
    assert (variant["weight"], variant["ean"], variant["description"], variant["sku"]) == (
        "300",
        "036000291452",
        None,
        "TS-M",
    )
    assert (await tenant.client.get(f"/v1/products/{article['id']}")).json()["upc"] == "036000291452"
    renamed = (await wms.patch(f"/wms/articles/{article['id']}/", json={"name": "Tee"})).json()
    assert renamed["name"] == renamed["variants"][0]["name"] == "Tee"


async def test_products_in_other_units_are_answered_in_grams_and_centimetres(
    wms: httpx.AsyncClient, tenant: Tenant
) -> None:
    product = {
        "sku": "BOX",
        "name": "Box",
        "weight": "2",
        "weight_unit": "lb",
        "length": "10",
        "dim_unit": "in",
    }
    created = (await tenant.client.post("/v1/products", json=product)).json()
    variant = (await wms.get(f"/wms/articles/{created['id']}")).json()["variants"][0]
    assert (variant["weight"], variant["depth"], variant["article_code"]) == ("907.18474", "25.4", "BOX")


async def test_list_articles_filters_and_pages(wms: httpx.AsyncClient, tenant: Tenant) -> None:
    everything = (await wms.get("/wms/articles/")).json()
    assert [a["variants"][0]["sku"] for a in everything] == ["HP-SPX360", "A-1", "B-2"]
    page_two = (await wms.get("/wms/articles/?limit=2&page=2")).json()
    assert [a["variants"][0]["sku"] for a in page_two] == ["B-2"]
    assert (await wms.get("/wms/articles/?limit=2&page=3")).json() == []
    assert [a["name"] for a in (await wms.get("/wms/articles/?sku=A-1")).json()] == ["Product A-1"]
    assert (await wms.get("/wms/articles/?article_code=NOPE")).json() == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"variants": []}, "variants"),
        ({"variants": [{"sku": "X"}, {"sku": "Y"}]}, "variants"),
        ({"variants": [{"name": "no code"}]}, "variants[0].sku"),
        ({"variants": [{"sku": "X", "value": 1999}]}, "variants[0].value"),
        ({"variants": [{"sku": "X", "ean": "123"}]}, "variants[0].ean"),
        ({"variants": [{"sku": "X", "weight": -1}]}, "variants[0].weight"),
        ({"variants": [{"sku": "X", "country_of_origin": "Narnia"}]}, "variants[0].country_of_origin"),
        ({"variants": [{"sku": "A-1"}]}, "variants[0].sku"),
        ({"name": ""}, "name"),
    ],
)
async def test_article_refusals(wms: httpx.AsyncClient, change: dict[str, Any], field: str) -> None:
    body = {**copy.deepcopy(ARTICLE), **change}
    response = await wms.post("/wms/articles/", json=body)
    assert response.status_code == 400, response.text
    assert field in response.json()["errors"], response.json()


async def test_an_article_releases_orders_held_for_its_code(wms: httpx.AsyncClient, tenant: Tenant) -> None:
    await tenant.client.patch("/v1/organization", json={"settings": {"unknown_sku_policy": "accept"}})
    body = copy.deepcopy(ex.CREATE_REQUEST)
    body["order_lines"][0]["article_code"] = "TS-M-BLUE"
    order = (await wms.post("/wms/orders/", json=body, headers={"expand": "order_lines"})).json()
    assert order["status"] == "on_hold"
    assert order["order_lines"][0]["variant"] == {"id": None, "article_code": "TS-M-BLUE", "name": None}
    await wms.post("/wms/articles/", json=ARTICLE)
    # no stock yet: the order is released and waits for a receipt
    assert (await wms.get(f"/wms/orders/{order['id']}/")).json()["status"] == "backorder"


async def test_stock_of_the_warehouse(
    wms: httpx.AsyncClient, tenant: Tenant, page_article: dict[str, Any]
) -> None:
    await wms.post("/wms/orders/", json=ex.CREATE_REQUEST)  # allocates 2 of the page's article
    rows = {row["sku"]: row for row in (await wms.get("/wms/stock/")).json()}
    assert set(rows) == {"HP-SPX360", "A-1", "B-2", ex.ARTICLE}
    row = rows[ex.ARTICLE]
    assert {k: row[k] for k in row if k.startswith("stock_")} == {
        "stock_physical": 100,
        "stock_salable": 98,
        "stock_available": 98,
        "stock_quarantine": 0,
        "stock_pickable": 100,
    }
    assert (row["id"], row["article_code"], row["variant"]["id"]) == (
        page_article["id"],
        ex.ARTICLE,
        page_article["id"],
    )
    assert row["modified_at"].endswith("+00:00")
    only = (await wms.get("/wms/stock/?sku=A-1")).json()
    assert [(r["sku"], r["stock_physical"]) for r in only] == [("A-1", STOCKED)]
    assert (await wms.get("/wms/stock/?article_code=NOPE")).json() == []
    assert (await wms.get("/wms/stock/?modified_gte=2999-01-01")).json() == []
    assert len((await wms.get("/wms/stock/?limit=3&page=2")).json()) == 1
    assert (await wms.get("/wms/stock/", headers={"x-wms-code": WAREHOUSE.lower()})).status_code == 200
