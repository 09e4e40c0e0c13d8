"""Shipments of an order: creating them, moving them through their table, and keeping the
order's status in step with them (``derive_order_status`` decides; this module applies)."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import make_transient_to_detached

from wareflow import batch
from wareflow.core.fulfillment import MILESTONES, ShipmentState, derive_order_status
from wareflow.core.lifecycle import (
    OrderStatus,
    ShipmentAction,
    ShipmentStatus,
    action_towards,
    shipment_transition,
)
from wareflow.db import new_id, utcnow
from wareflow.events import service as events
from wareflow.fulfillment.models import Shipment
from wareflow.fulfillment.presenter import present_shipment
from wareflow.orders.lifecycle import transition
from wareflow.orders.repository import StoredOrder

_SHIPMENTS = cast(Table, Shipment.__table__)
OPEN = {ShipmentStatus.ENTERED, ShipmentStatus.ON_HOLD}  # nothing of it is on the floor yet
ORDER_HOLD = "order on hold"


def _milestone(shipment: Shipment, status: ShipmentStatus, note: str | None = None) -> None:
    code, description = MILESTONES[status]
    milestones = list(shipment.milestones or [])
    milestones.append(
        {
            "code": code,
            "description": f"{description} ({note})" if note else description,
            "sequence": len(milestones) + 1,
            "occurred_at": utcnow().isoformat(),
        }
    )
    shipment.milestones = milestones  # a new list: JSON columns track assignment, not mutation


async def _event(session: AsyncSession, shipment: Shipment, type: str, **data: Any) -> None:
    await events.record(
        session,
        organization_id=shipment.organization_id,
        type=type,
        order_id=shipment.order_id,
        data={"shipment": present_shipment(shipment), **data},
    )


async def add_shipment(
    session: AsyncSession,
    stored: StoredOrder,
    lines: list[dict[str, Any]],
    *,
    status: ShipmentStatus = ShipmentStatus.ENTERED,
    hold_reason: str | None = None,
) -> Shipment:
    order, now = stored.order, utcnow()
    shipment = Shipment(
        organization_id=order.organization_id,
        id=new_id(),
        order_id=order.id,
        number=f"{order.number}-{len(stored.shipments) + 1}",
        status=status.value,
        hold_reason=hold_reason,
        warehouse_code=order.warehouse_code,
        lines=lines,
        packages=[],
        tracking=None,
        milestones=[],
        pick_list_id=None,
        created_at=now,
        updated_at=now,
    )
    _milestone(shipment, status, hold_reason)
    # Written by a plain insert (the unit of work's flush costs more), then handed to the session
    # as already stored, so later changes to it in this transaction are still tracked.
    row = {c.key: getattr(shipment, c.key) for c in _SHIPMENTS.columns}
    await batch.insert_rows(session, _SHIPMENTS, [row])
    make_transient_to_detached(shipment)
    session.add(shipment)
    stored.shipments.append(shipment)
    await _event(session, shipment, "shipment.created")
    return shipment


def order_lines_for_shipment(stored: StoredOrder) -> list[dict[str, Any]]:
    return [
        {
            "line_number": line.line_number,
            "sku": line.sku,
            "product_id": str(line.variant_id) if line.variant_id else None,
            "quantity": line.quantity,
            "picked_quantity": None,
            "sublines": [],
        }
        for line in stored.lines
    ]


async def move(
    session: AsyncSession, shipment: Shipment, action: ShipmentAction, *, reason: str | None = None
) -> None:
    """One step of the shipment table, with its milestone and event."""
    change = shipment_transition(ShipmentStatus(shipment.status), action)
    shipment.status = change.new
    shipment.hold_reason = reason if change.new == ShipmentStatus.ON_HOLD else None
    shipment.updated_at = utcnow()
    _milestone(shipment, ShipmentStatus(change.new), reason)
    kind = "shipment.shipped" if change.new == ShipmentStatus.SHIPPED else "shipment.status_changed"
    await _event(session, shipment, kind, **{"from": change.old, "to": change.new, "reason": reason})


async def sync_order(session: AsyncSession, stored: StoredOrder) -> None:
    """Bring the order's status to what its shipments say, through the order table."""
    current = OrderStatus(stored.order.status)
    states = [ShipmentState(ShipmentStatus(s.status), s.hold_reason) for s in stored.shipments]
    target = derive_order_status(current, states)
    if target != current:
        await transition(session, stored, action_towards(current, target))


# --- what order-level changes do to shipments -------------------------------------------


async def on_allocated(session: AsyncSession, stored: StoredOrder) -> None:
    """An allocated order has one open shipment with all its lines (held ones are released)."""
    live = [s for s in stored.shipments if ShipmentStatus(s.status) in OPEN]
    for shipment in live:
        if shipment.status == ShipmentStatus.ON_HOLD and shipment.hold_reason == ORDER_HOLD:
            await move(session, shipment, ShipmentAction.RELEASE)
    if not live:
        await add_shipment(session, stored, order_lines_for_shipment(stored))


async def on_hold(session: AsyncSession, stored: StoredOrder) -> None:
    for shipment in stored.shipments:
        if shipment.status == ShipmentStatus.ENTERED:
            await move(session, shipment, ShipmentAction.HOLD, reason=ORDER_HOLD)


async def on_cancel(session: AsyncSession, stored: StoredOrder) -> None:
    for shipment in stored.shipments:
        if ShipmentStatus(shipment.status) in OPEN:
            await move(session, shipment, ShipmentAction.CANCEL)


async def discard_open(session: AsyncSession, stored: StoredOrder) -> None:
    """Lines changed or stock gone before picking: open shipments are rebuilt from scratch."""
    for shipment in [s for s in stored.shipments if ShipmentStatus(s.status) in OPEN]:
        await _event(session, shipment, "shipment.discarded")
        await session.delete(shipment)
        stored.shipments.remove(shipment)
