"""Workers: one killed mid-delivery leads to redelivery; two at once never send an attempt twice."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import subprocess
import sys
from collections import Counter

import pytest

from tests.conftest import Tenant, order_body
from tests.webhooks.conftest import WAIT, deliveries, drive, endpoint
from tests.webhooks.receiver import Received, Receiver, Reply
from wareflow.app import create_app
from wareflow.db import Database, utcnow
from wareflow.webhooks import outcomes, queue
from wareflow.webhooks.sender import Answer


def _worker_process(database_url: str, *, log_level: str = "warning") -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "WAREFLOW_DATABASE_URL": database_url,
        "WAREFLOW_WEBHOOK_ALLOWED_HOSTS": "127.0.0.1",
        "WAREFLOW_WEBHOOK_TIMEOUT_SECONDS": "2",
        "WAREFLOW_WEBHOOK_RETRY_SCHEDULE": "0,0.05,0.05,0.05",
        "WAREFLOW_WEBHOOK_POLL_SECONDS": "0.05",
        "WAREFLOW_LOG_LEVEL": log_level,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "wareflow.cli", "worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE if log_level == "info" else subprocess.DEVNULL,
    )


async def test_a_worker_killed_mid_delivery_leads_to_redelivery(
    tenant: Tenant, receiver: Receiver, make_worker, database_url: str
) -> None:
    arrived = asyncio.Event()

    async def stall_first(request: Received) -> Reply:
        if len(receiver.received) == 1:
            arrived.set()
            await asyncio.sleep(3600)  # the worker dies while waiting for this answer
        return 200, {}, b"ok"

    receiver.respond = stall_first
    await endpoint(tenant, receiver.url(), event_types=["order.created"])
    assert (await tenant.client.post("/v1/orders", json=order_body())).status_code == 201
    process = _worker_process(database_url)
    try:
        await asyncio.wait_for(arrived.wait(), WAIT)
    finally:
        process.kill()  # SIGKILL: no cleanup, no answer recorded
        process.wait(timeout=WAIT)
    assert process.returncode == -9

    (delivery,) = await deliveries(tenant)
    assert delivery["status"] == "pending"
    assert [a["outcome"] for a in delivery["attempts"]] == ["sending"]
    survivor = make_worker()

    async def delivered() -> bool:
        found = await deliveries(tenant)
        return found[0]["status"] == "succeeded"

    await drive(delivered, survivor, what="the redelivery after the lease ran out")
    first, second = receiver.received
    assert second.webhook_id == first.webhook_id == delivery["message_id"]
    assert second.body == first.body
    (after,) = await deliveries(tenant)
    assert [a["outcome"] for a in after["attempts"]] == ["abandoned", "succeeded"]


async def test_two_workers_never_send_one_attempt_twice(
    tenant: Tenant, receiver: Receiver, make_worker, database_url: str
) -> None:
    async def slow_ok(_: Received) -> Reply:
        await asyncio.sleep(0.01)
        return 200, {}, b""

    receiver.respond = slow_ok
    await endpoint(tenant, receiver.url(), event_types=["order.created"])
    await endpoint(tenant, receiver.url("/second"), event_types=["order.created"])
    orders = 12
    for _ in range(orders):
        assert (await tenant.client.post("/v1/orders", json=order_body())).status_code == 201
    own = [Database(database_url), Database(database_url)]  # separate connections, as two processes
    try:
        workers = [make_worker(db, webhook_concurrency=3) for db in own]

        async def run(worker) -> None:  # type: ignore[no-untyped-def]
            loop = asyncio.get_running_loop()
            deadline = loop.time() + WAIT
            while loop.time() < deadline:
                found = await deliveries(tenant)
                if len(found) == orders * 2 and all(d["status"] == "succeeded" for d in found):
                    return
                await worker.step()
                await asyncio.sleep(0.005)
            pytest.fail("the two workers did not finish in time")

        await asyncio.gather(*(run(w) for w in workers))
        for worker in workers:
            await worker.close()
    finally:
        for database in own:
            await database.dispose()

    found = await deliveries(tenant)
    sent = Counter((r.path, r.webhook_id) for r in receiver.received)
    assert len(found) == len(sent), "every delivery arrived"
    assert max(sent.values()) == 1, "an attempt was sent twice"
    assert all(len(d["attempts"]) == 1 for d in found)
    assert sum(w.sent for w in workers) == len(found)
    assert all(w.sent > 0 for w in workers), "both workers took part"


async def test_sigterm_stops_a_worker_cleanly(database_url: str) -> None:
    process = _worker_process(database_url, log_level="info")
    assert process.stderr is not None
    try:

        async def started() -> None:
            while b"webhook_worker_started" not in await asyncio.to_thread(process.stderr.readline):
                assert process.poll() is None, "the worker exited"

        await asyncio.wait_for(started(), WAIT)
        process.terminate()
        assert await asyncio.to_thread(process.wait, WAIT) == 0
        assert b"webhook_worker_stopped" in process.stderr.read()
    finally:
        process.kill()
        process.stderr.close()


async def test_serve_runs_a_worker_when_asked(
    tenant: Tenant, receiver: Receiver, webhook_settings, make_worker
) -> None:
    """``WAREFLOW_RUN_WORKER=true``: the app's lifespan delivers webhooks in-process.
    (``make_worker`` is asked for so that other tests' endpoints are switched off.)"""
    await endpoint(tenant, receiver.url(), event_types=["order.created"])
    assert (await tenant.client.post("/v1/orders", json=order_body())).status_code == 201
    served = create_app(webhook_settings.model_copy(update={"run_worker": True}))

    async def delivered() -> bool:
        found = await deliveries(tenant)
        return bool(found) and found[0]["status"] == "succeeded"

    async with served.router.lifespan_context(served):
        await drive(delivered, what="the in-process worker's delivery")
    assert len(receiver.received) == 1


async def test_a_late_answer_does_not_close_a_delivery_another_worker_took_over(
    tenant: Tenant, receiver: Receiver, make_worker, db: Database
) -> None:
    """A worker that answers after its lease ran out (and another worker claimed the message)
    records its attempt, but the delivery stays with the worker that holds it now."""
    await endpoint(tenant, receiver.url(), event_types=["order.created"])
    assert (await tenant.client.post("/v1/orders", json=order_body())).status_code == 201

    async def fanned_out() -> bool:
        return len(await deliveries(tenant)) == 1

    worker = make_worker(webhook_concurrency=0)  # fans out, never claims
    await drive(fanned_out, worker, what="the fan-out")
    policy = worker.policy
    async with db.sessions() as session:
        (first,) = await queue.claim(session, policy, utcnow(), 1)
        await session.commit()
    later = utcnow() + policy.lease + dt.timedelta(seconds=1)  # the first lease ran out
    async with db.sessions() as session:
        (second,) = await queue.claim(session, policy, later, 1)
        await session.commit()
    assert second.delivery_id == first.delivery_id and second.attempt == first.attempt + 1
    async with db.sessions() as session:
        await outcomes.record(session, policy, [(first, Answer(200, 5))], later)
        await session.commit()
    (delivery,) = await deliveries(tenant)
    assert delivery["status"] == "pending", "the late answer did not close it"
    assert [(a["number"], a["outcome"]) for a in delivery["attempts"]] == [(1, "succeeded"), (2, "sending")]
    async with db.sessions() as session:
        await outcomes.record(session, policy, [(second, Answer(204, 5))], later)
        await session.commit()
    (delivery,) = await deliveries(tenant)
    assert delivery["status"] == "succeeded"
