"""Signed session cookies and the CSRF token they carry.

The cookie holds ``{user, fingerprint, csrf, issued, flash}`` signed with itsdangerous (HMAC):
it can be read by its holder but not forged or changed. It is HttpOnly (no script reads it),
SameSite=Lax (no cross-site POST carries it), Secure over HTTPS, and scoped to ``/ui``. A visitor
who has not signed in gets one too: its CSRF token protects the sign-in form.

Every POST must send that token back (form field ``csrf_token`` or header ``X-CSRF-Token``).
"""

from __future__ import annotations

import hmac
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

from itsdangerous import BadSignature, URLSafeSerializer
from starlette.requests import Request
from starlette.responses import Response

from wareflow.config import Settings
from wareflow.db import Database
from wareflow.users import service as users

COOKIE = "wareflow_session"
CSRF_FIELD, CSRF_HEADER = "csrf_token", "x-csrf-token"
_SALT = "wareflow.ui.session"


@dataclass
class SessionData:
    user_id: str | None = None
    fingerprint: str | None = None
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    issued: int = field(default_factory=lambda: int(time.time()))
    flash: list[list[str]] = field(default_factory=list)  # [kind, message]
    changed: bool = False

    def say(self, message: str, kind: str = "ok") -> None:
        self.flash = [*self.flash, [kind, message]]
        self.changed = True

    def pop_flash(self) -> list[list[str]]:
        messages, self.flash = self.flash, []
        self.changed = self.changed or bool(messages)
        return messages


class SessionCodec:
    def __init__(self, secret: str, max_age_seconds: float):
        self._serializer = URLSafeSerializer(secret, salt=_SALT)
        self.max_age = max_age_seconds

    def load(self, raw: str | None) -> SessionData:
        """The session in the cookie; a fresh anonymous one when it is missing, forged or old."""
        if not raw:
            return SessionData(changed=True)
        try:
            data: Any = self._serializer.loads(raw)
            session = SessionData(
                user_id=data.get("u"),
                fingerprint=data.get("p"),
                csrf=str(data["c"]),
                issued=int(data["i"]),
                flash=[[str(k), str(m)] for k, m in data.get("f", [])],
            )
        except (BadSignature, KeyError, TypeError, ValueError, AttributeError):
            return SessionData(changed=True)
        if time.time() - session.issued > self.max_age:
            return SessionData(changed=True)
        return session

    def dump(self, session: SessionData) -> str:
        payload: dict[str, Any] = {
            "u": session.user_id,
            "p": session.fingerprint,
            "c": session.csrf,
            "i": session.issued,
        }
        if session.flash:
            payload["f"] = session.flash
        return str(self._serializer.dumps(payload))


async def codec_of(request: Request) -> SessionCodec:
    """The process's codec, made on first use (the key may have to come from the database)."""
    state = request.app.state
    codec: SessionCodec | None = getattr(state, "ui_codec", None)
    if codec is None:
        settings: Settings = state.settings
        secret = settings.secret_key
        if not secret:
            db: Database = state.db
            async with db.sessions() as session:
                secret = await users.session_secret(session)
                await session.commit()
        codec = state.ui_codec = SessionCodec(secret, settings.ui_session_hours * 3600)
    return codec


async def load(request: Request) -> SessionData:
    """The request's session, read once and kept on ``request.state``."""
    existing: SessionData | None = getattr(request.state, "ui_session", None)
    if existing is None:
        codec = await codec_of(request)
        existing = request.state.ui_session = codec.load(request.cookies.get(COOKIE))
    return existing


def start(request: Request, *, user_id: str | None, fingerprint: str | None) -> SessionData:
    """A new session (new CSRF token) after signing in or out: nothing carries over."""
    session = request.state.ui_session = SessionData(user_id=user_id, fingerprint=fingerprint, changed=True)
    return session


def save(request: Request, response: Response) -> Response:
    """Write the session cookie when the session changed during the request."""
    session: SessionData | None = getattr(request.state, "ui_session", None)
    codec: SessionCodec | None = getattr(request.app.state, "ui_codec", None)
    if session is not None and codec is not None and session.changed:
        response.set_cookie(
            COOKIE,
            codec.dump(session),
            max_age=int(codec.max_age),
            path="/ui",
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
        )
    return response


def csrf_ok(session: SessionData, sent: str | None) -> bool:
    return bool(sent) and hmac.compare_digest(session.csrf.encode(), str(sent).encode())
