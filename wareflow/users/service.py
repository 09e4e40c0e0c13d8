"""Creating users and checking their passwords (argon2id, with argon2-cffi's tuned defaults).

Hashing is deliberately slow (tens of milliseconds of CPU): it runs in a worker thread so the
event loop keeps serving other requests meanwhile.
"""

from __future__ import annotations

import asyncio
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
from wareflow.users.models import SigningKey, User

OPERATOR, MERCHANT = "operator", "merchant"
MIN_PASSWORD, MAX_PASSWORD = 8, 1024

_hasher = PasswordHasher()
# Verified when the e-mail is unknown, so a wrong e-mail takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash("wareflow: no such user")


def normalize_email(email: str) -> str:
    try:
        return rules.email_address(email).lower()
    except ValueError as exc:
        raise InvalidInput([FieldError("/email", "invalid_email", str(exc))]) from None


def _check_password(password: str) -> None:
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise InvalidInput(
            [
                FieldError(
                    "/password",
                    "password_length",
                    f"A password has {MIN_PASSWORD} to {MAX_PASSWORD} characters.",
                )
            ]
        )


async def create_user(
    session: AsyncSession,
    *,
    email: str,
    password: str,
    organization_id: uuid.UUID | None,
    name: str = "",
) -> User:
    """An operator (``organization_id`` None: every organization) or a merchant user."""
    email = normalize_email(email)
    _check_password(password)
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
    """Part of every session cookie: changing the password changes it, ending old sessions."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


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
