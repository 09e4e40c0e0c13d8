"""Webhook fixtures: the app with webhook settings (127.0.0.1 allowed, a short retry schedule),
a real receiver, workers driven step by step, and waits that always end."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import update

from tests.conftest import Tenant
from tests.webhooks.receiver import Receiver
from wareflow.config import Settings
from wareflow.db import Database
from wareflow.webhooks.models import WebhookEndpoint
from wareflow.webhooks.worker import Worker

WEBHOOK_SETTINGS: dict[str, Any] = {
    "webhook_allowed_hosts": "127.0.0.1",
    "webhook_retry_schedule": "0,0.05,0.1,0.1,0.1",
    "webhook_timeout_seconds": 2.0,
    "webhook_poll_seconds": 0.05,
    "webhook_concurrency": 8,
}
WAIT = 20.0  # the longest any test waits for something to happen, in seconds


@pytest.fixture
def webhook_settings(settings: Settings) -> Settings:
    return settings.model_copy(update=WEBHOOK_SETTINGS)


@pytest.fixture
def app(app: Any, webhook_settings: Settings) -> Iterator[Any]:
    """The session's app, with webhook settings for the duration of one test."""
    original = app.state.settings
    app.state.settings = webhook_settings
    yield app
    app.state.settings = original


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    r = Receiver()
    await r.up()
    yield r
    await r.down()


async def disable_every_endpoint(db: Database) -> None:
    """Tests share one database: switch off earlier tests' endpoints so no worker sends to them."""
    async with db.sessions() as session:
        await session.execute(update(WebhookEndpoint).values(enabled=False))
        await session.commit()


@pytest.fixture
async def make_worker(db: Database, webhook_settings: Settings) -> AsyncIterator[Callable[..., Worker]]:
    """Workers for this test (``make_worker(db=..., **settings)``), closed at its end."""
    await disable_every_endpoint(db)
    workers: list[Worker] = []

    def make(database: Database | None = None, **overrides: Any) -> Worker:
        worker = Worker(database or db, webhook_settings.model_copy(update=overrides))
        workers.append(worker)
        return worker

    yield make
    for worker in workers:
        await worker.close()


async def drive(
    until: Callable[[], Awaitable[bool]], *workers: Worker, within: float = WAIT, what: str = "it"
) -> None:
    """Step the workers until ``until()`` holds; fail (not hang) after ``within`` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not await until():
        if loop.time() > deadline:
            pytest.fail(f"gave up waiting for {what} after {within} s")
        for worker in workers:
            await worker.step()
        await asyncio.sleep(0.02)


async def endpoint(tenant: Tenant, url: str, **fields: Any) -> dict[str, Any]:
    response = await tenant.client.post("/v1/webhook-endpoints", json={"url": url, **fields})
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def deliveries(tenant: Tenant, **params: Any) -> list[dict[str, Any]]:
    """Every delivery of the tenant (following the cursor)."""
    found: list[dict[str, Any]] = []
    cursor = None
    while True:
        query = {**params, "limit": 200, **({"cursor": cursor} if cursor else {})}
        response = await tenant.client.get("/v1/webhook-deliveries", params=query)
        assert response.status_code == 200, response.text
        page = response.json()
        found += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return found
