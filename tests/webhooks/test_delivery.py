"""Delivery to a real receiver: signatures, payload, filters, and a receiver that goes away."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from tests.conftest import Tenant, order_body
from tests.webhooks.conftest import deliveries, drive, endpoint
from tests.webhooks.receiver import Received, Receiver, Reply


async def _order(tenant: Tenant) -> dict:  # type: ignore[type-arg]
    response = await tenant.client.post("/v1/orders", json=order_body())
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def _feed_types(tenant: Tenant) -> list[str]:
    return [e["type"] for e in (await tenant.client.get("/v1/events?limit=1000")).json()["items"]]


async def test_signed_payload_verifies_with_the_library(
    tenant: Tenant, receiver: Receiver, make_worker
) -> None:
    hook = await endpoint(tenant, receiver.url(), event_types=["order.created"])
    order = await _order(tenant)
    worker = make_worker()

    async def arrived() -> bool:
        return len(receiver.received) == 1

    await drive(arrived, worker, what="the order.created message")
    request = receiver.received[0]
    payload = Webhook(hook["secret"]).verify(request.body, request.headers)
    assert set(payload) == {"id", "type", "timestamp", "data"}
    assert payload["type"] == "order.created"
    assert payload["id"] == request.webhook_id
    assert payload["data"]["order_id"] == order["id"]
    assert payload["data"]["sequence"] == 1
    assert payload["data"]["order"]["external_reference"] == order["external_reference"]
    assert request.headers["content-type"] == "application/json"
    with pytest.raises(WebhookVerificationError):
        Webhook("whsec_" + "A" * 43 + "=").verify(request.body, request.headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(hook["secret"]).verify(request.body.replace(b"order", b"ORDER"), request.headers)


async def test_every_event_goes_out_with_the_feeds_ids(
    tenant: Tenant, receiver: Receiver, make_worker
) -> None:
    await endpoint(tenant, receiver.url(), event_types=["order.*"])
    order = await _order(tenant)
    await tenant.client.post(f"/v1/orders/{order['id']}/hold")
    worker = make_worker()

    async def the_feeds_order_events_arrived() -> bool:
        feed = (await tenant.client.get("/v1/events?limit=1000")).json()["items"]
        expected = {f"evt_{e['id']}" for e in feed if e["type"].startswith("order.")}
        held = any(e["data"].get("to") == "on_hold" for e in feed)
        return held and set(receiver.ids()) == expected

    await drive(the_feeds_order_events_arrived, worker, what="every order event of the feed")
    assert len(receiver.ids()) == len(set(receiver.ids()))
    sequences = [r.payload["data"]["sequence"] for r in receiver.received]
    assert sorted(sequences) == list(range(1, len(sequences) + 1))
    assert {r.payload["data"]["order_id"] for r in receiver.received} == {order["id"]}


async def test_event_type_filters(tenant: Tenant, receiver: Receiver, make_worker) -> None:
    await endpoint(tenant, receiver.url("/status"), event_types=["order.status_changed"])
    await endpoint(tenant, receiver.url("/stock"), event_types=["stock.*"])
    order = await _order(tenant)
    await tenant.client.post(f"/v1/orders/{order['id']}/hold")
    worker = make_worker()
    logged = await deliveries(tenant)
    assert logged == [] or all(d["status"] == "pending" for d in logged)

    async def settled() -> bool:
        found = await deliveries(tenant)
        held = any(r.payload["data"].get("to") == "on_hold" for r in receiver.received)
        return held and all(d["status"] == "succeeded" for d in found)

    await drive(settled, worker, what="the filtered deliveries")
    types = Counter(r.payload["type"] for r in receiver.received)
    assert set(types) <= {"order.status_changed", "stock.changed"}
    assert types["order.status_changed"] >= 1
    assert "order.created" not in types


async def test_a_receiver_down_for_a_while_gets_every_event(
    tenant: Tenant, receiver: Receiver, make_worker
) -> None:
    await endpoint(tenant, receiver.url(), event_types=["order.*"])
    await receiver.down()
    for _ in range(5):
        order = await _order(tenant)
        await tenant.client.post(f"/v1/orders/{order['id']}/hold")
    worker = make_worker(webhook_retry_schedule="0" + ",0.1" * 60)

    async def all_failed_twice() -> bool:
        found = await deliveries(tenant)
        return len(found) >= 10 and all(
            len([a for a in d["attempts"] if a["outcome"] == "failed"]) >= 2 for d in found
        )

    await drive(all_failed_twice, worker, what="two failed attempts of each delivery")
    failed = (await deliveries(tenant))[0]["attempts"][0]
    assert failed["status_code"] is None
    assert failed["error"].startswith("connection failed")
    await receiver.up()

    async def every_order_event_delivered() -> bool:
        feed = (await tenant.client.get("/v1/events?limit=1000")).json()["items"]
        wanted = {f"evt_{e['id']}" for e in feed if e["type"].startswith("order.")}
        # Received, and recorded as such: the worker writes "succeeded" once the answer is in,
        # a moment after the receiver has seen the request.
        recorded = all(d["status"] == "succeeded" for d in await deliveries(tenant))
        return len(wanted) >= 10 and set(receiver.ids()) == wanted and recorded

    await drive(every_order_event_delivered, worker, what="every event delivered, none lost")


async def test_delivery_log_records_each_attempt(tenant: Tenant, receiver: Receiver, make_worker) -> None:
    answers = iter(
        [(500, {}, b"database on fire"), (302, {"location": "https://elsewhere"}, b""), (204, {}, b"")]
    )

    async def respond(_: Received) -> Reply:
        return next(answers)

    receiver.respond = respond
    await endpoint(tenant, receiver.url(), event_types=["order.created"])
    await _order(tenant)
    worker = make_worker()

    async def succeeded() -> bool:
        found = await deliveries(tenant)
        return bool(found) and found[0]["status"] == "succeeded"

    await drive(succeeded, worker, what="the third attempt")
    (delivery,) = await deliveries(tenant)
    attempts = delivery["attempts"]
    assert [(a["number"], a["outcome"], a["status_code"]) for a in attempts] == [
        (1, "failed", 500),
        (2, "failed", 302),
        (3, "succeeded", 204),
    ]
    assert attempts[0]["response_excerpt"] == "database on fire"
    assert all(a["latency_ms"] is not None and a["attempted_at"] for a in attempts)
    assert len(set(receiver.ids())) == 1, "every attempt carries the same webhook-id"
    assert delivery["next_attempt_at"] is None


async def test_a_large_answer_is_cut_to_an_excerpt(tenant: Tenant, receiver: Receiver, make_worker) -> None:
    async def respond(_: Received) -> Reply:
        return 200, {}, b"x" * 200_000

    receiver.respond = respond
    await endpoint(tenant, receiver.url(), event_types=["order.created"])
    await _order(tenant)
    worker = make_worker(webhook_max_response_bytes=4096)

    async def done() -> bool:
        found = await deliveries(tenant)
        return bool(found) and found[0]["status"] != "pending"

    await drive(done, worker, what="the delivery")
    (delivery,) = await deliveries(tenant)
    assert delivery["status"] == "succeeded"
    assert delivery["attempts"][0]["response_excerpt"] == "x" * 1024


async def test_a_stalled_receiver_times_out_and_is_retried(
    tenant: Tenant, receiver: Receiver, make_worker
) -> None:
    calls = 0

    async def respond(_: Received) -> Reply:
        nonlocal calls
        calls += 1
        if calls == 1:
            await asyncio.sleep(30)
        return 200, {}, b""

    receiver.respond = respond
    await endpoint(tenant, receiver.url(), event_types=["order.created"])
    await _order(tenant)
    worker = make_worker(webhook_timeout_seconds=0.5)

    async def succeeded() -> bool:
        found = await deliveries(tenant)
        return bool(found) and found[0]["status"] == "succeeded"

    await drive(succeeded, worker, what="the retry after a timeout")
    (delivery,) = await deliveries(tenant)
    assert delivery["attempts"][0]["outcome"] == "failed"
    assert delivery["attempts"][0]["error"].startswith("timeout")
    assert delivery["attempts"][-1]["outcome"] == "succeeded"
