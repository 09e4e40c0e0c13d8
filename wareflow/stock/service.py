"""Stock levels and adjustments (receipts, counts, damage): the warehouse's side of inventory."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from wareflow.catalog.models import Product
from wareflow.catalog.resolver import ProductRef, resolve
from wareflow.core.errors import Conflict, FieldError, InvalidInput
from wareflow.db import dialect_name, utcnow
from wareflow.stock.models import StockLevel, StockMovement
from wareflow.stock.reservations import change_levels, lock_levels
from wareflow.tenants.service import warehouse_exists


async def product_for_code(session: AsyncSession, organization_id: uuid.UUID, code: str) -> ProductRef:
    resolution = (await resolve(session, organization_id, {code}))[code]
    if resolution.product is None:
        problem = "ambiguous_sku" if resolution.ambiguous else "unknown_sku"
        raise InvalidInput([FieldError("/sku", problem, f"No single product has the code {code!r}.")])
    return resolution.product


async def adjust(
    session: AsyncSession,
    *,
    organization_id: uuid.UUID,
    warehouse_code: str,
    sku: str,
    quantity: int,
    reason: str,
    location: str | None,
    actor: str | None,
) -> tuple[ProductRef, StockLevel]:
    """Add (receipt) or remove units on hand. Never below what is promised to orders."""
    if quantity == 0:
        raise InvalidInput([FieldError("/quantity", "zero", "An adjustment moves at least one unit.")])
    if not await warehouse_exists(session, warehouse_code):
        raise InvalidInput(
            [FieldError("/warehouse_code", "unknown_warehouse", f"No warehouse {warehouse_code!r}.")]
        )
    warehouse_code = warehouse_code.upper()
    product = await product_for_code(session, organization_id, sku)
    key = {"organization_id": organization_id, "warehouse_code": warehouse_code, "product_id": product.id}
    levels = await lock_levels(session, organization_id, warehouse_code, {product.id})
    if product.id not in levels:  # the product's first units here; a concurrent first receipt may win
        dialect = postgresql if dialect_name(session) == "postgresql" else sqlite
        new_row = {**key, "on_hand": 0, "allocated": 0, "updated_at": utcnow()}
        await session.execute(dialect.insert(StockLevel).on_conflict_do_nothing(), new_row)
        levels = await lock_levels(session, organization_id, warehouse_code, {product.id})
    level = levels[product.id]
    if level.on_hand + quantity < level.allocated:
        raise Conflict(
            f"Only {level.available} of {product.sku} are free in {warehouse_code}; "
            f"{level.allocated} are allocated to orders.",
            on_hand=level.on_hand,
            allocated=level.allocated,
        )
    if location is not None:
        await session.execute(
            update(StockLevel)
            .where(*(getattr(StockLevel, k) == v for k, v in key.items()))
            .values(location=location)
        )
    await change_levels(
        session,
        organization_id=organization_id,
        warehouse_code=warehouse_code,
        levels=levels,
        deltas={product.id: (quantity, 0)},
        kind="adjustment",
        reason=reason,
        actor=actor,
    )
    stored = await session.get(StockLevel, tuple(key.values()), populate_existing=True)
    assert stored is not None
    return product, stored


def present_level(level: StockLevel, product: Product | ProductRef) -> dict[str, Any]:
    return {
        "sku": product.sku,
        "product_id": str(product.id),
        "warehouse_code": level.warehouse_code,
        "location": level.location,
        "on_hand": level.on_hand,
        "allocated": level.allocated,
        "available": level.on_hand - level.allocated,
        "updated_at": level.updated_at.isoformat(),
    }


async def levels(
    session: AsyncSession,
    *,
    organization_id: uuid.UUID,
    sku: str | None,
    warehouse_code: str | None,
    limit: int,
    cursor: str | None,
) -> tuple[list[tuple[StockLevel, Product]], str | None]:
    """Stock rows with their product, ordered by (product id, warehouse)."""
    query = (
        select(StockLevel, Product)
        .join(
            Product,
            (Product.organization_id == StockLevel.organization_id) & (Product.id == StockLevel.product_id),
        )
        .where(StockLevel.organization_id == organization_id)
    )
    if sku:
        query = query.where(Product.id == (await product_for_code(session, organization_id, sku)).id)
    if warehouse_code:
        query = query.where(StockLevel.warehouse_code == warehouse_code.upper())
    if cursor:
        product_id, _, code = cursor.partition(":")
        try:
            key = (uuid.UUID(product_id), code)
        except ValueError:
            raise InvalidInput([FieldError("/query/cursor", "invalid_cursor", "Use next_cursor.")]) from None
        query = query.where(
            (StockLevel.product_id > key[0])
            | ((StockLevel.product_id == key[0]) & (StockLevel.warehouse_code > key[1]))
        )
    query = query.order_by(StockLevel.product_id, StockLevel.warehouse_code).limit(limit + 1)
    rows = [(level, product) for level, product in (await session.execute(query)).all()]
    more, rows = len(rows) > limit, rows[:limit]
    next_cursor = f"{rows[-1][0].product_id}:{rows[-1][0].warehouse_code}" if more else None
    return rows, next_cursor


async def movements(
    session: AsyncSession,
    *,
    organization_id: uuid.UUID,
    sku: str | None,
    warehouse_code: str | None,
    limit: int,
    before: int | None,
) -> list[tuple[StockMovement, Product]]:
    """The history, newest first; page with ``before=<id of the last one>``."""
    query = (
        select(StockMovement, Product)
        .join(
            Product,
            (Product.organization_id == StockMovement.organization_id)
            & (Product.id == StockMovement.product_id),
        )
        .where(StockMovement.organization_id == organization_id)
    )
    if sku:
        query = query.where(Product.id == (await product_for_code(session, organization_id, sku)).id)
    if warehouse_code:
        query = query.where(StockMovement.warehouse_code == warehouse_code.upper())
    if before is not None:
        query = query.where(StockMovement.id < before)
    query = query.order_by(StockMovement.id.desc()).limit(limit)
    return [(m, p) for m, p in (await session.execute(query)).all()]


def present_movement(m: StockMovement, product: Product) -> dict[str, Any]:
    return {
        "id": m.id,
        "sku": product.sku,
        "warehouse_code": m.warehouse_code,
        "kind": m.kind,
        "on_hand_delta": m.on_hand_delta,
        "allocated_delta": m.allocated_delta,
        "reason": m.reason,
        "order_id": str(m.order_id) if m.order_id else None,
        "actor": m.actor,
        "created_at": m.created_at.isoformat(),
    }
