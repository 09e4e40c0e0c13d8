"""Signing in and out."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from wareflow.ui import render, sessions
from wareflow.ui.context import CheckedForm, DbSession, SignInRequired, current_viewer
from wareflow.users import service as users
from wareflow.users.throttle import SignInThrottle, TooManyFailures, authenticate

router = APIRouter()
WRONG = "That e-mail and password do not match a user. Check both and try again."


def safe_next(value: object) -> str:
    """Only a path inside the UI: never another site (``//evil``) or the API."""
    text = value if isinstance(value, str) else ""
    if text.startswith("/ui/") and not text.startswith("//") and "\\" not in text:
        return text
    return "/ui/"


@router.get("/sign-in")
async def sign_in_page(request: Request, session: DbSession, next: str = "/ui/") -> Response:
    if (await sessions.load(request)).user_id:
        try:  # signed in already: straight on
            await current_viewer(request, session)
            return render.redirect(request, safe_next(next))
        except SignInRequired:
            pass
    return render.page(request, "sign_in.html", {"next": safe_next(next), "email": ""})


@router.post("/sign-in")
async def sign_in(request: Request, session: DbSession, form: CheckedForm) -> Response:
    email, password = str(form.get("email") or ""), str(form.get("password") or "")
    context = {"next": safe_next(form.get("next")), "email": email}
    throttle: SignInThrottle = request.app.state.sign_in_throttle
    address = request.client.host if request.client else "unknown"
    try:
        user = await authenticate(session, throttle, email=email, password=password, address=address)
    except TooManyFailures as exc:
        return render.page(request, "sign_in.html", {**context, "error": exc.detail}, status=429)
    if user is None:
        return render.page(request, "sign_in.html", {**context, "error": WRONG}, status=401)
    sessions.start(request, user_id=str(user.id), fingerprint=users.fingerprint(user))
    await session.commit()  # last sign-in time (and a rehash when argon2's parameters went up)
    return render.redirect(request, safe_next(form.get("next")))


@router.post("/sign-out")
async def sign_out(request: Request, form: CheckedForm) -> Response:
    sessions.start(request, user_id=None, fingerprint=None)
    return render.redirect(request, "/ui/sign-in", message="You are signed out.")
