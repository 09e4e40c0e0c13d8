"""``batch.batched``: writes gathered inside land with the transaction, as one statement on
PostgreSQL; nothing else may be sent meanwhile; a failing write raises SQLAlchemy's exception.
Both stores: SQLite sends the same writes one by one, and must behave the same."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any, cast

import pytest
from sqlalchemy import Table, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import WAREHOUSE, Tenant
from tests.statements import counting
from wareflow import batch
from wareflow.batch import StatementInBatch, batched
from wareflow.db import Database, dialect_name, utcnow
from wareflow.events import service as events
from wareflow.events.models import Event
from wareflow.stock.models import StockLevel

_LEVELS = cast(Table, StockLevel.__table__)
_KEY = ("organization_id", "warehouse_code", "product_id")


async def _level(db: Database, tenant: Tenant) -> StockLevel:
    async with db.sessions() as session:
        level = await session.scalar(
            select(StockLevel)
            .where(StockLevel.organization_id == tenant.organization_id)
            .order_by(StockLevel.product_id)
            .limit(1)
        )
    assert level is not None
    return level


def _change(level: StockLevel, on_hand: int, allocated: int) -> dict[str, Any]:
    return {
        "organization_id": level.organization_id,
        "warehouse_code": WAREHOUSE,
        "product_id": level.product_id,
        "on_hand": on_hand,
        "allocated": allocated,
        "updated_at": utcnow(),
    }


async def _types(db: Database, tenant: Tenant, prefix: str) -> list[str]:
    async with db.sessions() as session:
        rows = await session.scalars(
            select(Event.type)
            .where(Event.organization_id == tenant.organization_id, Event.type.startswith(prefix))
            .order_by(Event.id)
        )
        return list(rows)


async def test_gathered_writes_land_with_the_commit_in_one_statement(db: Database, tenant: Tenant) -> None:
    level = await _level(db, tenant)
    async with db.sessions() as session:
        await session.connection()
        with counting(db) as sent:
            async with batched(session):
                change = _change(level, 5, 2)
                await batch.add_to(session, _LEVELS, [change], keys=_KEY, added=("on_hand", "allocated"))
                for n in range(3):
                    await events.record(
                        session, organization_id=tenant.organization_id, type=f"test.batch.{n}", data={"n": n}
                    )
                await events.write_pending(session)
                assert sent == []  # gathered, not sent yet
        await session.commit()
    assert len(sent) == (1 if dialect_name(session) == "postgresql" else 2)
    after = await _level(db, tenant)
    assert (after.on_hand, after.allocated) == (level.on_hand + 5, level.allocated + 2)
    assert await _types(db, tenant, "test.batch.") == ["test.batch.0", "test.batch.1", "test.batch.2"]


async def test_changes_of_one_row_add_up(db: Database, tenant: Tenant) -> None:
    """PostgreSQL changes a row once per statement: the batch adds the deltas up first."""
    level = await _level(db, tenant)
    async with db.sessions() as session:
        async with batched(session):
            for on_hand, allocated in ((3, 1), (4, 2), (-1, 0)):
                change = _change(level, on_hand, allocated)
                await batch.add_to(session, _LEVELS, [change], keys=_KEY, added=("on_hand", "allocated"))
        await session.commit()
    after = await _level(db, tenant)
    assert (after.on_hand, after.allocated) == (level.on_hand + 6, level.allocated + 3)


async def test_events_keep_the_order_they_were_recorded_in(db: Database, tenant: Tenant) -> None:
    names = [f"test.order.{c}" for c in "qwertyuiop"]
    async with db.sessions() as session:
        async with batched(session):
            for name in names:  # no order_id on any: a column of nulls only
                await events.record(session, organization_id=tenant.organization_id, type=name, data={})
            await events.write_pending(session)
        await session.commit()
    assert await _types(db, tenant, "test.order.") == names


async def _batch_of(
    session: AsyncSession, events_of: list[tuple[uuid.UUID, str]], then: Callable[[], Awaitable[Any]]
) -> None:
    """Record these events in a batch, then do ``then`` before the batch ends."""
    async with batched(session):
        for organization_id, type_ in events_of:
            await events.record(session, organization_id=organization_id, type=type_, data={})
        await events.write_pending(session)
        await then()


async def _nothing() -> None:
    pass


async def test_any_statement_inside_is_refused(db: Database, tenant: Tenant) -> None:
    """It would run before the gathered writes; a read would not see them."""
    async with db.sessions() as session:

        async def read() -> None:
            await session.scalar(select(func.count()).select_from(Event))

        with pytest.raises(StatementInBatch):
            await _batch_of(session, [(tenant.organization_id, "test.ref")], read)
        await session.rollback()
    assert await _types(db, tenant, "test.ref") == []


async def test_an_error_inside_sends_nothing(db: Database, tenant: Tenant) -> None:
    async def fail() -> None:
        raise ZeroDivisionError

    async with db.sessions() as session:
        with pytest.raises(ZeroDivisionError):
            await _batch_of(session, [(tenant.organization_id, "test.nil")], fail)
        await session.commit()
    assert await _types(db, tenant, "test.nil") == []


async def test_a_failing_write_raises_sqlalchemys_error_and_stores_nothing(
    db: Database, tenant: Tenant
) -> None:
    """The API maps SQLAlchemy's IntegrityError to 409: the batch must raise that class too.
    The transaction then rolls back whole and the session goes on."""
    wrong = [(tenant.organization_id, "test.kept"), (uuid.uuid4(), "test.orphan")]
    async with db.sessions() as session:
        with pytest.raises(IntegrityError):
            await _batch_of(session, wrong, _nothing)
        await session.rollback()
        assert await session.scalar(select(func.count()).select_from(Event)) is not None
    assert await _types(db, tenant, "test.kept") == []


def _row(level: StockLevel, on_hand: int = 1) -> dict[str, Any]:
    """A stock row with ``level``'s key."""
    return {**_change(level, on_hand, 0), "location": None}


async def _levels(db: Database, tenant: Tenant) -> list[StockLevel]:
    async with db.sessions() as session:
        query = select(StockLevel).where(StockLevel.organization_id == tenant.organization_id)
        return list(await session.scalars(query.order_by(StockLevel.product_id)))


async def _guarded_batch(
    db: Database, tenant: Tenant, guard: dict[str, Any], changed: StockLevel
) -> batch.Batch:
    async with db.sessions() as session:
        async with batched(session) as sent:
            await events.record(session, organization_id=tenant.organization_id, type="test.guarded", data={})
            await batch.add_to(session, _LEVELS, [_change(changed, 7, 0)], keys=_KEY, added=("on_hand",))
            await batch.insert_unless_taken(session, _LEVELS, guard, key=_KEY)  # sent first all the same
            await events.write_pending(session)
        await session.commit()
    return sent


async def test_a_taken_guard_key_writes_nothing_of_the_batch(db: Database, tenant: Tenant) -> None:
    """How a new order with a taken reference writes none of its lines, stock or events."""
    first, second = (await _levels(db, tenant))[:2]
    sent = await _guarded_batch(db, tenant, _row(first), changed=second)
    assert sent.written is False
    assert [level.on_hand for level in await _levels(db, tenant)][:2] == [first.on_hand, second.on_hand]
    assert await _types(db, tenant, "test.guarded") == []


async def test_a_free_guard_key_writes_the_whole_batch(db: Database, tenant: Tenant) -> None:
    first, second = (await _levels(db, tenant))[:2]
    async with db.sessions() as session:  # free the first key: the guard inserts it again
        await session.execute(_LEVELS.delete().where(*(_LEVELS.c[k] == getattr(first, k) for k in _KEY)))
        await session.commit()
    sent = await _guarded_batch(db, tenant, _row(first, on_hand=10), changed=second)
    assert sent.written is True
    assert [level.on_hand for level in await _levels(db, tenant)][:2] == [10, second.on_hand + 7]
    assert await _types(db, tenant, "test.guarded") == ["test.guarded"]


async def test_a_batch_has_one_guard(db: Database, tenant: Tenant) -> None:
    first = (await _levels(db, tenant))[0]
    async with db.sessions() as session, batched(session):
        await batch.insert_unless_taken(session, _LEVELS, _row(first), key=_KEY)
        with pytest.raises(ValueError, match="one guard"):
            await batch.insert_unless_taken(session, _LEVELS, _row(first), key=_KEY)
