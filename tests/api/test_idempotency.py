"""Idempotency-Key: replays byte for byte, refuses a different body, never writes twice."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid

import orjson

from tests.conftest import Tenant, order_body
from wareflow.db import Database, utcnow
from wareflow.idempotency import service as idempotency
from wareflow.idempotency.models import IdempotencyKey


async def test_same_key_same_body_replays_the_first_answer(tenant: Tenant) -> None:
    key = {"idempotency-key": str(uuid.uuid4())}
    body = order_body()
    first = await tenant.client.post("/v1/orders", json=body, headers=key)
    second = await tenant.client.post("/v1/orders", json=body, headers=key)
    assert first.status_code == second.status_code == 201
    assert second.content == first.content
    assert second.headers["location"] == first.headers["location"]
    assert second.headers["idempotent-replayed"] == "true"
    assert len((await tenant.client.get("/v1/orders")).json()["items"]) == 1


async def test_same_key_other_body_is_422(tenant: Tenant) -> None:
    key = {"idempotency-key": str(uuid.uuid4())}
    assert (await tenant.client.post("/v1/orders", json=order_body(), headers=key)).status_code == 201
    response = await tenant.client.post("/v1/orders", json=order_body(), headers=key)
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "key_reused"


async def test_keys_are_scoped_to_the_organization(tenant: Tenant, other_tenant: Tenant) -> None:
    key = {"idempotency-key": "shared-key"}
    body = order_body()
    a = await tenant.client.post("/v1/orders", json=body, headers=key)
    b = await other_tenant.client.post("/v1/orders", json=body, headers=key)
    assert a.status_code == b.status_code == 201
    assert a.json()["id"] != b.json()["id"]


async def test_a_failed_request_can_be_retried_with_its_key(tenant: Tenant) -> None:
    key = {"idempotency-key": str(uuid.uuid4())}
    bad = order_body(warehouse_code="NOPE")
    assert (await tenant.client.post("/v1/orders", json=bad, headers=key)).status_code == 422
    assert (await tenant.client.post("/v1/orders", json=bad, headers=key)).status_code == 422


async def test_concurrent_retries_write_once(tenant: Tenant) -> None:
    key = {"idempotency-key": str(uuid.uuid4())}
    body = order_body()
    responses = await asyncio.gather(
        *(tenant.client.post("/v1/orders", json=body, headers=key) for _ in range(5))
    )
    codes = sorted(r.status_code for r in responses)
    assert set(codes) <= {201, 409}
    assert 201 in codes
    created = {r.json()["id"] for r in responses if r.status_code == 201}
    assert len(created) == 1
    assert len((await tenant.client.get("/v1/orders")).json()["items"]) == 1


async def test_idempotent_action(tenant: Tenant) -> None:
    order = (await tenant.client.post("/v1/orders", json=order_body())).json()
    key = {"idempotency-key": str(uuid.uuid4())}
    first = await tenant.client.post(f"/v1/orders/{order['id']}/cancel", headers=key)
    second = await tenant.client.post(f"/v1/orders/{order['id']}/cancel", headers=key)
    assert first.status_code == 200 and second.content == first.content


async def test_key_still_in_flight_is_409(tenant: Tenant, db: Database) -> None:
    key = str(uuid.uuid4())
    body = order_body()
    raw = orjson.dumps(body)
    # Another request holds the key (claimed, not finished), as while its write is running.
    await idempotency.claim(
        db.sessions,
        organization_id=tenant.organization_id,
        key=key,
        fingerprint=idempotency.fingerprint("POST", "/v1/orders", raw),
        ttl=dt.timedelta(days=7),
        lock=dt.timedelta(seconds=60),
    )
    response = await tenant.client.post(
        "/v1/orders",
        content=raw,
        headers={"idempotency-key": key, "content-type": "application/json"},
    )
    assert response.status_code == 409
    assert (await tenant.client.get("/v1/orders")).json()["items"] == []


async def test_abandoned_key_is_taken_over(tenant: Tenant, db: Database) -> None:
    key = str(uuid.uuid4())
    raw = orjson.dumps(order_body())
    await idempotency.claim(
        db.sessions,
        organization_id=tenant.organization_id,
        key=key,
        fingerprint=idempotency.fingerprint("POST", "/v1/orders", raw),
        ttl=dt.timedelta(days=7),
        lock=dt.timedelta(seconds=60),
    )
    async with db.sessions() as session:  # its process died a while ago
        row = await session.get(IdempotencyKey, (tenant.organization_id, key))
        assert row is not None
        row.locked_at = utcnow() - dt.timedelta(minutes=5)
        await session.commit()
    response = await tenant.client.post(
        "/v1/orders",
        content=raw,
        headers={"idempotency-key": key, "content-type": "application/json"},
    )
    assert response.status_code == 201


async def test_same_reference_submitted_at_once_creates_one_order(tenant: Tenant) -> None:
    body = order_body("RACE-1")
    responses = await asyncio.gather(*(tenant.client.post("/v1/orders", json=body) for _ in range(6)))
    codes = sorted(r.status_code for r in responses)
    assert codes == [201, 409, 409, 409, 409, 409]
    winner = next(r.json()["id"] for r in responses if r.status_code == 201)
    assert {r.json()["existing_order_id"] for r in responses if r.status_code == 409} == {winner}
