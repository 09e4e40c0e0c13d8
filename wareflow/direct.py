"""Statements of the order-intake hot path, sent straight to psycopg on PostgreSQL.

For the few statements every order creation sends (resolving its lines, locking their stock,
inserting the order), SQLAlchemy's execution (processing parameters and results, the session's
bookkeeping) cost more CPU than PostgreSQL spent answering them. A ``Direct`` statement is built
with SQLAlchemy as any other, and:

- on PostgreSQL it is compiled once, and its SQL laid out once per length of its list
  parameters (``IN`` lists: one placeholder per value), then sent on the session's own psycopg
  connection: same transaction, the same bind processing, psycopg's plain tuples back. Each
  SQL is prepared by psycopg, and PostgreSQL settles on a generic plan for it after a few
  executions. (Not ``= ANY(array)``: for an array parameter the planner kept planning every
  execution anew, which cost more than running these index lookups.)
- on SQLite it runs through SQLAlchemy like any statement (which converts SQLite's stored types
  back).

Like ``session.execute``, it flushes pending ORM changes first (when the session autoflushes),
and it raises SQLAlchemy's exceptions (an ``IntegrityError`` stays a 409 for the API). It is
refused inside ``batched``, and it refuses a statement that would need Python-side column
defaults (every column is given).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.dialects.postgresql.psycopg import PGDialectAsync_psycopg
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncSession

from wareflow.batch import refuse_inside_batch
from wareflow.db import dialect_name, send


@dataclass(frozen=True)
class _Shape:
    """The SQL for one length of each list parameter, and how its parameters are laid out."""

    sql: str
    defaults: dict[str, Any]  # parameters with a value of their own (literals in the statement)
    expansion: dict[str, list[str]]  # a list parameter -> the names of its values in the SQL
    processors: dict[str, Callable[[Any], Any]]

    def values(self, params: dict[str, Any]) -> dict[str, Any]:
        values = dict(self.defaults)
        for name, value in params.items():
            names = self.expansion.get(name)
            if names is None:
                values[name] = value
            else:
                values.update(zip(names, value, strict=True))
        for name, process in self.processors.items():
            values[name] = process(values[name])
        return values


class Direct:
    """A hot-path statement (see the module doc): ``await statement.rows(session, params)``."""

    def __init__(self, statement: Any, *, sqlite: Any = None) -> None:
        """``sqlite``: the statement's SQLite form, where it differs."""
        self._statements = {"postgresql": statement, "sqlite": statement if sqlite is None else sqlite}
        self._compiled: Any = None  # PostgreSQL's, compiled once
        self._shapes: dict[tuple[int, ...], _Shape] = {}

    def statement(self, store: str) -> Any:
        return self._statements[store]

    async def rows(self, session: AsyncSession, params: dict[str, Any]) -> Sequence[Sequence[Any]]:
        refuse_inside_batch(session, self)
        if session.sync_session.autoflush and (session.new or session.dirty or session.deleted):
            await session.flush()  # as session.execute would
        store = dialect_name(session)
        if store != "postgresql":
            return (await session.execute(self.statement(store), params)).all()
        shape = self._shape((await session.connection()).dialect, params)
        return await send(session, shape.sql, shape.values(params))

    def sql_for(self, params: dict[str, Any]) -> str:
        """The SQL sent on PostgreSQL for these parameters (tests, docs)."""
        return self._shape(PGDialectAsync_psycopg(), params).sql  # type: ignore[no-untyped-call]

    def _shape(self, dialect: Dialect, params: dict[str, Any]) -> _Shape:
        compiled = self._compiled
        if compiled is None:
            compiled = self.statement("postgresql").compile(dialect=dialect)
            defaulted = [c.name for c in (*compiled.insert_prefetch, *compiled.update_prefetch)]
            if defaulted:
                raise ValueError(f"{self!r}: give {', '.join(defaulted)} (Python-side defaults)")
            self._compiled = compiled
        lists = [name for name, bind in compiled.binds.items() if bind.expanding]
        sizes = tuple(len(params[name]) for name in lists)
        shape = self._shapes.get(sizes)
        if shape is None:
            given = {name for name, value in compiled.params.items() if value is None}
            sample = {name: [None] * len(params[name]) if name in lists else None for name in given}
            state = compiled.construct_expanded_state(sample)
            expansion = {name: list(names) for name, names in state.parameter_expansion.items()}
            given |= {n for names in expansion.values() for n in names}
            defaults = {k: v for k, v in state.parameters.items() if k not in given}
            processors = dict(state.processors)  # of the expanded values
            for name in compiled.params:
                process = compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect)
                if process is not None and name not in expansion:
                    processors[name] = process
            shape = _Shape(state.statement, defaults, expansion, processors)
            self._shapes[sizes] = shape
        return shape

    def __repr__(self) -> str:
        return f"Direct({str(self._statements['sqlite'])[:60]!r})"
