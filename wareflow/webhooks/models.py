"""Webhook tables: endpoints, deliveries (one per event and endpoint), their attempts, and the
position up to which each organization's event log has been fanned out to its endpoints.

Every table is keyed by ``organization_id`` first, like the rest of the schema, so it can be
distributed by organization.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import (
    BigInteger,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from wareflow.db import Base, JSONType, UTCDateTime, new_id, utcnow


class WebhookEndpoint(Base):
    """A URL of the merchant's that receives signed events.

    ``secret`` signs every delivery and is never shown again after creation or rotation; after a
    rotation ``previous_secret`` keeps signing alongside until ``previous_secret_expires_at``.
    ``event_types`` null means every event.
    """

    __tablename__ = "webhook_endpoints"

    organization_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True
    )
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    url: Mapped[str] = mapped_column(String(2048))
    description: Mapped[str | None] = mapped_column(String(255))
    event_types: Mapped[list[str] | None] = mapped_column(JSONType)
    enabled: Mapped[bool] = mapped_column(default=True)
    # Why the endpoint was switched off: "disabled" (by the merchant), "gone" (it answered 410),
    # "failing" (a delivery failed for its whole retry schedule).
    disabled_reason: Mapped[str | None] = mapped_column(String(32))
    disabled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    secret: Mapped[str] = mapped_column(String(128))
    previous_secret: Mapped[str | None] = mapped_column(String(128))
    previous_secret_expires_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # The last 2xx; decides whether a delivery that ran out of retries means the endpoint is down.
    last_success_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class WebhookDelivery(Base):
    """One message for one endpoint: an event (or a test ping), retried until it succeeds.

    ``message_id`` is the ``webhook-id`` header; it never changes across attempts, so a receiver
    de-duplicates on it. ``body`` is the exact JSON sent, kept so a redelivery sends the same
    payload even after the event was pruned from the log.

    A worker claims a due delivery by pushing ``next_attempt_at`` forward by a lease and setting
    ``lease_token``; a worker killed mid-send leaves the lease to expire and another one sends
    again. ``schedule_step`` counts the attempts of the current run through the retry schedule,
    which started at ``schedule_started_at`` (creation, or a manual retry).
    """

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        ForeignKeyConstraint(
            ["organization_id", "endpoint_id"],
            ["webhook_endpoints.organization_id", "webhook_endpoints.id"],
            ondelete="CASCADE",
        ),
        UniqueConstraint("organization_id", "endpoint_id", "event_id"),
        Index(None, "status", "next_attempt_at"),
        Index(None, "organization_id", "endpoint_id", "id"),
    )

    organization_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    endpoint_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    event_id: Mapped[int | None] = mapped_column(BigInteger)  # null for a test ping
    event_type: Mapped[str] = mapped_column(String(64))
    message_id: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending|succeeded|failed
    attempt_count: Mapped[int] = mapped_column(default=0)
    schedule_step: Mapped[int] = mapped_column(default=0)
    schedule_started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    lease_token: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class WebhookAttempt(Base):
    """One HTTP request of a delivery: written ``sending`` when claimed, finished with its answer
    (or marked ``abandoned`` when its worker died before it could record one)."""

    __tablename__ = "webhook_attempts"
    __table_args__ = (
        ForeignKeyConstraint(
            ["organization_id", "delivery_id"],
            ["webhook_deliveries.organization_id", "webhook_deliveries.id"],
            ondelete="CASCADE",
        ),
    )

    organization_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    delivery_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    number: Mapped[int] = mapped_column(primary_key=True)
    outcome: Mapped[str] = mapped_column(String(16))  # sending|succeeded|failed|abandoned
    attempted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    status_code: Mapped[int | None]
    latency_ms: Mapped[int | None]
    error: Mapped[str | None] = mapped_column(String(255))
    response_excerpt: Mapped[str | None] = mapped_column(Text)


class WebhookCursor(Base):
    """How far the organization's event log has been turned into deliveries: the feed position
    ``(txid, event_id)`` of the last event fanned out, read with the change feed's own rule."""

    __tablename__ = "webhook_cursors"

    organization_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True
    )
    txid: Mapped[int] = mapped_column(BigInteger, default=0)
    event_id: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
