"""Writing events (in the caller's transaction) and reading them back as the change feed."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, delete, insert, literal_column, select, tuple_, update
from sqlalchemy import event as sa_event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from wareflow import batch
from wareflow.core.errors import FieldError, Gone, InvalidInput
from wareflow.db import dialect_name, utcnow
from wareflow.events.models import Event
from wareflow.tenants.models import Organization

_EVENTS = cast(Table, Event.__table__)
_PENDING = "wareflow.pending_events"  # session.info key of events not written yet
# On PostgreSQL every event carries its transaction's id; see Event's docstring for why.
_PG_TXID_SQL = "pg_current_xact_id()::text::bigint"
_PG_TXID: Any = literal_column(_PG_TXID_SQL)
# inline(): nobody reads an event's id back, so no RETURNING (and it may go in a batch).
_INSERT_PG = insert(_EVENTS).values(txid=_PG_TXID).inline()
_INSERT_SQLITE = insert(_EVENTS).values(txid=0).inline()
_PG_VISIBLE_HORIZON: Any = literal_column("pg_snapshot_xmin(pg_current_snapshot())::text::bigint")


async def record(
    session: AsyncSession,
    *,
    organization_id: uuid.UUID,
    type: str,
    order_id: uuid.UUID | None = None,
    data: dict[str, Any],
) -> None:
    """Add one event to the caller's transaction: it commits or rolls back with the change.

    Events are kept on the session and written together, in order, by one multi-row insert
    just before the commit (a request often causes several).
    """
    pending: list[dict[str, Any]] = session.info.setdefault(_PENDING, [])
    pending.append(
        {
            "organization_id": organization_id,
            "type": type,
            "order_id": order_id,
            "data": data,
            "occurred_at": utcnow(),
        }
    )


async def write_pending(session: AsyncSession) -> None:
    """Write the events recorded so far now rather than at the commit (inside ``batched``: with
    the batch's other writes, in one statement)."""
    rows = session.info.pop(_PENDING, None)
    if not rows:
        return
    if dialect_name(session) == "postgresql":
        await batch.insert_rows(session, _EVENTS, rows, sql_values={"txid": _PG_TXID_SQL})
    else:
        await batch.insert_rows(session, _EVENTS, [{**row, "txid": 0} for row in rows])


@sa_event.listens_for(Session, "before_commit")
def _write_pending(session: Session) -> None:
    rows = session.info.pop(_PENDING, None)
    if rows:
        postgres = session.get_bind().dialect.name == "postgresql"
        session.execute(_INSERT_PG if postgres else _INSERT_SQLITE, rows)


@sa_event.listens_for(Session, "after_soft_rollback")
def _drop_pending(session: Session, _transaction: Any) -> None:
    session.info.pop(_PENDING, None)


@dataclass(frozen=True)
class Cursor:
    txid: int
    id: int

    def encode(self) -> str:
        return f"{self.txid}-{self.id}"

    @classmethod
    def decode(cls, value: str) -> Cursor:
        try:
            txid, id_ = value.split("-")
            cursor = cls(int(txid), int(id_))
        except ValueError:
            raise InvalidInput(
                [FieldError("/query/after", "invalid_cursor", "Use a next_cursor from the feed.")]
            ) from None
        if cursor.txid < 0 or cursor.id < 0:
            raise InvalidInput([FieldError("/query/after", "invalid_cursor", "Negative cursor.")])
        return cursor


def event_cursor(event: Event) -> Cursor:
    return Cursor(event.txid, event.id)


async def read_feed(
    session: AsyncSession,
    *,
    organization_id: uuid.UUID,
    after: Cursor | None,
    limit: int,
    pruned_through: str | None,
) -> list[Event]:
    """The organization's events after ``after``, in commit order.

    Only events of transactions that can no longer be followed by an earlier-numbered commit are
    served (PostgreSQL: transaction id below the oldest running one), so a poller never skips one.
    """
    if after is not None and pruned_through and _before(after, Cursor.decode(pruned_through)):
        raise Gone("The cursor is older than the retained change feed; resynchronize from the API.")
    query = select(Event).where(Event.organization_id == organization_id)
    if after is not None:
        query = query.where(tuple_(Event.txid, Event.id) > tuple_(after.txid, after.id))
    if dialect_name(session) == "postgresql":
        query = query.where(Event.txid < _PG_VISIBLE_HORIZON)
    query = query.order_by(Event.txid, Event.id).limit(limit)
    return list((await session.scalars(query)).all())


def _before(a: Cursor, b: Cursor) -> bool:
    return (a.txid, a.id) < (b.txid, b.id)


async def order_timeline(
    session: AsyncSession, *, organization_id: uuid.UUID, order_id: uuid.UUID
) -> list[Event]:
    query = (
        select(Event)
        .where(Event.organization_id == organization_id, Event.order_id == order_id)
        .order_by(Event.id)
    )
    return list((await session.scalars(query)).all())


def present(event: Event) -> dict[str, Any]:
    return {
        "id": event.id,
        "type": event.type,
        "order_id": str(event.order_id) if event.order_id else None,
        "occurred_at": event.occurred_at.isoformat(),
        "cursor": event_cursor(event).encode(),
        "data": event.data,
    }


async def prune(session: AsyncSession, *, organization_id: uuid.UUID, before: dt.datetime) -> int:
    """Delete the organization's events older than ``before``; a cursor behind them then
    answers 410, so a poller knows it missed events instead of silently skipping them."""
    last = (
        await session.execute(
            select(Event.txid, Event.id)
            .where(Event.organization_id == organization_id, Event.occurred_at < before)
            .order_by(Event.txid.desc(), Event.id.desc())
            .limit(1)
        )
    ).first()
    if last is None:
        return 0
    result: Any = await session.execute(
        delete(Event).where(
            Event.organization_id == organization_id,
            tuple_(Event.txid, Event.id) <= tuple_(last.txid, last.id),
        )
    )
    await session.execute(
        update(Organization)
        .where(Organization.id == organization_id)
        .values(feed_pruned_through=Cursor(last.txid, last.id).encode())
    )
    return int(result.rowcount or 0)
