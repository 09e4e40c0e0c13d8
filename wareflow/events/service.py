"""Writing events (in the caller's transaction) and reading them back as the change feed."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, insert, literal_column, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from wareflow.core.errors import FieldError, Gone, InvalidInput
from wareflow.db import dialect_name, utcnow
from wareflow.events.models import Event

_EVENTS = cast(Table, Event.__table__)
# On PostgreSQL every event carries its transaction's id; see Event's docstring for why.
_PG_TXID: Any = literal_column("pg_current_xact_id()::text::bigint")
_PG_VISIBLE_HORIZON: Any = literal_column("pg_snapshot_xmin(pg_current_snapshot())::text::bigint")


async def record(
    session: AsyncSession,
    *,
    organization_id: uuid.UUID,
    type: str,
    order_id: uuid.UUID | None = None,
    data: dict[str, Any],
) -> None:
    """Write one event in the caller's transaction: it commits or rolls back with the change."""
    values: dict[str, Any] = {
        "organization_id": organization_id,
        "type": type,
        "order_id": order_id,
        "data": data,
        "occurred_at": utcnow(),
        "txid": _PG_TXID if dialect_name(session) == "postgresql" else 0,
    }
    await session.execute(insert(_EVENTS).values(**values))


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
