"""eWarehousing's own Python client (``ewhs-api-python`` from PyPI), unchanged but for its base
URL and credentials, against the dialect served over real HTTP on the loopback interface."""

from __future__ import annotations

import asyncio
import copy
from collections.abc import AsyncIterator
from typing import Any

import pytest
import uvicorn
from ewhs.client import EwhsClient
from ewhs.exceptions import AuthenticationError, BadRequest

from tests.conftest import WAREHOUSE, Tenant
from tests.dialects.ewarehousing import examples as ex


@pytest.fixture
async def base_url(app: object) -> AsyncIterator[str]:
    """The app on 127.0.0.1 (a free port), in this event loop, for the length of one test."""
    config = uvicorn.Config(app, host="127.0.0.1", port=0, lifespan="off", log_level="warning", ws="none")  # type: ignore[arg-type]
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    for _ in range(500):
        if server.started:
            break
        await asyncio.sleep(0.01)
    assert server.started, "the test server did not start"
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}/compat/ewarehousing"
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, timeout=10)


def drive(base_url: str, tenant: Tenant) -> dict[str, Any]:
    """What an integration does: create, get with expand, list, update, refresh, a refusal."""
    client = EwhsClient(
        tenant.slug, tenant.key, customer_code=tenant.slug, wms_code=WAREHOUSE, api_url=base_url
    )
    seen: dict[str, Any] = {}
    try:
        seen["created"] = client.order.create(ex.CREATE_REQUEST, expand=["order_lines"])
        order_id = seen["created"]["id"]
        seen["got"] = client.order.get(order_id, expand=["shipping_address", "order_lines", "meta_data"])
        seen["listed"] = client.order.list(params={"external_reference": "WEB-10001", "status": "created"})
        seen["updated"] = client.order.update(
            order_id, {"note": "Ring twice", "order_lines": ex.PATCH_REQUEST["order_lines"]}
        )
        first_refresh_token = client.refresh_token
        client.expires_at = 0  # the token "expired": the client refreshes it
        seen["after_refresh"] = client.order.get(order_id, expand=["order_lines"])
        seen["refreshed"] = client.refresh_token != first_refresh_token
        try:
            client.order.create(
                {**copy.deepcopy(ex.CREATE_REQUEST), "external_reference": "WEB-2", "order_lines": []}
            )
        except BadRequest as refused:
            seen["refused"] = refused.errors
        seen["article"] = client.article.create(
            {"name": "Mug", "variants": [{"sku": "MUG-1", "weight": 350}]}
        )
        seen["articles"] = client.article.list(params={"sku": "MUG-1"})
        seen["stock"] = client.stock.list(params={"sku": "A-1"})
        stranger = EwhsClient(
            tenant.slug, "wf_m_wrong_key", customer_code=tenant.slug, wms_code=WAREHOUSE, api_url=base_url
        )
        try:
            stranger.order.list()
        except AuthenticationError as refused:
            seen["stranger"] = str(refused)
        finally:
            stranger.session.close()
    finally:
        client.session.close()
    return seen


async def test_the_vendors_python_client_runs_unchanged(
    base_url: str, tenant: Tenant, page_article: dict[str, Any]
) -> None:
    seen = await asyncio.to_thread(drive, base_url, tenant)
    assert seen["created"]["reference"].startswith("ORD")
    assert seen["created"]["order_lines"][0]["variant"]["article_code"] == ex.ARTICLE
    assert seen["got"]["shipping_address"]["street"] == "Nijverheidsweg"
    assert seen["got"]["meta_data"] == ex.CREATE_REQUEST["meta_data"]
    assert [o["id"] for o in seen["listed"]] == [seen["created"]["id"]]
    assert seen["updated"]["note"] == "Ring twice"
    assert [line["quantity"] for line in seen["after_refresh"]["order_lines"]] == [3]
    assert seen["refreshed"] is True
    assert "order_lines" in seen["refused"]["errors"]
    assert seen["articles"] == [seen["article"]]
    assert seen["stock"][0]["stock_physical"] == 1000
    assert seen["stranger"] == "Invalid credentials."
