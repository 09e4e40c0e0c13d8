"""Counting the SQL statements a piece of code sends, at the driver: what a request costs in
round trips, whichever way it sends them (SQLAlchemy, or ``db.send`` around it)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
import pytest
from sqlalchemy import event

from wareflow.db import Database


@contextmanager
def counting(db: Database) -> Iterator[list[str]]:
    """The statements sent, counted at the driver on PostgreSQL (``wareflow.direct`` sends some
    around SQLAlchemy), by SQLAlchemy's event on SQLite (where everything goes through it)."""
    statements: list[str] = []

    def count(statement: Any) -> None:
        verb = str(statement).split(None, 1)[0].upper()
        if verb != "BEGIN":  # SQLite's BEGIN IMMEDIATE; psycopg sends its BEGIN unseen
            statements.append(verb)

    if db.engine.dialect.name == "postgresql":
        with pytest.MonkeyPatch.context() as patch:
            for name in ("execute", "executemany"):
                sent = getattr(psycopg.AsyncCursor, name)

                async def counted(cursor: Any, query: Any, *args: Any, _sent: Any = sent, **kw: Any) -> Any:
                    count(query)
                    return await _sent(cursor, query, *args, **kw)

                patch.setattr(psycopg.AsyncCursor, name, counted)
            yield statements
        return

    def seen(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        count(statement)

    engine = db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", seen)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", seen)
