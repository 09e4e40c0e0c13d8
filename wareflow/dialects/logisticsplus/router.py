"""Logistics Plus Warehouse API at ``/compat/logisticsplus``: its paths, ``x-api-key`` +
``organization-slug`` auth, the ``{data, id, resource, errors}`` envelope and its error objects.

Routers parse and delegate: the order services do the work; :mod:`.translate` does the mapping.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from wareflow.api.bodies import read_object
from wareflow.api.deps import Session, Tenant, Unauthorized, api_key_from
from wareflow.api.writes import json_response, write
from wareflow.core.errors import DomainError, FieldError, InvalidInput, NotFound
from wareflow.core.order import OrderDraft
from wareflow.core.validation import validate
from wareflow.dialects.common import field_messages, principal_for, status_of, tenant_for, vendor_errors
from wareflow.dialects.logisticsplus import schemas
from wareflow.dialects.logisticsplus import translate as t
from wareflow.dialects.translating import remap_errors, replacement_patch, validate_vendor
from wareflow.orders import service
from wareflow.orders.repository import OrderFilter

# Statuses a rule refusal answers with: the page knows 400 for every broken rule.
_AS_BAD_REQUEST = {409, 412, 422}
_TITLES = {400: "Bad Request", 401: "Unauthorized", 404: "Not Found", 413: "Payload Too Large"}


def _error(_: Request, exc: Exception) -> Response:
    status = status_of(exc)
    status = 400 if status in _AS_BAD_REQUEST else status
    title = _TITLES.get(status, exc.title if isinstance(exc, DomainError) else "Internal Server Error")
    errors = [
        {
            "id": str(uuid.uuid4()),
            "status": str(status),
            "code": item["code"],
            "title": title,
            "detail": item["message"],
            "source": {"pointer": item["pointer"]},
        }
        for item in field_messages(exc)
    ]
    return json_response(status, {"data": {}, "id": uuid.uuid4().hex, "resource": [], "errors": errors})


router = APIRouter(route_class=vendor_errors(_error), tags=["dialect: Logistics Plus"])


def _envelope(data: Any) -> Response:
    return json_response(200, {"data": data, "id": uuid.uuid4().hex, "resource": [], "errors": []})


async def _tenant(request: Request, session: Session) -> Tenant:
    """``x-api-key`` (a Wareflow key); ``organization-slug`` names the organization (operators
    must; a merchant may name its own). An unknown slug is 401, as on the page."""
    principal = await principal_for(request, session, api_key_from(request))
    if principal is None:
        raise Unauthorized("Send a valid API key in the x-api-key header.")
    slug = request.headers.get("organization-slug") or None
    if principal.is_operator and slug is None:
        raise Unauthorized("This key acts for many organizations: send the organization-slug header.")
    try:
        return await tenant_for(request, session, principal, slug)
    except NotFound:
        raise Unauthorized(f"Unknown organization-slug {slug!r}.") from None


def _draft(data: dict[str, Any]) -> dict[str, Any]:
    """The body's canonical draft, validated; errors name the page's fields."""
    order = validate_vendor(schemas.WarehouseOrder, schemas.normalize_keys(schemas.without_read_only(data)))
    if order.rate_group and order.transport_detail is not None and not order.transport_detail.is_empty():
        raise InvalidInput(
            [
                FieldError(
                    "/transportDetail",
                    "transport_detail_with_rate_group",
                    "TransportDetail must be null when a RateGroup is given.",
                )
            ]
        )
    draft = t.to_draft(order)
    try:
        validate(OrderDraft, draft)
    except InvalidInput as exc:
        raise remap_errors(exc, t.POINTERS) from None
    return draft


def _order_id(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise NotFound("No such order.") from None


@router.post("/warehouse/v1/orders")
async def create_order(request: Request, session: Session) -> Response:
    """Create a warehouse order; it answers 200 with the order (status PRS, one ENT shipment)."""
    tenant = await _tenant(request, session)
    raw, data = await read_object(request)
    draft = validate(OrderDraft, _draft(data))

    async def run() -> Response:
        try:
            stored = await service.create_order(
                session, organization=tenant.organization, draft=draft, actor=tenant.actor
            )
        except InvalidInput as exc:
            raise remap_errors(exc, t.POINTERS) from None
        return _envelope(t.to_vendor(stored.present()))

    return await write(request, session=session, tenant=tenant, raw_body=raw, run=run)


def _query(request: Request) -> dict[str, str]:
    """Query parameters by lower-cased name (``PrimaryReference`` = ``primaryreference``)."""
    return {key.lower(): value for key, value in request.query_params.items()}


def _moment(params: dict[str, str], name: str) -> dt.datetime | None:
    value = params.get(name.lower())
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput([FieldError(f"/query/{name}", "invalid_datetime", "Use ISO 8601.")]) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _positive(params: dict[str, str], name: str, default: int, most: int) -> int:
    value = params.get(name.lower())
    if value is None:
        return default
    if not value.isdigit() or not 1 <= int(value) <= most:
        raise InvalidInput([FieldError(f"/query/{name}", "invalid_number", f"A number from 1 to {most}.")])
    return int(value)


@router.get("/warehouse/v1/orders")
async def list_orders(request: Request, session: Session) -> Response:
    """Orders by ``PrimaryReference`` and/or a time range, newest change first."""
    tenant = await _tenant(request, session)
    params = _query(request)
    filters = OrderFilter(
        external_reference=params.get("primaryreference") or None,
        updated_from=_moment(params, "StartDate"),
        updated_to=_moment(params, "EndDate"),
        created_from=_moment(params, "CreatedStartDate"),
        created_to=_moment(params, "CreatedEndDate"),
    )
    size = _positive(params, "PageSize", 50, 200)
    page = _positive(params, "Page", 1, 10_000)
    orders: list[service.StoredOrder] = []
    cursor: str | None = None
    for number in range(1, page + 1):  # pages are numbered; the store pages by cursor
        orders, cursor = await service.list_orders(
            session,
            organization_id=tenant.organization.id,
            filters=filters,
            sort="updated_at",
            limit=size,
            cursor=cursor,
        )
        if cursor is None and number < page:
            orders = []
            break
    return _envelope({"orders": [t.to_vendor(o.present()) for o in orders]})


@router.get("/warehouse/v1/orders/{order_id}")
@router.get("/warehouse/v1/order/{order_id}", include_in_schema=False)
async def get_order(order_id: str, request: Request, session: Session) -> Response:
    tenant = await _tenant(request, session)
    stored = await service.get_order(
        session, organization_id=tenant.organization.id, order_id=_order_id(order_id)
    )
    return _envelope(t.to_vendor(stored.present()))


@router.patch("/warehouse/v1/orders/{order_id}")
@router.patch("/warehouse/v1/order/{order_id}", include_in_schema=False)
async def update_order(order_id: str, request: Request, session: Session) -> Response:
    """Replace the order with the body (same warehouseCode and primaryReference; only while every
    shipment is ENT or HEL, i.e. before picking starts)."""
    tenant = await _tenant(request, session)
    raw, data = await read_object(request)
    draft = _draft(data)
    target = _order_id(order_id)

    async def run() -> Response:
        current = await service.get_order(session, organization_id=tenant.organization.id, order_id=target)
        patch = replacement_patch(current.present(), draft, fields=t.FIELDS, metadata_prefix=t.PREFIX)
        try:
            stored = await service.update_order(
                session,
                organization=tenant.organization,
                order_id=target,
                patch=patch,
                if_match=service.etag(current.order),
                actor=tenant.actor,
            )
        except InvalidInput as exc:
            raise remap_errors(exc, t.POINTERS) from None
        return _envelope(t.to_vendor(stored.present()))

    return await write(request, session=session, tenant=tenant, raw_body=raw, run=run)
