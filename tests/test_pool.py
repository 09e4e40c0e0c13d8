"""Pooled PostgreSQL connections that died meanwhile (a restart, a dropped socket): one idle for
a while is pinged and replaced before use; one that dies while in use fails that one request, and
the pool then starts afresh."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from wareflow import db as store
from wareflow.db import Database


async def _backend(database: Database) -> int:
    async with database.sessions() as session:
        return int(await session.scalar(text("SELECT pg_backend_pid()")) or 0)


def _terminate(url: str, pid: int) -> None:
    libpq = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(libpq, autocommit=True) as conn:
        conn.execute("SELECT pg_terminate_backend(%s)", (pid,))


async def test_an_idle_connection_that_died_is_replaced_before_use(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store, "IDLE_PING_SECONDS", 0.0)  # every checkout counts as after a while
    database = Database(postgres_url)
    try:
        first = await _backend(database)
        _terminate(postgres_url, first)
        assert await _backend(database) not in (0, first)  # no error: a new connection
    finally:
        await database.dispose()


async def test_a_connection_that_died_in_use_fails_once_then_the_pool_recovers(postgres_url: str) -> None:
    database = Database(postgres_url)  # busy: no ping before use
    try:
        first = await _backend(database)
        _terminate(postgres_url, first)
        with pytest.raises(DBAPIError):
            await _backend(database)
        assert await _backend(database) not in (0, first)
    finally:
        await database.dispose()
