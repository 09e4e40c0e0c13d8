"""Dependencies every router uses: the session, the caller, and the organization acted for."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from wareflow.api.ratelimit import KeyRateLimiter
from wareflow.config import Settings
from wareflow.core.errors import DomainError, FieldError, InvalidInput, NotFound
from wareflow.db import Database
from wareflow.tenants.cache import OrgRef, TenantCache
from wareflow.tenants.service import Principal


class Unauthorized(DomainError):
    status, code, title = 401, "unauthorized", "Unauthorized"


class Forbidden(DomainError):
    status, code, title = 403, "forbidden", "Forbidden"


async def get_database(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_session(
    db: Annotated[Database, Depends(get_database)],
) -> AsyncIterator[AsyncSession]:
    """One session per request. Routers commit explicitly once the answer is ready;
    anything not committed is rolled back when the session closes."""
    async with db.sessions() as session:
        yield session


Session = Annotated[AsyncSession, Depends(get_session)]


def api_key_from(request: Request) -> str | None:
    """``Authorization: Bearer <key>`` or ``x-api-key: <key>``."""
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.headers.get("x-api-key") or None


async def get_principal(request: Request, session: Session) -> Principal:
    key = api_key_from(request)
    if not key:
        raise Unauthorized("Send an API key as 'Authorization: Bearer <key>' or 'x-api-key'.")
    cache: TenantCache = request.app.state.tenant_cache
    principal = await cache.principal(session, key)
    if principal is None:
        raise Unauthorized("The API key is not valid.")
    limiter: KeyRateLimiter | None = request.app.state.rate_limiter
    if limiter is not None:
        request.state.ratelimit_headers = await limiter.hit(str(principal.key_id))
    return principal


@dataclass(frozen=True)
class Tenant:
    """The organization a request acts for, and who asked."""

    organization: OrgRef
    principal: Principal

    @property
    def actor(self) -> str:
        """Who to name in stock movements and audit: the API key's id."""
        return f"key:{self.principal.key_id}"


async def get_tenant(
    request: Request, session: Session, principal: Annotated[Principal, Depends(get_principal)]
) -> Tenant:
    """A merchant acts for its own organization; an operator names one (``organization-slug``)."""
    cache: TenantCache = request.app.state.tenant_cache
    if principal.is_operator:
        slug = request.headers.get("organization-slug")
        if not slug:
            raise InvalidInput(
                [
                    FieldError(
                        "/header/organization-slug",
                        "missing",
                        "Operator keys name the organization they act for.",
                    )
                ]
            )
        org = await cache.organization(session, slug=slug)
        if org is None:
            raise NotFound(f"No organization {slug!r}.")
        return Tenant(org, principal)
    org = await cache.organization(session, id=principal.organization_id)
    if org is None:  # pragma: no cover - keys are deleted with their organization
        raise NotFound("No such organization.")
    return Tenant(org, principal)


def require_operator(principal: Principal) -> None:
    if not principal.is_operator:
        raise Forbidden("This action is for the warehouse (operator keys).")


CurrentTenant = Annotated[Tenant, Depends(get_tenant)]
