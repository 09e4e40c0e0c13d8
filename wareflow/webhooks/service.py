"""Webhook endpoint use cases: register, change, rotate the secret, ping, remove.

Like every service: explicit inputs, a session, no commit, no HTTP.
"""

from __future__ import annotations

import base64
import datetime as dt
import secrets
import uuid
from typing import Any

import orjson
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from wareflow.core.errors import Conflict, FieldError, InvalidInput, NotFound
from wareflow.db import dialect_name, new_id, utcnow
from wareflow.events.models import Event
from wareflow.webhooks import queue
from wareflow.webhooks.models import WebhookCursor, WebhookDelivery, WebhookEndpoint
from wareflow.webhooks.policy import DeliveryPolicy
from wareflow.webhooks.schemas import MAX_ENDPOINTS, EndpointIn, EndpointPatch
from wareflow.webhooks.ssrf import UrlRefused, check_target

PING = "webhook.test"


def new_secret() -> str:
    """A Standard Webhooks secret: ``whsec_`` and 32 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


async def _checked_url(url: str, policy: DeliveryPolicy) -> str:
    try:
        await check_target(url, policy.allowed_hosts)
    except UrlRefused as exc:
        raise InvalidInput([FieldError("/url", exc.code, exc.message)]) from None
    return url


async def create_endpoint(
    session: AsyncSession, *, organization_id: uuid.UUID, data: EndpointIn, policy: DeliveryPolicy
) -> tuple[WebhookEndpoint, str]:
    """Register an endpoint; answers it with its secret, which is never shown again.

    It receives the events written from now on (the organization's log is read from its current
    end the first time an endpoint is registered)."""
    url = await _checked_url(data.url, policy)  # first: no transaction is open while it resolves
    count = await session.scalar(
        select(func.count())
        .select_from(WebhookEndpoint)
        .where(WebhookEndpoint.organization_id == organization_id)
    )
    if (count or 0) >= MAX_ENDPOINTS:
        raise Conflict(f"An organization has at most {MAX_ENDPOINTS} webhook endpoints.")
    now, secret = utcnow(), new_secret()
    endpoint = WebhookEndpoint(
        organization_id=organization_id,
        id=new_id(),
        url=url,
        description=data.description,
        event_types=data.event_types,
        enabled=data.enabled,
        disabled_reason=None if data.enabled else "disabled",
        disabled_at=None if data.enabled else now,
        secret=secret,
        created_at=now,
        updated_at=now,
    )
    session.add(endpoint)
    await _start_cursor(session, organization_id, now)
    await session.flush()
    return endpoint, secret


async def _start_cursor(session: AsyncSession, organization_id: uuid.UUID, now: dt.datetime) -> None:
    """Point the organization's fan-out cursor at the end of its log, unless it has one."""
    if await session.get(WebhookCursor, organization_id) is not None:
        return
    last = (
        await session.execute(
            select(Event.txid, Event.id)
            .where(Event.organization_id == organization_id)
            .order_by(Event.txid.desc(), Event.id.desc())
            .limit(1)
        )
    ).first()
    dialect = postgresql if dialect_name(session) == "postgresql" else sqlite
    statement = dialect.insert(WebhookCursor).values(
        organization_id=organization_id,
        txid=last.txid if last else 0,
        event_id=last.id if last else 0,
        updated_at=now,
    )
    await session.execute(statement.on_conflict_do_nothing(index_elements=["organization_id"]))


async def list_endpoints(session: AsyncSession, *, organization_id: uuid.UUID) -> list[WebhookEndpoint]:
    query = (
        select(WebhookEndpoint)
        .where(WebhookEndpoint.organization_id == organization_id)
        .order_by(WebhookEndpoint.created_at, WebhookEndpoint.id)
    )
    return list((await session.scalars(query)).all())


async def get_endpoint(
    session: AsyncSession, *, organization_id: uuid.UUID, endpoint_id: uuid.UUID, lock: bool = False
) -> WebhookEndpoint:
    query = select(WebhookEndpoint).where(
        WebhookEndpoint.organization_id == organization_id, WebhookEndpoint.id == endpoint_id
    )
    endpoint = await session.scalar(query.with_for_update() if lock else query)
    if endpoint is None:
        raise NotFound("No such webhook endpoint.")
    return endpoint


async def update_endpoint(
    session: AsyncSession,
    *,
    organization_id: uuid.UUID,
    endpoint_id: uuid.UUID,
    patch: EndpointPatch,
    policy: DeliveryPolicy,
) -> WebhookEndpoint:
    """Change the given fields. Enabling resumes the endpoint's paused deliveries; events
    written while it was disabled are not delivered to it (the change feed has them)."""
    changes = patch.changes()
    if "url" in changes:
        changes["url"] = await _checked_url(changes["url"], policy)
    await get_endpoint(session, organization_id=organization_id, endpoint_id=endpoint_id)
    now = utcnow()
    if changes.get("enabled") is True:  # deliveries before the endpoint: the queue's lock order
        await session.execute(
            update(WebhookDelivery)
            .where(
                WebhookDelivery.organization_id == organization_id,
                WebhookDelivery.endpoint_id == endpoint_id,
                WebhookDelivery.status == "pending",
                WebhookDelivery.next_attempt_at.is_(None),
            )
            .values(next_attempt_at=now, updated_at=now)
        )
    endpoint = await get_endpoint(
        session, organization_id=organization_id, endpoint_id=endpoint_id, lock=True
    )
    if "enabled" in changes and changes["enabled"] != endpoint.enabled:
        changes["disabled_reason"] = None if changes["enabled"] else "disabled"
        changes["disabled_at"] = None if changes["enabled"] else now
    for name, value in changes.items():
        setattr(endpoint, name, value)
    endpoint.updated_at = now
    await session.flush()
    return endpoint


async def delete_endpoint(
    session: AsyncSession, *, organization_id: uuid.UUID, endpoint_id: uuid.UUID
) -> None:
    """Remove the endpoint with its delivery log (deliveries first: the queue's lock order)."""
    endpoint = await get_endpoint(session, organization_id=organization_id, endpoint_id=endpoint_id)
    await session.execute(
        delete(WebhookDelivery).where(
            WebhookDelivery.organization_id == organization_id, WebhookDelivery.endpoint_id == endpoint_id
        )
    )
    await session.delete(endpoint)
    await session.flush()


async def rotate_secret(
    session: AsyncSession, *, organization_id: uuid.UUID, endpoint_id: uuid.UUID, policy: DeliveryPolicy
) -> tuple[WebhookEndpoint, str]:
    """A new secret; the current one keeps signing alongside for the grace period, so the
    receiver can switch over without rejecting a message. An older previous secret is dropped."""
    endpoint = await get_endpoint(
        session, organization_id=organization_id, endpoint_id=endpoint_id, lock=True
    )
    now, secret = utcnow(), new_secret()
    endpoint.previous_secret = endpoint.secret
    endpoint.previous_secret_expires_at = now + policy.secret_grace
    endpoint.secret = secret
    endpoint.updated_at = now
    await session.flush()
    return endpoint, secret


async def send_test(
    session: AsyncSession, *, organization_id: uuid.UUID, endpoint_id: uuid.UUID
) -> WebhookDelivery:
    """Queue a ``webhook.test`` ping for the endpoint (whatever its event types); the worker
    sends it like any message, so its answer shows in the delivery log."""
    endpoint = await get_endpoint(session, organization_id=organization_id, endpoint_id=endpoint_id)
    if not endpoint.enabled:
        raise Conflict("The endpoint is disabled; enable it before testing it.")
    now = utcnow()
    message_id = f"ping_{uuid.uuid4().hex}"
    body = {
        "id": message_id,
        "type": PING,
        "timestamp": now.isoformat(),
        "data": {"endpoint_id": str(endpoint.id), "message": "A test message from Wareflow."},
    }
    row = queue.new_delivery(
        organization_id=organization_id,
        endpoint_id=endpoint.id,
        event_id=None,
        event_type=PING,
        message_id=message_id,
        body=orjson.dumps(body).decode(),
        now=now,
        first_attempt_at=now,
    )
    await session.execute(insert(WebhookDelivery), [row])
    delivery = await session.get(WebhookDelivery, (organization_id, row["id"]))
    assert delivery is not None
    return delivery


def present_endpoint(endpoint: WebhookEndpoint, *, secret: str | None = None) -> dict[str, Any]:
    def iso(value: dt.datetime | None) -> str | None:
        return value.isoformat() if value else None

    body: dict[str, Any] = {
        "id": str(endpoint.id),
        "url": endpoint.url,
        "description": endpoint.description,
        "event_types": endpoint.event_types,
        "enabled": endpoint.enabled,
        "disabled_reason": endpoint.disabled_reason,
        "disabled_at": iso(endpoint.disabled_at),
        "previous_secret_expires_at": iso(endpoint.previous_secret_expires_at),
        "last_success_at": iso(endpoint.last_success_at),
        "created_at": endpoint.created_at.isoformat(),
        "updated_at": endpoint.updated_at.isoformat(),
    }
    if secret is not None:
        body["secret"] = secret
    return body
