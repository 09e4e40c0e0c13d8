"""A short-lived, per-process memory of who a key is and what its organization looks like.

Every request needs both; asking the database each time costs two round trips per request.
Entries live ``ttl`` seconds (default 5): a revoked key or a changed organization setting takes
effect within that time in every process.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from wareflow.tenants import service
from wareflow.tenants.models import Organization
from wareflow.tenants.service import Principal


@dataclass(frozen=True)
class OrgRef:
    """What a request needs of its organization, detached from any session."""

    id: uuid.UUID
    slug: str
    name: str
    default_warehouse_code: str | None
    settings: dict[str, Any]
    feed_pruned_through: str | None

    @classmethod
    def of(cls, org: Organization) -> OrgRef:
        return cls(
            org.id,
            org.slug,
            org.name,
            org.default_warehouse_code,
            dict(org.settings or {}),
            org.feed_pruned_through,
        )


class TenantCache:
    def __init__(self, ttl: float = 5.0):
        self.ttl = ttl
        self._principals: dict[str, tuple[float, Principal]] = {}
        self._orgs: dict[object, tuple[float, OrgRef]] = {}

    def _fresh(self, entry: tuple[float, Any] | None) -> Any:
        if entry is not None and entry[0] > time.monotonic():
            return entry[1]
        return None

    async def principal(self, session: AsyncSession, key: str) -> Principal | None:
        digest = hashlib.sha256(key.encode()).hexdigest()
        cached = self._fresh(self._principals.get(digest))
        if cached is not None:
            return cached  # type: ignore[no-any-return]
        principal = await service.authenticate(session, key)
        if principal is not None:
            self._principals[digest] = (time.monotonic() + self.ttl, principal)
        return principal

    async def organization(
        self, session: AsyncSession, *, id: uuid.UUID | None = None, slug: str | None = None
    ) -> OrgRef | None:
        cached = self._fresh(self._orgs.get(id or slug))
        if cached is not None:
            return cached  # type: ignore[no-any-return]
        if id is not None:
            org = await session.get(Organization, id)
        else:
            org = await service.get_organization_by_slug(session, slug or "")
        if org is None:
            return None
        ref = OrgRef.of(org)
        expires = time.monotonic() + self.ttl
        self._orgs[ref.id] = self._orgs[ref.slug] = (expires, ref)
        return ref

    def forget_key(self, key_id: uuid.UUID) -> None:
        """Drop a key this process just revoked (others catch up within ``ttl``)."""
        for digest, (_, principal) in list(self._principals.items()):
            if principal.key_id == key_id:
                del self._principals[digest]

    def forget(self, *keys: object) -> None:
        """Drop an organization this process just changed (others catch up within ``ttl``)."""
        for key in keys:
            self._orgs.pop(key, None)
