"""Signing in and out."""

from __future__ import annotations

import math
import time

import structlog
from fastapi import APIRouter, Request
from limits import parse
from limits.errors import StorageError
from starlette.responses import Response

from wareflow.api.ratelimit import moving_window
from wareflow.ui import render, sessions
from wareflow.ui.context import CheckedForm, DbSession, SignInRequired, current_viewer
from wareflow.users import service as users

router = APIRouter()
log = structlog.get_logger()
WRONG = "That e-mail and password do not match a user. Check both and try again."


class SignInThrottle:
    """Failed sign-ins counted per e-mail address. Past the limit that address is refused for the
    rest of the window, even with the right password, so guessing a password gets nowhere.
    Counted where the API's rate limits are (``WAREFLOW_RATE_LIMIT_STORAGE``)."""

    def __init__(self, rate: str, storage: str):
        self.item = parse(rate)
        self.limiter = moving_window(storage)

    async def wait(self, email: str) -> int:
        """Seconds until this address may try again (0: now)."""
        key = email.strip().casefold()
        try:
            if await self.limiter.test(self.item, key):
                return 0
            stats = await self.limiter.get_window_stats(self.item, key)
        except StorageError as exc:
            log.warning("sign_in_throttle_unavailable", error=str(exc.storage_error))
            return 0
        return max(1, math.ceil(stats.reset_time - time.time()))

    async def failed(self, email: str) -> None:
        try:
            await self.limiter.hit(self.item, email.strip().casefold())
        except StorageError as exc:
            log.warning("sign_in_throttle_unavailable", error=str(exc.storage_error))


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
    wait = await throttle.wait(email)
    if wait:
        minutes = math.ceil(wait / 60)
        error = f"Too many failed sign-ins with this e-mail. Try again in {minutes} minute(s)."
        return render.page(request, "sign_in.html", {**context, "error": error}, status=429)
    user = await users.authenticate(session, email=email, password=password) if email and password else None
    if user is None:
        await throttle.failed(email)
        return render.page(request, "sign_in.html", {**context, "error": WRONG}, status=401)
    sessions.start(request, user_id=str(user.id), fingerprint=users.fingerprint(user))
    await session.commit()  # last sign-in time (and a rehash when argon2's parameters went up)
    return render.redirect(request, safe_next(form.get("next")))


@router.post("/sign-out")
async def sign_out(request: Request, form: CheckedForm) -> Response:
    sessions.start(request, user_id=None, fingerprint=None)
    return render.redirect(request, "/ui/sign-in", message="You are signed out.")
