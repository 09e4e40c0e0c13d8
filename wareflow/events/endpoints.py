"""The change feed: ``GET /v1/events?after=<cursor>``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.responses import Response

from wareflow.api.deps import CurrentTenant, Session
from wareflow.api.writes import json_response
from wareflow.events import service
from wareflow.orders.schemas import EventPage

router = APIRouter(prefix="/v1/events", tags=["events"])


@router.get("", response_model=EventPage)
async def change_feed(
    tenant: CurrentTenant,
    session: Session,
    after: str | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> Response:
    """The organization's events in commit order. Poll with ``after=<next_cursor>``; every event
    is seen exactly once. An empty page keeps the cursor; 410 when the cursor was pruned."""
    cursor = service.Cursor.decode(after) if after else None
    items = await service.read_feed(
        session,
        organization_id=tenant.organization.id,
        after=cursor,
        limit=limit,
        pruned_through=tenant.organization.feed_pruned_through,
    )
    next_cursor = service.event_cursor(items[-1]).encode() if items else after
    return json_response(200, {"items": [service.present(e) for e in items], "next_cursor": next_cursor})
