from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from wareflow.db import Base, BigId, JSONType, UTCDateTime, utcnow


class Event(Base):
    """One change. The feed serves events ordered by ``(txid, id)``.

    ``txid`` is PostgreSQL's transaction id (``pg_current_xact_id()``); the feed only serves
    transactions older than every one still running, so a slow transaction can never commit
    behind a cursor. On SQLite writers are serialized, so ``txid`` is 0 and ``id`` is enough.

    On PostgreSQL the primary key is ``(organization_id, id)`` (migration 0010), so the table
    distributes by organization; SQLite keeps ``id`` alone, the only key it numbers by itself.
    """

    __tablename__ = "events"
    __table_args__ = (
        Index(None, "organization_id", "txid", "id"),
        Index(None, "organization_id", "order_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    organization_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("organizations.id", ondelete="CASCADE")
    )
    txid: Mapped[int] = mapped_column(BigInteger, default=0)
    type: Mapped[str] = mapped_column(String(64))
    order_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    data: Mapped[dict[str, Any]] = mapped_column(JSONType)
    occurred_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
