"""The delivery log: what was sent where, every attempt's answer, and manual redelivery."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from wareflow.core.errors import Conflict, FieldError, InvalidInput, NotFound
from wareflow.db import utcnow
from wareflow.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint


@dataclass
class LoggedDelivery:
    delivery: WebhookDelivery
    attempts: list[WebhookAttempt]

    def present(self) -> dict[str, Any]:
        d = self.delivery
        return {
            "id": str(d.id),
            "endpoint_id": str(d.endpoint_id),
            "event_id": d.event_id,
            "event_type": d.event_type,
            "message_id": d.message_id,
            "status": d.status,
            "next_attempt_at": d.next_attempt_at.isoformat() if d.next_attempt_at else None,
            "created_at": d.created_at.isoformat(),
            "updated_at": d.updated_at.isoformat(),
            "payload": orjson.loads(d.body),
            "attempts": [present_attempt(a) for a in self.attempts],
        }


def present_attempt(attempt: WebhookAttempt) -> dict[str, Any]:
    return {
        "number": attempt.number,
        "outcome": attempt.outcome,
        "attempted_at": attempt.attempted_at.isoformat(),
        "status_code": attempt.status_code,
        "latency_ms": attempt.latency_ms,
        "error": attempt.error,
        "response_excerpt": attempt.response_excerpt,
    }


@dataclass(frozen=True)
class DeliveryFilter:
    endpoint_id: uuid.UUID | None = None
    event_type: str | None = None
    status: str | None = None


async def list_deliveries(
    session: AsyncSession,
    *,
    organization_id: uuid.UUID,
    filters: DeliveryFilter,
    limit: int,
    cursor: str | None,
) -> tuple[list[LoggedDelivery], str | None]:
    """Newest first; ``next_cursor`` is null on the last page."""
    query = select(WebhookDelivery).where(WebhookDelivery.organization_id == organization_id)
    if filters.endpoint_id is not None:
        query = query.where(WebhookDelivery.endpoint_id == filters.endpoint_id)
    if filters.event_type is not None:
        query = query.where(WebhookDelivery.event_type == filters.event_type)
    if filters.status is not None:
        query = query.where(WebhookDelivery.status == filters.status)
    if cursor is not None:
        query = query.where(WebhookDelivery.id < _decode(cursor))
    query = query.order_by(WebhookDelivery.id.desc()).limit(limit + 1)
    rows = list((await session.scalars(query)).all())
    more, rows = len(rows) > limit, rows[:limit]
    attempts = await _attempts_of(session, organization_id, [d.id for d in rows])
    page = [LoggedDelivery(d, attempts[d.id]) for d in rows]
    return page, (str(rows[-1].id) if more else None)


def _decode(cursor: str) -> uuid.UUID:
    try:
        return uuid.UUID(cursor)
    except ValueError:
        raise InvalidInput(
            [FieldError("/query/cursor", "invalid_cursor", "Use a next_cursor from this list.")]
        ) from None


async def _attempts_of(
    session: AsyncSession, organization_id: uuid.UUID, ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[WebhookAttempt]]:
    found: dict[uuid.UUID, list[WebhookAttempt]] = defaultdict(list)
    if not ids:
        return found
    query = (
        select(WebhookAttempt)
        .where(WebhookAttempt.organization_id == organization_id, WebhookAttempt.delivery_id.in_(ids))
        .order_by(WebhookAttempt.delivery_id, WebhookAttempt.number)
    )
    for attempt in (await session.scalars(query)).all():
        found[attempt.delivery_id].append(attempt)
    return found


async def get_delivery(
    session: AsyncSession, *, organization_id: uuid.UUID, delivery_id: uuid.UUID, lock: bool = False
) -> LoggedDelivery:
    query = select(WebhookDelivery).where(
        WebhookDelivery.organization_id == organization_id, WebhookDelivery.id == delivery_id
    )
    delivery = await session.scalar(query.with_for_update() if lock else query)
    if delivery is None:
        raise NotFound("No such webhook delivery.")
    attempts = await _attempts_of(session, organization_id, [delivery_id])
    return LoggedDelivery(delivery, attempts[delivery_id])


async def retry_delivery(
    session: AsyncSession, *, organization_id: uuid.UUID, delivery_id: uuid.UUID
) -> LoggedDelivery:
    """Send the message again now, with the same ``webhook-id``, and start its retry schedule
    over. Any delivery may be sent again (a receiver that lost one may ask for it); one being
    sent at this moment answers 409."""
    logged = await get_delivery(session, organization_id=organization_id, delivery_id=delivery_id, lock=True)
    delivery, now = logged.delivery, utcnow()
    endpoint = await session.get(WebhookEndpoint, (organization_id, delivery.endpoint_id))
    if endpoint is None or not endpoint.enabled:
        raise Conflict("The endpoint is disabled; enable it before sending again.")
    in_flight = (
        delivery.lease_token is not None and delivery.next_attempt_at and delivery.next_attempt_at > now
    )
    if in_flight:
        raise Conflict("The delivery is being sent right now; look again in a moment.")
    delivery.status = "pending"
    delivery.next_attempt_at = now
    delivery.schedule_step = 0
    delivery.schedule_started_at = now
    delivery.updated_at = now
    await session.flush()
    return logged


async def prune(session: AsyncSession, *, before: dt.datetime) -> int:
    """Drop finished deliveries (and their attempts) last touched before ``before``."""
    result: Any = await session.execute(
        delete(WebhookDelivery).where(
            WebhookDelivery.status != "pending", WebhookDelivery.updated_at < before
        )
    )
    return int(result.rowcount or 0)
