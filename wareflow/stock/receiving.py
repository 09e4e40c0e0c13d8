"""A stock adjustment and what it sets in motion: a receipt retries the backorders waiting
for that product in that warehouse, oldest first, in the same transaction."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from wareflow.catalog.resolver import ProductRef
from wareflow.fulfillment.shipping import fill_backordered_shipments
from wareflow.orders.allocation import reallocate_backorders
from wareflow.stock import service
from wareflow.stock.models import StockLevel


async def adjust_stock(
    session: AsyncSession,
    *,
    organization_id: uuid.UUID,
    warehouse_code: str,
    sku: str,
    quantity: int,
    reason: str,
    location: str | None,
    actor: str | None,
) -> tuple[ProductRef, StockLevel, int]:
    """Adjust, then (for a receipt) allocate waiting orders. Returns how many got allocated."""
    product, level = await service.adjust(
        session,
        organization_id=organization_id,
        warehouse_code=warehouse_code,
        sku=sku,
        quantity=quantity,
        reason=reason,
        location=location,
        actor=actor,
    )
    allocated = 0
    if quantity > 0:
        waiting: dict[str, Any] = {
            "organization_id": organization_id,
            "warehouse_code": level.warehouse_code,
            "product_ids": {product.id},
            "actor": actor,
        }
        # Remainders of short picks first (their orders are already on the floor), then orders.
        allocated = await fill_backordered_shipments(session, **waiting)
        allocated += await reallocate_backorders(session, **waiting)
    return product, level, allocated
