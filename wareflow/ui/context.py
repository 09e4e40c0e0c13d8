"""What every UI route needs: the database session, who is signed in, a checked form, and the
organizations that person may see."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData

from wareflow.core.errors import BadRequest, DomainError, NotFound
from wareflow.db import Database
from wareflow.tenants.cache import OrgRef, TenantCache
from wareflow.ui import queries, sessions
from wareflow.users import service as users
from wareflow.users.service import OPERATOR


class SignInRequired(Exception):
    """No valid session: the answer is the sign-in page (then back where the user was)."""


class Forbidden(DomainError):
    status, code, title = 403, "forbidden", "Not allowed"


class FormExpired(DomainError):
    status, code, title = 403, "csrf", "Form expired"


@dataclass(frozen=True)
class Viewer:
    """The signed-in user, detached from any session."""

    id: uuid.UUID
    email: str
    name: str
    role: str
    organization_id: uuid.UUID | None

    @property
    def is_operator(self) -> bool:
        return self.role == OPERATOR

    @property
    def actor(self) -> str:
        """Who to name in stock movements and pick lists (API keys are ``key:<id>``)."""
        return f"user:{self.id}"

    def require_operator(self) -> None:
        if not self.is_operator:
            raise Forbidden("This is the warehouse's work: it needs an operator user.")


async def db_session(request: Request) -> AsyncIterator[AsyncSession]:
    """One session per request (read the cookie first: that may need the database too).
    Routes commit explicitly; anything not committed is rolled back at the end."""
    await sessions.load(request)
    db: Database = request.app.state.db
    async with db.sessions() as session:
        yield session


DbSession = Annotated[AsyncSession, Depends(db_session)]


async def current_viewer(request: Request, session: DbSession) -> Viewer:
    state = await sessions.load(request)
    user = None
    if state.user_id:
        try:
            user = await users.get_user(session, uuid.UUID(state.user_id))
        except ValueError:
            user = None
    if user is None or users.fingerprint(user) != state.fingerprint:
        raise SignInRequired
    viewer = Viewer(user.id, user.email, user.name, user.role, user.organization_id)
    request.state.viewer = viewer
    return viewer


CurrentViewer = Annotated[Viewer, Depends(current_viewer)]


async def checked_form(request: Request) -> FormData:
    """The posted form, once its CSRF token matches the session's."""
    form = await request.form()
    state = await sessions.load(request)
    sent = form.get(sessions.CSRF_FIELD) or request.headers.get(sessions.CSRF_HEADER)
    if not sessions.csrf_ok(state, sent if isinstance(sent, str) else None):
        raise FormExpired("This form has expired. Reload the page and try again.")
    if any(isinstance(value, str) and "\x00" in value for _, value in form.multi_items()):
        raise BadRequest("A field contains a NUL character.")  # PostgreSQL refuses them in text
    return form


CheckedForm = Annotated[FormData, Depends(checked_form)]


def _cache(request: Request) -> TenantCache:
    cache: TenantCache = request.app.state.tenant_cache
    return cache


async def organization(request: Request, session: AsyncSession, viewer: Viewer, slug: str | None) -> OrgRef:
    """The organization a page is about: a merchant user's own (whatever ``slug`` says);
    for operators the one named, or the first when none is."""
    cache = _cache(request)
    if not viewer.is_operator:
        org = await cache.organization(session, id=viewer.organization_id)
        if org is None or (slug and slug != org.slug):
            raise NotFound("No such organization.")
        return org
    if not slug:
        choices = await queries.organizations(session)
        if not choices:
            raise NotFound("There is no organization yet: create one with `wareflow org create`.")
        slug = choices[0].slug
    org = await cache.organization(session, slug=slug)
    if org is None:
        raise NotFound(f"No organization {slug!r}.")
    return org


async def visible_organizations(request: Request, session: AsyncSession, viewer: Viewer) -> list[OrgRef]:
    """Everything an operator may choose from; a merchant user's one organization."""
    if viewer.is_operator:
        return [OrgRef.of(org) for org in await queries.organizations(session)]
    return [await organization(request, session, viewer, None)]
