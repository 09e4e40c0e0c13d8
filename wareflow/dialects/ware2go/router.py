"""Ware2Go at ``/compat/ware2go``: its order paths, Basic/Bearer auth and error shape.

``merchantId`` is the organization's slug (another organization's answers 404). The page's short
paths (``POST /orders``, ``GET /orders/{orderId}``) act for the caller's own organization.
Routers parse and delegate: the order services do the work, :mod:`.translate` the mapping.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from wareflow.api.bodies import read_object
from wareflow.api.deps import Session, Tenant, Unauthorized
from wareflow.api.writes import json_response, write
from wareflow.catalog.resolver import resolve
from wareflow.core.errors import DomainError, FieldError, InvalidInput, NotFound
from wareflow.core.order import OrderDraft
from wareflow.core.validation import validate
from wareflow.dialects.common import field_messages, principal_for, status_of, tenant_for, vendor_errors
from wareflow.dialects.ware2go import token as token_call
from wareflow.dialects.ware2go import translate as t
from wareflow.dialects.ware2go.schemas import Ware2GoOrder
from wareflow.orders import service

_MESSAGES = {400: "Bad Request", 401: "Unauthorized", 404: "Not Found", 409: "Conflict", 413: "Too Large"}


def meta() -> dict[str, Any]:
    """What Ware2Go stamps on every answer."""
    now = dt.datetime.now(dt.UTC)
    return {
        "dateTime": now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z",
        "traceId": str(secrets.randbits(63)),
        "serviceName": "openapi",
        "version": "1.0.0",
    }


def field_name(pointer: str) -> str | None:
    """``/skuQuantities/0/skuId`` → ``skuQuantities[0].skuId`` (None for the body as a whole)."""
    name = ""
    for part in pointer.split("/")[1:]:
        name += f"[{part}]" if part.isdigit() else (f".{part}" if name else part)
    return name or None


def _error(_: Request, exc: Exception) -> Response:
    status = status_of(exc)
    status = 400 if status == 422 else status
    if isinstance(exc, DomainError):
        message = exc.detail
    else:
        message = "Something failed on our side." if status >= 500 else _MESSAGES.get(status, "Bad Request")
    errors = [
        {"field": field_name(e["pointer"]), "code": e["code"], "message": e["message"]}
        for e in field_messages(exc)
    ]
    body = {"status": status, "message": message, "errors": errors, "meta": meta()}
    headers = {"www-authenticate": 'Basic realm="ware2go"'} if status == 401 else None
    return json_response(status, body, headers)


@contextmanager
def ware2go_fields(mapper: Callable[[str], str] = t.vendor_pointer) -> Iterator[None]:
    """Canonical field errors raised inside, re-pointed at Ware2Go's field names."""
    try:
        yield
    except DomainError as exc:
        if exc.errors:
            exc.errors = [FieldError(mapper(e.pointer), e.code, e.message) for e in exc.errors]
        raise


router = APIRouter(tags=["dialect: Ware2Go"])
orders = APIRouter(route_class=vendor_errors(_error))
auth = APIRouter(route_class=vendor_errors(token_call.answer))
token_call.add_routes(auth)


def credential(header: str | None) -> str | None:
    """The Wareflow key (or token) in ``Basic`` (as the password; any user name) or ``Bearer``."""
    basic = token_call.basic_credentials(header)
    if basic is not None:
        return basic[1] or None
    scheme, _, value = (header or "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    return value.strip() or None


async def _tenant(request: Request, session: Session, merchant: str | None) -> Tenant:
    principal = await principal_for(request, session, credential(request.headers.get("authorization")))
    if principal is None:
        raise Unauthorized("Send valid credentials: Basic (a Wareflow API key as password) or Bearer.")
    return await tenant_for(request, session, principal, merchant)


def _answer(stored: service.StoredOrder, status: int) -> Response:
    return json_response(status, {**t.to_vendor(stored.present()), "meta": meta()})


async def _require_known_skus(session: Session, tenant: Tenant, order: Ware2GoOrder) -> None:
    """Ware2Go's rule: every SKU must exist (whatever the organization's unknown-SKU policy)."""
    found = await resolve(session, tenant.organization.id, {item.skuId for item in order.skuQuantities})
    errors = [
        FieldError(f"/skuQuantities/{i}/skuId", "unknown_sku", f"SKU {item.skuId!r} does not exist.")
        for i, item in enumerate(order.skuQuantities)
        if found[item.skuId].product is None and not found[item.skuId].ambiguous
    ]
    if errors:
        raise InvalidInput(errors)


async def _create(request: Request, session: Session, merchant: str | None) -> Response:
    tenant = await _tenant(request, session, merchant)
    raw, data = await read_object(request)
    order = validate(Ware2GoOrder, data)
    warehouse = tenant.organization.default_warehouse_code
    if warehouse is None:
        raise InvalidInput(
            [FieldError("/merchantId", "no_warehouse", "This merchant has no default warehouse yet.")]
        )
    await _require_known_skus(session, tenant, order)
    with ware2go_fields():
        draft = validate(OrderDraft, t.to_draft(order, warehouse))

    async def run() -> Response:
        with ware2go_fields():
            stored = await service.create_order(
                session, organization=tenant.organization, draft=draft, actor=tenant.actor
            )
        return _answer(stored, 201)

    return await write(request, session=session, tenant=tenant, raw_body=raw, run=run)


async def _get(request: Request, session: Session, merchant: str | None, order_id: str) -> Response:
    tenant = await _tenant(request, session, merchant)
    try:
        key = uuid.UUID(order_id)
    except ValueError:
        raise NotFound("No such order.") from None
    stored = await service.get_order(session, organization_id=tenant.organization.id, order_id=key)
    return _answer(stored, 200)


@orders.post("/v1/merchants/{merchant_id}/orders", status_code=201, summary="Ware2Go: create an order")
async def create_for_merchant(merchant_id: str, request: Request, session: Session) -> Response:
    """Create an outbound order; it answers ``DRAFT`` until picking starts."""
    return await _create(request, session, merchant_id)


@orders.get("/v1/merchants/{merchant_id}/orders/{order_id}", summary="Ware2Go: get an order")
async def get_for_merchant(merchant_id: str, order_id: str, request: Request, session: Session) -> Response:
    return await _get(request, session, merchant_id, order_id)


@orders.post("/orders", status_code=201, summary="Ware2Go: create an order (own merchant)")
async def create(request: Request, session: Session) -> Response:
    return await _create(request, session, None)


@orders.get("/orders/{order_id}", summary="Ware2Go: get an order (own merchant)")
async def get(order_id: str, request: Request, session: Session) -> Response:
    return await _get(request, session, None, order_id)


@orders.api_route("/{path:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"], include_in_schema=False)
async def unknown(path: str) -> Response:
    """Anything else under the prefix answers in Ware2Go's shape, not the native one."""
    raise NotFound(f"No route {('/' + path)!r}.")


router.include_router(auth)
router.include_router(orders)
