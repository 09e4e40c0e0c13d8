"""Clients speaking eWarehousing to the test app, and the page's article in the catalog."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from tests.conftest import WAREHOUSE, Tenant
from tests.dialects.ewarehousing.examples import ARTICLE

BASE = "http://wareflow.test/compat/ewarehousing"


def headers_for(tenant: Tenant, **extra: str) -> dict[str, str]:
    return {
        "authorization": f"Bearer {tenant.key}",
        "x-wms-code": WAREHOUSE,
        "x-customer-code": tenant.slug,
        **extra,
    }


@pytest.fixture
async def raw(app: object) -> AsyncIterator[httpx.AsyncClient]:
    """No credentials, no headers: each test sends its own."""
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url=BASE) as client:
        yield client


@pytest.fixture
async def wms(app: object, tenant: Tenant) -> AsyncIterator[httpx.AsyncClient]:
    """The merchant's key as Bearer, with ``X-Wms-Code`` and ``X-Customer-Code``."""
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url=BASE, headers=headers_for(tenant)) as client:
        yield client


@pytest.fixture
async def page_article(tenant: Tenant, operator: httpx.AsyncClient) -> dict[str, Any]:
    """The page's article (its variant is named like its code), 100 in stock."""
    product = await tenant.client.post(
        "/v1/products", json={"sku": ARTICLE, "article_code": ARTICLE, "name": ARTICLE}
    )
    assert product.status_code == 201, product.text
    receipt = {"warehouse_code": WAREHOUSE, "sku": ARTICLE, "quantity": 100, "reason": "receipt"}
    assert (await operator.post("/v1/stock/adjustments", json=receipt)).status_code == 201
    return product.json()  # type: ignore[no-any-return]
