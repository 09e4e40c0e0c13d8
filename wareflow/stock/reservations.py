"""Reserving and releasing stock for an order: all lines or nothing.

Stock rows are locked in one fixed order (by product id) so two orders reserving the same
products can never deadlock, and the last unit goes to exactly one of them.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from wareflow.catalog.models import Product
from wareflow.db import utcnow
from wareflow.events import service as events
from wareflow.stock.models import Allocation, StockLevel, StockMovement


@dataclass(frozen=True)
class LineNeed:
    line_number: int
    product_id: uuid.UUID
    quantity: int


async def lock_levels(
    session: AsyncSession,
    organization_id: uuid.UUID,
    warehouse_code: str,
    product_ids: set[uuid.UUID],
) -> dict[uuid.UUID, StockLevel]:
    """The stock rows of these products, locked (PostgreSQL) in product-id order."""
    query = (
        select(StockLevel)
        .where(
            StockLevel.organization_id == organization_id,
            StockLevel.warehouse_code == warehouse_code,
            StockLevel.product_id.in_(product_ids),
        )
        .order_by(StockLevel.product_id)
        .with_for_update()
    )
    return {level.product_id: level for level in await session.scalars(query)}


async def reserve(
    session: AsyncSession,
    *,
    organization_id: uuid.UUID,
    order_id: uuid.UUID,
    warehouse_code: str,
    needs: list[LineNeed],
    actor: str | None,
    first_reservation: bool = False,
) -> bool:
    """Reserve every line, or nothing when any product is short. Returns whether it did.
    ``first_reservation``: the order has no reservation rows yet (no need to look)."""
    per_product = Counter[uuid.UUID]()
    for need in needs:
        per_product[need.product_id] += need.quantity
    levels = await lock_levels(session, organization_id, warehouse_code, set(per_product))
    for product_id, quantity in per_product.items():
        level = levels.get(product_id)
        if level is None or level.on_hand - level.allocated < quantity:
            return False
    for product_id, quantity in sorted(per_product.items()):
        level = levels[product_id]
        level.allocated += quantity
        level.updated_at = utcnow()
        await _moved(
            session,
            level,
            allocated_delta=quantity,
            kind="allocation",
            order_id=order_id,
            reason="order allocated",
            actor=actor,
        )
    existing = (
        {}
        if first_reservation
        else {
            row.line_number: row
            for row in await session.scalars(
                select(Allocation).where(
                    Allocation.organization_id == organization_id, Allocation.order_id == order_id
                )
            )
        }
    )
    fresh = []
    for need in needs:
        if need.line_number in existing:  # a split remainder getting its stock back
            existing[need.line_number].quantity += need.quantity
        else:
            fresh.append(need)
    if fresh:
        await session.execute(
            insert(Allocation),
            [
                {
                    "organization_id": organization_id,
                    "order_id": order_id,
                    "line_number": n.line_number,
                    "warehouse_code": warehouse_code,
                    "product_id": n.product_id,
                    "quantity": n.quantity,
                }
                for n in fresh
            ],
        )
    return True


async def take(
    session: AsyncSession,
    *,
    organization_id: uuid.UUID,
    order_id: uuid.UUID,
    warehouse_code: str,
    lines: list[tuple[int, uuid.UUID, int]],
    kind: str,
    actor: str | None,
    reason: str,
) -> None:
    """Reserved units leave the warehouse: shipped (``shipment``) or not on the shelf after all
    (``shortage``). On hand, allocated and the order's reservation all go down together."""
    per_product = Counter[uuid.UUID]()
    for _, product_id, quantity in lines:
        per_product[product_id] += quantity
    levels = await lock_levels(session, organization_id, warehouse_code, set(per_product))
    for product_id, quantity in sorted(per_product.items()):
        level = levels[product_id]
        level.on_hand -= quantity
        level.allocated -= quantity
        level.updated_at = utcnow()
        await _moved(
            session,
            level,
            kind=kind,
            on_hand_delta=-quantity,
            allocated_delta=-quantity,
            order_id=order_id,
            reason=reason,
            actor=actor,
        )
    rows = {
        row.line_number: row
        for row in await session.scalars(
            select(Allocation).where(
                Allocation.organization_id == organization_id, Allocation.order_id == order_id
            )
        )
    }
    for line_number, _, quantity in lines:
        row = rows[line_number]
        row.quantity -= quantity
        if row.quantity <= 0:
            await session.delete(row)


async def release(
    session: AsyncSession,
    *,
    organization_id: uuid.UUID,
    order_id: uuid.UUID,
    actor: str | None,
    reason: str = "order released",
) -> None:
    """Give back everything reserved for the order."""
    rows = list(
        (
            await session.scalars(
                select(Allocation).where(
                    Allocation.organization_id == organization_id, Allocation.order_id == order_id
                )
            )
        ).all()
    )
    if not rows:
        return
    per_product = Counter[uuid.UUID]()
    for row in rows:
        per_product[row.product_id] += row.quantity
    levels = await lock_levels(session, organization_id, rows[0].warehouse_code, set(per_product))
    for product_id, quantity in sorted(per_product.items()):
        level = levels[product_id]
        level.allocated -= quantity
        level.updated_at = utcnow()
        await _moved(
            session,
            level,
            allocated_delta=-quantity,
            kind="release",
            order_id=order_id,
            reason=reason,
            actor=actor,
        )
    await session.execute(
        delete(Allocation).where(
            Allocation.organization_id == organization_id, Allocation.order_id == order_id
        )
    )


async def reserved_lines(
    session: AsyncSession, organization_id: uuid.UUID, order_id: uuid.UUID
) -> dict[int, tuple[uuid.UUID, int]]:
    rows = await session.scalars(
        select(Allocation).where(
            Allocation.organization_id == organization_id, Allocation.order_id == order_id
        )
    )
    return {row.line_number: (row.product_id, row.quantity) for row in rows}


async def _moved(
    session: AsyncSession,
    level: StockLevel,
    *,
    kind: str,
    on_hand_delta: int = 0,
    allocated_delta: int = 0,
    reason: str | None,
    order_id: uuid.UUID | None = None,
    actor: str | None,
) -> None:
    """Record a movement and the ``stock.changed`` event, in the caller's transaction."""
    # Usually already in the session's identity map (resolved with the order): no query.
    product = await session.get(Product, (level.organization_id, level.product_id))
    session.add(
        StockMovement(
            organization_id=level.organization_id,
            warehouse_code=level.warehouse_code,
            product_id=level.product_id,
            kind=kind,
            on_hand_delta=on_hand_delta,
            allocated_delta=allocated_delta,
            reason=reason,
            order_id=order_id,
            actor=actor,
            created_at=utcnow(),
        )
    )
    await events.record(
        session,
        organization_id=level.organization_id,
        type="stock.changed",
        order_id=order_id,
        data={
            "warehouse_code": level.warehouse_code,
            "product_id": str(level.product_id),
            "sku": product.sku if product else None,
            "kind": kind,
            "on_hand": level.on_hand,
            "allocated": level.allocated,
            "available": level.on_hand - level.allocated,
            "on_hand_delta": on_hand_delta,
            "allocated_delta": allocated_delta,
            "reason": reason,
        },
    )


record_movement = _moved  # the one way stock changes are written, for stock.service
