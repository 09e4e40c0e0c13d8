"""The delivery queue in the database: fan events out and claim due deliveries (the answers
are recorded by :mod:`wareflow.webhooks.outcomes`).

Each function is one short transaction of the worker's (the caller commits); no transaction is
ever held open across an HTTP request, so a slow receiver never holds a lock, and on PostgreSQL
never holds back the change feed's visibility horizon. Rows are always locked in the same order,
deliveries, then attempts, then endpoints (the API's changes follow it too), so two transactions
never wait on each other in a circle.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, cast

import orjson
from sqlalchemy import Table, and_, exists, insert, literal_column, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession

from wareflow.db import dialect_name, new_id
from wareflow.events import service as events
from wareflow.events.models import Event
from wareflow.webhooks.models import WebhookAttempt, WebhookCursor, WebhookDelivery, WebhookEndpoint
from wareflow.webhooks.policy import DeliveryPolicy
from wareflow.webhooks.sender import Outgoing

_DELIVERIES = cast(Table, WebhookDelivery.__table__)
_ATTEMPTS = cast(Table, WebhookAttempt.__table__)
# The change feed's rule (see Event): only transactions older than every running one are served.
_PG_VISIBLE_HORIZON: Any = literal_column("pg_snapshot_xmin(pg_current_snapshot())::text::bigint")
ABANDONED = "the worker stopped before it recorded an answer; sent again"


def subscribes(event_types: list[str] | None, event_type: str) -> bool:
    """``None`` is every event; ``"order.*"`` every event under ``order.``; else exact names."""
    if event_types is None:
        return True
    return any(
        t == event_type or t == "*" or (t.endswith(".*") and event_type.startswith(t[:-1]))
        for t in event_types
    )


def message_body(event: Event) -> str:
    """The JSON sent for an event: ``{id, type, timestamp, data}``. ``data`` is the change feed's
    data (with ``order_id`` added for events about an order, beside the order's ``sequence``)."""
    data = dict(event.data)
    if event.order_id is not None:
        data.setdefault("order_id", str(event.order_id))
    payload = {"id": message_id(event), "type": event.type, "timestamp": event.occurred_at.isoformat()}
    return orjson.dumps({**payload, "data": data}).decode()


def message_id(event: Event) -> str:
    return f"evt_{event.id}"


def new_delivery(
    *,
    organization_id: uuid.UUID,
    endpoint_id: uuid.UUID,
    event_id: int | None,
    event_type: str,
    message_id: str,
    body: str,
    now: dt.datetime,
    first_attempt_at: dt.datetime,
) -> dict[str, Any]:
    return {
        "organization_id": organization_id,
        "id": new_id(),
        "endpoint_id": endpoint_id,
        "event_id": event_id,
        "event_type": event_type,
        "message_id": message_id,
        "body": body,
        "status": "pending",
        "attempt_count": 0,
        "schedule_step": 0,
        "schedule_started_at": now,
        "next_attempt_at": first_attempt_at,
        "lease_token": None,
        "created_at": now,
        "updated_at": now,
    }


async def fan_out(
    session: AsyncSession,
    policy: DeliveryPolicy,
    now: dt.datetime,
    *,
    organizations: int = 50,
    batch: int = 500,
) -> int:
    """Turn new events into deliveries for every enabled endpoint that wants them.

    The organizations' cursors are locked (``FOR UPDATE SKIP LOCKED``: another worker takes other
    organizations) and advanced in the same transaction as the deliveries they produce, so an
    event is fanned out exactly once. Events are read with the change feed's own rule.
    """
    news = exists().where(
        Event.organization_id == WebhookCursor.organization_id,
        tuple_(Event.txid, Event.id) > tuple_(WebhookCursor.txid, WebhookCursor.event_id),
    )
    if dialect_name(session) == "postgresql":
        news = news.where(Event.txid < _PG_VISIBLE_HORIZON)
    query = (
        select(WebhookCursor)
        .where(news)
        .order_by(WebhookCursor.updated_at)
        .limit(organizations)
        .with_for_update(skip_locked=True)
    )
    created = 0
    for cursor in (await session.scalars(query)).all():
        created += await _fan_out_one(session, policy, cursor, now, batch)
    return created


async def _fan_out_one(
    session: AsyncSession, policy: DeliveryPolicy, cursor: WebhookCursor, now: dt.datetime, batch: int
) -> int:
    org_id = cursor.organization_id
    after = events.Cursor(cursor.txid, cursor.event_id)
    new = await events.read_feed(
        session, organization_id=org_id, after=after, limit=batch, pruned_through=None
    )
    if not new:
        return 0
    endpoints = (
        await session.execute(
            select(WebhookEndpoint.id, WebhookEndpoint.event_types).where(
                WebhookEndpoint.organization_id == org_id, WebhookEndpoint.enabled.is_(True)
            )
        )
    ).all()
    rows = []
    for event in new:
        wanted = [ep.id for ep in endpoints if subscribes(ep.event_types, event.type)]
        body = message_body(event) if wanted else ""
        for endpoint_id in wanted:
            first = policy.first_attempt_at(now)
            rows.append(
                new_delivery(
                    organization_id=org_id,
                    endpoint_id=endpoint_id,
                    event_id=event.id,
                    event_type=event.type,
                    message_id=message_id(event),
                    body=body,
                    now=now,
                    first_attempt_at=first,
                )
            )
    if rows:
        await session.execute(insert(_DELIVERIES), rows)
    cursor.txid, cursor.event_id, cursor.updated_at = new[-1].txid, new[-1].id, now
    return len(rows)


async def claim(
    session: AsyncSession, policy: DeliveryPolicy, now: dt.datetime, limit: int
) -> list[Outgoing]:
    """Take up to ``limit`` due deliveries for this worker.

    ``FOR UPDATE SKIP LOCKED`` keeps two workers off the same rows; the claim itself pushes
    ``next_attempt_at`` past the lease and opens a ``sending`` attempt, then commits. If this
    worker dies, the lease runs out, the next claim marks that attempt ``abandoned`` and the
    message goes out again with the same ``webhook-id``. Deliveries of a disabled endpoint are
    paused here (``next_attempt_at`` null, out of the due index) until it is enabled again.
    """
    D, E = WebhookDelivery, WebhookEndpoint
    due = (
        select(
            D.organization_id,
            D.id,
            D.endpoint_id,
            D.message_id,
            D.body,
            D.attempt_count,
            D.schedule_step,
            D.schedule_started_at,
            D.lease_token,
            E.url,
            E.secret,
            E.previous_secret,
            E.previous_secret_expires_at,
            E.enabled,
        )
        .join(E, and_(E.organization_id == D.organization_id, E.id == D.endpoint_id))
        .where(D.status == "pending", D.next_attempt_at <= now)
        .order_by(D.next_attempt_at)
        .limit(limit)
        .with_for_update(of=D, skip_locked=True)
    )
    rows = (await session.execute(due)).all()
    paused = [(r.organization_id, r.id) for r in rows if not r.enabled]
    if paused:
        await session.execute(
            update(D).where(tuple_(D.organization_id, D.id).in_(paused)).values(next_attempt_at=None)
        )
    rows = [r for r in rows if r.enabled]
    if not rows:
        return []
    token = uuid.uuid4()
    keys = [(r.organization_id, r.id) for r in rows]
    abandoned = [(r.organization_id, r.id) for r in rows if r.lease_token is not None]
    if abandoned:
        await session.execute(
            update(WebhookAttempt)
            .where(
                tuple_(WebhookAttempt.organization_id, WebhookAttempt.delivery_id).in_(abandoned),
                WebhookAttempt.outcome == "sending",
            )
            .values(outcome="abandoned", error=ABANDONED)
        )
    await session.execute(
        update(D)
        .where(tuple_(D.organization_id, D.id).in_(keys))
        .values(
            lease_token=token,
            next_attempt_at=now + policy.lease,
            attempt_count=D.attempt_count + 1,
            schedule_step=D.schedule_step + 1,
            updated_at=now,
        )
    )
    attempts = [
        {
            "organization_id": r.organization_id,
            "delivery_id": r.id,
            "number": r.attempt_count + 1,
            "outcome": "sending",
            "attempted_at": now,
        }
        for r in rows
    ]
    await session.execute(insert(_ATTEMPTS), attempts)
    return [_outgoing(r, token, now) for r in rows]


def _outgoing(row: Any, token: uuid.UUID, now: dt.datetime) -> Outgoing:
    secrets = [row.secret]
    if row.previous_secret and row.previous_secret_expires_at and row.previous_secret_expires_at > now:
        secrets.append(row.previous_secret)
    return Outgoing(
        organization_id=row.organization_id,
        delivery_id=row.id,
        endpoint_id=row.endpoint_id,
        url=row.url,
        message_id=row.message_id,
        body=row.body,
        secrets=tuple(secrets),
        attempt=row.attempt_count + 1,
        schedule_step=row.schedule_step + 1,
        schedule_started_at=row.schedule_started_at,
        lease_token=token,
    )
