"""Gathering a request's writes and sending them as one statement (``batched``).

Order intake writes rows in seven tables (lines, stock levels, movements, allocations, the
shipment, events). Sent one statement each, the statements cost more CPU than the rows: in
SQLAlchemy and psycopg on our side, in parsing and executing on PostgreSQL's. Inside
``batched(session)`` the services' plain inserts (``insert_rows``) and relative updates
(``add_to``) are gathered instead, and sent when the block ends:

- PostgreSQL: one statement of data-modifying ``WITH`` parts. An insert is one part fed by one
  JSON array of its rows (``jsonb_to_recordset``); a relative update is one part per row, found
  by its key (an index lookup, whatever the planner estimates). So the text depends only on the
  tables and columns written and the number of rows updated, and psycopg prepares it. The parts all see
  the snapshot from before the statement, which is why only blind writes belong here: inserts,
  and relative updates of rows locked beforehand.
- SQLite: the same writes, one executemany each, in the order they were made.

Outside ``batched`` both helpers write at once. Inside, any other statement sent through the
session is refused (``StatementInBatch``): it would run before the writes gathered so far, and
a read would not see them.

A batch may open with a *guard* (``insert_unless_taken``): a row inserted unless its unique key
is taken, as a new order is unless its reference is. When the key is taken, nothing of the batch
is written, and the block's ``Batch.written`` says so (PostgreSQL: every other part is gated on
the guard's insert; SQLite: the guard goes first and the rest is skipped).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import orjson
from psycopg import _queries
from sqlalchemy import JSON, Table, bindparam, event, insert, literal_column, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import AsyncSession

from wareflow.db import dialect_name, send

_BATCH = "wareflow.batch"  # session.info key of the open batch

# psycopg keeps the parsing of a statement's placeholders only for statements of up to 4 kB and
# 50 parameters, and parses longer ones again on every execute (a tenth of a create's server CPU
# when the batch passed 50 parameters). A batch grows by a few hundred characters per stock row
# updated: the limits are raised for it.
# (Private constants: a psycopg without them just parses as before.)
for _limit, _value in (("MAX_CACHED_STATEMENT_PARAMS", 200), ("MAX_CACHED_STATEMENT_LENGTH", 16_384)):
    if hasattr(_queries, _limit):
        setattr(_queries, _limit, max(getattr(_queries, _limit), _value))
_PG: Any = postgresql.dialect()  # type: ignore[no-untyped-call]
_quote = _PG.identifier_preparer.quote


class StatementInBatch(RuntimeError):
    """A statement was sent through the session while a ``batched`` block gathers writes."""


@dataclass
class _Insert:
    table: Table
    columns: tuple[str, ...]
    sql_values: tuple[tuple[str, str], ...]  # columns given by a SQL expression, e.g. txid
    rows: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class _AddTo:
    """``UPDATE table SET c = c + delta …, s = value … WHERE keys``, one row per key."""

    table: Table
    keys: tuple[str, ...]
    added: tuple[str, ...]
    set_: tuple[str, ...]
    rows: dict[tuple[Any, ...], dict[str, Any]] = field(default_factory=dict)


@dataclass
class _Guard(_Insert):
    """The batch's first write: inserted unless a row with the same ``key`` exists."""

    key: tuple[str, ...] = ()


@dataclass
class Batch:
    writes: list[_Insert | _AddTo] = field(default_factory=list)
    sending: bool = False
    written: bool = True  # False when the guard's key was taken: nothing was written

    def insert(self, table: Table, rows: list[dict[str, Any]], sql_values: dict[str, str]) -> None:
        columns = tuple(rows[0])
        shape = (table, columns, tuple(sql_values.items()))
        for write in self.writes:  # rows of the same shape join one insert, in order
            if type(write) is _Insert and (write.table, write.columns, write.sql_values) == shape:
                write.rows.extend(rows)
                return
        self.writes.append(_Insert(table, columns, shape[2], list(rows)))

    def add_to(
        self, table: Table, keys: tuple[str, ...], added: tuple[str, ...], rows: list[dict[str, Any]]
    ) -> None:
        set_ = tuple(c for c in rows[0] if c not in keys and c not in added)
        write = next(
            (w for w in self.writes if isinstance(w, _AddTo) and (w.table, w.keys) == (table, keys)), None
        )
        if write is None:
            write = _AddTo(table, keys, added, set_)
            self.writes.append(write)
        elif (write.added, write.set_) != (added, set_):
            raise ValueError(f"two kinds of update of {table.name} in one batch")
        for row in rows:  # one row is changed once per statement: the same key's deltas add up
            key = tuple(row[k] for k in keys)
            known = write.rows.get(key)
            if known is None:
                write.rows[key] = dict(row)
            else:
                for column in added:
                    known[column] += row[column]
                for column in set_:
                    known[column] = row[column]


def refuse_inside_batch(session: AsyncSession, statement: object) -> None:
    """For statements sent around SQLAlchemy (``direct``), which the event below cannot see."""
    if _BATCH in session.info and not session.info[_BATCH].sending:
        raise StatementInBatch(f"a statement inside batched(): {statement!r}")


@event.listens_for(Engine, "before_cursor_execute")
def _refuse_inside_batch(conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
    """Any statement sent through SQLAlchemy on a connection whose session is batching."""
    batch: Batch | None = conn.info.get(_BATCH)
    if batch is not None and not batch.sending:
        raise StatementInBatch(f"a statement inside batched(): {statement[:80]}")


@asynccontextmanager
async def batched(session: AsyncSession) -> AsyncIterator[Batch]:
    """Gather the writes made inside and send them when the block ends (see the module doc).
    An exception inside sends nothing; a failing write raises SQLAlchemy's exception. After the
    block, ``written`` is False when the guard's key was taken (and nothing was written)."""
    if _BATCH in session.info:
        raise RuntimeError("batched() blocks do not nest")
    batch = Batch()
    connection = await session.connection()
    # Marked on the session (for its helpers) and on its connection (for the listener above).
    session.info[_BATCH] = connection.info[_BATCH] = batch
    try:
        yield batch
        batch.sending = True
        if dialect_name(session) == "postgresql":
            batch.written = await _send_as_one(session, batch.writes)
        else:
            batch.written = await _send_each(session, batch.writes)
    finally:
        session.info.pop(_BATCH, None)
        connection.info.pop(_BATCH, None)


async def insert_rows(
    session: AsyncSession,
    table: Table,
    rows: list[dict[str, Any]],
    *,
    sql_values: dict[str, str] | None = None,
) -> None:
    """Insert rows (all with the same keys); ``sql_values``: columns set by a SQL expression."""
    if not rows:
        return
    batch: Batch | None = session.info.get(_BATCH)
    if batch is not None:
        batch.insert(table, rows, sql_values or {})
    else:
        await _send_each(session, [_Insert(table, tuple(rows[0]), tuple((sql_values or {}).items()), rows)])


async def insert_unless_taken(
    session: AsyncSession, table: Table, row: dict[str, Any], *, key: tuple[str, ...]
) -> bool:
    """Insert ``row`` unless a row with the same ``key`` (a unique key) exists. In a batch it is
    the guard: sent first whenever it is added, and a taken key writes nothing of the batch
    (``Batch.written``); outside one it is written at once. Whether it was inserted (in a
    batch: True until sent)."""
    guard = _Guard(table, tuple(row), (), [row], key)
    batch: Batch | None = session.info.get(_BATCH)
    if batch is None:
        return await _send_each(session, [guard])
    if batch.writes and isinstance(batch.writes[0], _Guard):
        raise ValueError("a batch has one guard")
    batch.writes.insert(0, guard)
    return True


async def add_to(
    session: AsyncSession,
    table: Table,
    rows: list[dict[str, Any]],
    *,
    keys: tuple[str, ...],
    added: tuple[str, ...],
) -> None:
    """Update the row of each key (``keys`` columns): the ``added`` columns grow by the row's
    value, the others are set to it."""
    if not rows:
        return
    batch: Batch | None = session.info.get(_BATCH)
    if batch is None:
        alone = Batch()
        alone.add_to(table, keys, added, rows)
        await _send_each(session, alone.writes)
    else:
        batch.add_to(table, keys, added, rows)


# SQLite, or outside a batch: one executemany per write, through SQLAlchemy.


async def _send_each(session: AsyncSession, writes: Iterable[_Insert | _AddTo]) -> bool:
    for write in writes:
        if isinstance(write, _Guard):
            result: Any = await session.execute(_guard_statement(write.table, write.key), write.rows)
            if result.rowcount == 0:
                return False  # the key is taken: nothing of the batch is written
            continue
        if isinstance(write, _Insert):
            await session.execute(_insert_statement(write.table, write.sql_values), write.rows)
            continue
        rows = [_bind_names(write, row) for row in write.rows.values()]
        await session.execute(_update_statement(write.table, write.keys, write.added, write.set_), rows)
    return True


def _bind_names(write: _AddTo, row: dict[str, Any]) -> dict[str, Any]:
    # An update may not bind a parameter under the name of a column it sets: prefixed names.
    named = {f"k_{c}": row[c] for c in write.keys}
    named.update({f"a_{c}": row[c] for c in write.added})
    named.update({f"s_{c}": row[c] for c in write.set_})
    return named


@lru_cache(maxsize=64)
def _insert_statement(table: Table, sql_values: tuple[tuple[str, str], ...]) -> Any:
    # inline(): nobody reads generated ids back, so no RETURNING.
    return insert(table).values({c: literal_column(v) for c, v in sql_values}).inline()


@lru_cache(maxsize=64)
def _guard_statement(table: Table, key: tuple[str, ...]) -> Any:
    return sqlite.insert(table).on_conflict_do_nothing(index_elements=list(key))


@lru_cache(maxsize=64)
def _update_statement(
    table: Table, keys: tuple[str, ...], added: tuple[str, ...], set_: tuple[str, ...]
) -> Any:
    values: dict[str, Any] = {c: table.c[c] + bindparam(f"a_{c}") for c in added}
    values.update({c: bindparam(f"s_{c}") for c in set_})
    return update(table).where(*(table.c[k] == bindparam(f"k_{k}") for k in keys)).values(values)


# PostgreSQL, in a batch: one statement.


async def _send_as_one(session: AsyncSession, writes: list[_Insert | _AddTo]) -> bool:
    if not writes:
        return True
    params: list[Any] = []
    parts = []
    guarded = isinstance(writes[0], _Guard)
    gate = " EXISTS (SELECT FROM w0)" if guarded else ""  # every other part waits on the guard
    for n, write in enumerate(writes):
        if isinstance(write, _Insert):
            sql = _insert_sql(write.table, write.columns, write.sql_values, gated=bool(gate) and n > 0)
            if isinstance(write, _Guard):
                sql += f" ON CONFLICT ({', '.join(_names(write.table, write.key))}) DO NOTHING RETURNING 1"
            parts.append(f"w{n} AS ({sql})")
            params.append(orjson.dumps(write.rows, default=str).decode())
        else:  # one part per row, found by its key: an index lookup whatever the estimates
            sql = _add_to_sql(write.table, write.keys, write.added, write.set_)
            sql += f" AND{gate}" if gate else ""
            columns = (*write.added, *write.set_, *write.keys)  # in the order of the %b in sql
            for i, row in enumerate(write.rows.values()):
                parts.append(f"w{n}_{i} AS ({sql})")
                params.extend(_json_as_text(write.table, c, row[c]) for c in columns)
    tail = " SELECT count(*) FROM w0" if guarded else " SELECT 1"
    rows = await send(session, "WITH " + ", ".join(parts) + tail, params)
    return bool(rows[0][0])


def _json_as_text(table: Table, column: str, value: Any) -> Any:
    """JSON values go as text, cast to jsonb in the statement."""
    if value is None or not isinstance(table.c[column].type, JSON):
        return value
    return orjson.dumps(value).decode()


@lru_cache(maxsize=64)
def _type(table: Table, column: str) -> str:
    return str(table.c[column].type.compile(dialect=_PG))


@lru_cache(maxsize=64)
def _rows(table: Table, columns: tuple[str, ...]) -> str:
    """The rows of one insert, from one JSON array parameter, in their order (``u.n``).

    One JSON document per insert rather than an array per column: orjson writes it in C, where
    psycopg dumps arrays element by element in Python (a tenth of a create's server CPU), and
    the statement keeps one parameter per insert, well inside psycopg's parsing cache."""
    fields = ", ".join(f"{_quote(c)} {_type(table, c)}" for c in columns)
    aliases = ", ".join(_quote(c) for c in columns)
    return f"ROWS FROM (jsonb_to_recordset(%b::jsonb) AS ({fields})) WITH ORDINALITY AS u({aliases}, n)"


def _names(table: Table, columns: Iterable[str]) -> list[str]:
    return [_quote(table.c[c].name) for c in columns]


@lru_cache(maxsize=64)
def _insert_sql(
    table: Table, columns: tuple[str, ...], sql_values: tuple[tuple[str, str], ...], *, gated: bool = False
) -> str:
    names = _names(table, [c for c, _ in sql_values]) + _names(table, columns)
    values = [v for _, v in sql_values] + [f"u.{_quote(c)}" for c in columns]
    where = " WHERE EXISTS (SELECT FROM w0)" if gated else ""
    # ORDER BY the position: generated ids (events' feed order) follow the order of the rows.
    return (
        f"INSERT INTO {_quote(table.name)} ({', '.join(names)})"
        f" SELECT {', '.join(values)} FROM {_rows(table, columns)}{where} ORDER BY u.n"
    )


@lru_cache(maxsize=64)
def _add_to_sql(table: Table, keys: tuple[str, ...], added: tuple[str, ...], set_: tuple[str, ...]) -> str:
    """One row's update; its placeholders: ``added``, then ``set_``, then ``keys``."""
    t = _quote(table.name)
    sets = [
        f"{_quote(table.c[c].name)} = {t}.{_quote(table.c[c].name)} + %b::{_type(table, c)}" for c in added
    ]
    sets += [f"{_quote(table.c[c].name)} = %b::{_type(table, c)}" for c in set_]
    where = " AND ".join(f"{_quote(table.c[k].name)} = %b::{_type(table, k)}" for k in keys)
    return f"UPDATE {t} SET {', '.join(sets)} WHERE {where}"
