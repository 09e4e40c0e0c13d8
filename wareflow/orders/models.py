from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import (
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    String,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from wareflow.db import Base, JSONType, UTCDateTime, new_id, utcnow


class Order(Base):
    """A stored order: the columns that are searched, plus the canonical document in ``data``.

    ``data`` holds the validated :class:`wareflow.core.order.OrderDraft` minus its lines (which
    are rows of their own, because stock and shipments point at them).
    """

    __tablename__ = "orders"
    __table_args__ = (
        UniqueConstraint("organization_id", "external_reference"),
        UniqueConstraint("organization_id", "number"),
        Index(None, "organization_id", "created_at", "id"),
        Index(None, "organization_id", "updated_at", "id"),
        Index(None, "organization_id", "status", "created_at"),
        Index(None, "organization_id", "external_id"),
        Index(None, "organization_id", "po_number"),
        Index(None, "organization_id", "requested_delivery_date"),
    )

    organization_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True
    )
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    number: Mapped[str] = mapped_column(String(14))  # ORD + 11 digits, per organization
    external_reference: Mapped[str] = mapped_column(String(100))
    external_id: Mapped[str | None] = mapped_column(String(100))
    po_number: Mapped[str | None] = mapped_column(String(100))
    warehouse_code: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(32))
    hold_reason: Mapped[str | None] = mapped_column(String(255))
    requested_delivery_date: Mapped[dt.date | None] = mapped_column(Date)
    # Bumped on every change: the ETag, and the order's own sequence number in events.
    version: Mapped[int] = mapped_column(default=1)
    data: Mapped[dict[str, Any]] = mapped_column(JSONType)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class OrderLine(Base):
    """One line of an order: what was asked for (shipments record what happened)."""

    __tablename__ = "order_lines"
    __table_args__ = (
        ForeignKeyConstraint(
            ["organization_id", "order_id"],
            ["orders.organization_id", "orders.id"],
            ondelete="CASCADE",
        ),
        Index(None, "organization_id", "sku"),
        Index(None, "organization_id", "variant_id"),
    )

    organization_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    order_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    line_number: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(String(100))
    quantity: Mapped[int]
    variant_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    # {id, article_code, sku, name} of the resolved product, as it was when resolved.
    variant: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    data: Mapped[dict[str, Any]] = mapped_column(JSONType)
