"""OpenAPI shapes of the native order API (responses are built by the presenter)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from wareflow.core.order import OrderDraft, OrderLine


class VariantRef(BaseModel):
    id: str
    article_code: str | None = None
    sku: str | None = None
    name: str | None = None


class OrderLineOut(OrderLine):
    model_config = ConfigDict(extra="allow")
    line_number: int
    variant: VariantRef | None = None


class OrderOut(OrderDraft):
    model_config = ConfigDict(extra="allow")
    id: str
    number: str = Field(examples=["ORD00000000001"])
    status: str
    hold_reason: str | None = None
    warehouse_code: str
    lines: list[OrderLineOut]  # type: ignore[assignment]
    shipments: list[dict[str, Any]] = Field(default_factory=list)
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime


class OrderPage(BaseModel):
    items: list[OrderOut]
    next_cursor: str | None


class HoldRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str | None = Field(default=None, max_length=255)


class EventOut(BaseModel):
    id: int
    type: str
    order_id: str | None
    occurred_at: dt.datetime
    cursor: str
    data: dict[str, Any]


class EventPage(BaseModel):
    items: list[EventOut]
    next_cursor: str | None
