"""What the answers do: 410 and a failed schedule disable, Retry-After waits, manual retry,
pings, secret rotation, and the delivery log's filters and pages."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy import update
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from tests.conftest import Tenant, order_body
from tests.webhooks.conftest import deliveries, drive, endpoint
from tests.webhooks.receiver import Received, Receiver, Reply
from wareflow.db import Database, utcnow
from wareflow.webhooks.models import WebhookEndpoint


async def _order(tenant: Tenant) -> None:
    response = await tenant.client.post("/v1/orders", json=order_body())
    assert response.status_code == 201, response.text


async def _feed(tenant: Tenant, type: str) -> list[dict]:  # type: ignore[type-arg]
    items = (await tenant.client.get("/v1/events?limit=1000")).json()["items"]
    return [e for e in items if e["type"] == type]


def _answer(status: int, headers: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    async def respond(_: Received) -> Reply:
        return status, headers or {}, b""

    return respond


def _settled(tenant: Tenant, count: int = 1):  # type: ignore[no-untyped-def]
    async def check() -> bool:
        found = await deliveries(tenant)
        return len(found) >= count and all(d["status"] != "pending" for d in found)

    return check


async def test_410_gone_disables_the_endpoint_and_tells_the_organization(
    tenant: Tenant, receiver: Receiver, make_worker
) -> None:
    receiver.respond = _answer(410)
    hook = await endpoint(tenant, receiver.url(), event_types=["order.created"])
    await _order(tenant)
    worker = make_worker()
    await drive(_settled(tenant), worker, what="the 410")
    (delivery,) = await deliveries(tenant)
    assert delivery["status"] == "failed"
    assert len(delivery["attempts"]) == 1
    after = (await tenant.client.get(f"/v1/webhook-endpoints/{hook['id']}")).json()
    assert (after["enabled"], after["disabled_reason"]) == (False, "gone")

    async def told_in_the_feed() -> bool:
        return bool(await _feed(tenant, "webhook_endpoint.disabled"))

    await drive(told_in_the_feed, worker, what="the disabled event in the change feed")
    (told,) = await _feed(tenant, "webhook_endpoint.disabled")
    assert told["data"]["endpoint_id"] == hook["id"]
    assert told["data"]["reason"] == "gone"
    await _order(tenant)
    for _ in range(3):
        await worker.step()
    assert len(await deliveries(tenant)) == 1, "a disabled endpoint gets no new deliveries"
    retry = await tenant.client.post(f"/v1/webhook-deliveries/{delivery['id']}/retry")
    assert retry.status_code == 409
    assert (await tenant.client.post(f"/v1/webhook-endpoints/{hook['id']}/test")).status_code == 409


async def test_failing_for_the_whole_schedule_disables_and_other_endpoints_hear_of_it(
    tenant: Tenant, receiver: Receiver, make_worker
) -> None:
    async def respond(request: Received) -> Reply:
        return (200, {}, b"") if request.path == "/watcher" else (500, {}, b"down")

    receiver.respond = respond
    failing = await endpoint(tenant, receiver.url("/failing"), event_types=["order.created"])
    await endpoint(tenant, receiver.url("/watcher"), event_types=["webhook_endpoint.*"])
    await _order(tenant)
    worker = make_worker(webhook_retry_schedule="0,0.05,0.05")

    async def watcher_told() -> bool:
        return any(r.path == "/watcher" for r in receiver.received)

    await drive(watcher_told, worker, what="the disabled event at the other endpoint")
    after = (await tenant.client.get(f"/v1/webhook-endpoints/{failing['id']}")).json()
    assert (after["enabled"], after["disabled_reason"]) == (False, "failing")
    (failed,) = await deliveries(tenant, endpoint_id=failing["id"])
    assert [a["status_code"] for a in failed["attempts"]] == [500, 500, 500]
    assert failed["status"] == "failed"
    told = next(r.payload for r in receiver.received if r.path == "/watcher")
    assert told["type"] == "webhook_endpoint.disabled"
    assert told["data"] == {
        "endpoint_id": failing["id"],
        "url": failing["url"],
        "reason": "failing",
        "detail": told["data"]["detail"],
        "delivery_id": failed["id"],
    }


async def test_a_success_in_between_keeps_the_endpoint_on(
    tenant: Tenant, receiver: Receiver, make_worker
) -> None:
    """Only an endpoint that failed all along is disabled: here the first message is refused
    for good, but the second gets through before the first's last attempt, so it stays on."""
    hook = await endpoint(tenant, receiver.url(), event_types=["order.created"])
    await _order(tenant)
    await _order(tenant)
    refused: list[str] = []  # the first message's id: all its attempts fail

    async def second_succeeded() -> bool:
        found = await deliveries(tenant)
        return any(d["status"] == "succeeded" for d in found)

    async def respond(request: Received) -> Reply:
        refused[:] = refused or [request.webhook_id]
        if request.webhook_id != refused[0]:
            return 200, {}, b""
        if receiver.ids().count(refused[0]) == 3:  # its last attempt: answer once the other succeeded
            await drive(second_succeeded, what="the second delivery")
        return 500, {}, b""

    receiver.respond = respond
    worker = make_worker(webhook_retry_schedule="0,0.05,0.05")
    await drive(_settled(tenant, 2), worker, what="both deliveries")
    statuses = sorted(d["status"] for d in await deliveries(tenant))
    assert statuses == ["failed", "succeeded"]
    after = (await tenant.client.get(f"/v1/webhook-endpoints/{hook['id']}")).json()
    assert after["enabled"] is True


async def _has_attempts(receiver: Receiver, count: int) -> bool:
    return len(receiver.received) >= count


@pytest.mark.parametrize("status", [429, 503])
async def test_retry_after_is_honoured(tenant: Tenant, receiver: Receiver, make_worker, status: int) -> None:
    receiver.respond = _answer(status, {"retry-after": "120"})
    await endpoint(tenant, receiver.url(), event_types=["order.created"])
    await _order(tenant)
    worker = make_worker(webhook_retry_schedule="0,1,3600")

    async def answered() -> bool:
        found = await deliveries(tenant)
        return bool(found) and found[0]["attempts"] and found[0]["attempts"][0]["outcome"] == "failed"

    await drive(answered, worker, what="the first answer")
    (delivery,) = await deliveries(tenant)
    attempted = dt.datetime.fromisoformat(delivery["attempts"][0]["attempted_at"])
    next_at = dt.datetime.fromisoformat(delivery["next_attempt_at"])
    assert delivery["status"] == "pending"
    assert next_at - attempted >= dt.timedelta(seconds=120)
    assert next_at - attempted < dt.timedelta(seconds=3600)


async def test_manual_retry_sends_the_same_message_again(
    tenant: Tenant, receiver: Receiver, make_worker
) -> None:
    await endpoint(tenant, receiver.url(), event_types=["order.created"])
    await _order(tenant)
    worker = make_worker()
    await drive(_settled(tenant), worker, what="the first delivery")
    (delivery,) = await deliveries(tenant)
    retried = await tenant.client.post(f"/v1/webhook-deliveries/{delivery['id']}/retry")
    assert retried.status_code == 202, retried.text
    assert retried.json()["status"] == "pending"
    await drive(lambda: _has_attempts(receiver, 2), worker, what="the redelivery")
    await drive(_settled(tenant), worker, what="the redelivery's record")
    assert receiver.ids() == [delivery["message_id"]] * 2
    (again,) = await deliveries(tenant)
    assert [a["outcome"] for a in again["attempts"]] == ["succeeded", "succeeded"]


async def test_ping(tenant: Tenant, receiver: Receiver, make_worker) -> None:
    hook = await endpoint(tenant, receiver.url(), event_types=["order.created"])
    ping = await tenant.client.post(f"/v1/webhook-endpoints/{hook['id']}/test")
    assert ping.status_code == 202, ping.text
    assert ping.json()["event_type"] == "webhook.test"
    worker = make_worker()
    await drive(_settled(tenant), worker, what="the ping")
    (request,) = receiver.received
    payload = Webhook(hook["secret"]).verify(request.body, request.headers)
    assert payload["type"] == "webhook.test"
    assert payload["data"]["endpoint_id"] == hook["id"]
    assert (await deliveries(tenant))[0]["status"] == "succeeded"


async def test_rotation_signs_with_both_secrets_during_the_grace_period(
    tenant: Tenant, receiver: Receiver, make_worker, db: Database
) -> None:
    hook = await endpoint(tenant, receiver.url(), event_types=["order.created"])
    old = hook["secret"]
    new = (await tenant.client.post(f"/v1/webhook-endpoints/{hook['id']}/rotate-secret")).json()["secret"]
    await _order(tenant)
    worker = make_worker()
    await drive(lambda: _has_attempts(receiver, 1), worker, what="a message during the grace period")
    during = receiver.received[0]
    assert len(during.headers["webhook-signature"].split(" ")) == 2
    Webhook(old).verify(during.body, during.headers)
    Webhook(new).verify(during.body, during.headers)

    async with db.sessions() as session:  # the grace period runs out
        await session.execute(
            update(WebhookEndpoint)
            .where(WebhookEndpoint.id == uuid.UUID(hook["id"]))
            .values(previous_secret_expires_at=utcnow() - dt.timedelta(seconds=1))
        )
        await session.commit()
    await _order(tenant)
    await drive(lambda: _has_attempts(receiver, 2), worker, what="a message after the grace period")
    after = receiver.received[1]
    Webhook(new).verify(after.body, after.headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(old).verify(after.body, after.headers)


async def test_delivery_log_filters_and_pages(tenant: Tenant) -> None:
    one = await endpoint(tenant, "https://93.184.215.14/one")
    two = await endpoint(tenant, "https://93.184.215.14/two")
    for hook in (one, one, one, two, two):
        assert (await tenant.client.post(f"/v1/webhook-endpoints/{hook['id']}/test")).status_code == 202
    seen, cursor = [], None
    while True:
        page = (
            await tenant.client.get(
                "/v1/webhook-deliveries", params={"limit": 2, **({"cursor": cursor} if cursor else {})}
            )
        ).json()
        seen += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == 5
    assert len({d["id"] for d in seen}) == 5
    assert [d["created_at"] for d in seen] == sorted((d["created_at"] for d in seen), reverse=True)
    assert len(await deliveries(tenant, endpoint_id=one["id"])) == 3
    assert len(await deliveries(tenant, event_type="webhook.test")) == 5
    assert len(await deliveries(tenant, event_type="order.created")) == 0
    assert len(await deliveries(tenant, status="pending")) == 5
    assert len(await deliveries(tenant, status="succeeded")) == 0


async def test_disabling_pauses_pending_deliveries_and_enabling_resumes_them(
    tenant: Tenant, receiver: Receiver, make_worker
) -> None:
    hook = await endpoint(tenant, receiver.url(), event_types=["order.created"])
    await _order(tenant)

    async def fanned_out() -> bool:
        return len(await deliveries(tenant)) == 1

    await drive(fanned_out, make_worker(webhook_concurrency=0), what="the fan-out")  # sends nothing
    (delivery,) = await deliveries(tenant)
    assert delivery["next_attempt_at"] is not None
    url = f"/v1/webhook-endpoints/{hook['id']}"
    assert (await tenant.client.patch(url, json={"enabled": False})).status_code == 200
    await _order(tenant)  # written while disabled: not for this endpoint
    worker = make_worker()
    for _ in range(3):
        await worker.step()
        await worker.drain()
    assert receiver.received == []
    (paused,) = await deliveries(tenant)
    assert (paused["status"], paused["next_attempt_at"], paused["attempts"]) == ("pending", None, [])
    assert (await tenant.client.patch(url, json={"enabled": True})).status_code == 200
    await drive(_settled(tenant), worker, what="the resumed delivery")
    assert len(receiver.received) == 1
