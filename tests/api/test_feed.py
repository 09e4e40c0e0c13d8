"""The change feed: every event once, in commit order, per organization."""

from __future__ import annotations

import asyncio
import datetime as dt

from tests.conftest import CACHE_SECONDS, Tenant, order_body
from wareflow.db import Database, utcnow
from wareflow.events import service as events


async def test_feed_follows_the_cursor(tenant: Tenant) -> None:
    empty = (await tenant.client.get("/v1/events")).json()
    assert empty == {"items": [], "next_cursor": None}
    order = (await tenant.client.post("/v1/orders", json=order_body())).json()
    first = (await tenant.client.get("/v1/events")).json()
    assert [e["type"] for e in first["items"]] == ["order.created"]
    assert first["items"][0]["order_id"] == order["id"]
    assert first["items"][0]["data"]["order"]["number"] == order["number"]
    cursor = first["next_cursor"]

    nothing_new = (await tenant.client.get(f"/v1/events?after={cursor}")).json()
    assert nothing_new == {"items": [], "next_cursor": cursor}

    await tenant.client.post(f"/v1/orders/{order['id']}/cancel")
    later = (await tenant.client.get(f"/v1/events?after={cursor}")).json()
    assert [(e["type"], e["data"]["to"]) for e in later["items"]] == [
        ("order.status_changed", "canceled")
    ]


async def test_limit_pages_through_the_feed(tenant: Tenant) -> None:
    for _ in range(5):
        await tenant.client.post("/v1/orders", json=order_body())
    seen, cursor = [], ""
    while True:
        page = (await tenant.client.get(f"/v1/events?limit=2&after={cursor}")).json()
        if not page["items"]:
            break
        seen += [e["id"] for e in page["items"]]
        cursor = page["next_cursor"]
    assert len(seen) == len(set(seen)) == 5


async def test_a_cursor_behind_pruned_events_is_gone(tenant: Tenant, db: Database) -> None:
    await tenant.client.post("/v1/orders", json=order_body())
    old_cursor = (await tenant.client.get("/v1/events")).json()["next_cursor"]
    await tenant.client.post("/v1/orders", json=order_body())
    page = (await tenant.client.get("/v1/events")).json()
    async with db.sessions() as session:
        pruned = await events.prune(
            session, organization_id=tenant.organization_id, before=utcnow() + dt.timedelta(days=1)
        )
        await session.commit()
    assert pruned == 2
    await asyncio.sleep(CACHE_SECONDS)  # the organization is cached for a moment per process
    gone = await tenant.client.get(f"/v1/events?after={old_cursor}")
    assert gone.status_code == 410
    assert gone.headers["content-type"] == "application/problem+json"
    latest = await tenant.client.get(f"/v1/events?after={page['next_cursor']}")
    assert latest.json() == {"items": [], "next_cursor": page["next_cursor"]}
