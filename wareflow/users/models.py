"""Users of the operator UI and the key that signs their session cookies."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import ForeignKey, Index, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

import wareflow.tenants.models  # noqa: F401  (organizations: the table users.organization_id refers to)
from wareflow.db import Base, UTCDateTime, new_id, utcnow


class User(Base):
    """Someone who signs in to the UI with an e-mail and a password (argon2 hash only).

    ``role`` is ``operator`` (the warehouse: every organization; ``organization_id`` is null) or
    ``merchant`` (one organization, which is all they see).
    """

    __tablename__ = "users"
    __table_args__ = (Index(None, "organization_id"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lowercased
    name: Mapped[str] = mapped_column(String(255), default="")
    role: Mapped[str] = mapped_column(String(16))  # operator | merchant
    organization_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("organizations.id", ondelete="CASCADE")
    )
    password_hash: Mapped[str] = mapped_column(String(255))
    disabled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_sign_in_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class SigningKey(Base):
    """A secret generated once and shared by every process through the database: it signs the
    UI's session cookies when ``WAREFLOW_SECRET_KEY`` is not set, so restarts and several
    workers agree without configuration."""

    __tablename__ = "signing_keys"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
