"""Demo data for the quick start: a merchant, a warehouse, a small catalog with stock, API keys
and a UI user."""

from __future__ import annotations

import secrets

from sqlalchemy.ext.asyncio import AsyncSession

from wareflow.catalog import service as catalog
from wareflow.catalog.schemas import ProductIn
from wareflow.stock import service as stock
from wareflow.tenants import service
from wareflow.users import service as users

DEMO_SLUG, DEMO_WAREHOUSE = "demo", "LAW"
DEMO_OPERATOR = "ops@example.com"  # the UI's demo user (operator: every organization)
# (sku, name, article code, EAN, units on hand, bin)
CATALOG = [
    ("HP-SPX360", "HP Spectre x360 laptop", "ART-1001", "4006381333931", 25, "A-01-01"),
    ("MOUSE-01", "Wireless mouse", "ART-1002", None, 120, "A-01-02"),
    ("USB-C-1M", "USB-C cable 1 m", "ART-1003", None, 300, "A-02-01"),
    ("BAG-15", "Laptop sleeve 15 inch", "ART-1004", None, 0, "B-01-01"),  # out of stock: backorders
]


async def seed(session: AsyncSession, *, fresh: bool) -> dict[str, str]:
    """Create the demo organization, warehouse and stocked catalog when ``fresh``; mint keys.

    Keys are stored hashed and cannot be shown twice, so each run prints a new pair.
    """
    if fresh:
        await service.create_warehouse(
            session, code=DEMO_WAREHOUSE, name="Los Angeles Warehouse", country="US"
        )
        org = await service.create_organization(session, slug=DEMO_SLUG, name="Demo Merchant")
        org.default_warehouse_code = DEMO_WAREHOUSE
        for sku, name, article_code, ean, on_hand, location in CATALOG:
            data = ProductIn(sku=sku, name=name, article_code=article_code, ean=ean)
            await catalog.create_product(session, organization_id=org.id, data=data)
            if on_hand:
                await stock.adjust(
                    session,
                    organization_id=org.id,
                    warehouse_code=DEMO_WAREHOUSE,
                    sku=sku,
                    quantity=on_hand,
                    reason="demo opening stock",
                    location=location,
                    actor="demo",
                )
    else:
        org = await service.require_organization(session, DEMO_SLUG)
    _, merchant = await service.create_api_key(session, organization=org, name="demo")
    _, operator = await service.create_api_key(session, organization=None, name="demo operator")
    # Like the keys, the UI user's password is stored hashed: each run sets and prints a new one.
    password = secrets.token_urlsafe(12)
    if await users.get_by_email(session, DEMO_OPERATOR) is None:
        await users.create_user(session, email=DEMO_OPERATOR, password=password, organization_id=None)
    else:
        await users.set_password(session, email=DEMO_OPERATOR, password=password)
    return {"merchant": merchant, "operator": operator, "ui_user": DEMO_OPERATOR, "ui_password": password}
