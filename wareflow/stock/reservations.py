"""Reserving and releasing stock for an order: all lines or nothing.

Stock rows are locked in one fixed order (by product id) so two orders reserving the same
products can never deadlock, and the last unit goes to exactly one of them.

Every change of a stock row goes through ``change_levels``: Core statements (this is the hot
path of order intake), relative updates of rows locked beforehand, one movement and one
``stock.changed`` event per product.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from wareflow import batch
from wareflow.catalog.models import Product
from wareflow.db import utcnow
from wareflow.direct import Direct
from wareflow.events import service as events
from wareflow.stock.models import Allocation, StockLevel, StockMovement

_LEVELS = cast(Table, StockLevel.__table__)
_PRODUCTS = cast(Table, Product.__table__)
_MOVEMENTS = cast(Table, StockMovement.__table__)


def lock_query() -> Any:
    """The stock rows of some products in one warehouse (parameters ``organization_id``,
    ``warehouse_code``, ``product_ids``), locked in product-id order, as ``Level`` fields. The
    product's SKU comes along for the stock.changed events (only the stock row is locked)."""
    return (
        select(_LEVELS.c.product_id, _PRODUCTS.c.sku, _LEVELS.c.on_hand, _LEVELS.c.allocated)
        .join(
            _PRODUCTS,
            (_PRODUCTS.c.organization_id == _LEVELS.c.organization_id)
            & (_PRODUCTS.c.id == _LEVELS.c.product_id),
        )
        .where(
            _LEVELS.c.organization_id == bindparam("organization_id"),
            _LEVELS.c.warehouse_code == bindparam("warehouse_code"),
            _LEVELS.c.product_id.in_(bindparam("product_ids", expanding=True)),
        )
        .order_by(_LEVELS.c.product_id)
        .with_for_update(of=_LEVELS)
    )


_LOCK = Direct(lock_query())
_ALLOCATIONS = cast(Table, Allocation.__table__)
_LEVEL_KEY = ("organization_id", "warehouse_code", "product_id")


@dataclass
class Level:
    """A locked stock row: what the warehouse holds of a product and what is promised."""

    product_id: uuid.UUID
    sku: str
    on_hand: int
    allocated: int

    @property
    def available(self) -> int:
        return self.on_hand - self.allocated


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
) -> dict[uuid.UUID, Level]:
    """The stock rows of these products, locked (PostgreSQL) in product-id order."""
    rows = await _LOCK.rows(
        session,
        {
            "organization_id": organization_id,
            "warehouse_code": warehouse_code,
            "product_ids": list(product_ids),
        },
    )
    return {row[0]: Level(*row) for row in rows}


async def change_levels(
    session: AsyncSession,
    *,
    organization_id: uuid.UUID,
    warehouse_code: str,
    levels: dict[uuid.UUID, Level],
    deltas: dict[uuid.UUID, tuple[int, int]],
    kind: str,
    reason: str | None,
    order_id: uuid.UUID | None = None,
    actor: str | None,
) -> None:
    """Apply ``{product_id: (on_hand_delta, allocated_delta)}`` to rows locked by ``lock_levels``,
    recording a movement and a ``stock.changed`` event for each product."""
    now, changes, movements = utcnow(), [], []
    for product_id, (on_hand_delta, allocated_delta) in sorted(deltas.items()):
        level = levels[product_id]
        level.on_hand += on_hand_delta
        level.allocated += allocated_delta
        key = {"organization_id": organization_id, "warehouse_code": warehouse_code, "product_id": product_id}
        changes.append({**key, "on_hand": on_hand_delta, "allocated": allocated_delta, "updated_at": now})
        movement = {"kind": kind, "on_hand_delta": on_hand_delta, "allocated_delta": allocated_delta}
        movements.append(
            {**key, **movement, "reason": reason, "order_id": order_id, "actor": actor, "created_at": now}
        )
        await events.record(
            session,
            organization_id=organization_id,
            type="stock.changed",
            order_id=order_id,
            data={
                "warehouse_code": warehouse_code,
                "product_id": str(product_id),
                "sku": level.sku,
                "kind": kind,
                "on_hand": level.on_hand,
                "allocated": level.allocated,
                "available": level.available,
                "on_hand_delta": on_hand_delta,
                "allocated_delta": allocated_delta,
                "reason": reason,
            },
        )
        _refresh_loaded(session, key, level, now)
    await batch.add_to(session, _LEVELS, changes, keys=_LEVEL_KEY, added=("on_hand", "allocated"))
    await batch.insert_rows(session, _MOVEMENTS, movements)


def _refresh_loaded(session: AsyncSession, key: dict[str, Any], level: Level, now: Any) -> None:
    """A StockLevel object this session already loaded shows the new figures too."""
    identity = session.sync_session.identity_key(
        StockLevel, (key["organization_id"], key["warehouse_code"], key["product_id"])
    )
    loaded = session.sync_session.identity_map.get(identity)
    if loaded is not None:
        set_committed_value(loaded, "on_hand", level.on_hand)
        set_committed_value(loaded, "allocated", level.allocated)
        set_committed_value(loaded, "updated_at", now)


async def reserve(
    session: AsyncSession,
    *,
    organization_id: uuid.UUID,
    order_id: uuid.UUID,
    warehouse_code: str,
    needs: list[LineNeed],
    actor: str | None,
    first_reservation: bool = False,
    locked: dict[uuid.UUID, Level] | None = None,
) -> bool:
    """Reserve every line, or nothing when any product is short. Returns whether it did.
    ``first_reservation``: the order has no reservation rows yet (no need to look);
    ``locked``: the stock rows, already locked by the caller with ``lock_levels``."""
    per_product = per_product_need(needs)
    levels = (
        locked
        if locked is not None
        else await lock_levels(session, organization_id, warehouse_code, set(per_product))
    )
    if not fits(levels, per_product):
        return False
    await change_levels(
        session,
        organization_id=organization_id,
        warehouse_code=warehouse_code,
        levels=levels,
        deltas={product_id: (0, quantity) for product_id, quantity in per_product.items()},
        kind="allocation",
        order_id=order_id,
        reason="order allocated",
        actor=actor,
    )
    existing = {} if first_reservation else await _allocations(session, organization_id, order_id)
    fresh = []
    for need in needs:
        if need.line_number in existing:  # a split remainder getting its stock back
            existing[need.line_number].quantity += need.quantity
        else:
            fresh.append(need)
    if fresh:
        await batch.insert_rows(
            session,
            _ALLOCATIONS,
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


def per_product_need(needs: list[LineNeed]) -> Counter[uuid.UUID]:
    per_product = Counter[uuid.UUID]()
    for need in needs:
        per_product[need.product_id] += need.quantity
    return per_product


def fits(levels: dict[uuid.UUID, Level], per_product: Counter[uuid.UUID]) -> bool:
    """Whether every product is available in the quantity wanted: the one rule of reserving."""
    return all(
        (level := levels.get(product_id)) is not None and level.available >= quantity
        for product_id, quantity in per_product.items()
    )


async def _allocations(
    session: AsyncSession, organization_id: uuid.UUID, order_id: uuid.UUID
) -> dict[int, Allocation]:
    rows = await session.scalars(
        select(Allocation).where(
            Allocation.organization_id == organization_id, Allocation.order_id == order_id
        )
    )
    return {row.line_number: row for row in rows}


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
    await change_levels(
        session,
        organization_id=organization_id,
        warehouse_code=warehouse_code,
        levels=await lock_levels(session, organization_id, warehouse_code, set(per_product)),
        deltas={product_id: (-quantity, -quantity) for product_id, quantity in per_product.items()},
        kind=kind,
        order_id=order_id,
        reason=reason,
        actor=actor,
    )
    rows = await _allocations(session, organization_id, order_id)
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
    rows = list((await _allocations(session, organization_id, order_id)).values())
    if not rows:
        return
    per_product = Counter[uuid.UUID]()
    for row in rows:
        per_product[row.product_id] += row.quantity
    warehouse_code = rows[0].warehouse_code
    await change_levels(
        session,
        organization_id=organization_id,
        warehouse_code=warehouse_code,
        levels=await lock_levels(session, organization_id, warehouse_code, set(per_product)),
        deltas={product_id: (0, -quantity) for product_id, quantity in per_product.items()},
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
    rows = await _allocations(session, organization_id, order_id)
    return {n: (row.product_id, row.quantity) for n, row in rows.items()}
