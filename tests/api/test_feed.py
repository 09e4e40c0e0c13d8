"""The change feed: every event once, in commit order, per organization."""

from __future__ import annotations

import asyncio
import datetime as dt

from tests.conftest import CACHE_SECONDS, Tenant, feed, order_body
from wareflow.db import Database, utcnow
from wareflow.events import service as events


async def _until_seen(tenant: Tenant, event_type: str) -> dict:  # type: ignore[type-arg]
    """The whole feed once it shows ``event_type``. On PostgreSQL an event is served once every
    older transaction of the server has ended, so another busy client can delay it a moment."""
    for _ in range(200):
        page = (await tenant.client.get("/v1/events?limit=1000")).json()
        if any(e["type"] == event_type for e in page["items"]):
            return page  # type: ignore[no-any-return]
        await asyncio.sleep(0.05)
    raise AssertionError(f"{event_type} never reached the feed")


async def _start(tenant: Tenant) -> str:
    """The cursor after the test organization's seeded stock events."""
    seeded = await feed(tenant.client, None, 3)
    assert {e["type"] for e in seeded["items"]} == {"stock.changed"}
    return str(seeded["next_cursor"])


async def test_feed_follows_the_cursor(tenant: Tenant) -> None:
    start = await _start(tenant)
    order = (await tenant.client.post("/v1/orders", json=order_body())).json()
    first = await feed(tenant.client, start, 4)
    assert [e["type"] for e in first["items"]] == [
        "order.created",
        "stock.changed",
        "order.status_changed",
        "shipment.created",
    ]
    assert first["items"][0]["order_id"] == order["id"]
    assert first["items"][0]["data"]["order"]["number"] == order["number"]
    cursor = first["next_cursor"]

    nothing_new = (await tenant.client.get(f"/v1/events?after={cursor}")).json()
    assert nothing_new == {"items": [], "next_cursor": cursor}

    await tenant.client.post(f"/v1/orders/{order['id']}/cancel")
    later = await feed(tenant.client, cursor, 3)
    assert [e["type"] for e in later["items"]] == [
        "order.status_changed",
        "shipment.status_changed",
        "stock.changed",
    ]
    assert later["items"][0]["data"]["to"] == "canceled"
    assert later["items"][1]["data"]["to"] == "canceled"
    assert later["items"][2]["data"]["allocated_delta"] == -1


async def test_limit_pages_through_the_feed(tenant: Tenant) -> None:
    cursor = await _start(tenant)
    for _ in range(5):
        await tenant.client.post("/v1/orders", json=order_body())
    await feed(tenant.client, cursor, 20)  # all visible before paging through them
    seen = []
    while True:
        page = (await tenant.client.get(f"/v1/events?limit=2&after={cursor}")).json()
        if not page["items"]:
            break
        seen += [e["id"] for e in page["items"]]
        cursor = page["next_cursor"]
    assert len(seen) == len(set(seen)) == 20  # created, stock.changed, allocated, shipment each


async def test_a_cursor_behind_pruned_events_is_gone(tenant: Tenant, db: Database) -> None:
    old_cursor = await _start(tenant)
    await tenant.client.post("/v1/orders", json=order_body())
    page = await _until_seen(tenant, "order.created")
    async with db.sessions() as session:
        pruned = await events.prune(
            session, organization_id=tenant.organization_id, before=utcnow() + dt.timedelta(days=1)
        )
        await session.commit()
    assert pruned == 7  # 3 seeded stock events and the order's 4
    await asyncio.sleep(CACHE_SECONDS)  # the organization is cached for a moment per process
    gone = await tenant.client.get(f"/v1/events?after={old_cursor}")
    assert gone.status_code == 410
    assert gone.headers["content-type"] == "application/problem+json"
    latest = await tenant.client.get(f"/v1/events?after={page['next_cursor']}")
    assert latest.json() == {"items": [], "next_cursor": page["next_cursor"]}
