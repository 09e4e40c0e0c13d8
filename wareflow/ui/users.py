"""Users (operators only): who may sign in, a form to add one, and disabling or enabling them."""

from __future__ import annotations

from fastapi import APIRouter, Request
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from wareflow.core.errors import Conflict, DomainError
from wareflow.ui import render
from wareflow.ui.context import CheckedForm, CurrentViewer, DbSession, organization, visible_organizations
from wareflow.ui.orders import parse_id
from wareflow.users import service as users

router = APIRouter()
FIELDS = ("email", "name", "organization", "password")


async def _view(
    request: Request,
    session: AsyncSession,
    viewer: CurrentViewer,
    *,
    values: dict[str, str] | None = None,
    problems: render.Problems | None = None,
    status: int = 200,
) -> Response:
    context = {
        "nav": "users",
        "users": await users.list_users(session),
        "orgs": await visible_organizations(request, session, viewer),
        "values": values or {},
        "problems": problems or render.Problems(),
    }
    return render.page(request, "users.html", context, status=status)


@router.get("/users")
async def users_page(request: Request, session: DbSession, viewer: CurrentViewer) -> Response:
    viewer.require_operator()
    return await _view(request, session, viewer)


@router.post("/users")
async def create(request: Request, session: DbSession, viewer: CurrentViewer, form: CheckedForm) -> Response:
    """A merchant user of the organization chosen, or an operator when none is."""
    viewer.require_operator()
    given = {name: str(form.get(name) or "").strip() for name in FIELDS}
    slug = given["organization"]
    try:
        org = await organization(request, session, viewer, slug) if slug else None
        user = await users.create_user(
            session,
            email=given["email"],
            password=str(form.get("password") or ""),  # as typed: spaces are part of a password
            organization_id=org.id if org else None,
            name=given["name"],
        )
        await session.commit()
    except DomainError as exc:
        await session.rollback()
        problems = render.Problems.of(exc, set(FIELDS))
        kept = {k: v for k, v in given.items() if k != "password"}
        return await _view(request, session, viewer, values=kept, problems=problems, status=exc.status)
    role = f"merchant user of {org.slug}" if org else "operator"
    return render.redirect(request, "/ui/users", message=f"{user.email} can sign in now ({role}).")


async def _set_enabled(
    request: Request, session: AsyncSession, viewer: CurrentViewer, user_id: str, *, enabled: bool
) -> Response:
    viewer.require_operator()
    try:
        user = await users.find_user(session, id=parse_id(user_id, "user"))
        await users.set_enabled(session, user, enabled=enabled, by=viewer.id)
        await session.commit()
    except DomainError as exc:
        return render.redirect(request, "/ui/users", message=exc.detail, kind="error")
    done = "can sign in again" if enabled else "is disabled: their sessions have ended"
    return render.redirect(request, "/ui/users", message=f"{user.email} {done}.")


@router.post("/users/{user_id}/password")
async def set_password(
    request: Request, session: DbSession, viewer: CurrentViewer, form: CheckedForm, user_id: str
) -> Response:
    """An operator sets another user's password (they forgot theirs): their sessions end."""
    viewer.require_operator()
    try:
        user = await users.find_user(session, id=parse_id(user_id, "user"))
        if user.id == viewer.id:
            raise Conflict("Change your own password on your account page.")
        await users.set_password(session, email=user.email, password=str(form.get("password") or ""))
        await session.commit()
    except DomainError as exc:
        said = " ".join([exc.detail, *(e.message for e in exc.errors)])
        return render.redirect(request, "/ui/users", message=said, kind="error")
    message = f"{user.email} has a new password; hand it over in person. Their sessions have ended."
    return render.redirect(request, "/ui/users", message=message)


@router.post("/users/{user_id}/disable")
async def disable(
    request: Request, session: DbSession, viewer: CurrentViewer, form: CheckedForm, user_id: str
) -> Response:
    return await _set_enabled(request, session, viewer, user_id, enabled=False)


@router.post("/users/{user_id}/enable")
async def enable(
    request: Request, session: DbSession, viewer: CurrentViewer, form: CheckedForm, user_id: str
) -> Response:
    return await _set_enabled(request, session, viewer, user_id, enabled=True)
