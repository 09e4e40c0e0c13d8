"""Pitney Bowes Order Management API at ``/compat/oms``: ``POST /api/v1/orders`` and
``GET /api/v1/orders/{orderId}``, Bearer auth, Pitney Bowes' error bodies.

Errors come in Pitney Bowes' legacy list (``[{errorCode, message, additionalInfo, parameters}]``)
unless the request sends ``X-PB-UnifiedErrorStructure: true``, which asks for the standard
``{"errors": [{errorCode, errorDescription, additionalInfo, parameters}]}`` — as Pitney Bowes does.
The page knows 200, 400, 401 and 500: every refusal of a rule is 400.
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from wareflow.api.bodies import read_object
from wareflow.api.deps import Session, Tenant, Unauthorized
from wareflow.api.writes import json_response, write
from wareflow.core.errors import InvalidInput, NotFound
from wareflow.core.order import OrderDraft
from wareflow.core.validation import validate
from wareflow.dialects.common import field_messages, principal_for, status_of, tenant_for, vendor_errors
from wareflow.dialects.oms import translate as t
from wareflow.dialects.oms.schemas import CreateOrder
from wareflow.dialects.translating import remap_errors, validate_vendor
from wareflow.orders import service

_CODES = {  # Wareflow error code → Pitney Bowes-style errorCode
    "invalid_json": "invalid.request",
    "duplicate_reference": "duplicate.order",
    "not_found": "not.found",
    "unauthorized": "unauthorized",
    "payload_too_large": "request.too.large",
    "internal_error": "internal.error",
}


def _error(request: Request, exc: Exception) -> Response:
    status = status_of(exc)
    status = 400 if status in (409, 412, 422) else status
    errors = []
    for item in field_messages(exc):
        parameter = " ".join(part for part in item["pointer"].split("/") if part and not part.isdigit())
        code = _CODES.get(item["code"], "validation.failed" if item["pointer"] else "invalid.request")
        errors.append((code, item["message"], parameter))
    if request.headers.get("x-pb-unifiederrorstructure", "").strip().lower() == "true":
        body: Any = {
            "errors": [
                {
                    "errorCode": code,
                    "errorDescription": f"{parameter}: {message}" if parameter else message,
                    "additionalInfo": None,
                    "parameters": [parameter] if parameter else [],
                }
                for code, message, parameter in errors
            ]
        }
    else:
        body = [
            {
                "errorCode": code,
                "message": message,
                "additionalInfo": parameter or None,
                "parameters": [parameter] if parameter else [],
            }
            for code, message, parameter in errors
        ]
    return json_response(status, body)


router = APIRouter(route_class=vendor_errors(_error), tags=["dialect: Pitney Bowes OMS"])


async def _tenant(request: Request, session: Session) -> Tenant:
    """``Authorization: Bearer <key>``; an operator key names the organization with the
    ``organization-slug`` header (a Wareflow addition: Pitney Bowes tokens are per account)."""
    scheme, _, token = request.headers.get("authorization", "").strip().partition(" ")
    principal = await principal_for(request, session, token.strip() if scheme.lower() == "bearer" else None)
    if principal is None:
        raise Unauthorized("Send 'Authorization: Bearer <token>' with a valid API key.")
    slug = request.headers.get("organization-slug") or None
    try:
        return await tenant_for(request, session, principal, slug)
    except NotFound:
        raise Unauthorized("The token is not valid for this organization.") from None


def _draft(data: dict[str, Any]) -> OrderDraft:
    draft = t.to_draft(validate_vendor(CreateOrder, data))
    try:
        return validate(OrderDraft, draft)
    except InvalidInput as exc:
        raise remap_errors(exc, t.POINTERS) from None


@router.post("/api/v1/orders")
async def create_order(request: Request, session: Session) -> Response:
    """Create an order: 200 ``{orderId, orderNumber, status: "Success", transactionCreateDate}``."""
    tenant = await _tenant(request, session)
    raw, data = await read_object(request)
    draft = _draft(data)

    async def run() -> Response:
        try:
            stored = await service.create_order(
                session, organization=tenant.organization, draft=draft, actor=tenant.actor
            )
        except InvalidInput as exc:
            raise remap_errors(exc, t.POINTERS) from None
        return json_response(200, t.created(stored.present()))

    return await write(request, session=session, tenant=tenant, raw_body=raw, run=run)


@router.get("/api/v1/orders/{order_id}")
async def get_order(order_id: str, request: Request, session: Session) -> Response:
    """The order with its status in OMS words (``unfulfilled`` until it ships) and its shipments."""
    tenant = await _tenant(request, session)
    try:
        target = uuid.UUID(order_id)
    except ValueError:
        raise NotFound("No such order.") from None
    stored = await service.get_order(session, organization_id=tenant.organization.id, order_id=target)
    return json_response(200, t.to_vendor(stored.present()))
