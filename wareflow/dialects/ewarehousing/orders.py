"""eWarehousing's order routes: list, create, get, update, cancel, and the order's documents.

Orders are those of the ``X-Wms-Code`` warehouse: another warehouse's order answers 404 like a
missing one. Routers parse and delegate: order and document services do the work,
:mod:`.translate` the mapping.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from wareflow.api.bodies import read_object
from wareflow.api.deps import Session
from wareflow.api.writes import json_response, write
from wareflow.core.errors import FieldError, InvalidInput
from wareflow.core.lifecycle import OrderAction
from wareflow.core.order import OrderDraft
from wareflow.core.validation import validate
from wareflow.dialects.common import vendor_errors
from wareflow.dialects.ewarehousing import documents, errors
from wareflow.dialects.ewarehousing import translate as t
from wareflow.dialects.ewarehousing.auth import CurrentWms, Wms, stored_order
from wareflow.dialects.ewarehousing.paging import moment, page_of, route
from wareflow.dialects.ewarehousing.schemas import OrderIn, OrderPatch
from wareflow.orders import service
from wareflow.orders.repository import OrderFilter, StoredOrder

__all__ = ["router", "vendor_order"]

router = APIRouter(route_class=vendor_errors(errors.answer))
SORTS = {
    "createdAt": "created_at",
    "status": "status",
    "modifiedAt": "updated_at",
    "requestedDeliveryDate": "requested_delivery_date",
}


async def vendor_order(
    session: AsyncSession, ctx: Wms, stored: StoredOrder, expand: frozenset[str]
) -> dict[str, Any]:
    org_id = ctx.tenant.organization.id
    docs = await documents.of_order(session, org_id, stored.order.id) if "documents" in expand else None
    return t.to_vendor(stored.present(), customer=str(org_id), expand=expand, documents=docs)


def expand_of(request: Request) -> frozenset[str]:
    return t.parse_expand(request.headers.getlist("expand"))


@route(router, "/wms/orders/", ["GET"], summary="eWarehousing: list orders")
async def list_orders(
    request: Request,
    session: Session,
    ctx: CurrentWms,
    reference: str | None = None,
    external_reference: str | None = None,
    external_id: str | None = None,
    status: str | None = None,
    is_business_to_business: bool | None = None,
    requested_delivery_date_gte: dt.date | None = None,
    from_: Annotated[str | None, Query(alias="from")] = None,
    to: str | None = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    limit: Annotated[int, Query(ge=1, le=250)] = 50,
    sort: Literal["createdAt", "status", "modifiedAt", "requestedDeliveryDate"] = "createdAt",
    direction: Literal["asc", "desc"] = "desc",
) -> Response:
    """A bare JSON array, newest first unless told otherwise."""
    statuses = None
    if status:
        if status not in t.VENDOR_STATUSES:
            choices = ", ".join(sorted(t.VENDOR_STATUSES))
            raise InvalidInput([FieldError("/query/status", "invalid_status", f"Use one of: {choices}.")])
        statuses = t.canonical_statuses(status)
        if not statuses:
            return json_response(200, [])
    org = ctx.tenant.organization
    filters = OrderFilter(
        status=statuses,
        number=reference,  # eWarehousing's reference is Wareflow's order number
        is_b2b=is_business_to_business,
        external_reference=external_reference,
        external_id=external_id,
        warehouse_code=ctx.warehouse_code,
        created_from=moment("from", from_, end=False),
        created_to=moment("to", to, end=True),
        requested_delivery_date_from=requested_delivery_date_gte,
    )

    async def fetch(size: int, cursor: str | None) -> tuple[list[StoredOrder], str | None]:
        return await service.list_orders(
            session,
            organization_id=org.id,
            filters=filters,
            sort=SORTS[sort],
            direction=direction,
            limit=size,
            cursor=cursor,
        )

    found = await page_of(fetch, page=page, limit=limit)
    expand = expand_of(request)
    return json_response(200, [await vendor_order(session, ctx, s, expand) for s in found])


@route(router, "/wms/orders/", ["POST"], summary="eWarehousing: create an order")
async def create_order(request: Request, session: Session, ctx: CurrentWms) -> Response:
    """201 with the order; ``reference`` is Wareflow's number (``ORD…``)."""
    raw, data = await read_object(request)
    body = validate(OrderIn, data)
    with errors.vendor_fields(t.vendor_pointer):
        draft = validate(OrderDraft, t.to_draft(body, ctx.warehouse_code))
    files = [documents.decoded(f"/documents/{i}", doc) for i, doc in enumerate(body.documents or [])]
    tenant = ctx.tenant

    async def run() -> Response:
        with errors.vendor_fields(t.vendor_pointer):
            stored = await service.create_order(
                session, organization=tenant.organization, draft=draft, actor=tenant.actor
            )
        for index, (doc, content) in enumerate(files):
            await documents.attach(
                request, session, tenant, stored.order.id, doc, content, f"/documents/{index}"
            )
        return json_response(201, await vendor_order(session, ctx, stored, expand_of(request)))

    return await write(request, session=session, tenant=tenant, raw_body=raw, run=run)


@route(router, "/wms/orders/{order_id}/", ["GET"], summary="eWarehousing: get an order")
async def get_order(order_id: str, request: Request, session: Session, ctx: CurrentWms) -> Response:
    """The ``expand`` header (any case) adds groups: shipping_address, order_lines, documents,
    meta_data, order_line_meta_data, serial_numbers."""
    stored = await stored_order(session, ctx, order_id)
    return json_response(200, await vendor_order(session, ctx, stored, expand_of(request)))


@route(router, "/wms/orders/{order_id}/", ["PATCH"], summary="eWarehousing: update an order")
async def update_order(order_id: str, request: Request, session: Session, ctx: CurrentWms) -> Response:
    """Only what is sent changes; ``order_lines`` replaces every line."""
    raw, data = await read_object(request)
    patch = t.to_patch(validate(OrderPatch, data))
    stored = await stored_order(session, ctx, order_id)
    tenant = ctx.tenant

    async def run() -> Response:
        with errors.vendor_fields(t.vendor_pointer):
            updated = await service.update_order(
                session,
                organization=tenant.organization,
                order_id=stored.order.id,
                patch=patch,
                actor=tenant.actor,
            )
        return json_response(200, await vendor_order(session, ctx, updated, expand_of(request)))

    return await write(request, session=session, tenant=tenant, raw_body=raw, run=run)


@route(router, "/wms/orders/{order_id}/cancel/", ["PATCH"], summary="eWarehousing: cancel an order")
async def cancel_order(order_id: str, request: Request, session: Session, ctx: CurrentWms) -> Response:
    """204; only while created, planned or invalid_address (the page's rule), else 400."""
    stored = await stored_order(session, ctx, order_id)
    status = t.STATUS.get(stored.order.status, stored.order.status)
    if status not in t.CANCELABLE:
        raise InvalidInput(
            [
                FieldError(
                    "/status",
                    "not_cancelable",
                    f"Only created, planned or invalid_address orders can be cancelled, not {status}.",
                )
            ]
        )
    tenant = ctx.tenant

    async def run() -> Response:
        await service.act_on_order(
            session,
            organization_id=tenant.organization.id,
            order_id=stored.order.id,
            action=OrderAction.CANCEL,
            actor=tenant.actor,
        )
        return Response(status_code=204)

    return await write(request, session=session, tenant=tenant, raw_body=b"", run=run)
