from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import CheckConstraint, ForeignKeyConstraint, Index, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from wareflow.db import Base, BigId, UTCDateTime, utcnow


class StockLevel(Base):
    """How many units of a product a warehouse holds, and how many are promised to orders.

    ``available = on_hand - allocated`` never goes below zero (a check constraint, besides the
    rule in the service). ``location`` is the product's pick bin in that warehouse.
    """

    __tablename__ = "stock_levels"
    __table_args__ = (
        ForeignKeyConstraint(
            ["organization_id", "product_id"],
            ["products.organization_id", "products.id"],
            ondelete="CASCADE",
        ),
        CheckConstraint("allocated >= 0 AND allocated <= on_hand", name="allocated_within_on_hand"),
        # The stock listing's order (and its keyset cursor): one index scan per page.
        Index(None, "organization_id", "product_id", "warehouse_code"),
    )

    organization_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    warehouse_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    product_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    on_hand: Mapped[int] = mapped_column(default=0)
    allocated: Mapped[int] = mapped_column(default=0)
    location: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class StockMovement(Base):
    """One change of on-hand or allocated stock: who, why, and for which order.

    Keyed by ``(organization_id, id)`` on PostgreSQL, ``id`` alone on SQLite (as ``Event``).
    """

    __tablename__ = "stock_movements"
    __table_args__ = (Index(None, "organization_id", "product_id", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    organization_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    warehouse_code: Mapped[str] = mapped_column(String(16))
    product_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    kind: Mapped[str] = mapped_column(String(16))  # adjustment | allocation | release | shipment
    on_hand_delta: Mapped[int] = mapped_column(default=0)
    allocated_delta: Mapped[int] = mapped_column(default=0)
    reason: Mapped[str | None] = mapped_column(String(255))
    order_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    actor: Mapped[str | None] = mapped_column(String(64))  # API key id (or "system")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class Allocation(Base):
    """Stock reserved for one order line (released on cancel, consumed on ship)."""

    __tablename__ = "allocations"
    __table_args__ = (
        ForeignKeyConstraint(
            ["organization_id", "order_id"],
            ["orders.organization_id", "orders.id"],
            ondelete="CASCADE",
        ),
        Index(None, "organization_id", "product_id"),
    )

    organization_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    order_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    line_number: Mapped[int] = mapped_column(primary_key=True)
    warehouse_code: Mapped[str] = mapped_column(String(16))
    product_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    quantity: Mapped[int]
