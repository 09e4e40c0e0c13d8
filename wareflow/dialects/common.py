"""What every dialect shares: finding the caller from the vendor's credentials, login tokens,
and answering errors in the vendor's own shape.

A dialect is a translator: vendor JSON → canonical command → the same services the native API
calls → canonical order → vendor JSON. Nothing here holds a business rule.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable, Coroutine
from typing import Any

import structlog
from fastapi import Request
from fastapi.routing import APIRoute
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from wareflow.api.deps import Tenant
from wareflow.core.errors import DomainError, NotFound
from wareflow.db import utcnow
from wareflow.dialects.models import AccessToken
from wareflow.tenants.cache import TenantCache
from wareflow.tenants.models import ApiKey
from wareflow.tenants.service import Principal
from wareflow.users.models import User

ErrorTranslator = Callable[[Request, Exception], Response]
log = structlog.get_logger()


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def principal_for(request: Request, session: AsyncSession, credential: str | None) -> Principal | None:
    """A Wareflow API key, or a token one of the vendor login flows issued for one."""
    if not credential:
        return None
    cache: TenantCache = request.app.state.tenant_cache
    principal = await cache.principal(session, credential)
    if principal is None:
        principal = await _token_principal(session, credential)
    limiter = request.app.state.rate_limiter
    if principal is not None and limiter is not None:
        request.state.ratelimit_headers = await limiter.hit(str(principal.key_id))
    return principal


async def _token_principal(session: AsyncSession, credential: str) -> Principal | None:
    token = await session.get(AccessToken, _hash(credential))
    if token is None or token.kind != "access" or token.expires_at <= utcnow():
        return None
    return await _holder(session, token)


async def tenant_for(
    request: Request, session: AsyncSession, principal: Principal, slug: str | None
) -> Tenant:
    """The organization acted for: a merchant's own (a different ``slug`` is another
    organization's, so 404), or the one an operator names."""
    cache: TenantCache = request.app.state.tenant_cache
    if principal.is_operator:
        org = await cache.organization(session, slug=slug) if slug else None
    else:
        org = await cache.organization(session, id=principal.organization_id)
        if org is not None and slug and slug != org.slug:
            org = None
    if org is None:
        raise NotFound("No such organization.")
    return Tenant(org, principal)


async def issue_tokens(
    session: AsyncSession, principal: Principal, *, dialect: str, ttl: dt.timedelta, refresh: bool
) -> tuple[str, str | None, dt.datetime]:
    """A new access token (and a one-use refresh token), stored hashed."""
    now = utcnow()
    access = secrets.token_urlsafe(32)
    rows = [(access, "access", now + ttl)]
    refresh_token = secrets.token_urlsafe(32) if refresh else None
    if refresh_token:
        rows.append((refresh_token, "refresh", now + dt.timedelta(days=30)))
    for token, kind, expires in rows:
        session.add(
            AccessToken(
                token_hash=_hash(token),
                kind=kind,
                dialect=dialect,
                api_key_id=principal.key_id if principal.subject == "key" else None,
                user_id=principal.key_id if principal.subject == "user" else None,
                organization_id=principal.organization_id,
                expires_at=expires,
                created_at=now,
            )
        )
    return access, refresh_token, now + ttl


async def redeem_refresh(session: AsyncSession, refresh_token: str, *, dialect: str) -> Principal | None:
    """The principal behind a refresh token, which is then spent (a second use fails)."""
    row = await session.scalar(
        select(AccessToken).where(AccessToken.token_hash == _hash(refresh_token)).with_for_update()
    )
    if row is None or row.kind != "refresh" or row.dialect != dialect or row.used_at is not None:
        return None
    if row.expires_at <= utcnow():
        return None
    principal = await _holder(session, row)
    if principal is not None:
        row.used_at = utcnow()
    return principal


async def _holder(session: AsyncSession, token: AccessToken) -> Principal | None:
    """Whoever a token was issued to, while that key or user is still allowed in."""
    if token.user_id is not None:
        user = await session.get(User, token.user_id)
        # Disabled, or changed since (a new password, disabled and enabled again): not any more.
        if user is None or user.disabled_at is not None or token.created_at < user.updated_at:
            return None
        return Principal(key_id=user.id, role=user.role, organization_id=user.organization_id, subject="user")
    key = await session.get(ApiKey, token.api_key_id)
    if key is None or key.revoked_at is not None:
        return None
    return Principal(key_id=key.id, role=key.role, organization_id=key.organization_id)


def vendor_errors(translate: ErrorTranslator) -> type[APIRoute]:
    """A route class whose errors (domain, validation, body limit, anything) answer in the
    vendor's shape instead of problem+json."""

    class VendorRoute(APIRoute):
        def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
            handler = super().get_route_handler()

            async def guarded(request: Request) -> Response:
                try:
                    return await handler(request)
                except Exception as exc:  # every failure becomes the vendor's error body
                    if not isinstance(exc, DomainError) and not _known(exc):
                        log.exception("unhandled_error", path=request.url.path, error=type(exc).__name__)
                    return translate(request, exc)

            return guarded

    return VendorRoute


def _known(exc: Exception) -> bool:
    from fastapi.exceptions import RequestValidationError
    from starlette.exceptions import HTTPException

    from wareflow.api.problems import BadJson, BodyTooLarge

    return isinstance(exc, RequestValidationError | HTTPException | BadJson | BodyTooLarge)


def status_of(exc: Exception) -> int:
    """The HTTP status an exception means, whatever shape the answer takes."""
    from fastapi.exceptions import RequestValidationError
    from starlette.exceptions import HTTPException

    from wareflow.api.problems import BadJson, BodyTooLarge

    if isinstance(exc, DomainError):
        return exc.status
    if isinstance(exc, HTTPException):
        return exc.status_code
    if isinstance(exc, BodyTooLarge):
        return 413
    if isinstance(exc, BadJson | RequestValidationError):
        return 400
    return 500


def field_messages(exc: Exception) -> list[dict[str, Any]]:
    """``[{pointer, code, message}]`` for any error: field errors when there are some."""
    from fastapi.exceptions import RequestValidationError

    from wareflow.api.problems import BadJson, BodyTooLarge
    from wareflow.core.validation import pointer

    if isinstance(exc, DomainError):
        if exc.errors:
            return [{"pointer": e.pointer, "code": e.code, "message": e.message} for e in exc.errors]
        return [{"pointer": "", "code": exc.code, "message": exc.detail}]
    if isinstance(exc, RequestValidationError):
        return [
            {
                "pointer": pointer(
                    tuple(e.get("loc", ()))[1:]
                    if e.get("loc", ())[:1] == ("body",)
                    else tuple(e.get("loc", ()))
                ),
                "code": str(e.get("type")),
                "message": str(e.get("msg")),
            }
            for e in exc.errors()
        ]
    if isinstance(exc, BadJson):
        return [{"pointer": "", "code": "invalid_json", "message": exc.detail}]
    if isinstance(exc, BodyTooLarge):
        return [{"pointer": "", "code": "payload_too_large", "message": f"Body over {exc.limit} bytes."}]
    return [{"pointer": "", "code": "internal_error", "message": "Something failed on our side."}]
