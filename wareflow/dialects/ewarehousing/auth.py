"""Who calls, for which customer and which warehouse: eWarehousing's login flow and headers.

- ``POST /wms/auth/login/`` ``{username, password}``: the username is the organization's slug,
  the password one of its Wareflow API keys (an operator key may log in for any organization),
  or a Wareflow user's e-mail and password;
  the answer is ``{token, iat, exp, refresh_token}`` with times in epoch seconds.
- ``POST /wms/auth/refresh/`` ``{refresh_token}``: the same answer; a refresh token works once.
- Every other route takes ``Authorization: Bearer <token or key>``, ``X-Wms-Code`` (the warehouse,
  required) and ``X-Customer-Code`` (the organization's slug; operators must send it).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from wareflow.api.bodies import read_object
from wareflow.api.deps import Session, Tenant, Unauthorized
from wareflow.api.writes import json_response
from wareflow.core.errors import NotFound
from wareflow.core.validation import validate
from wareflow.dialects.common import issue_tokens, principal_for, redeem_refresh, tenant_for
from wareflow.dialects.ewarehousing.errors import HeaderInvalid
from wareflow.dialects.ewarehousing.schemas import Login, Refresh
from wareflow.orders import service
from wareflow.orders.repository import StoredOrder
from wareflow.tenants.cache import TenantCache
from wareflow.tenants.service import Principal, warehouse_exists
from wareflow.users.throttle import SignInThrottle, authenticate

DIALECT = "ewarehousing"
TOKEN_TTL = dt.timedelta(hours=1)  # what the vendor's tokens last (exp - iat = 3600)


@dataclass(frozen=True)
class Wms:
    """The organization acted for and the warehouse the request is about."""

    tenant: Tenant
    warehouse_code: str


def bearer(request: Request) -> str | None:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    return value.strip() or None


async def wms(request: Request, session: Session) -> Wms:
    """The caller (401 first), then the customer and the ``X-Wms-Code`` warehouse."""
    token = bearer(request)
    if token is None:
        raise Unauthorized("JWT Token not found")
    principal = await principal_for(request, session, token)
    if principal is None:
        raise Unauthorized("Invalid JWT Token")
    tenant = await tenant_for(request, session, principal, request.headers.get("x-customer-code") or None)
    code = (request.headers.get("x-wms-code") or "").strip()
    if not code:
        raise HeaderInvalid("Missing 'X-Wms-Code' header")
    if not await warehouse_exists(session, code):
        raise HeaderInvalid("Invalid WMS")
    return Wms(tenant, code.upper())


CurrentWms = Annotated[Wms, Depends(wms)]


async def stored_order(session: AsyncSession, ctx: Wms, order_id: str) -> StoredOrder:
    """The order, if it is this customer's and in this warehouse (else 404, as if missing)."""
    try:
        key = uuid.UUID(order_id)
    except ValueError:
        raise NotFound("Order not found.") from None
    stored = await service.get_order(session, organization_id=ctx.tenant.organization.id, order_id=key)
    if stored.order.warehouse_code != ctx.warehouse_code:
        raise NotFound("Order not found.")
    return stored


async def _tokens(session: Session, principal: Principal) -> Response:
    token, refresh, expires = await issue_tokens(
        session, principal, dialect=DIALECT, ttl=TOKEN_TTL, refresh=True
    )
    await session.commit()
    issued = int((expires - TOKEN_TTL).timestamp())
    return json_response(
        200, {"token": token, "iat": issued, "exp": int(expires.timestamp()), "refresh_token": refresh}
    )


async def login(request: Request, session: Session) -> Response:
    """The username is an organization's slug with one of its API keys as password, or a user's
    e-mail with that user's password (operators then name the customer per request)."""
    _, data = await read_object(request)
    body = validate(Login, data)
    if "@" in body.username:
        throttle: SignInThrottle = request.app.state.sign_in_throttle
        address = request.client.host if request.client else "unknown"
        user = await authenticate(
            session, throttle, email=body.username, password=body.password, address=address
        )
        if user is None:
            raise Unauthorized("Invalid credentials.")
        subject = Principal(
            key_id=user.id, role=user.role, organization_id=user.organization_id, subject="user"
        )
        return await _tokens(session, subject)
    cache: TenantCache = request.app.state.tenant_cache
    principal = await cache.principal(session, body.password)  # a key, never a token
    if principal is None:
        raise Unauthorized("Invalid credentials.")
    try:
        await tenant_for(request, session, principal, body.username)
    except NotFound:
        raise Unauthorized("Invalid credentials.") from None
    return await _tokens(session, principal)


async def refresh(request: Request, session: Session) -> Response:
    _, data = await read_object(request)
    body = validate(Refresh, data)
    principal = await redeem_refresh(session, body.refresh_token, dialect=DIALECT)
    if principal is None:
        raise Unauthorized("Invalid JWT Refresh Token")
    return await _tokens(session, principal)
