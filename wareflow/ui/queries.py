"""Read-only questions of the UI that no service answers: lists of organizations and
warehouses, the dashboard's counts across organizations, reference search, recent pick lists and
webhook failures. Nothing here writes; every change goes through the services."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from wareflow.core.lifecycle import ORDER_FINAL
from wareflow.fulfillment.models import PickList, Shipment
from wareflow.orders.models import Order
from wareflow.tenants.models import Organization, Warehouse
from wareflow.webhooks.models import WebhookDelivery

OrderRow = tuple[Order, str]  # an order and its organization's slug


async def organizations(session: AsyncSession) -> list[Organization]:
    return list((await session.scalars(select(Organization).order_by(Organization.slug))).all())


async def warehouses(session: AsyncSession) -> list[Warehouse]:
    return list((await session.scalars(select(Warehouse).order_by(Warehouse.code))).all())


def _orders(organization_ids: list[uuid.UUID]) -> Any:
    return (
        select(Order, Organization.slug)
        .join(Organization, Organization.id == Order.organization_id)
        .where(Order.organization_id.in_(organization_ids))
    )


async def status_counts(
    session: AsyncSession, organization_ids: list[uuid.UUID]
) -> dict[uuid.UUID, dict[str, int]]:
    """Orders per organization and status."""
    query = (
        select(Order.organization_id, Order.status, func.count())
        .where(Order.organization_id.in_(organization_ids))
        .group_by(Order.organization_id, Order.status)
    )
    counts: dict[uuid.UUID, dict[str, int]] = {}
    for org_id, status, count in (await session.execute(query)).all():
        counts.setdefault(org_id, {})[status] = int(count)
    return counts


async def due_by(
    session: AsyncSession, organization_ids: list[uuid.UUID], day: dt.date, limit: int = 50
) -> list[OrderRow]:
    """Orders not shipped nor canceled whose required ship date is ``day`` or earlier."""
    ship_date = Order.data["required_ship_date"].as_string()
    query = (
        _orders(organization_ids)
        .where(Order.status.notin_([s.value for s in ORDER_FINAL]), ship_date <= day.isoformat())
        .order_by(ship_date, Order.created_at)
        .limit(limit)
    )
    return [(order, slug) for order, slug in (await session.execute(query)).all()]


async def in_status(
    session: AsyncSession, organization_ids: list[uuid.UUID], status: str, limit: int = 20
) -> list[OrderRow]:
    query = _orders(organization_ids).where(Order.status == status).order_by(Order.updated_at).limit(limit)
    return [(order, slug) for order, slug in (await session.execute(query)).all()]


async def search(
    session: AsyncSession, organization_ids: list[uuid.UUID], text: str, limit: int = 50
) -> list[OrderRow]:
    """Orders whose number, external reference, external id or PO number is ``text``."""
    text = text.strip()
    query = (
        _orders(organization_ids)
        .where(
            or_(
                Order.number == text.upper(),
                Order.external_reference == text,
                Order.external_id == text,
                Order.po_number == text,
            )
        )
        .order_by(Order.created_at.desc())
        .limit(limit)
    )
    return [(order, slug) for order, slug in (await session.execute(query)).all()]


async def recent_pick_lists(
    session: AsyncSession, organization_id: uuid.UUID, limit: int = 20
) -> list[PickList]:
    query = (
        select(PickList)
        .where(PickList.organization_id == organization_id)
        .order_by(PickList.created_at.desc())
        .limit(limit)
    )
    return list((await session.scalars(query)).all())


async def shipments(
    session: AsyncSession, organization_id: uuid.UUID, ids: list[uuid.UUID]
) -> dict[uuid.UUID, Shipment]:
    if not ids:
        return {}
    query = select(Shipment).where(Shipment.organization_id == organization_id, Shipment.id.in_(ids))
    return {s.id: s for s in (await session.scalars(query)).all()}


async def failed_deliveries(
    session: AsyncSession, organization_ids: list[uuid.UUID], limit: int = 10
) -> list[tuple[WebhookDelivery, str]]:
    """The latest webhook deliveries that gave up, newest first."""
    query = (
        select(WebhookDelivery, Organization.slug)
        .join(Organization, Organization.id == WebhookDelivery.organization_id)
        .where(WebhookDelivery.organization_id.in_(organization_ids), WebhookDelivery.status == "failed")
        .order_by(WebhookDelivery.updated_at.desc())
        .limit(limit)
    )
    return [(d, slug) for d, slug in (await session.execute(query)).all()]
