"""Orders reserve real stock: resolution, policies, backorders, receipts, release, the race."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from tests.conftest import STOCKED, Tenant, order_body
from wareflow.catalog.models import Product
from wareflow.db import Database, new_id


async def new_product(tenant: Tenant, sku: str, **fields: Any) -> dict[str, Any]:
    response = await tenant.client.post("/v1/products", json={"sku": sku, "name": f"Product {sku}", **fields})
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def receive(ops: httpx.AsyncClient, sku: str, quantity: int, **extra: Any) -> httpx.Response:
    body = {"warehouse_code": "LAW", "sku": sku, "quantity": quantity, "reason": "receipt", **extra}
    return await ops.post("/v1/stock/adjustments", json=body)


async def level(tenant: Tenant, sku: str) -> dict[str, Any]:
    items = (await tenant.client.get(f"/v1/stock?sku={sku}&warehouse_code=LAW")).json()["items"]
    return items[0] if items else {"on_hand": 0, "allocated": 0, "available": 0}


async def create(tenant: Tenant, lines: list[dict[str, Any]], **fields: Any) -> httpx.Response:
    return await tenant.client.post("/v1/orders", json=order_body(lines=lines, **fields))


async def test_lines_resolve_by_article_code_ean_upc_and_sku(
    tenant: Tenant, operator: httpx.AsyncClient
) -> None:
    p = await new_product(tenant, "SOCK-42", article_code="ART-SOCK", ean="4006381333931", upc="036000291452")
    await receive(operator, "SOCK-42", 10)
    for code in ("ART-SOCK", "4006381333931", "036000291452", "SOCK-42"):
        order = (await create(tenant, [{"sku": code, "quantity": 1}])).json()
        assert order["status"] == "allocated"
        assert order["lines"][0]["variant"] == {
            "id": p["id"],
            "article_code": "ART-SOCK",
            "sku": "SOCK-42",
            "name": "Product SOCK-42",
        }
        assert order["lines"][0]["sku"] == code  # what the merchant sent is kept
    assert (await level(tenant, "SOCK-42"))["allocated"] == 4


async def test_unknown_sku_is_refused_by_default(tenant: Tenant) -> None:
    response = await create(tenant, [{"sku": "A-1", "quantity": 1}, {"sku": "NOPE", "quantity": 1}])
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "pointer": "/lines/1/sku",
            "code": "unknown_sku",
            "message": "No product has the article code, EAN/UPC or SKU 'NOPE'.",
        }
    ]


async def test_accept_policy_holds_until_the_product_exists(
    tenant: Tenant, operator: httpx.AsyncClient
) -> None:
    patched = await tenant.client.patch(
        "/v1/organization", json={"settings": {"unknown_sku_policy": "accept"}}
    )
    assert patched.json()["settings"]["unknown_sku_policy"] == "accept"
    order = (await create(tenant, [{"sku": "A-1", "quantity": 1}, {"sku": "LATER-1", "quantity": 2}])).json()
    assert (order["status"], order["hold_reason"]) == ("on_hold", "unknown_sku")
    assert order["lines"][1]["variant"] is None
    assert (await level(tenant, "A-1"))["allocated"] == 0  # nothing reserved while held
    refused = await tenant.client.post(f"/v1/orders/{order['id']}/release")
    assert refused.status_code == 409
    await new_product(tenant, "LATER-1")
    await receive(operator, "LATER-1", 5)
    now = (await tenant.client.get(f"/v1/orders/{order['id']}")).json()
    assert (now["status"], now["hold_reason"]) == ("allocated", None)
    assert now["lines"][1]["variant"]["sku"] == "LATER-1"


async def store_products(db: Database, tenant: Tenant, *products: dict[str, str]) -> None:
    """Products written straight to the store: the API keeps identifiers unique across fields;
    data loaded around it may not be."""
    async with db.sessions() as session:
        for fields in products:
            session.add(Product(organization_id=tenant.organization_id, id=new_id(), name="p", **fields))
        await session.commit()


async def test_ambiguous_code_is_always_refused(tenant: Tenant, db: Database) -> None:
    await store_products(db, tenant, {"sku": "DUAL"}, {"sku": "OTHER", "article_code": "DUAL"})
    response = await create(tenant, [{"sku": "DUAL", "quantity": 1}])
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "ambiguous_sku"


async def test_a_product_found_by_two_of_its_own_identifiers_is_not_ambiguous(
    tenant: Tenant, operator: httpx.AsyncClient, db: Database
) -> None:
    """Each identifier is looked up on its own: the same product comes back once per match."""
    await store_products(db, tenant, {"sku": "TWICE-1", "article_code": "TWICE-1"})
    await receive(operator, "TWICE-1", 3)
    order = (await create(tenant, [{"sku": "TWICE-1", "quantity": 2}])).json()
    assert order["status"] == "allocated", order
    assert order["lines"][0]["variant"]["sku"] == "TWICE-1"


async def test_short_stock_backorders_without_reserving(tenant: Tenant, operator: httpx.AsyncClient) -> None:
    await new_product(tenant, "RARE")
    await receive(operator, "RARE", 1)
    order = (await create(tenant, [{"sku": "A-1", "quantity": 2}, {"sku": "RARE", "quantity": 2}])).json()
    assert order["status"] == "backordered"
    assert (await level(tenant, "A-1"))["allocated"] == 0  # no half reservations
    assert (await level(tenant, "RARE"))["allocated"] == 0


async def test_a_new_order_reads_back_as_it_was_answered(tenant: Tenant, operator: httpx.AsyncClient) -> None:
    """The row is written once, with the status settling gives it: allocated, backordered, held."""
    await tenant.client.patch("/v1/organization", json={"settings": {"unknown_sku_policy": "accept"}})
    await new_product(tenant, "RARE")
    for lines, status in (
        ([{"sku": "A-1", "quantity": 1}], "allocated"),
        ([{"sku": "RARE", "quantity": 1}], "backordered"),
        ([{"sku": "LATER-2", "quantity": 1}], "on_hold"),
    ):
        answered = await create(tenant, lines)
        assert answered.json()["status"] == status
        read = await tenant.client.get(f"/v1/orders/{answered.json()['id']}")
        assert read.json() == answered.json()
        assert read.headers["etag"] == answered.headers["etag"] == '"2"'


async def test_two_first_receipts_of_a_product_at_once_both_count(
    tenant: Tenant, operator: httpx.AsyncClient
) -> None:
    """Neither may fail on the new stock row the other creates (PostgreSQL runs them at once)."""
    await new_product(tenant, "FRESH")
    answers = await asyncio.gather(*(receive(operator, "FRESH", 2) for _ in range(2)))
    assert [a.status_code for a in answers] == [201, 201], [a.text for a in answers]
    assert (await level(tenant, "FRESH"))["on_hand"] == 4


async def test_receipt_allocates_backorders_oldest_first(tenant: Tenant, operator: httpx.AsyncClient) -> None:
    await new_product(tenant, "HOT")
    older = (await create(tenant, [{"sku": "HOT", "quantity": 2}])).json()
    younger = (await create(tenant, [{"sku": "HOT", "quantity": 2}])).json()
    assert older["status"] == younger["status"] == "backordered"
    receipt = (await receive(operator, "HOT", 3)).json()
    assert receipt["orders_allocated"] == 1
    # the receipt's answer already shows the stock after the backorder took its share
    assert (receipt["on_hand"], receipt["allocated"], receipt["available"]) == (3, 2, 1)
    statuses = [(await tenant.client.get(f"/v1/orders/{o['id']}")).json()["status"] for o in (older, younger)]
    assert statuses == ["allocated", "backordered"]
    hot = await level(tenant, "HOT")
    assert (hot["on_hand"], hot["allocated"], hot["available"]) == (3, 2, 1)
    await receive(operator, "HOT", 1)
    assert (await tenant.client.get(f"/v1/orders/{younger['id']}")).json()["status"] == "allocated"


async def test_cancel_releases_and_line_update_re_reserves(tenant: Tenant) -> None:
    order = (await create(tenant, [{"sku": "A-1", "quantity": 3}])).json()
    assert (await level(tenant, "A-1"))["allocated"] == 3
    url = f"/v1/orders/{order['id']}"
    updated = (await tenant.client.patch(url, json={"lines": [{"sku": "B-2", "quantity": 5}]})).json()
    assert updated["status"] == "allocated"
    assert ((await level(tenant, "A-1"))["allocated"], (await level(tenant, "B-2"))["allocated"]) == (0, 5)
    too_many = (
        await tenant.client.patch(url, json={"lines": [{"sku": "B-2", "quantity": STOCKED + 1}]})
    ).json()
    assert too_many["status"] == "backordered"
    assert (await level(tenant, "B-2"))["allocated"] == 0
    back = (await tenant.client.patch(url, json={"lines": [{"sku": "B-2", "quantity": 1}]})).json()
    assert back["status"] == "allocated"
    await tenant.client.post(f"{url}/cancel")
    assert (await level(tenant, "B-2"))["allocated"] == 0


async def test_two_orders_race_for_the_last_unit(tenant: Tenant, operator: httpx.AsyncClient) -> None:
    await new_product(tenant, "LAST")
    await receive(operator, "LAST", 1)
    for _ in range(3):  # several rounds: the winner varies, the count never does
        responses = await asyncio.gather(
            *(create(tenant, [{"sku": "LAST", "quantity": 1}]) for _ in range(6))
        )
        statuses = sorted(r.json()["status"] for r in responses)
        assert statuses.count("allocated") <= 1
        await receive(operator, "LAST", 1)
    stock = await level(tenant, "LAST")
    assert stock["available"] >= 0
    allocated = (await tenant.client.get("/v1/orders?status=allocated&limit=200")).json()["items"]
    assert sum(1 for o in allocated if o["lines"][0]["sku"] == "LAST") == stock["allocated"]


async def test_allocate_action_retries_a_backorder(
    tenant: Tenant, operator: httpx.AsyncClient, db: Database
) -> None:
    await new_product(tenant, "SLOW")
    order = (await create(tenant, [{"sku": "SLOW", "quantity": 1}])).json()
    assert order["status"] == "backordered"
    url = f"/v1/orders/{order['id']}/allocate"
    still = (await tenant.client.post(url)).json()
    assert still["status"] == "backordered"
    # stock that arrived without a receipt (loaded around the API) is picked up by "allocate"
    async with db.sessions() as session:
        from wareflow.stock import service as stock

        await stock.adjust(
            session,
            organization_id=tenant.organization_id,
            warehouse_code="LAW",
            sku="SLOW",
            quantity=1,
            reason="count",
            location=None,
            actor="test",
        )
        await session.commit()
    done = (await tenant.client.post(url)).json()
    assert done["status"] == "allocated"
    assert (await tenant.client.post(url)).status_code == 409  # allocated already
