"""Webhook routes: endpoints and the delivery log. Parse, call one service function, answer."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Header, Query, Request
from starlette.responses import Response

from wareflow.api.bodies import read_object
from wareflow.api.deps import CurrentTenant, Session, get_settings
from wareflow.api.openapi import json_body
from wareflow.api.writes import json_response, write
from wareflow.config import Settings
from wareflow.core.validation import validate
from wareflow.webhooks import deliveries, service
from wareflow.webhooks.policy import DeliveryPolicy
from wareflow.webhooks.schemas import (
    DeliveryOut,
    DeliveryPage,
    EndpointIn,
    EndpointOut,
    EndpointPage,
    EndpointPatch,
    EndpointWithSecret,
)

endpoints_router = APIRouter(prefix="/v1/webhook-endpoints", tags=["webhooks"])
deliveries_router = APIRouter(prefix="/v1/webhook-deliveries", tags=["webhooks"])
IdempotencyKey = Annotated[str | None, Header(description="Retry-safe key, kept 7 days")]


async def get_policy(settings: Annotated[Settings, Depends(get_settings)]) -> DeliveryPolicy:
    return DeliveryPolicy.of(settings)


Policy = Annotated[DeliveryPolicy, Depends(get_policy)]


@endpoints_router.post(
    "", status_code=201, response_model=EndpointWithSecret, openapi_extra=json_body(EndpointIn)
)
async def create_endpoint(
    request: Request,
    tenant: CurrentTenant,
    session: Session,
    policy: Policy,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Register a URL for the organization's events. The answer carries the signing ``secret``
    (``whsec_…``), shown this once. The URL must be https (see docs/webhooks.md)."""
    raw, data = await read_object(request)
    draft = validate(EndpointIn, data)
    await session.commit()  # end the auth read: on SQLite it holds the write lock while the URL resolves

    async def run() -> Response:
        endpoint, secret = await service.create_endpoint(
            session, organization_id=tenant.organization.id, data=draft, policy=policy
        )
        headers = {"location": f"/v1/webhook-endpoints/{endpoint.id}"}
        return json_response(201, service.present_endpoint(endpoint, secret=secret), headers)

    return await write(request, session=session, tenant=tenant, raw_body=raw, run=run)


@endpoints_router.get("", response_model=EndpointPage)
async def list_endpoints(tenant: CurrentTenant, session: Session) -> Response:
    """Every endpoint of the organization (at most 50), oldest first."""
    found = await service.list_endpoints(session, organization_id=tenant.organization.id)
    return json_response(200, {"items": [service.present_endpoint(e) for e in found], "next_cursor": None})


@endpoints_router.get("/{endpoint_id}", response_model=EndpointOut)
async def get_endpoint(endpoint_id: uuid.UUID, tenant: CurrentTenant, session: Session) -> Response:
    endpoint = await service.get_endpoint(
        session, organization_id=tenant.organization.id, endpoint_id=endpoint_id
    )
    return json_response(200, service.present_endpoint(endpoint))


@endpoints_router.patch("/{endpoint_id}", response_model=EndpointOut, openapi_extra=json_body(EndpointPatch))
async def update_endpoint(
    endpoint_id: uuid.UUID,
    request: Request,
    tenant: CurrentTenant,
    session: Session,
    policy: Policy,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Change ``url``, ``event_types``, ``enabled`` or ``description``. ``enabled: true`` turns
    a disabled endpoint back on; its pending deliveries resume."""
    raw, data = await read_object(request)
    patch = validate(EndpointPatch, data)
    await session.commit()  # end the auth read: on SQLite it holds the write lock while the URL resolves

    async def run() -> Response:
        endpoint = await service.update_endpoint(
            session,
            organization_id=tenant.organization.id,
            endpoint_id=endpoint_id,
            patch=patch,
            policy=policy,
        )
        return json_response(200, service.present_endpoint(endpoint))

    return await write(request, session=session, tenant=tenant, raw_body=raw, run=run)


@endpoints_router.delete("/{endpoint_id}", status_code=204)
async def delete_endpoint(
    endpoint_id: uuid.UUID, request: Request, tenant: CurrentTenant, session: Session
) -> Response:
    """Remove the endpoint and its delivery log."""
    raw = await request.body()

    async def run() -> Response:
        await service.delete_endpoint(
            session, organization_id=tenant.organization.id, endpoint_id=endpoint_id
        )
        return Response(status_code=204)

    return await write(request, session=session, tenant=tenant, raw_body=raw, run=run)


@endpoints_router.post("/{endpoint_id}/rotate-secret", response_model=EndpointWithSecret)
async def rotate_secret(
    endpoint_id: uuid.UUID, request: Request, tenant: CurrentTenant, session: Session, policy: Policy
) -> Response:
    """A new ``secret`` (shown once). The previous one keeps signing alongside it until
    ``previous_secret_expires_at`` (``WAREFLOW_WEBHOOK_SECRET_GRACE_HOURS``, default 24)."""
    raw = await request.body()

    async def run() -> Response:
        endpoint, secret = await service.rotate_secret(
            session, organization_id=tenant.organization.id, endpoint_id=endpoint_id, policy=policy
        )
        return json_response(200, service.present_endpoint(endpoint, secret=secret))

    return await write(request, session=session, tenant=tenant, raw_body=raw, run=run)


@endpoints_router.post("/{endpoint_id}/test", status_code=202, response_model=DeliveryOut)
async def test_endpoint(
    endpoint_id: uuid.UUID, request: Request, tenant: CurrentTenant, session: Session
) -> Response:
    """Queue a signed ``webhook.test`` ping; follow it in the delivery log."""
    raw = await request.body()

    async def run() -> Response:
        delivery = await service.send_test(
            session, organization_id=tenant.organization.id, endpoint_id=endpoint_id
        )
        return json_response(202, deliveries.LoggedDelivery(delivery, []).present())

    return await write(request, session=session, tenant=tenant, raw_body=raw, run=run)


@deliveries_router.get("", response_model=DeliveryPage)
async def list_deliveries(
    tenant: CurrentTenant,
    session: Session,
    endpoint_id: uuid.UUID | None = None,
    event_type: Annotated[str | None, Query(max_length=64)] = None,
    status: Literal["pending", "succeeded", "failed"] | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: str | None = None,
) -> Response:
    """Deliveries newest first, each with every attempt (time, status code, latency, the start of
    the answer). Follow ``next_cursor`` until it is null."""
    filters = deliveries.DeliveryFilter(endpoint_id=endpoint_id, event_type=event_type, status=status)
    page, next_cursor = await deliveries.list_deliveries(
        session, organization_id=tenant.organization.id, filters=filters, limit=limit, cursor=cursor
    )
    return json_response(200, {"items": [d.present() for d in page], "next_cursor": next_cursor})


@deliveries_router.get("/{delivery_id}", response_model=DeliveryOut)
async def get_delivery(delivery_id: uuid.UUID, tenant: CurrentTenant, session: Session) -> Response:
    logged = await deliveries.get_delivery(
        session, organization_id=tenant.organization.id, delivery_id=delivery_id
    )
    return json_response(200, logged.present())


@deliveries_router.post("/{delivery_id}/retry", status_code=202, response_model=DeliveryOut)
async def retry_delivery(
    delivery_id: uuid.UUID, request: Request, tenant: CurrentTenant, session: Session
) -> Response:
    """Send the message again now, same ``webhook-id``, with a fresh retry schedule."""
    raw = await request.body()

    async def run() -> Response:
        logged = await deliveries.retry_delivery(
            session, organization_id=tenant.organization.id, delivery_id=delivery_id
        )
        return json_response(202, logged.present())

    return await write(request, session=session, tenant=tenant, raw_body=raw, run=run)
