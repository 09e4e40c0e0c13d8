"""The change feed under concurrent writers: a poller sees every event exactly once.

A plain auto-increment id is not enough on PostgreSQL: a transaction can take id 10, commit
after id 11 does, and a poller already past 11 would never see 10. This test holds such a slow
transaction open on purpose while eight writers commit around it.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from typing import Any

from tests.conftest import Tenant, feed, order_body
from wareflow.db import Database, new_id
from wareflow.events import service as events

WRITERS, ORDERS_EACH = 8, 6


async def _writer(tenant: Tenant) -> int:
    """Create orders and move each through hold and release: 9 events per order (created,
    stock reserved, allocated, shipment created, on hold and its shipment held, received,
    allocated again and its shipment released)."""
    for _ in range(ORDERS_EACH):
        order = (await tenant.client.post("/v1/orders", json=order_body())).json()
        await tenant.client.post(f"/v1/orders/{order['id']}/hold")
        await tenant.client.post(f"/v1/orders/{order['id']}/release")
    return ORDERS_EACH * 9


async def _slow_writer(db: Database, tenant: Tenant) -> int:
    """An event whose transaction starts early and commits late, several times."""
    for _ in range(3):
        async with db.sessions() as session:
            await events.record(
                session,
                organization_id=tenant.organization_id,
                type="test.slow",
                order_id=new_id(),
                data={"sequence": 1},
            )
            await asyncio.sleep(0.2)
            await session.commit()
    return 3


async def test_poller_sees_every_event_once(db: Database, tenant: Tenant) -> None:
    expected = WRITERS * ORDERS_EACH * 9 + 3
    start = (await feed(tenant.client, None, 3))["next_cursor"]
    seen: list[dict[str, Any]] = []
    done = asyncio.Event()

    async def poller() -> None:
        cursor = start
        while not (done.is_set() and len(seen) >= expected):
            page = (await tenant.client.get(f"/v1/events?limit=7&after={cursor}")).json()
            seen.extend(page["items"])
            cursor = page["next_cursor"] or ""
            if not page["items"]:
                await asyncio.sleep(0.01)
            if done.is_set() and not page["items"] and len(seen) < expected:
                await asyncio.sleep(0.05)
                page = (await tenant.client.get(f"/v1/events?after={cursor}")).json()
                seen.extend(page["items"])
                cursor = page["next_cursor"] or cursor
                if not page["items"]:
                    return

    poll = asyncio.create_task(poller())
    written = await asyncio.gather(*(_writer(tenant) for _ in range(WRITERS)), _slow_writer(db, tenant))
    done.set()
    await asyncio.wait_for(poll, timeout=30)

    assert sum(written) == expected
    ids = [e["id"] for e in seen]
    assert len(ids) == len(set(ids)), "an event was served twice"
    assert len(ids) == expected, "an event was never served"
    by_order: dict[str, list[int]] = defaultdict(list)
    for event in (e for e in seen if e["type"].startswith("order.")):
        by_order[event["order_id"]].append(event["data"]["sequence"])
    for sequences in by_order.values():
        assert sequences == sorted(sequences), "events of one order out of order"
