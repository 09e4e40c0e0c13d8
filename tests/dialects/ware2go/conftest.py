"""Clients speaking Ware2Go to the test app, and the page's SKUs in stock."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator

import httpx
import pytest

from tests.conftest import WAREHOUSE, Tenant
from tests.dialects.ware2go.examples import SKUS

BASE = "http://wareflow.test/compat/ware2go"


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


@pytest.fixture
async def raw(app: object) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url=BASE) as client:
        yield client


@pytest.fixture
async def w2g(app: object, tenant: Tenant) -> AsyncIterator[httpx.AsyncClient]:
    """Basic auth: any user name, the merchant's Wareflow key as the password."""
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    headers = {"authorization": basic("access-token", tenant.key)}
    async with httpx.AsyncClient(transport=transport, base_url=BASE, headers=headers) as client:
        yield client


@pytest.fixture
async def page_skus(tenant: Tenant, operator: httpx.AsyncClient) -> None:
    """The page's SKUs in the catalog, 10 of each in stock."""
    for sku in SKUS:
        assert (
            await tenant.client.post("/v1/products", json={"sku": sku, "name": f"Product {sku}"})
        ).status_code == 201
        receipt = {"warehouse_code": WAREHOUSE, "sku": sku, "quantity": 10, "reason": "receipt"}
        assert (await operator.post("/v1/stock/adjustments", json=receipt)).status_code == 201
