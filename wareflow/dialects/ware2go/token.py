"""Ware2Go's token call: an OpenID Connect client-credentials grant (Keycloak's path and shape).

``client_secret`` is a Wareflow API key (``client_id`` is any name); the answer is a Bearer token
good for 30 minutes, used on the order paths like the key itself. Errors answer as Keycloak
does: ``{"error": …, "error_description": …}``.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from starlette.responses import Response

from wareflow.api.deps import Session
from wareflow.api.writes import json_response
from wareflow.dialects.common import issue_tokens, status_of
from wareflow.tenants.cache import TenantCache

TOKEN_SECONDS = 1800
_NO_STORE = {"cache-control": "no-store", "pragma": "no-cache"}


class OAuthError(Exception):
    def __init__(self, status: int, error: str, description: str):
        self.status, self.error, self.description = status, error, description


def answer(_: Request, exc: Exception) -> Response:
    if not isinstance(exc, OAuthError):
        status = status_of(exc)
        exc = OAuthError(status, "invalid_request" if status < 500 else "server_error", "Bad request.")
    body = {"error": exc.error, "error_description": exc.description}
    return json_response(exc.status, body, _NO_STORE)


def basic_credentials(header: str | None) -> tuple[str, str] | None:
    """``Authorization: Basic base64(user:password)`` as (user, password); None if not Basic."""
    scheme, _, value = (header or "").partition(" ")
    if scheme.lower() != "basic" or not value.strip():
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    user, _, password = decoded.partition(":")
    return user, password


def _form(raw: bytes) -> dict[str, str]:
    return dict(parse_qsl(raw.decode("utf-8", errors="replace"), keep_blank_values=True))


async def token(request: Request, session: Session) -> Response:
    """``grant_type=client_credentials`` with the client's id and secret (form fields or Basic)."""
    form = _form(await request.body())
    client_id, secret = form.get("client_id"), form.get("client_secret")
    basic = basic_credentials(request.headers.get("authorization"))
    if basic is not None:
        client_id, secret = basic
    grant = form.get("grant_type")
    if not grant:
        raise OAuthError(400, "invalid_request", "Missing form parameter: grant_type")
    if grant != "client_credentials":
        raise OAuthError(400, "unsupported_grant_type", "Unsupported grant_type")
    if not client_id:
        raise OAuthError(400, "invalid_request", "Missing parameter: client_id")
    cache: TenantCache = request.app.state.tenant_cache
    principal = await cache.principal(session, secret) if secret else None
    if principal is None:
        raise OAuthError(401, "unauthorized_client", "Invalid client or Invalid client credentials")
    access, _, _ = await issue_tokens(
        session, principal, dialect="ware2go", ttl=dt.timedelta(seconds=TOKEN_SECONDS), refresh=False
    )
    await session.commit()
    body = {
        "access_token": access,
        "expires_in": TOKEN_SECONDS,
        "refresh_expires_in": 0,
        "token_type": "Bearer",
        "not-before-policy": 0,
        "scope": "profile email",
    }
    return json_response(200, body, _NO_STORE)


def add_routes(router: APIRouter) -> None:
    router.add_api_route(
        "/auth/realms/ware2go/protocol/openid-connect/token",
        token,
        methods=["POST"],
        summary="Ware2Go token (client credentials)",
    )
