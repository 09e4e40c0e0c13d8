from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import ForeignKey, ForeignKeyConstraint, Index, Numeric, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from wareflow.db import Base, JSONType, UTCDateTime, new_id, utcnow


class Shipment(Base):
    """What leaves the dock for an order. Lines, packages, tracking and milestones are parts of
    the shipment and always read and written with it, so they live in its row as JSON:

    - ``lines``: ``[{line_number, sku, product_id, quantity, picked_quantity, sublines:
      [{quantity, serial_number, lot}]}]``
    - ``packages``: ``[{reference, weight, weight_unit, length, width, height, dim_unit,
      package_type, lines: [{line_number, quantity}]}]``
    - ``tracking``: ``{carrier_code, carrier_name, service_level_code, tracking_number,
      shipped_at, cost, currency, rate_group}``
    - ``milestones``: ``[{code, description, sequence, occurred_at}]``
    """

    __tablename__ = "shipments"
    __table_args__ = (
        ForeignKeyConstraint(
            ["organization_id", "order_id"], ["orders.organization_id", "orders.id"], ondelete="CASCADE"
        ),
        Index(None, "organization_id", "order_id"),
        Index(None, "organization_id", "warehouse_code", "status"),
    )

    organization_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    order_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    number: Mapped[str] = mapped_column(String(24))  # the order number + "-1", "-2", …
    status: Mapped[str] = mapped_column(String(16))
    hold_reason: Mapped[str | None] = mapped_column(String(255))
    warehouse_code: Mapped[str] = mapped_column(String(16))
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JSONType)
    packages: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    tracking: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    milestones: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    pick_list_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class PickList(Base):
    """A wave: shipments handed to pickers together, walked bin by bin."""

    __tablename__ = "pick_lists"
    __table_args__ = (Index(None, "organization_id", "created_at"),)

    organization_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True
    )
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    warehouse_code: Mapped[str] = mapped_column(String(16))
    shipment_ids: Mapped[list[str]] = mapped_column(JSONType)
    created_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class Rate(Base):
    """One row of an organization's rate table: the price of a carrier service for a weight
    bracket to some countries. At pack time the cheapest matching row of the order's rate group
    is chosen."""

    __tablename__ = "rates"
    __table_args__ = (Index(None, "organization_id", "rate_group"),)

    organization_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True
    )
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    rate_group: Mapped[str] = mapped_column(String(100))
    carrier_code: Mapped[str] = mapped_column(String(100))
    carrier_name: Mapped[str | None] = mapped_column(String(255))
    service_level_code: Mapped[str | None] = mapped_column(String(100))
    countries: Mapped[list[str]] = mapped_column(JSONType, default=list)  # empty: everywhere
    weight_unit: Mapped[str] = mapped_column(String(2))
    min_weight: Mapped[Decimal] = mapped_column(Numeric(12, 4), default=0)
    max_weight: Mapped[Decimal] = mapped_column(Numeric(12, 4))
    price: Mapped[Decimal] = mapped_column(Numeric(14, 4))
    currency: Mapped[str] = mapped_column(String(3))
