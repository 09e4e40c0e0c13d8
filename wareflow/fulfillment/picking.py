"""Pick lists (waves) and recording what pickers found.

A short pick (fewer units on the shelf than the system thought) writes the missing units off
stock, then either splits the remainder into a new shipment held as ``backordered`` until a
receipt (policy ``backorder``, the default) or ships short (``short_ship``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from wareflow.catalog.models import Product
from wareflow.core.errors import FieldError, InvalidInput, NotFound, TransitionRefused
from wareflow.core.fulfillment import BACKORDER_HOLD, PickedLine, check_pick
from wareflow.core.lifecycle import ShipmentAction, ShipmentStatus
from wareflow.db import new_id, utcnow
from wareflow.fulfillment import shipments as moves
from wareflow.fulfillment.models import PickList, Shipment
from wareflow.orders import service as orders
from wareflow.orders.repository import StoredOrder
from wareflow.stock import reservations
from wareflow.tenants.cache import OrgRef


async def order_of_shipment(
    session: AsyncSession, organization_id: uuid.UUID, shipment_id: uuid.UUID, *, lock: bool = True
) -> tuple[StoredOrder, Shipment]:
    """The shipment and its whole order; locked for a change (order first, then shipments: one
    fixed order), or not (``lock=False``) for reading."""
    order_id = await session.scalar(
        select(Shipment.order_id).where(
            Shipment.organization_id == organization_id, Shipment.id == shipment_id
        )
    )
    if order_id is None:
        raise NotFound("No such shipment.")
    stored = await orders.get_order(session, organization_id=organization_id, order_id=order_id, lock=lock)
    shipment = next(s for s in stored.shipments if s.id == shipment_id)
    return stored, shipment


# --- pick lists ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Wave:
    """Which entered shipments go on a pick list: named orders, or a filter."""

    order_ids: list[uuid.UUID] | None = None
    warehouse_code: str | None = None
    limit: int = 50


async def create_pick_list(
    session: AsyncSession, *, organization: OrgRef, wave: Wave, actor: str
) -> PickList:
    query = select(Shipment).where(
        Shipment.organization_id == organization.id, Shipment.status == ShipmentStatus.ENTERED.value
    )
    if wave.order_ids is not None:
        query = query.where(Shipment.order_id.in_(wave.order_ids))
    if wave.warehouse_code:
        query = query.where(Shipment.warehouse_code == wave.warehouse_code.upper())
    candidates = list((await session.scalars(query.order_by(Shipment.created_at).limit(wave.limit))).all())
    if not candidates:
        raise InvalidInput([FieldError("", "nothing_to_pick", "No entered shipment matches.")])
    warehouses = {s.warehouse_code for s in candidates}
    if len(warehouses) > 1:
        raise InvalidInput(
            [FieldError("/order_ids", "several_warehouses", "A pick list is for one warehouse.")]
        )
    pick_list = PickList(
        organization_id=organization.id,
        id=new_id(),
        warehouse_code=warehouses.pop(),
        shipment_ids=[],
        created_by=actor,
        created_at=utcnow(),
    )
    session.add(pick_list)
    for order_id in sorted({s.order_id for s in candidates}):
        stored = await orders.get_order(
            session, organization_id=organization.id, order_id=order_id, lock=True
        )
        for shipment in stored.shipments:
            if shipment.status == ShipmentStatus.ENTERED and shipment in candidates:
                shipment.pick_list_id = pick_list.id
                await moves.move(session, shipment, ShipmentAction.START_PICKING)
                pick_list.shipment_ids = [*pick_list.shipment_ids, str(shipment.id)]
        await moves.sync_order(session, stored)
    return pick_list


async def pick_list_rows(
    session: AsyncSession, organization_id: uuid.UUID, pick_list: PickList
) -> list[dict[str, Any]]:
    """The walk: one row per shipment line, sorted by bin location, then SKU."""
    from wareflow.stock.models import StockLevel

    ids = [uuid.UUID(i) for i in pick_list.shipment_ids]
    shipments = (
        await session.scalars(
            select(Shipment).where(Shipment.organization_id == organization_id, Shipment.id.in_(ids))
        )
    ).all()
    product_ids = {uuid.UUID(li["product_id"]) for s in shipments for li in s.lines if li.get("product_id")}
    products = {
        p.id: p
        for p in (
            await session.scalars(
                select(Product).where(Product.organization_id == organization_id, Product.id.in_(product_ids))
            )
        ).all()
    }
    bins = {
        lv.product_id: lv.location
        for lv in (
            await session.scalars(
                select(StockLevel).where(
                    StockLevel.organization_id == organization_id,
                    StockLevel.warehouse_code == pick_list.warehouse_code,
                    StockLevel.product_id.in_(product_ids),
                )
            )
        ).all()
    }
    rows = []
    for s in shipments:
        for line in s.lines:
            pid = uuid.UUID(line["product_id"]) if line.get("product_id") else None
            product = products.get(pid) if pid else None
            rows.append(
                {
                    "location": bins.get(pid) if pid else None,
                    "sku": product.sku if product else line["sku"],
                    "ean": product.ean if product else None,
                    "name": product.name if product else None,
                    "serial_tracked": bool(product and product.serial_tracked),
                    "quantity": line["quantity"],
                    "shipment_id": str(s.id),
                    "shipment_number": s.number,
                    "line_number": line["line_number"],
                }
            )
    return sorted(
        rows, key=lambda r: (r["location"] is None, r["location"] or "", r["sku"], r["shipment_number"])
    )


async def get_pick_list(
    session: AsyncSession, organization_id: uuid.UUID, pick_list_id: uuid.UUID
) -> PickList:
    pick_list = await session.get(PickList, (organization_id, pick_list_id))
    if pick_list is None:
        raise NotFound("No such pick list.")
    return pick_list


# --- recording a pick ------------------------------------------------------------------------


async def _tracking_flags(
    session: AsyncSession, organization_id: uuid.UUID, shipment: Shipment
) -> tuple[dict[int, bool], dict[int, bool]]:
    ids = {uuid.UUID(li["product_id"]) for li in shipment.lines if li.get("product_id")}
    products = {
        str(p.id): p
        for p in (
            await session.scalars(
                select(Product).where(Product.organization_id == organization_id, Product.id.in_(ids))
            )
        ).all()
    }
    serial = {
        li["line_number"]: bool(
            products.get(li.get("product_id") or "") and products[li["product_id"]].serial_tracked
        )
        for li in shipment.lines
    }
    lot = {
        li["line_number"]: bool(
            products.get(li.get("product_id") or "") and products[li["product_id"]].lot_tracked
        )
        for li in shipment.lines
    }
    return serial, lot


async def pick(
    session: AsyncSession,
    *,
    organization: OrgRef,
    shipment_id: uuid.UUID,
    picks: list[PickedLine],
    actor: str,
) -> StoredOrder:
    """Record the whole pick of a shipment (every line, 0 when nothing was found)."""
    stored, shipment = await order_of_shipment(session, organization.id, shipment_id)
    if shipment.status != ShipmentStatus.PICKING or any(
        li["picked_quantity"] is not None for li in shipment.lines
    ):
        raise TransitionRefused(
            f"Shipment {shipment.number} is {shipment.status}; only a shipment on a pick "
            "list, not picked yet, takes a pick."
        )
    expected = {li["line_number"]: li["quantity"] for li in shipment.lines}
    serial, lot = await _tracking_flags(session, organization.id, shipment)
    errors = check_pick(expected, serial, lot, picks)
    missing = sorted(set(expected) - {p.line_number for p in picks})
    errors += [
        FieldError("/lines", "line_missing", f"Give line {n} (quantity 0 if none was found).")
        for n in missing
    ]
    if errors:
        raise InvalidInput(errors)
    by_line = {p.line_number: p for p in picks}
    remainder = []
    lines = []
    for line in shipment.lines:
        got = by_line[line["line_number"]]
        subs = [{"quantity": 1, "serial_number": sn, "lot": got.lot} for sn in got.serial_numbers] or (
            [{"quantity": got.quantity, "serial_number": None, "lot": got.lot}] if got.quantity else []
        )
        short = line["quantity"] - got.quantity
        lines.append(
            {
                **line,
                "quantity": got.quantity,
                "picked_quantity": got.quantity,
                "sublines": subs,
                "short_quantity": short,
            }
        )
        if short:
            remainder.append({**line, "quantity": short, "picked_quantity": None, "sublines": []})
    shipment.lines = lines
    if remainder:
        await _write_off(session, stored, shipment, remainder, actor)
        if organization.settings.get("short_pick_policy", "backorder") == "backorder":
            await moves.add_shipment(
                session, stored, remainder, status=ShipmentStatus.ON_HOLD, hold_reason=BACKORDER_HOLD
            )
    if not any(li["quantity"] for li in shipment.lines):
        await moves.move(session, shipment, ShipmentAction.CANCEL, reason="nothing found at pick")
    await moves.sync_order(session, stored)
    return stored


async def _write_off(
    session: AsyncSession,
    stored: StoredOrder,
    shipment: Shipment,
    remainder: list[dict[str, Any]],
    actor: str,
) -> None:
    """Units the shelf did not have leave on-hand stock and the order's reservation."""
    await reservations.take(
        session,
        organization_id=stored.order.organization_id,
        order_id=stored.order.id,
        warehouse_code=shipment.warehouse_code,
        lines=[(li["line_number"], uuid.UUID(li["product_id"]), li["quantity"]) for li in remainder],
        kind="shortage",
        actor=actor,
        reason=f"short pick of {shipment.number}",
    )
