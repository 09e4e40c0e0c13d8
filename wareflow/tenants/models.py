from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from wareflow.db import Base, JSONType, UTCDateTime, new_id, utcnow


class Organization(Base):
    """A merchant of the warehouse: the tenant every order, product and event belongs to."""

    __tablename__ = "organizations"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    slug: Mapped[str] = mapped_column(String(63), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    # unknown_sku_policy, short_pick_policy, … (see tenants.service.DEFAULT_SETTINGS)
    settings: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    default_warehouse_code: Mapped[str | None] = mapped_column(String(16))
    # SQLite hands out order numbers from this counter; PostgreSQL uses a sequence per organization.
    order_counter: Mapped[int] = mapped_column(default=0)
    # Change-feed events up to this position were pruned; an older cursor answers 410.
    feed_pruned_through: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class Warehouse(Base):
    """A building of the operator's; it serves every organization, so it is not tenant-owned."""

    __tablename__ = "warehouses"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    country: Mapped[str] = mapped_column(String(2))
    address: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class ApiKey(Base):
    """An API key: merchant role (one organization) or operator role (organization_id is null).

    Only a SHA-256 of the key is stored; the key itself is shown once at creation.
    """

    __tablename__ = "api_keys"
    __table_args__ = (Index(None, "organization_id"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    prefix: Mapped[str] = mapped_column(String(32), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))  # merchant | operator
    organization_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("organizations.id", ondelete="CASCADE")
    )
    name: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
