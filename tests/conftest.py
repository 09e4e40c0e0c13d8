"""Test fixtures: every API test runs on SQLite and on PostgreSQL (the ``backend`` parameter).

PostgreSQL comes from WAREFLOW_TEST_DATABASE_URL (a URL allowed to create databases), else a
local server on 127.0.0.1:5432 if one answers. Without one the PostgreSQL half is skipped with a
message, unless WAREFLOW_REQUIRE_POSTGRES=1 (CI), where it fails instead.

Each test gets an organization of its own, so tests never see each other's data and need no
cleanup; the schema is migrated once per backend.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass

import httpx
import psycopg
import pytest
from sqlalchemy.engine import make_url

from wareflow.app import create_app
from wareflow.catalog import service as catalog
from wareflow.catalog.schemas import ProductIn
from wareflow.config import Settings
from wareflow.db import Database
from wareflow.migrate import upgrade
from wareflow.stock import service as stock
from wareflow.tenants import service as tenants

LOCAL_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
WAREHOUSE = "LAW"
CACHE_SECONDS = 0.2  # how long the app remembers keys and organizations in tests


def _admin_url() -> str | None:
    url = os.environ.get("WAREFLOW_TEST_DATABASE_URL")
    if url:
        return url
    try:
        with psycopg.connect(_libpq(LOCAL_PG), connect_timeout=2):
            return LOCAL_PG
    except psycopg.Error:
        return None


def _libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A throwaway PostgreSQL database, dropped at the end of the run."""
    admin = _admin_url()
    if admin is None:
        if os.environ.get("WAREFLOW_REQUIRE_POSTGRES") == "1":
            pytest.fail("PostgreSQL is required (WAREFLOW_REQUIRE_POSTGRES=1) but none answers.")
        pytest.skip("No PostgreSQL: set WAREFLOW_TEST_DATABASE_URL to run the PostgreSQL half.")
    name = f"wareflow_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(_libpq(admin), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield make_url(admin).set(database=name).render_as_string(hide_password=False)
    with psycopg.connect(_libpq(admin), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('db') / 'wareflow.db'}"
    else:
        url = request.getfixturevalue("postgres_url")
    upgrade(url)
    return url


@pytest.fixture(scope="session")
async def db(database_url: str) -> AsyncIterator[Database]:
    database = Database(database_url)
    async with database.sessions() as session:
        if await tenants.get_warehouse(session, WAREHOUSE) is None:
            await tenants.create_warehouse(session, code=WAREHOUSE, name="Los Angeles", country="US")
            await session.commit()
    yield database
    await database.dispose()


@pytest.fixture(scope="session")
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, max_body_bytes=64 * 1024, auth_cache_seconds=CACHE_SECONDS)


@pytest.fixture(scope="session")
async def app(db: Database, settings: Settings) -> object:
    application = create_app(settings)
    application.state.db = db
    return application


@dataclass
class Tenant:
    slug: str
    organization_id: uuid.UUID
    key: str
    client: httpx.AsyncClient


# Every test organization's catalog: these SKUs exist with STOCKED units each in LAW.
CATALOG = ("HP-SPX360", "A-1", "B-2")
STOCKED = 1000


async def make_tenant(app: object, db: Database, *, default_warehouse: bool = True) -> Tenant:
    slug = f"org-{uuid.uuid4().hex[:12]}"
    async with db.sessions() as session:
        org = await tenants.create_organization(session, slug=slug)
        if default_warehouse:
            org.default_warehouse_code = WAREHOUSE
        _, key = await tenants.create_api_key(session, organization=org)
        for sku in CATALOG:
            await catalog.create_product(
                session, organization_id=org.id, data=ProductIn(sku=sku, name=f"Product {sku}")
            )
            await stock.adjust(
                session,
                organization_id=org.id,
                warehouse_code=WAREHOUSE,
                sku=sku,
                quantity=STOCKED,
                reason="test stock",
                location=None,
                actor="test",
            )
        await session.commit()
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    client = httpx.AsyncClient(
        transport=transport,
        base_url="http://wareflow.test",
        headers={"authorization": f"Bearer {key}"},
    )
    return Tenant(slug, org.id, key, client)


@pytest.fixture
async def tenant(app: object, db: Database) -> AsyncIterator[Tenant]:
    t = await make_tenant(app, db)
    yield t
    await t.client.aclose()


@pytest.fixture
async def other_tenant(app: object, db: Database) -> AsyncIterator[Tenant]:
    t = await make_tenant(app, db)
    yield t
    await t.client.aclose()


@pytest.fixture
async def anonymous(app: object) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://wareflow.test") as client:
        yield client


@pytest.fixture
async def operator(app: object, operator_key: str, tenant: Tenant) -> AsyncIterator[httpx.AsyncClient]:
    """An operator's client acting for the ``tenant`` organization."""
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    headers = {"x-api-key": operator_key, "organization-slug": tenant.slug}
    async with httpx.AsyncClient(
        transport=transport, base_url="http://wareflow.test", headers=headers
    ) as client:
        yield client


@pytest.fixture
async def operator_key(db: Database) -> str:
    async with db.sessions() as session:
        _, key = await tenants.create_api_key(session, organization=None)
        await session.commit()
    return key


def order_body(reference: str | None = None, **overrides: object) -> dict[str, object]:
    """DESIGN §4's example order, with a fresh reference."""
    body: dict[str, object] = {
        "external_reference": reference or f"WEB-{uuid.uuid4().hex[:10]}",
        "warehouse_code": WAREHOUSE,
        "ship_to": {
            "name": "John Smith",
            "company": None,
            "contact_person": "John Smith",
            "address1": "1234 Main Street",
            "address2": None,
            "city": "Los Angeles",
            "state": "CA",
            "postal_code": "90012",
            "country": "US",
            "phone": "213-555-0123",
            "email": "john.smith@example.com",
        },
        "lines": [{"sku": "HP-SPX360", "quantity": 1, "description": "Laptop", "unit_price": "999.00"}],
        "requested_delivery_date": "2026-05-15",
        "metadata": {"sales_channel": "webshop"},
    }
    body.update(overrides)
    return body


async def feed(client: httpx.AsyncClient, after: str | None, count: int) -> dict[str, object]:
    """The change feed after ``after`` once it holds at least ``count`` events.

    On PostgreSQL an event is served once every older transaction of the server has ended (see
    ``events.service.read_feed``), so a busy server can delay it a moment: wait, bounded.
    """
    for _ in range(200):
        page: dict[str, object] = (await client.get(f"/v1/events?limit=1000&after={after or ''}")).json()
        if len(page["items"]) >= count:  # type: ignore[arg-type]
            return page
        await asyncio.sleep(0.05)
    raise AssertionError(f"the feed never held {count} events")
