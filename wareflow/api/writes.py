"""Answering a write: JSON bytes, committed before they are sent, idempotent when asked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any

import orjson
from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from wareflow.api.deps import Tenant
from wareflow.config import Settings
from wareflow.db import Database
from wareflow.idempotency import service as idempotency
from wareflow.idempotency.service import StoredResponse

# Headers kept with a stored response so a replay is the same answer.
_KEPT_HEADERS = ("location", "etag", "content-type")


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> Response:
    return Response(orjson.dumps(body), status_code=status, media_type="application/json", headers=headers)


def _stored(response: Response) -> StoredResponse:
    headers = {k: v for k, v in response.headers.items() if k in _KEPT_HEADERS}
    return StoredResponse(response.status_code, headers, bytes(response.body))


def _replay(stored: StoredResponse) -> Response:
    headers = {**stored.headers, "idempotent-replayed": "true"}
    media_type = headers.pop("content-type", "application/json")
    return Response(stored.body, status_code=stored.status, media_type=media_type, headers=headers)


async def write(
    request: Request,
    *,
    session: AsyncSession,
    tenant: Tenant,
    raw_body: bytes,
    run: Callable[[], Awaitable[Response]],
) -> Response:
    """Run ``run`` (which changes the session and builds the answer), then commit.

    With an ``Idempotency-Key`` header the answer is stored in the same transaction and replayed
    byte for byte to a retry with the same body.
    """
    key = request.headers.get("idempotency-key")
    if key is None:
        response = await run()
        await session.commit()
        return response
    db: Database = request.app.state.db
    settings: Settings = request.app.state.settings
    org_id = tenant.organization.id
    await session.commit()  # end the auth read: on SQLite it holds the one write lock
    replay = await idempotency.claim(
        db.sessions,
        organization_id=org_id,
        key=key,
        fingerprint=idempotency.fingerprint(request.method, request.url.path, raw_body),
        ttl=dt.timedelta(hours=settings.idempotency_ttl_hours),
        lock=dt.timedelta(seconds=settings.idempotency_lock_seconds),
    )
    if replay is not None:
        return _replay(replay)
    try:
        response = await run()
        if response.status_code < 300:
            await idempotency.complete(session, organization_id=org_id, key=key, response=_stored(response))
        await session.commit()
    except BaseException:
        await session.rollback()
        await idempotency.release(db.sessions, organization_id=org_id, key=key)
        raise
    if response.status_code >= 300:
        await idempotency.release(db.sessions, organization_id=org_id, key=key)
    return response
