"""The catalog API: products with identifiers unique per organization, and bulk import."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.conftest import Tenant


def product(sku: str, **fields: Any) -> dict[str, Any]:
    return {"sku": sku, "name": f"Product {sku}", **fields}


async def test_create_get_update_delete(tenant: Tenant) -> None:
    body = product(
        "TSHIRT-M",
        article_code="ART-1",
        ean="4006381333931",
        upc="036000291452",
        weight="0.25",
        weight_unit="KG",
        length="30",
        width="20",
        height="2",
        dim_unit="cm",
        hs_code="6109.10",
        country_of_origin="Portugal",
        serial_tracked=True,
    )
    created = await tenant.client.post("/v1/products", json=body)
    assert created.status_code == 201, created.text
    p = created.json()
    assert (p["weight"], p["weight_unit"], p["country_of_origin"]) == ("0.25", "kg", "PT")
    url = f"/v1/products/{p['id']}"
    assert (await tenant.client.get(url)).json() == p
    patched = (await tenant.client.patch(url, json={"name": "T-shirt M", "upc": None})).json()
    assert (patched["name"], patched["upc"], patched["ean"]) == ("T-shirt M", None, "4006381333931")
    assert (await tenant.client.delete(url)).status_code == 204
    assert (await tenant.client.get(url)).status_code == 404


async def test_check_digits_are_validated(tenant: Tenant) -> None:
    response = await tenant.client.post("/v1/products", json=product("X", ean="4006381333932", upc="12345"))
    assert response.status_code == 422
    assert {e["pointer"] for e in response.json()["errors"]} == {"/ean", "/upc"}


async def test_identifiers_are_unique_across_fields(tenant: Tenant) -> None:
    first = (await tenant.client.post("/v1/products", json=product("CUP", article_code="ART-CUP"))).json()
    same_sku = await tenant.client.post("/v1/products", json=product("CUP"))
    assert same_sku.status_code == 409
    assert same_sku.json()["existing_product_id"] == first["id"]
    sku_is_other_article_code = await tenant.client.post("/v1/products", json=product("ART-CUP"))
    assert sku_is_other_article_code.status_code == 409
    assert sku_is_other_article_code.json()["errors"][0]["pointer"] == "/sku"


async def test_the_same_sku_created_twice_at_once_gives_one_product(tenant: Tenant) -> None:
    """Both requests pass the identifier check before either writes (PostgreSQL runs them at
    once); the unique key refuses the second: 409, never 500."""
    answers = await asyncio.gather(
        *(tenant.client.post("/v1/products", json=product("TWIN")) for _ in range(2))
    )
    assert sorted(a.status_code for a in answers) == [201, 409], [a.text for a in answers]
    listed = (await tenant.client.get("/v1/products?limit=200")).json()["items"]
    assert [p["sku"] for p in listed].count("TWIN") == 1


async def test_another_organization_may_use_the_same_sku(tenant: Tenant, other_tenant: Tenant) -> None:
    mine = (await tenant.client.post("/v1/products", json=product("MUG"))).json()
    assert (await other_tenant.client.post("/v1/products", json=product("MUG"))).status_code == 201
    assert (await other_tenant.client.get(f"/v1/products/{mine['id']}")).status_code == 404


async def test_list_and_find_by_any_code(tenant: Tenant) -> None:
    await tenant.client.post("/v1/products", json=product("PEN", ean="4006381333931"))
    by_ean = (await tenant.client.get("/v1/products?code=4006381333931")).json()["items"]
    assert [p["sku"] for p in by_ean] == ["PEN"]
    first = (await tenant.client.get("/v1/products?limit=2")).json()
    rest = (await tenant.client.get(f"/v1/products?limit=2&cursor={first['next_cursor']}")).json()
    skus = [p["sku"] for p in first["items"] + rest["items"]]
    assert sorted(skus) == ["A-1", "B-2", "HP-SPX360", "PEN"]


async def test_product_with_stock_cannot_be_deleted(tenant: Tenant) -> None:
    held = (await tenant.client.get("/v1/products?code=A-1")).json()["items"][0]
    response = await tenant.client.delete(f"/v1/products/{held['id']}")
    assert response.status_code == 409


async def test_bulk_import_reports_each_row(tenant: Tenant) -> None:
    rows = [product("NEW-1"), {"sku": "NEW-2"}, product("A-1", name="Renamed"), product("NEW-3", ean="1")]
    response = await tenant.client.post("/v1/products/import", json={"products": rows})
    assert response.status_code == 200, response.text
    body = response.json()
    assert [r["status"] for r in body["results"]] == ["created", "error", "updated", "error"]
    assert body["results"][1]["errors"][0]["pointer"] == "/name"
    assert (body["created"], body["updated"], body["error"]) == (1, 1, 2)
    renamed = (await tenant.client.get("/v1/products?code=A-1")).json()["items"][0]
    assert renamed["name"] == "Renamed"
