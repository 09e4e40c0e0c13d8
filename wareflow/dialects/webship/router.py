"""XPS Ship ("eCommerce Webship") REST API at ``/compat/webship``.

``PUT …/orders/:orderId`` creates or replaces, ``DELETE`` removes (cancels) an order that has not
started picking, ``POST …/searchShipments`` finds labels by order id or tracking number.
``Authorization: RSIS <key>``; ``customerId`` is the organization's slug. Errors are
``{"error": …, "errorCategory": …}``: 400 for what the page's field table refuses, 401, 404, and
422 for a well-formed order Wareflow cannot take (unknown SKU, an order already on the floor).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response

from wareflow.api.bodies import read_object
from wareflow.api.deps import Session, Tenant, Unauthorized
from wareflow.api.writes import json_response, write
from wareflow.core.errors import DomainError, FieldError, InvalidInput, NotFound, TransitionRefused
from wareflow.core.lifecycle import OrderAction
from wareflow.core.order import OrderDraft
from wareflow.core.validation import validate
from wareflow.dialects.common import field_messages, principal_for, status_of, tenant_for, vendor_errors
from wareflow.dialects.integrations import register_use
from wareflow.dialects.translating import remap_errors, replacement_patch, validate_vendor
from wareflow.dialects.webship import translate as t
from wareflow.dialects.webship.schemas import PutOrder
from wareflow.orders import service
from wareflow.orders.repository import OrderFilter

DIALECT = "webship"
ORDER_PATH = "/restapi/v1/customers/{customer_id}/integrations/{integration_id}/orders/{order_id}"
SEARCH_LIMIT = 2000  # orders scanned for a tracking number (most recently changed first)


class BadRequest(DomainError):
    """The page's own validation refused the body (400); canonical refusals stay 422."""

    status, code, title = 400, "validation", "Bad Request"


_CATEGORIES = {400: "validation", 401: "authentication", 404: "not_found", 413: "validation"}


def _error(_: Request, exc: Exception) -> Response:
    status = status_of(exc)
    if status in (409, 412):
        status = 422
    messages = field_messages(exc)
    if status == 500:
        text = messages[0]["message"]
    else:
        text = "; ".join(
            f"{m['pointer']}: {m['message']}" if m["pointer"] else m["message"] for m in messages
        )
    category = _CATEGORIES.get(status, "unprocessable" if status == 422 else "internal")
    return json_response(status, {"error": text, "errorCategory": category})


router = APIRouter(route_class=vendor_errors(_error), tags=["dialect: XPS Ship"])


def _rsis_key(request: Request) -> str | None:
    """``Authorization: RSIS <key>``, whitespace around either part tolerated."""
    scheme, _, key = request.headers.get("authorization", "").strip().partition(" ")
    return key.strip() or None if scheme.upper() == "RSIS" else None


async def _tenant(request: Request, session: Session, customer_id: str) -> Tenant:
    principal = await principal_for(request, session, _rsis_key(request))
    if principal is None:
        raise Unauthorized("Send 'Authorization: RSIS <api key>' with a valid key.")
    try:
        return await tenant_for(request, session, principal, customer_id)
    except NotFound:
        raise NotFound(f"No customer {customer_id!r}.") from None


def _body(data: dict[str, Any], order_id: str) -> PutOrder:
    try:
        order = validate_vendor(PutOrder, data)
    except InvalidInput as exc:
        raise BadRequest(exc.detail, errors=exc.errors) from None
    errors = []
    if order.order_id != order_id:
        errors.append(FieldError("/orderId", "mismatch", "must match the order id in the URL"))
    if order.is_domestic():
        errors += [
            FieldError(f"/packages/{i}/declaredValue", "domestic", "must be null for domestic shipments")
            for i, package in enumerate(order.packages or [])
            if package.declared_value is not None
        ]
    if errors:
        raise BadRequest("The order has invalid fields.", errors=errors)
    return order


def _canonical(order: PutOrder, integration_id: str) -> dict[str, Any]:
    draft = t.to_draft(order, integration_id=integration_id)
    try:
        return validate(OrderDraft, draft).model_dump(mode="json")
    except InvalidInput as exc:
        raise remap_errors(exc, t.POINTERS) from None


async def _find(session: Session, tenant: Tenant, order_id: str) -> service.StoredOrder | None:
    orders, _ = await service.list_orders(
        session,
        organization_id=tenant.organization.id,
        filters=OrderFilter(external_reference=order_id),
        limit=1,
    )
    return orders[0] if orders else None


def _integration(integration_id: str) -> str:
    if not 1 <= len(integration_id) <= 100:
        raise BadRequest("The integration id is 1 to 100 characters.")
    return integration_id


@router.put(ORDER_PATH, status_code=201)
async def put_order(
    customer_id: str, integration_id: str, order_id: str, request: Request, session: Session
) -> Response:
    """Create the order, or replace it while it has not started picking; 201 ``{"ok": true}``."""
    tenant = await _tenant(request, session, customer_id)
    raw, data = await read_object(request)
    draft = _canonical(_body(data, order_id), _integration(integration_id))

    async def run() -> Response:
        await register_use(
            session, organization_id=tenant.organization.id, dialect=DIALECT, external_id=integration_id
        )
        existing = await _find(session, tenant, order_id)
        try:
            if existing is None:
                await service.create_order(
                    session,
                    organization=tenant.organization,
                    draft=OrderDraft.model_validate(draft),
                    actor=tenant.actor,
                )
            else:
                await _replace(session, tenant, existing, draft)
        except InvalidInput as exc:
            raise remap_errors(exc, t.POINTERS) from None
        return json_response(201, {"ok": True})

    return await write(request, session=session, tenant=tenant, raw_body=raw, run=run)


async def _replace(
    session: Session, tenant: Tenant, existing: service.StoredOrder, draft: dict[str, Any]
) -> None:
    current = existing.present()
    if current["status"] == "canceled":
        raise TransitionRefused("This order was deleted; put it with a new order id.")
    draft = {**draft, "references": t.merged_references(current.get("references") or [], draft["references"])}
    await service.update_order(
        session,
        organization=tenant.organization,
        order_id=existing.order.id,
        patch=replacement_patch(current, draft, fields=t.FIELDS, metadata_prefix=t.PREFIX),
        if_match=service.etag(existing.order),
        actor=tenant.actor,
    )


@router.delete(ORDER_PATH)
async def delete_order(
    customer_id: str, integration_id: str, order_id: str, request: Request, session: Session
) -> Response:
    """Remove an order that has not started picking (it is canceled and its stock released)."""
    tenant = await _tenant(request, session, customer_id)
    _integration(integration_id)

    async def run() -> Response:
        await register_use(
            session, organization_id=tenant.organization.id, dialect=DIALECT, external_id=integration_id
        )
        existing = await _find(session, tenant, order_id)
        if existing is None or existing.order.status == "canceled":
            raise NotFound(f"No order {order_id!r}.")
        await service.act_on_order(
            session,
            organization_id=tenant.organization.id,
            order_id=existing.order.id,
            action=OrderAction.CANCEL,
            reason="deleted through XPS Ship",
            actor=tenant.actor,
        )
        return json_response(200, {"ok": True})

    return await write(request, session=session, tenant=tenant, raw_body=b"", run=run)


@router.get(ORDER_PATH)
async def get_order(
    customer_id: str, integration_id: str, order_id: str, request: Request, session: Session
) -> Response:
    """Not on the page: the order in the Put Order shape, so a client can read back what it put
    (and see ``fulfillmentStatus`` follow the warehouse). Deleted orders are 404."""
    tenant = await _tenant(request, session, customer_id)
    existing = await _find(session, tenant, order_id)
    if existing is None or existing.order.status == "canceled":
        raise NotFound(f"No order {order_id!r}.")
    return json_response(200, t.to_vendor(existing.present()))


class SearchShipments(BaseModel):
    model_config = ConfigDict(extra="allow", str_strip_whitespace=True)

    keyword: str = Field(min_length=1, max_length=100)


@router.post("/restapi/v1/customers/{customer_id}/searchShipments")
async def search_shipments(customer_id: str, request: Request, session: Session) -> Response:
    """Labels of the orders whose id (or tracking number) is ``keyword``."""
    tenant = await _tenant(request, session, customer_id)
    _, data = await read_object(request)
    try:
        keyword = validate_vendor(SearchShipments, data).keyword
    except InvalidInput as exc:
        raise BadRequest(exc.detail, errors=exc.errors) from None
    found = await _find(session, tenant, keyword)
    orders = [found] if found is not None else await _by_tracking(session, tenant, keyword)
    shipments = [s for o in orders for s in t.shipments_for_search(o.present())]
    if found is None:
        shipments = [s for s in shipments if keyword in s["trackingNumbers"]]
    return json_response(200, {"shipments": shipments})


async def _by_tracking(session: Session, tenant: Tenant, keyword: str) -> list[service.StoredOrder]:
    """Orders with a shipment tracked as ``keyword``, among the most recently changed ones."""
    found: list[service.StoredOrder] = []
    cursor: str | None = None
    for _ in range(SEARCH_LIMIT // 200):
        page, cursor = await service.list_orders(
            session,
            organization_id=tenant.organization.id,
            filters=OrderFilter(status=["partially_shipped", "shipped"]),
            sort="updated_at",
            limit=200,
            cursor=cursor,
        )
        found += [o for o in page if t.shipments_for_search(o.present())]
        if cursor is None:
            break
    return [
        o for o in found if any(keyword in s["trackingNumbers"] for s in t.shipments_for_search(o.present()))
    ]
