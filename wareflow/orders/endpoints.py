"""Native order routes: parse, authorize, call one service function, shape the answer."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Header, Query, Request
from starlette.responses import Response

from wareflow.api.bodies import read_json, read_object
from wareflow.api.deps import CurrentTenant, Session
from wareflow.api.openapi import json_body
from wareflow.api.writes import json_response, write
from wareflow.core.errors import FieldError, InvalidInput
from wareflow.core.lifecycle import OrderAction, OrderStatus
from wareflow.core.order import OrderDraft
from wareflow.core.validation import validate
from wareflow.events import service as events
from wareflow.orders import service
from wareflow.orders.repository import OrderFilter
from wareflow.orders.schemas import EventPage, HoldRequest, OrderOut, OrderPage

router = APIRouter(prefix="/v1/orders", tags=["orders"])


def _order_response(stored: service.StoredOrder, status: int = 200) -> Response:
    headers = {"etag": service.etag(stored.order)}
    if status == 201:
        headers["location"] = f"/v1/orders/{stored.order.id}"
    return json_response(status, stored.present(), headers)


@router.post(
    "",
    status_code=201,
    response_model=OrderOut,
    openapi_extra=json_body(OrderDraft),
    responses={200: {"description": "dry_run: the order as it would be stored"}},
)
async def create_order(
    request: Request,
    tenant: CurrentTenant,
    session: Session,
    dry_run: bool = False,
    idempotency_key: Annotated[str | None, Header(description="Retry-safe key, kept 7 days")] = None,
) -> Response:
    """Create an order. It is stored ``received`` and gets its number (``ORD…``)."""
    raw, data = await read_object(request)
    draft = validate(OrderDraft, data)

    async def run() -> Response:
        stored = await service.create_order(
            session, organization=tenant.organization, draft=draft, dry_run=dry_run, actor=tenant.actor
        )
        if dry_run:
            return json_response(200, stored.present())
        return _order_response(stored, 201)

    return await write(request, session=session, tenant=tenant, raw_body=raw, run=run)


@router.get("", response_model=OrderPage)
async def list_orders(
    tenant: CurrentTenant,
    session: Session,
    status: Annotated[
        list[OrderStatus] | None, Query(description="One or more (repeat or comma-separate)")
    ] = None,
    number: Annotated[str | None, Query(description="Wareflow's order number (ORD…)")] = None,
    external_reference: str | None = None,
    external_id: str | None = None,
    po_number: str | None = None,
    warehouse_code: str | None = None,
    is_b2b: Annotated[bool | None, Query(description="Business-to-business orders only, or none")] = None,
    created_from: dt.datetime | None = None,
    created_to: dt.datetime | None = None,
    updated_from: dt.datetime | None = None,
    updated_to: dt.datetime | None = None,
    requested_delivery_date_from: dt.date | None = None,
    requested_delivery_date_to: dt.date | None = None,
    sort: Literal["created_at", "updated_at", "status", "requested_delivery_date"] = "created_at",
    direction: Literal["asc", "desc"] = "desc",
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: str | None = None,
) -> Response:
    """Orders, newest first by default; follow ``next_cursor`` until it is null."""
    for name, value in (
        ("created_from", created_from),
        ("created_to", created_to),
        ("updated_from", updated_from),
        ("updated_to", updated_to),
    ):
        if value is not None and value.tzinfo is None:
            raise InvalidInput(
                [
                    FieldError(
                        f"/query/{name}",
                        "timezone_required",
                        "Give a time zone, e.g. 2026-05-01T00:00:00Z.",
                    )
                ]
            )
    filters = OrderFilter(
        status=[s.value for s in status] if status else None,
        number=number,
        is_b2b=is_b2b,
        external_reference=external_reference,
        external_id=external_id,
        po_number=po_number,
        warehouse_code=warehouse_code.upper() if warehouse_code else None,
        created_from=created_from,
        created_to=created_to,
        updated_from=updated_from,
        updated_to=updated_to,
        requested_delivery_date_from=requested_delivery_date_from,
        requested_delivery_date_to=requested_delivery_date_to,
    )
    orders, next_cursor = await service.list_orders(
        session,
        organization_id=tenant.organization.id,
        filters=filters,
        sort=sort,
        direction=direction,
        limit=limit,
        cursor=cursor,
    )
    return json_response(200, {"items": [o.present() for o in orders], "next_cursor": next_cursor})


@router.get("/{order_id}", response_model=OrderOut)
async def get_order(order_id: uuid.UUID, tenant: CurrentTenant, session: Session) -> Response:
    stored = await service.get_order(session, organization_id=tenant.organization.id, order_id=order_id)
    return _order_response(stored)


@router.patch("/{order_id}", response_model=OrderOut, openapi_extra=json_body(OrderDraft))
async def update_order(
    order_id: uuid.UUID,
    request: Request,
    tenant: CurrentTenant,
    session: Session,
    if_match: Annotated[str | None, Header()] = None,
    idempotency_key: Annotated[str | None, Header()] = None,
) -> Response:
    """JSON merge patch (RFC 7396). ``lines`` replaces every line. Only before picking starts."""
    raw, patch = await read_object(request)

    async def run() -> Response:
        stored = await service.update_order(
            session,
            organization=tenant.organization,
            order_id=order_id,
            patch=patch,
            if_match=if_match,
            actor=tenant.actor,
        )
        return _order_response(stored)

    return await write(request, session=session, tenant=tenant, raw_body=raw, run=run)


# The lifecycle actions a client may ask for, each one route: path segment and its summary.
ACTIONS = {
    OrderAction.CANCEL: "Cancel while received, allocated, on hold, backordered or invalid address.",
    OrderAction.HOLD: 'Hold an open order (it keeps its stock); optional body ``{"reason": "..."}``.',
    OrderAction.RELEASE: "Release a held order: it is allocated again (or backordered).",
    OrderAction.ALLOCATE: "Try to reserve stock now for a received or backordered order.",
}


def _action_route(action: OrderAction) -> None:
    async def act(
        order_id: uuid.UUID,
        request: Request,
        tenant: CurrentTenant,
        session: Session,
        if_match: Annotated[str | None, Header()] = None,
    ) -> Response:
        raw = await request.body()
        reason = validate(HoldRequest, (await read_json(request))[1]).reason if raw.strip() else None

        async def run() -> Response:
            stored = await service.act_on_order(
                session,
                organization_id=tenant.organization.id,
                order_id=order_id,
                action=action,
                reason=reason,
                if_match=if_match,
                actor=tenant.actor,
            )
            return _order_response(stored)

        return await write(request, session=session, tenant=tenant, raw_body=raw, run=run)

    router.add_api_route(
        f"/{{order_id}}/{action.value}",
        act,
        methods=["POST"],
        response_model=OrderOut,
        name=f"{action.value}_order",
        description=ACTIONS[action],
    )


for _action in ACTIONS:
    _action_route(_action)


@router.get("/{order_id}/events", response_model=EventPage)
async def order_timeline(order_id: uuid.UUID, tenant: CurrentTenant, session: Session) -> Response:
    """The order's timeline: every event it caused, oldest first."""
    await service.get_order(session, organization_id=tenant.organization.id, order_id=order_id)
    timeline = await events.order_timeline(session, organization_id=tenant.organization.id, order_id=order_id)
    return json_response(200, {"items": [events.present(e) for e in timeline], "next_cursor": None})
