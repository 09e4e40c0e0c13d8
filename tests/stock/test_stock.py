"""Stock levels, adjustments and their history."""

from __future__ import annotations

import httpx

from tests.conftest import STOCKED, Tenant, feed, order_body


async def test_only_operators_adjust(tenant: Tenant) -> None:
    body = {"warehouse_code": "LAW", "sku": "A-1", "quantity": 5, "reason": "receipt"}
    response = await tenant.client.post("/v1/stock/adjustments", json=body)
    assert response.status_code == 403


async def test_levels_and_history(tenant: Tenant, operator: httpx.AsyncClient) -> None:
    received = await operator.post(
        "/v1/stock/adjustments",
        json={"warehouse_code": "law", "sku": "A-1", "quantity": 5, "reason": "PO 77", "location": "A-01-03"},
    )
    assert received.status_code == 201, received.text
    assert received.json()["on_hand"] == STOCKED + 5
    await tenant.client.post("/v1/orders", json=order_body(lines=[{"sku": "A-1", "quantity": 2}]))
    levels = (await tenant.client.get("/v1/stock?sku=A-1")).json()
    assert levels["items"] == [
        levels["items"][0]
        | {
            "sku": "A-1",
            "warehouse_code": "LAW",
            "location": "A-01-03",
            "on_hand": STOCKED + 5,
            "allocated": 2,
            "available": STOCKED + 3,
        }
    ]
    history = (await tenant.client.get("/v1/stock/movements?sku=A-1")).json()["items"]
    assert [(m["kind"], m["on_hand_delta"], m["allocated_delta"]) for m in history] == [
        ("allocation", 0, 2),
        ("adjustment", 5, 0),
        ("adjustment", STOCKED, 0),
    ]
    assert history[1]["reason"] == "PO 77"
    assert history[1]["actor"].startswith("key:")


async def test_never_below_what_is_allocated(tenant: Tenant, operator: httpx.AsyncClient) -> None:
    await tenant.client.post("/v1/orders", json=order_body(lines=[{"sku": "B-2", "quantity": STOCKED - 1}]))
    body = {"warehouse_code": "LAW", "sku": "B-2", "quantity": -2, "reason": "damaged"}
    refused = await operator.post("/v1/stock/adjustments", json=body)
    assert refused.status_code == 409
    allowed = await operator.post("/v1/stock/adjustments", json={**body, "quantity": -1})
    assert allowed.json()["available"] == 0


async def test_bad_adjustments(tenant: Tenant, operator: httpx.AsyncClient) -> None:
    for body, pointer in [
        ({"warehouse_code": "LAW", "sku": "NOPE", "quantity": 1, "reason": "x"}, "/sku"),
        ({"warehouse_code": "XXX", "sku": "A-1", "quantity": 1, "reason": "x"}, "/warehouse_code"),
        ({"warehouse_code": "LAW", "sku": "A-1", "quantity": 0, "reason": "x"}, "/quantity"),
        ({"warehouse_code": "LAW", "sku": "A-1", "quantity": 1.5, "reason": "x"}, "/quantity"),
        ({"warehouse_code": "LAW", "sku": "A-1", "quantity": 1}, "/reason"),
    ]:
        response = await operator.post("/v1/stock/adjustments", json=body)
        assert response.status_code == 422, body
        assert response.json()["errors"][0]["pointer"] == pointer


async def test_stock_events_reach_the_feed(tenant: Tenant, operator: httpx.AsyncClient) -> None:
    start = (await feed(tenant.client, None, 3))["next_cursor"]
    await operator.post(
        "/v1/stock/adjustments",
        json={"warehouse_code": "LAW", "sku": "A-1", "quantity": 7, "reason": "receipt"},
    )
    events = (await feed(tenant.client, str(start), 1))["items"]
    assert [(e["type"], e["data"]["sku"], e["data"]["on_hand_delta"]) for e in events] == [
        ("stock.changed", "A-1", 7)
    ]
