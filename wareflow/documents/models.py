from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import ForeignKeyConstraint, Index, LargeBinary, String, Uuid
from sqlalchemy.orm import Mapped, deferred, mapped_column

from wareflow.db import Base, UTCDateTime, new_id, utcnow


class Document(Base):
    __tablename__ = "documents"
    __table_args__ = (
        ForeignKeyConstraint(
            ["organization_id", "order_id"], ["orders.organization_id", "orders.id"], ondelete="CASCADE"
        ),
        Index(None, "organization_id", "order_id"),
    )

    organization_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    order_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    title: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(16))  # packing_slip | label | customs | invoice | other
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    quantity: Mapped[int] = mapped_column(default=1)  # how many prints
    is_shipping_label: Mapped[bool] = mapped_column(default=False)
    generated: Mapped[bool] = mapped_column(default=False)
    # Loaded only when downloaded: lists of documents never pull the bytes.
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
