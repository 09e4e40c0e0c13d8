"""Demo data for the quick start: one merchant, one warehouse, keys."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from wareflow.tenants import service

DEMO_SLUG, DEMO_WAREHOUSE = "demo", "LAW"


async def seed(session: AsyncSession, *, fresh: bool) -> dict[str, str]:
    """Create the demo organization and warehouse when ``fresh``; always mint new keys.

    Keys are stored hashed and cannot be shown twice, so each run prints a new pair.
    """
    if fresh:
        await service.create_warehouse(
            session, code=DEMO_WAREHOUSE, name="Los Angeles Warehouse", country="US"
        )
        org = await service.create_organization(session, slug=DEMO_SLUG, name="Demo Merchant")
        org.default_warehouse_code = DEMO_WAREHOUSE
    else:
        org = await service.require_organization(session, DEMO_SLUG)
    _, merchant = await service.create_api_key(session, organization=org, name="demo")
    _, operator = await service.create_api_key(session, organization=None, name="demo operator")
    return {"merchant": merchant, "operator": operator}
