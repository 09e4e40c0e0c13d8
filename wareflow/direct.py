"""Statements of the order-intake hot path, sent straight to psycopg on PostgreSQL.

For the few statements every order creation sends (resolving its lines, locking their stock,
inserting the order), SQLAlchemy's execution (processing parameters and results, the session's
bookkeeping) cost more CPU than PostgreSQL spent answering them. A ``Direct`` statement is still
built with SQLAlchemy, once per store, and:

- on PostgreSQL it is compiled once, then sent on the session's own psycopg connection: same
  transaction, the same bind processing (``bind_processor`` of each parameter's type), psycopg's
  plain tuples back. A list parameter is one array (``= ANY``), so the SQL never changes and
  psycopg prepares it;
- on SQLite it runs through SQLAlchemy like any statement (which converts SQLite's stored
  types back), a list parameter being an expanding ``IN``.

Like ``session.execute``, it flushes pending ORM changes first (when the session autoflushes),
and it raises SQLAlchemy's exceptions (an ``IntegrityError`` stays a 409 for the API). It is
refused inside ``batched``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import psycopg
from sqlalchemy import any_, bindparam
from sqlalchemy.dialects import sqlite
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql.psycopg import PGDialectAsync_psycopg
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from wareflow.batch import refuse_inside_batch
from wareflow.db import dialect_name

Build = Callable[[str], Any]  # the store's name ("postgresql", "sqlite") -> the statement


def any_of(store: str, column: Any, name: str) -> ColumnElement[bool]:
    """``column`` is one of the values of the list parameter ``name``."""
    if store == "postgresql":
        return column == any_(bindparam(name, type_=ARRAY(column.type)))  # type: ignore[no-any-return]
    return column.in_(bindparam(name, expanding=True))  # type: ignore[no-any-return]


@dataclass(frozen=True)
class _Compiled:
    sql: str
    defaults: dict[str, Any]  # parameters with a value of their own (literals in the statement)
    processors: dict[str, Callable[[Any], Any]]


class Direct:
    """A hot-path statement (see the module doc): ``await statement.rows(session, params)``."""

    def __init__(self, build: Build) -> None:
        self._build = build
        self._statements: dict[str, Any] = {}
        self._compiled: _Compiled | None = None

    def statement(self, store: str) -> Any:
        if store not in self._statements:
            self._statements[store] = self._build(store)
        return self._statements[store]

    async def rows(self, session: AsyncSession, params: dict[str, Any]) -> Sequence[Sequence[Any]]:
        refuse_inside_batch(session, self)
        if session.sync_session.autoflush and (session.new or session.dirty or session.deleted):
            await session.flush()  # as session.execute would
        store = dialect_name(session)
        if store != "postgresql":
            return (await session.execute(self.statement(store), params)).all()
        connection = await session.connection()
        compiled = self._compile(connection.dialect)
        values = {**compiled.defaults, **params}
        for name, process in compiled.processors.items():
            values[name] = process(values[name])
        # The psycopg connection under the session's: the transaction SQLAlchemy began.
        driver: Any = connection.sync_connection.connection.driver_connection  # type: ignore[union-attr]
        try:
            cursor = await driver.execute(compiled.sql, values)
            return await cursor.fetchall() if cursor.description else []
        except psycopg.Error as error:
            raise DBAPIError.instance(compiled.sql, values, error, psycopg.Error) from error

    def compile_for(self, store: str) -> str:
        """The SQL as sent (PostgreSQL) or as SQLAlchemy compiles it (SQLite): for tests, docs."""
        dialect = PGDialectAsync_psycopg() if store == "postgresql" else sqlite.dialect()  # type: ignore[no-untyped-call]
        if store == "postgresql":
            return self._compile(dialect).sql
        return str(self.statement(store).compile(dialect=dialect))

    def _compile(self, dialect: Dialect) -> _Compiled:
        if self._compiled is None:
            compiled: Any = self.statement("postgresql").compile(dialect=dialect)
            defaulted = [c.name for c in (*compiled.insert_prefetch, *compiled.update_prefetch)]
            if defaulted:
                raise ValueError(f"{self!r}: give {', '.join(defaulted)} (Python-side defaults)")
            processors, defaults = {}, {}
            for name, value in compiled.params.items():  # by the names the SQL uses
                if value is not None:
                    defaults[name] = value
                bind_type = compiled.binds[name].type
                process = bind_type.dialect_impl(dialect).bind_processor(dialect)
                if process is not None:
                    processors[name] = process
            self._compiled = _Compiled(compiled.string, defaults, processors)
        return self._compiled

    def __repr__(self) -> str:
        return f"Direct({self._build.__qualname__})"
