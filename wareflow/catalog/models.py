from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Numeric, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from wareflow.db import Base, UTCDateTime, new_id, utcnow


class Product(Base):
    """A sellable variant: what a line's code resolves to, and what stock is counted in.

    Each identifier is unique within the organization (NULLs do not collide).
    """

    __tablename__ = "products"
    __table_args__ = (
        UniqueConstraint("organization_id", "sku"),
        UniqueConstraint("organization_id", "article_code"),
        UniqueConstraint("organization_id", "ean"),
        UniqueConstraint("organization_id", "upc"),
        Index(None, "organization_id", "created_at", "id"),
    )

    organization_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True
    )
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    sku: Mapped[str] = mapped_column(String(100))
    article_code: Mapped[str | None] = mapped_column(String(100))
    ean: Mapped[str | None] = mapped_column(String(14))
    upc: Mapped[str | None] = mapped_column(String(12))
    name: Mapped[str] = mapped_column(String(255))
    description: Mapped[str | None] = mapped_column(Text)
    weight: Mapped[Decimal | None] = mapped_column(Numeric(12, 4))
    weight_unit: Mapped[str | None] = mapped_column(String(2))
    length: Mapped[Decimal | None] = mapped_column(Numeric(12, 4))
    width: Mapped[Decimal | None] = mapped_column(Numeric(12, 4))
    height: Mapped[Decimal | None] = mapped_column(Numeric(12, 4))
    dim_unit: Mapped[str | None] = mapped_column(String(2))
    hs_code: Mapped[str | None] = mapped_column(String(14))
    country_of_origin: Mapped[str | None] = mapped_column(String(2))
    image_url: Mapped[str | None] = mapped_column(String(2000))
    serial_tracked: Mapped[bool] = mapped_column(default=False)
    lot_tracked: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
