"""``db.pipelined``: writes sent together land with the transaction; a read inside is refused
on PostgreSQL (its rows would not be there yet), never silently empty."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import Tenant
from wareflow.db import Database, PipelineRead, dialect_name, pipelined
from wareflow.events import service as events
from wareflow.events.models import Event


async def test_writes_inside_a_pipeline_land_with_the_commit(db: Database, tenant: Tenant) -> None:
    async with db.sessions() as session:
        async with pipelined(session):
            for n in range(3):
                await events.record(
                    session, organization_id=tenant.organization_id, type="test.pipelined", data={"n": n}
                )
            await events.write_pending(session)
        await session.commit()
    async with db.sessions() as session:
        written = await session.scalar(
            select(func.count())
            .select_from(Event)
            .where(Event.organization_id == tenant.organization_id, Event.type == "test.pipelined")
        )
    assert written == 3


async def test_a_read_inside_a_pipeline_is_refused_on_postgresql(db: Database, tenant: Tenant) -> None:
    async with db.sessions() as session:
        if dialect_name(session) != "postgresql":
            async with pipelined(session):  # SQLite: no pipeline, reads work as ever
                assert await session.scalar(select(func.count()).select_from(Event)) is not None
            return
        with pytest.raises(PipelineRead):
            async with pipelined(session):
                await session.scalar(select(func.count()).select_from(Event))


async def _write_in_a_pipeline(session: AsyncSession) -> None:
    async with pipelined(session):
        await events.write_pending(session)


async def test_a_failing_write_inside_a_pipeline_raises_and_stores_nothing(
    db: Database, tenant: Tenant
) -> None:
    """The error of a pipelined write surfaces at the latest when the pipeline ends; the
    transaction then rolls back whole and the session goes on."""
    async with db.sessions() as session:
        await events.record(session, organization_id=tenant.organization_id, type="test.kept", data={})
        await events.record(session, organization_id=uuid.uuid4(), type="test.orphan", data={})
        with pytest.raises(IntegrityError):  # SQLAlchemy's, as the API's problem mapping expects
            await _write_in_a_pipeline(session)
        await session.rollback()
        kept = await session.scalar(
            select(func.count()).select_from(Event).where(Event.type.in_(["test.kept", "test.orphan"]))
        )
    assert kept == 0
