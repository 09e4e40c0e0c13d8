"""The signed-in user's own account: who they are, and changing their password."""

from __future__ import annotations

from fastapi import APIRouter, Request
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from wareflow.core.errors import DomainError, FieldError, InvalidInput
from wareflow.ui import render, sessions
from wareflow.ui.context import CheckedForm, CurrentViewer, DbSession
from wareflow.users import service as users
from wareflow.users.models import User
from wareflow.users.throttle import SignInThrottle, authenticate

router = APIRouter()
FIELDS = ("current_password", "password", "repeat_password")


async def _view(request: Request, problems: render.Problems | None = None, status: int = 200) -> Response:
    context = {"nav": "account", "problems": problems or render.Problems()}
    return render.page(request, "account.html", context, status=status)


@router.get("/account")
async def account_page(request: Request, viewer: CurrentViewer) -> Response:
    return await _view(request)


@router.post("/account/password")
async def change_password(
    request: Request, session: DbSession, viewer: CurrentViewer, form: CheckedForm
) -> Response:
    """A new password, once the current one is given (guesses count like failed sign-ins). This
    session goes on; every other session of the user ends."""
    given = {name: str(form.get(name) or "") for name in FIELDS}
    try:
        user = await _changed(request, session, viewer.email, given)
        await session.commit()
    except DomainError as exc:
        await session.rollback()
        return await _view(request, render.Problems.of(exc, set(FIELDS)), status=exc.status)
    sessions.start(request, user_id=str(user.id), fingerprint=users.fingerprint(user))
    message = "Your password is changed; your other sessions have ended."
    return render.redirect(request, "/ui/account", message=message)


async def _changed(request: Request, session: AsyncSession, email: str, given: dict[str, str]) -> User:
    throttle: SignInThrottle = request.app.state.sign_in_throttle
    address = request.client.host if request.client else "unknown"
    current = await authenticate(
        session, throttle, email=email, password=given["current_password"], address=address
    )
    if current is None:
        raise InvalidInput([FieldError("/current_password", "wrong_password", "This is not your password.")])
    if given["password"] != given["repeat_password"]:
        raise InvalidInput([FieldError("/repeat_password", "mismatch", "The two new passwords differ.")])
    return await users.set_password(session, email=email, password=given["password"])
