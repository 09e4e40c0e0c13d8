"""Organizations, warehouses and API keys: creating them and resolving a key to who is calling."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import string
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from wareflow.core import rules
from wareflow.core.errors import Conflict, FieldError, InvalidInput, NotFound
from wareflow.db import dialect_name, utcnow
from wareflow.tenants.models import ApiKey, Organization, Warehouse

MERCHANT, OPERATOR = "merchant", "operator"
DEFAULT_SETTINGS: dict[str, Any] = {
    "unknown_sku_policy": "reject",  # reject | accept (store and hold until the product exists)
    "short_pick_policy": "backorder",  # backorder | short_ship
    "incoterm_strictness": "lenient",  # lenient (accept and flag) | strict (400) for domestic orders
}
_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
_WAREHOUSE_CODE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,15}$")
_KEY_ALPHABET = string.ascii_lowercase + string.digits


@dataclass(frozen=True)
class Principal:
    """Who is calling: an API key's role and, for merchants, its organization. A user signed in
    through a vendor login flow is a principal too (``subject="user"``, ``key_id`` its id)."""

    key_id: uuid.UUID
    role: str
    organization_id: uuid.UUID | None
    subject: str = "key"  # key | user

    @property
    def is_operator(self) -> bool:
        return self.role == OPERATOR


async def create_organization(session: AsyncSession, *, slug: str, name: str | None = None) -> Organization:
    if not _SLUG.match(slug):
        raise InvalidInput([FieldError("/slug", "invalid_slug", "Lowercase letters, digits and '-'.")])
    if await get_organization_by_slug(session, slug) is not None:
        raise Conflict(f"Organization {slug!r} already exists.")
    org = Organization(slug=slug, name=name or slug, settings=dict(DEFAULT_SETTINGS))
    session.add(org)
    await session.flush()
    if dialect_name(session) == "postgresql":
        # Order numbers come from a sequence of the organization's own: no lock between writers.
        await session.execute(text(f'CREATE SEQUENCE IF NOT EXISTS "{order_sequence(org.id)}"'))
    return org


def order_sequence(organization_id: uuid.UUID) -> str:
    return f"order_number_{organization_id.hex}"


async def get_organization(session: AsyncSession, organization_id: uuid.UUID) -> Organization:
    org = await session.get(Organization, organization_id)
    if org is None:
        raise NotFound("No such organization.")
    return org


async def update_organization(
    session: AsyncSession,
    *,
    organization_id: uuid.UUID,
    name: str | None,
    default_warehouse_code: str | None,
    settings: dict[str, Any],
) -> Organization:
    org = await get_organization(session, organization_id)
    if default_warehouse_code is not None:
        if not await warehouse_exists(session, default_warehouse_code):
            raise InvalidInput(
                [FieldError("/default_warehouse_code", "unknown_warehouse", "No such warehouse.")]
            )
        org.default_warehouse_code = default_warehouse_code.upper()
    if name is not None:
        org.name = name
    if settings:
        org.settings = {**DEFAULT_SETTINGS, **(org.settings or {}), **settings}
    return org


def present_organization(org: Organization) -> dict[str, Any]:
    return {
        "id": str(org.id),
        "slug": org.slug,
        "name": org.name,
        "default_warehouse_code": org.default_warehouse_code,
        "settings": {**DEFAULT_SETTINGS, **(org.settings or {})},
        "created_at": org.created_at.isoformat(),
    }


async def get_organization_by_slug(session: AsyncSession, slug: str) -> Organization | None:
    return await session.scalar(select(Organization).where(Organization.slug == slug))


async def require_organization(session: AsyncSession, slug: str) -> Organization:
    org = await get_organization_by_slug(session, slug)
    if org is None:
        raise NotFound(f"No organization {slug!r}.")
    return org


async def create_warehouse(session: AsyncSession, *, code: str, name: str, country: str) -> Warehouse:
    code = code.strip().upper()
    if not _WAREHOUSE_CODE.match(code):
        raise InvalidInput([FieldError("/code", "invalid_code", "Up to 16 letters, digits, '-', '_'.")])
    try:
        country = rules.country_code(country)
    except ValueError as exc:
        raise InvalidInput([FieldError("/country", "unknown_country", str(exc))]) from None
    if await get_warehouse(session, code) is not None:
        raise Conflict(f"Warehouse {code!r} already exists.")
    warehouse = Warehouse(code=code, name=name, country=country, address={})
    session.add(warehouse)
    await session.flush()
    return warehouse


async def get_warehouse(session: AsyncSession, code: str) -> Warehouse | None:
    return await session.scalar(select(Warehouse).where(Warehouse.code == code.upper()))


# Warehouses seen to exist, per database, with their country: they are never deleted while
# orders point at them, so a code once found needs no second query in this process.
_known_warehouses: dict[tuple[str, str], str] = {}


async def warehouse_country(session: AsyncSession, code: str) -> str | None:
    """The warehouse's country, or None when there is no such warehouse."""
    key = (str(session.get_bind().engine.url), code.upper())
    if key not in _known_warehouses:
        warehouse = await get_warehouse(session, code)
        if warehouse is None:
            return None
        _known_warehouses[key] = warehouse.country
    return _known_warehouses[key]


async def warehouse_exists(session: AsyncSession, code: str) -> bool:
    return await warehouse_country(session, code) is not None


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


async def create_api_key(
    session: AsyncSession, *, organization: Organization | None, name: str = ""
) -> tuple[ApiKey, str]:
    """A new key: merchant of ``organization``, or operator when it is None.

    Returns the row and the key itself, which is never stored and cannot be shown again.
    """
    if len(name) > 255:
        raise InvalidInput([FieldError("/name", "too_long", "A key's name has at most 255 characters.")])
    prefix = "".join(secrets.choice(_KEY_ALPHABET) for _ in range(12))
    role = MERCHANT if organization is not None else OPERATOR
    key = f"wf_{'m' if organization else 'o'}_{prefix}_{secrets.token_urlsafe(32)}"
    row = ApiKey(
        prefix=prefix,
        key_hash=_hash(key),
        role=role,
        organization_id=organization.id if organization else None,
        name=name,
    )
    session.add(row)
    await session.flush()
    return row, key


async def list_api_keys(session: AsyncSession, organization_id: uuid.UUID | None) -> list[ApiKey]:
    """An organization's keys (operator keys when None), revoked ones too, newest first."""
    owner = (
        ApiKey.organization_id.is_(None)
        if organization_id is None
        else ApiKey.organization_id == organization_id
    )
    query = select(ApiKey).where(owner).order_by(ApiKey.created_at.desc(), ApiKey.id.desc())
    return list((await session.scalars(query)).all())


async def revoke_api_key(
    session: AsyncSession,
    *,
    organization_id: uuid.UUID | None,
    key_id: uuid.UUID,
    by: uuid.UUID | None = None,
) -> ApiKey:
    """Revoke one of an organization's keys (operator keys when None): it stops working at once in
    this process and within the key cache's seconds in every other. Revoking twice changes
    nothing; a key never revokes itself (``by``: the calling key), so a caller cannot lock itself
    out by mistake: create the new key first, then revoke the old one with it."""
    key = await session.get(ApiKey, key_id)
    if key is None or key.organization_id != organization_id:
        raise NotFound("No such API key.")
    if key.id == by:
        raise Conflict("A key cannot revoke itself: revoke it with another key of the organization.")
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        await session.flush()
    return key


def present_api_key(key: ApiKey) -> dict[str, Any]:
    """What may be shown of a key after its creation: never the key, nor its hash."""
    return {
        "id": str(key.id),
        "name": key.name,
        "prefix": f"wf_{'m' if key.role == MERCHANT else 'o'}_{key.prefix}",
        "role": key.role,
        "created_at": key.created_at.isoformat(),
        "revoked_at": key.revoked_at.isoformat() if key.revoked_at else None,
    }


async def authenticate(session: AsyncSession, key: str) -> Principal | None:
    """The principal of a key, or None when the key is unknown, malformed or revoked."""
    parts = key.split("_")
    if len(parts) < 4 or parts[0] != "wf":
        return None
    row = await session.scalar(select(ApiKey).where(ApiKey.prefix == parts[2]))
    # Compare in constant time even when no row matched, so timing does not reveal prefixes.
    expected = row.key_hash if row is not None else "0" * 64
    if not hmac.compare_digest(expected, _hash(key)) or row is None or row.revoked_at is not None:
        return None
    return Principal(key_id=row.id, role=row.role, organization_id=row.organization_id)
