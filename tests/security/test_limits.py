"""Abuse limits: per-key rate limits with RateLimit headers, body size, keys never echoed."""

from __future__ import annotations

import httpx

from tests.conftest import Tenant, order_body
from wareflow.app import create_app
from wareflow.config import Settings
from wareflow.db import Database


async def test_rate_limit_per_key(
    db: Database, settings: Settings, tenant: Tenant, other_tenant: Tenant
) -> None:
    app = create_app(settings.model_copy(update={"rate_limit": "3/minute"}))
    app.state.db = db
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        mine = {"x-api-key": tenant.key}
        answers = [await client.get("/v1/orders", headers=mine) for _ in range(4)]
        assert [r.status_code for r in answers] == [200, 200, 200, 429]
        assert answers[0].headers["ratelimit-policy"] == "3;w=60"
        assert answers[0].headers["ratelimit"].startswith("limit=3, remaining=2")
        refused = answers[3]
        assert refused.headers["content-type"] == "application/problem+json"
        assert 1 <= int(refused.headers["retry-after"]) <= 60
        # another key has its own window
        assert (await client.get("/v1/orders", headers={"x-api-key": other_tenant.key})).status_code == 200


async def test_keys_and_secrets_are_never_echoed(tenant: Tenant, anonymous: httpx.AsyncClient) -> None:
    wrong = tenant.key[:-3] + "xyz"
    response = await anonymous.get("/v1/orders", headers={"x-api-key": wrong})
    assert response.status_code == 401
    assert wrong not in response.text
    assert tenant.key not in (await tenant.client.post("/v1/orders", json=order_body())).text
