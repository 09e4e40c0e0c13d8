"""Creating users and checking their passwords (argon2id, with argon2-cffi's tuned defaults).

Hashing is deliberately slow (tens of milliseconds of CPU): it runs in a worker thread so the
event loop keeps serving other requests meanwhile.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import secrets
import uuid

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from wareflow.core import rules
from wareflow.core.errors import Conflict, FieldError, InvalidInput, NotFound
from wareflow.db import dialect_name, utcnow
from wareflow.tenants.models import Organization
from wareflow.users.models import SigningKey, User

OPERATOR, MERCHANT = "operator", "merchant"
MIN_PASSWORD, MAX_PASSWORD = 8, 1024
MAX_NAME = 255

_hasher = PasswordHasher()
# Verified when the e-mail is unknown, so a wrong e-mail takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash("wareflow: no such user")


def normalize_email(email: str) -> str:
    try:
        return rules.email_address(email).lower()
    except ValueError as exc:
        raise InvalidInput([FieldError("/email", "invalid_email", str(exc))]) from None


def _password_errors(password: str) -> list[FieldError]:
    if MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        return []
    message = f"A password has {MIN_PASSWORD} to {MAX_PASSWORD} characters."
    return [FieldError("/password", "password_length", message)]


def _check_password(password: str) -> None:
    if errors := _password_errors(password):
        raise InvalidInput(errors)


def _checked_email(email: str, *, password: str, name: str) -> str:
    """A new user's e-mail, normalized, once the e-mail, password and name are all acceptable
    (every problem is told at once)."""
    errors = _password_errors(password)
    if len(name) > MAX_NAME:
        errors.append(FieldError("/name", "too_long", f"A name has at most {MAX_NAME} characters."))
    try:
        email = normalize_email(email)
    except InvalidInput as exc:
        errors = exc.errors + errors
    if errors:
        raise InvalidInput(errors)
    return email


async def create_user(
    session: AsyncSession,
    *,
    email: str,
    password: str,
    organization_id: uuid.UUID | None,
    name: str = "",
) -> User:
    """An operator (``organization_id`` None: every organization) or a merchant user."""
    email = _checked_email(email, password=password, name=name)
    if await get_by_email(session, email) is not None:
        raise Conflict(f"A user {email!r} already exists.")
    now = utcnow()
    user = User(
        email=email,
        name=name,
        role=MERCHANT if organization_id else OPERATOR,
        organization_id=organization_id,
        password_hash=await asyncio.to_thread(_hasher.hash, password),
        created_at=now,
        updated_at=now,
    )
    session.add(user)
    await session.flush()
    return user


async def set_password(session: AsyncSession, *, email: str, password: str) -> User:
    """A new password; every session signed with the old one ends (see :func:`fingerprint`)."""
    _check_password(password)
    user = await get_by_email(session, normalize_email(email))
    if user is None:
        raise NotFound(f"No user {email!r}.")
    user.password_hash = await asyncio.to_thread(_hasher.hash, password)
    user.updated_at = utcnow()
    await session.flush()
    return user


async def list_users(session: AsyncSession) -> list[tuple[User, str | None]]:
    """Every user with their organization's slug (None for operators): operators first."""
    query = (
        select(User, Organization.slug)
        .outerjoin(Organization, Organization.id == User.organization_id)
        .order_by(Organization.slug.is_not(None), Organization.slug, User.email)
    )
    return [(user, slug) for user, slug in (await session.execute(query)).all()]


async def find_user(session: AsyncSession, *, email: str | None = None, id: uuid.UUID | None = None) -> User:
    """A user by e-mail or id, disabled or not; NotFound otherwise."""
    user = await get_by_email(session, email) if email else await session.get(User, id) if id else None
    if user is None:
        raise NotFound(f"No user {email!r}." if email else "No such user.")
    return user


async def set_enabled(
    session: AsyncSession, user: User, *, enabled: bool, by: uuid.UUID | None = None
) -> None:
    """Disable a user (their sessions and tokens stop working at once; nothing they did is
    lost) or enable them again. Nobody disables themselves, and the last operator who can sign in
    stays (``by``: who asks, when a user does)."""
    if enabled == (user.disabled_at is None):
        return
    if not enabled:
        if user.id == by:
            raise Conflict("You cannot disable yourself; another operator can.")
        if user.role == OPERATOR and len(await _operators_able_to_sign_in(session)) <= 1:
            raise Conflict(f"{user.email} is the last operator who can sign in: create another first.")
    user.disabled_at = None if enabled else utcnow()
    user.updated_at = utcnow()
    await session.flush()


async def _operators_able_to_sign_in(session: AsyncSession) -> list[uuid.UUID]:
    # Locked: two operators disabling each other at once cannot both succeed.
    query = select(User.id).where(User.role == OPERATOR, User.disabled_at.is_(None)).with_for_update()
    return list((await session.scalars(query)).all())


async def get_by_email(session: AsyncSession, email: str) -> User | None:
    return await session.scalar(select(User).where(User.email == email.strip().lower()))


async def get_user(session: AsyncSession, user_id: uuid.UUID) -> User | None:
    user = await session.get(User, user_id)
    return user if user is not None and user.disabled_at is None else None


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


async def authenticate(session: AsyncSession, *, email: str, password: str) -> User | None:
    """The user, or None for an unknown e-mail, a wrong password or a disabled user: the caller
    cannot tell which (and neither can a stopwatch)."""
    user = await get_by_email(session, email) if len(password) <= MAX_PASSWORD else None
    ok = await asyncio.to_thread(
        _verify, user.password_hash if user else _DUMMY_HASH, password[:MAX_PASSWORD]
    )
    if user is None or not ok or user.disabled_at is not None:
        return None
    if _hasher.check_needs_rehash(user.password_hash):  # parameters were raised since it was set
        user.password_hash = await asyncio.to_thread(_hasher.hash, password)
    user.last_sign_in_at = utcnow()
    return user


def fingerprint(user: User) -> str:
    """Part of every session cookie: a new password, or disabling the user (even if enabled again
    later), changes it and ends every session opened before (both move ``updated_at``)."""
    changed = user.updated_at.astimezone(dt.UTC).isoformat()  # whatever zone the database answers in
    seed = f"{user.password_hash}|{changed}"
    return hashlib.sha256(seed.encode()).hexdigest()[:16]


_SESSION_KEY = "ui-session"


async def session_secret(session: AsyncSession) -> str:
    """The secret that signs UI sessions when none is configured: made by the first process
    that asks, kept in the database, read by every other (a race inserts once)."""
    query = select(SigningKey.value).where(SigningKey.name == _SESSION_KEY)
    value = await session.scalar(query)
    if value is None:
        dialect = postgresql if dialect_name(session) == "postgresql" else sqlite
        statement = dialect.insert(SigningKey).values(
            name=_SESSION_KEY, value=secrets.token_urlsafe(48), created_at=utcnow()
        )
        await session.execute(statement.on_conflict_do_nothing(index_elements=["name"]))
        value = await session.scalar(query)
    assert value is not None
    return value
