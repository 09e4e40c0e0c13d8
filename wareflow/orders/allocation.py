"""Matching an order to the catalog and to stock: resolve its lines, then allocate or backorder.

``settle`` is the one place that decides what a received (or changed, or released) order becomes:
- a line naming no product: held with reason ``unknown_sku`` (policy ``accept``);
- every line reservable in its warehouse: ``allocated`` (stock reserved, all lines at once);
- otherwise ``backordered``, reserving nothing; receipts retry backorders oldest first.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from wareflow.catalog.resolver import Resolution, resolve
from wareflow.core.errors import FieldError, InvalidInput
from wareflow.core.lifecycle import OrderAction, OrderStatus
from wareflow.core.order import OrderLine as DraftLine
from wareflow.fulfillment import shipments
from wareflow.orders import repository
from wareflow.orders.lifecycle import UNKNOWN_SKU, transition
from wareflow.orders.models import Order, OrderLine
from wareflow.orders.repository import StoredOrder
from wareflow.stock import reservations
from wareflow.stock.reservations import Level, LineNeed

__all__ = [
    "UNKNOWN_SKU",
    "Intake",
    "begin_intake",
    "reallocate_backorders",
    "resolve_lines",
    "retry_unknown_skus",
    "settle",
]

# Statuses in which an order holds (or waits for) stock and is re-evaluated after a change.
_SETTLED_STATUSES = {OrderStatus.RECEIVED, OrderStatus.ALLOCATED, OrderStatus.BACKORDERED}


async def resolve_lines(
    session: AsyncSession, *, organization_id: uuid.UUID, settings: dict[str, Any], lines: list[DraftLine]
) -> dict[str, Resolution]:
    """Each line's product. Unknown codes are refused (policy ``reject``, the default) or left
    for a hold (``accept``); ambiguous codes are always refused. Errors name the line."""
    resolutions = await resolve(session, organization_id, {line.sku for line in lines})
    errors = []
    for index, line in enumerate(lines):
        found = resolutions[line.sku]
        if found.ambiguous:
            errors.append(
                FieldError(
                    f"/lines/{index}/sku",
                    "ambiguous_sku",
                    f"{line.sku!r} names more than one product; use its SKU.",
                )
            )
        elif found.product is None and settings.get("unknown_sku_policy", "reject") == "reject":
            errors.append(
                FieldError(
                    f"/lines/{index}/sku",
                    "unknown_sku",
                    f"No product has the article code, EAN/UPC or SKU {line.sku!r}.",
                )
            )
    if errors:
        raise InvalidInput(errors)
    return resolutions


def _needs(stored: StoredOrder) -> list[LineNeed]:
    return [
        LineNeed(line.line_number, line.variant_id, line.quantity)
        for line in stored.lines
        if line.variant_id is not None
    ]


@dataclass(frozen=True)
class Intake:
    """What a new order takes before settling: the stock rows of its products, locked, and its
    number (on PostgreSQL one round trip, see ``repository.lock_for_intake``)."""

    locked: dict[uuid.UUID, Level]
    number: str


async def begin_intake(session: AsyncSession, stored: StoredOrder) -> Intake:
    """Lock the stock a new order wants (none when a line names no product: it will be held)
    and take its number."""
    order = stored.order
    if any(line.variant_id is None for line in stored.lines):
        return Intake({}, await repository.next_number(session, order.organization_id))
    wanted = reservations.per_product_need(_needs(stored))
    locked, number = await repository.lock_for_intake(
        session, order.organization_id, order.warehouse_code, set(wanted)
    )
    return Intake(locked, number)


async def settle(
    session: AsyncSession,
    stored: StoredOrder,
    *,
    actor: str | None,
    new_order: bool = False,
    locked: dict[uuid.UUID, Level] | None = None,
) -> None:
    """Allocate, backorder or hold the order (see the module docstring). ``new_order``: it was
    just inserted, so it holds no reservation yet (saves the lookups on the hot path);
    ``locked``: its stock rows, already locked (by ``begin_intake``)."""
    order = stored.order
    if OrderStatus(order.status) not in _SETTLED_STATUSES:
        return
    if any(line.variant_id is None for line in stored.lines):
        if not new_order:  # a new order holds nothing yet
            await release_stock(session, stored, actor=actor, reason="order has unknown SKUs")
        await transition(session, stored, OrderAction.HOLD, reason=UNKNOWN_SKU)
        return
    needs = _needs(stored)
    reserved = (
        {} if new_order else await reservations.reserved_lines(session, order.organization_id, order.id)
    )
    wanted = {n.line_number: (n.product_id, n.quantity) for n in needs}
    if reserved != wanted:
        if reserved:
            await release_stock(session, stored, actor=actor, reason="order lines changed")
        ok = await reservations.reserve(
            session,
            organization_id=order.organization_id,
            order_id=order.id,
            warehouse_code=order.warehouse_code,
            needs=needs,
            actor=actor,
            first_reservation=new_order,
            locked=locked,
        )
    else:
        ok = True
    if ok:
        if order.status != OrderStatus.ALLOCATED:
            await transition(session, stored, OrderAction.ALLOCATE)
        await shipments.on_allocated(session, stored)
    else:
        await shipments.discard_open(session, stored)
        if order.status != OrderStatus.BACKORDERED:
            await transition(session, stored, OrderAction.BACKORDER)


async def release_stock(
    session: AsyncSession, stored: StoredOrder, *, actor: str | None, reason: str
) -> None:
    await reservations.release(
        session,
        organization_id=stored.order.organization_id,
        order_id=stored.order.id,
        actor=actor,
        reason=reason,
    )


async def _orders_waiting(session: AsyncSession, organization_id: uuid.UUID, query: Any) -> list[StoredOrder]:
    orders = list((await session.scalars(query.order_by(Order.created_at, Order.id).with_for_update())).all())
    ids = [o.id for o in orders]
    lines = await repository.lines_of(session, organization_id, ids)
    shipments = await repository.shipments_of(session, organization_id, ids, lock=True)
    return [StoredOrder(o, lines[o.id], shipments[o.id]) for o in orders]


async def reallocate_backorders(
    session: AsyncSession,
    *,
    organization_id: uuid.UUID,
    warehouse_code: str,
    product_ids: set[uuid.UUID],
    actor: str | None,
) -> int:
    """After a receipt: retry backordered orders that want these products, oldest first.

    An order that still cannot be filled completely does not block younger ones behind it.
    Returns how many became allocated.
    """
    wanting = select(OrderLine.order_id).where(
        OrderLine.organization_id == organization_id, OrderLine.variant_id.in_(product_ids)
    )
    query = select(Order).where(
        Order.organization_id == organization_id,
        Order.warehouse_code == warehouse_code,
        Order.status == OrderStatus.BACKORDERED.value,
        Order.id.in_(wanting),
    )
    allocated = 0
    for stored in await _orders_waiting(session, organization_id, query):
        await settle(session, stored, actor=actor)
        allocated += stored.order.status == OrderStatus.ALLOCATED
    return allocated


async def retry_unknown_skus(
    session: AsyncSession, *, organization_id: uuid.UUID, codes: set[str], actor: str | None
) -> int:
    """After a product appears: orders held for ``unknown_sku`` naming one of its codes resolve
    again; when every line now names a product they are released and settled."""
    naming = select(OrderLine.order_id).where(
        OrderLine.organization_id == organization_id,
        OrderLine.variant_id.is_(None),
        OrderLine.sku.in_(codes),
    )
    query = select(Order).where(
        Order.organization_id == organization_id,
        Order.status == OrderStatus.ON_HOLD.value,
        Order.hold_reason == UNKNOWN_SKU,
        Order.id.in_(naming),
    )
    released = 0
    for stored in await _orders_waiting(session, organization_id, query):
        found = await resolve(session, organization_id, {line.sku for line in stored.lines})
        for line in stored.lines:
            if line.variant_id is None and found[line.sku].product is not None:
                line.variant_id = found[line.sku].product.id  # type: ignore[union-attr]
                line.variant = found[line.sku].variant
        if all(line.variant_id is not None for line in stored.lines):
            await transition(session, stored, OrderAction.RELEASE)
            await settle(session, stored, actor=actor)
            released += 1
    return released
