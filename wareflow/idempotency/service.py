"""Idempotency keys (per organization), after Stripe's and the IETF draft's semantics.

1. ``claim`` records the key as in flight, in a short transaction of its own, so that a
   concurrent retry sees it and answers 409 instead of running the write twice.
2. The write runs; ``complete`` stores the response in the *same* transaction as the write, so
   a committed write always has its stored answer and vice versa.
3. A write that fails ``release``s the key, so the client may retry it. A key left in flight by
   a crashed process is taken over once ``lock_seconds`` have passed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from wareflow.core.errors import Conflict, FieldError, InvalidInput
from wareflow.db import utcnow
from wareflow.idempotency.models import IdempotencyKey


@dataclass(frozen=True)
class StoredResponse:
    status: int
    headers: dict[str, str]
    body: bytes


def fingerprint(method: str, path: str, body: bytes) -> str:
    digest = hashlib.sha256()
    for part in (method.encode(), path.encode(), body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


async def claim(
    sessions: async_sessionmaker[AsyncSession],
    *,
    organization_id: uuid.UUID,
    key: str,
    fingerprint: str,
    ttl: dt.timedelta,
    lock: dt.timedelta,
) -> StoredResponse | None:
    """Mark ``key`` in flight. Returns the stored response when the key already finished."""
    if not 1 <= len(key) <= 255:
        raise InvalidInput([FieldError("/header/idempotency-key", "invalid", "1 to 255 characters.")])
    now = utcnow()
    for _attempt in range(2):
        async with sessions() as session:
            row = await session.get(IdempotencyKey, (organization_id, key), with_for_update=True)
            if row is None:
                session.add(
                    IdempotencyKey(
                        organization_id=organization_id,
                        key=key,
                        fingerprint=fingerprint,
                        locked_at=now,
                        created_at=now,
                        expires_at=now + ttl,
                    )
                )
            elif row.expires_at <= now:  # forgotten: start afresh
                row.fingerprint, row.locked_at, row.expires_at = fingerprint, now, now + ttl
                row.response_status = row.response_headers = row.response_body = None
            elif row.fingerprint != fingerprint:
                raise InvalidInput(
                    [
                        FieldError(
                            "/header/idempotency-key",
                            "key_reused",
                            "This Idempotency-Key was used with a different request.",
                        )
                    ]
                )
            elif row.response_status is not None:
                return StoredResponse(
                    row.response_status, dict(row.response_headers or {}), row.response_body or b""
                )
            elif row.locked_at is not None and now - row.locked_at < lock:
                raise Conflict("A request with this Idempotency-Key is still in progress.")
            else:  # in flight, but its process is gone: take it over
                row.locked_at = now
            try:
                await session.commit()
                return None
            except IntegrityError:  # another request inserted it first: read it again
                continue
    raise Conflict("A request with this Idempotency-Key is still in progress.")


async def complete(
    session: AsyncSession,
    *,
    organization_id: uuid.UUID,
    key: str,
    response: StoredResponse,
) -> None:
    """Store the response in the caller's transaction (the one that made the change)."""
    row = await session.get(IdempotencyKey, (organization_id, key))
    if row is None:  # pragma: no cover - claimed rows are only deleted by release or expiry
        raise Conflict("The Idempotency-Key expired while the request ran.")
    row.locked_at = None
    row.response_status = response.status
    row.response_headers = response.headers
    row.response_body = response.body


async def release(
    sessions: async_sessionmaker[AsyncSession], *, organization_id: uuid.UUID, key: str
) -> None:
    async with sessions() as session:
        await session.execute(
            delete(IdempotencyKey).where(
                IdempotencyKey.organization_id == organization_id,
                IdempotencyKey.key == key,
                IdempotencyKey.response_status.is_(None),
            )
        )
        await session.commit()


async def purge_expired(session: AsyncSession) -> int:
    result: Any = await session.execute(delete(IdempotencyKey).where(IdempotencyKey.expires_at <= utcnow()))
    return int(result.rowcount or 0)


__all__ = ["StoredResponse", "claim", "complete", "fingerprint", "purge_expired", "release"]
