"""Webhook payloads of the native API: what a client sends, and the documented answers."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, field_validator

# "order.created", "order.*" (every order event), or "*"; lower case, dot-separated.
EventType = Annotated[
    str, Field(min_length=1, max_length=64, pattern=r"^(\*|[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*(\.\*)?)$")
]
EventTypes = Annotated[list[EventType], Field(min_length=1, max_length=50)]
Url = Annotated[str, Field(min_length=1, max_length=2048)]
Description = Annotated[str, Field(max_length=255)]
MAX_ENDPOINTS = 50  # per organization


class EndpointIn(BaseModel):
    """A new endpoint. Leave ``event_types`` out (or null) to receive every event."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    url: Url = Field(examples=["https://shop.example.com/hooks/wareflow"])
    event_types: EventTypes | None = Field(default=None, examples=[["order.status_changed", "stock.*"]])
    enabled: StrictBool = True
    description: Description | None = None


class EndpointPatch(BaseModel):
    """Change some fields of an endpoint; ``event_types: null`` means every event again."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    url: Url | None = None
    event_types: EventTypes | None = None
    enabled: StrictBool | None = None
    description: Description | None = None

    @field_validator("url", "enabled")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("This field cannot be null.")
        return value

    def changes(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.model_fields_set}


class EndpointOut(BaseModel):
    id: str
    url: str
    description: str | None
    event_types: list[str] | None
    enabled: bool
    disabled_reason: Literal["disabled", "gone", "failing"] | None
    disabled_at: dt.datetime | None
    previous_secret_expires_at: dt.datetime | None
    last_success_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime


class EndpointWithSecret(EndpointOut):
    secret: str = Field(description="Shown only in this answer", examples=["whsec_MfKQ9r8GKYqrTwjUPD8ILPZI"])


class EndpointPage(BaseModel):
    items: list[EndpointOut]
    next_cursor: str | None


class AttemptOut(BaseModel):
    number: int
    outcome: Literal["sending", "succeeded", "failed", "abandoned"]
    attempted_at: dt.datetime
    status_code: int | None
    latency_ms: int | None
    error: str | None
    response_excerpt: str | None


class DeliveryOut(BaseModel):
    id: str
    endpoint_id: str
    event_id: int | None
    event_type: str
    message_id: str = Field(description="The webhook-id header: the same on every attempt")
    status: Literal["pending", "succeeded", "failed"]
    next_attempt_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime
    payload: dict[str, Any]
    attempts: list[AttemptOut]


class DeliveryPage(BaseModel):
    items: list[DeliveryOut]
    next_cursor: str | None
