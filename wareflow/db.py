"""Engine, sessions and the column types shared by every table.

SQLite and PostgreSQL differ in few places and each difference is handled here: SQLite writes
are serialized with ``BEGIN IMMEDIATE`` (one writer, no upgrade deadlocks) in WAL mode; JSON is
JSONB on PostgreSQL; timestamps always come back timezone-aware in UTC. ``send`` puts SQL on a
session's own psycopg connection, around SQLAlchemy, for the hot path (``direct``, ``batch``).
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

import orjson
import psycopg
from sqlalchemy import JSON, BigInteger, DateTime, Integer, MetaData, event
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

JSONType = JSON().with_variant(JSONB(), "postgresql")
# SQLite only auto-increments INTEGER PRIMARY KEY; PostgreSQL wants BIGINT.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Stored in UTC; always returned timezone-aware (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime")
        return value.astimezone(dt.UTC) if value is not None else None

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def new_id() -> uuid.UUID:
    """A UUIDv7: time-ordered, so new rows land at the end of the primary-key index."""
    ms = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")
    value = (ms & ((1 << 48) - 1)) << 80 | (0x7 << 76) | ((rand >> 62) & 0xFFF) << 64
    value |= (0b10 << 62) | (rand & ((1 << 62) - 1))
    return uuid.UUID(int=value)


def dialect_name(session: AsyncSession) -> str:
    """'postgresql' or 'sqlite': the one question code asks where the two stores differ."""
    return session.get_bind().dialect.name


async def send(session: AsyncSession, sql: str, params: Any) -> list[Any]:
    """Send SQL (psycopg's placeholders) on the session's own psycopg connection, in the
    transaction SQLAlchemy began; its rows, if any. PostgreSQL only."""
    connection = await session.connection()
    driver: Any = connection.sync_connection.connection.driver_connection  # type: ignore[union-attr]
    try:
        cursor = await driver.execute(sql, params)
        # The result's status, not ``cursor.description`` (which builds a Column per column).
        result = cursor.pgresult
        return await cursor.fetchall() if result is not None and result.status == _TUPLES_OK else []
    except psycopg.Error as error:
        raise DBAPIError.instance(sql, params, error, psycopg.Error) from error


_TUPLES_OK = psycopg.pq.ExecStatus.TUPLES_OK


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def _json_dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


def create_engine(url: str, *, echo: bool = False) -> AsyncEngine:
    json = {"json_serializer": _json_dumps, "json_deserializer": orjson.loads}
    if is_sqlite(url):
        # One connection: SQLite has one writer, and waiting in our own queue is fair and fast,
        # where SQLite's busy handler would sleep and retry.
        engine = create_async_engine(url, echo=echo, pool_size=1, max_overflow=0, pool_timeout=60, **json)
        _serialize_sqlite_writes(engine)
        return engine
    engine = create_async_engine(url, echo=echo, pool_size=20, max_overflow=10, **json)
    _ping_after_idle(engine, IDLE_PING_SECONDS)
    return engine


# A pooled connection idle for longer than this is pinged before use (see _ping_after_idle).
IDLE_PING_SECONDS = 10.0


def _ping_after_idle(engine: AsyncEngine, seconds: float) -> None:
    """Ping a pooled connection before use only when it sat idle for ``seconds``: after a quiet
    spell (when PostgreSQL may have restarted, or a firewall dropped the socket) a dead connection
    is replaced before a request sees it, and under load no request pays the extra round trip
    that ``pool_pre_ping`` costs every checkout. A connection that dies while busy fails its
    request (503, retried by the client), and SQLAlchemy then replaces every connection of the
    pool, as it does for any disconnect."""

    @event.listens_for(engine.sync_engine, "checkin")
    def _checkin(_dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine.sync_engine, "checkout")
    def _checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.pop("idle_since", None)
        if idle_since is None or time.monotonic() - idle_since < seconds:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as exc:  # any failure: the pool connects anew and tries again
            raise DisconnectionError(f"idle connection is gone: {exc}") from exc


def _serialize_sqlite_writes(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


class Database:
    """The engine and its session factory; one per process, kept on the app's state."""

    def __init__(self, url: str, *, echo: bool = False):
        self.url = url
        self.engine = create_engine(url, echo=echo)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False, autoflush=False)

    @property
    def is_sqlite(self) -> bool:
        return is_sqlite(self.url)

    async def session(self) -> AsyncIterator[AsyncSession]:
        async with self.sessions() as session:
            yield session

    async def dispose(self) -> None:
        await self.engine.dispose()


def random_token(nbytes: int = 24) -> str:
    return secrets.token_urlsafe(nbytes)
