"""Packing and shipping a shipment, holding and releasing it, and giving backordered
remainders their stock when it arrives."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from wareflow.core.errors import InvalidInput, TransitionRefused
from wareflow.core.fulfillment import BACKORDER_HOLD, check_pack
from wareflow.core.lifecycle import ShipmentAction, ShipmentStatus
from wareflow.db import utcnow
from wareflow.documents import generate
from wareflow.documents import service as documents
from wareflow.fulfillment import rates
from wareflow.fulfillment import shipments as moves
from wareflow.fulfillment.models import Shipment
from wareflow.fulfillment.picking import order_of_shipment
from wareflow.fulfillment.presenter import present_shipment
from wareflow.orders import repository
from wareflow.orders.repository import StoredOrder
from wareflow.stock import reservations
from wareflow.stock.reservations import LineNeed
from wareflow.tenants.cache import OrgRef


def _package_grams(packages: list[dict[str, Any]]) -> Decimal:
    return sum((Decimal(p["weight"]) * rates.GRAMS[p["weight_unit"]] for p in packages), Decimal(0))


async def pack(
    session: AsyncSession,
    *,
    organization: OrgRef,
    shipment_id: uuid.UUID,
    packages: list[dict[str, Any]],
    max_document_bytes: int,
) -> StoredOrder:
    """Packages for what was picked; the carrier is the order's transport detail or the cheapest
    rate of its rate group; the packing slip is generated and attached to the order."""
    stored, shipment = await order_of_shipment(session, organization.id, shipment_id)
    if shipment.status != ShipmentStatus.PICKING or any(
        li["picked_quantity"] is None for li in shipment.lines
    ):
        raise TransitionRefused(f"Shipment {shipment.number} is {shipment.status}; pack it after its pick.")
    picked = {li["line_number"]: li["picked_quantity"] for li in shipment.lines}
    errors = check_pack(
        picked, [[(li["line_number"], li["quantity"]) for li in p["lines"]] for p in packages]
    )
    if errors:
        raise InvalidInput(errors)
    shipment.packages = [
        {**p, "reference": p.get("reference") or f"{shipment.number}-P{i + 1}"}
        for i, p in enumerate(packages)
    ]
    shipment.tracking = await _carrier(session, organization, stored, shipment)
    await moves.move(session, shipment, ShipmentAction.PACK)
    slip = generate.packing_slip(stored.present(), present_shipment(shipment))
    await documents.attach(
        session,
        organization_id=organization.id,
        order_id=stored.order.id,
        title=f"Packing slip {shipment.number}",
        kind="packing_slip",
        content=slip,
        generated=True,
        max_bytes=max_document_bytes,
    )
    await moves.sync_order(session, stored)
    return stored


async def _carrier(
    session: AsyncSession, org: OrgRef, stored: StoredOrder, shipment: Shipment
) -> dict[str, Any] | None:
    data = stored.order.data
    if data.get("transport_detail"):
        detail = data["transport_detail"]
        return {
            "carrier_code": detail["carrier_code"],
            "service_level_code": detail.get("service_level_code"),
        }
    if data.get("rate_group"):
        rate = await rates.cheapest(
            session,
            organization_id=org.id,
            rate_group=data["rate_group"],
            country=data["ship_to"]["country"],
            grams=_package_grams(shipment.packages),
        )
        return {
            "carrier_code": rate.carrier_code,
            "carrier_name": rate.carrier_name,
            "service_level_code": rate.service_level_code,
            "rate_group": rate.rate_group,
            "cost": str(rate.price),
            "currency": rate.currency,
        }
    return None


@dataclass(frozen=True)
class Handover:
    carrier_code: str
    tracking_number: str
    carrier_name: str | None = None
    service_level_code: str | None = None
    shipped_at: dt.datetime | None = None
    cost: Decimal | None = None
    currency: str | None = None


async def ship(
    session: AsyncSession, *, organization: OrgRef, shipment_id: uuid.UUID, handover: Handover, actor: str
) -> StoredOrder:
    """Handed to the carrier: its units leave on-hand stock and the shipment is ``shipped``."""
    stored, shipment = await order_of_shipment(session, organization.id, shipment_id)
    if shipment.status != ShipmentStatus.PACKED:
        raise TransitionRefused(f"Shipment {shipment.number} is {shipment.status}; ship it once packed.")
    await reservations.take(
        session,
        organization_id=organization.id,
        order_id=stored.order.id,
        warehouse_code=shipment.warehouse_code,
        lines=[
            (li["line_number"], uuid.UUID(li["product_id"]), li["quantity"])
            for li in shipment.lines
            if li["quantity"]
        ],
        kind="shipment",
        actor=actor,
        reason=f"shipped {shipment.number}",
    )
    given = {k: v for k, v in handover.__dict__.items() if v is not None}
    shipment.tracking = {
        **(shipment.tracking or {}),
        **{k: (str(v) if isinstance(v, Decimal) else v) for k, v in given.items() if k != "shipped_at"},
        "shipped_at": (handover.shipped_at or utcnow()).isoformat(),
    }
    await moves.move(session, shipment, ShipmentAction.SHIP)
    await moves.sync_order(session, stored)
    return stored


async def hold_or_release(
    session: AsyncSession, *, organization: OrgRef, shipment_id: uuid.UUID, hold: bool, reason: str | None
) -> StoredOrder:
    stored, shipment = await order_of_shipment(session, organization.id, shipment_id)
    if not hold and shipment.hold_reason == BACKORDER_HOLD:
        raise TransitionRefused("This shipment waits for stock; a receipt releases it.")
    await moves.move(
        session,
        shipment,
        ShipmentAction.HOLD if hold else ShipmentAction.RELEASE,
        reason=reason or ("held by the warehouse" if hold else None),
    )
    return stored


async def fill_backordered_shipments(
    session: AsyncSession,
    *,
    organization_id: uuid.UUID,
    warehouse_code: str,
    product_ids: set[uuid.UUID],
    actor: str | None,
) -> int:
    """After a receipt: remainders of short picks that wait for these products get their stock
    (oldest first, all lines of a remainder or none) and are released to be picked."""
    waiting = (
        await session.scalars(
            select(Shipment)
            .where(
                Shipment.organization_id == organization_id,
                Shipment.warehouse_code == warehouse_code,
                Shipment.status == ShipmentStatus.ON_HOLD.value,
                Shipment.hold_reason == BACKORDER_HOLD,
            )
            .order_by(Shipment.created_at, Shipment.id)
        )
    ).all()
    wanted = {str(p) for p in product_ids}
    released = 0
    for candidate in waiting:
        if not any(li.get("product_id") in wanted for li in candidate.lines):
            continue
        stored = await _stored(session, organization_id, candidate.order_id)
        shipment = next(s for s in stored.shipments if s.id == candidate.id)
        needs = [
            LineNeed(li["line_number"], uuid.UUID(li["product_id"]), li["quantity"]) for li in shipment.lines
        ]
        if await reservations.reserve(
            session,
            organization_id=organization_id,
            order_id=stored.order.id,
            warehouse_code=warehouse_code,
            needs=needs,
            actor=actor,
        ):
            await moves.move(session, shipment, ShipmentAction.RELEASE)
            released += 1
    return released


async def _stored(session: AsyncSession, organization_id: uuid.UUID, order_id: uuid.UUID) -> StoredOrder:
    order = await repository.get(session, organization_id, order_id, lock=True)
    assert order is not None  # a shipment's order exists (foreign key)
    lines = await repository.lines_of(session, organization_id, [order_id])
    shipments = await repository.shipments_of(session, organization_id, [order_id], lock=True)
    return StoredOrder(order, lines[order_id], shipments[order_id])
