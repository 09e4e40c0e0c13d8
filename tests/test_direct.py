"""``direct.Direct``: a hot-path statement answers as SQLAlchemy would, on both stores: the same
rows (list parameters included), inside the session's transaction, SQLAlchemy's exceptions, and
refused inside ``batched``."""

from __future__ import annotations

import uuid
from typing import Any, cast

import pytest
from sqlalchemy import Table, bindparam, func, insert, select
from sqlalchemy.exc import IntegrityError

from tests.conftest import CATALOG, Tenant
from wareflow.batch import StatementInBatch, batched
from wareflow.catalog.models import Product
from wareflow.db import Database, utcnow
from wareflow.direct import Direct
from wareflow.events.models import Event

_PRODUCTS = cast(Table, Product.__table__)
_EVENTS = cast(Table, Event.__table__)

_SKUS_OF = Direct(
    select(_PRODUCTS.c.sku, _PRODUCTS.c.created_at)
    .where(
        _PRODUCTS.c.organization_id == bindparam("organization_id"),
        _PRODUCTS.c.sku.in_(bindparam("skus", expanding=True)),
    )
    .order_by(_PRODUCTS.c.sku)
)
_EVENT_COLUMNS = ("organization_id", "txid", "type", "order_id", "data", "occurred_at")
_RECORD = Direct(
    insert(_EVENTS)
    .values({c: bindparam(c, type_=_EVENTS.c[c].type) for c in _EVENT_COLUMNS})
    .returning(_EVENTS.c.id)
)


def _event(organization_id: uuid.UUID, type_: str) -> dict[str, Any]:
    return {
        "organization_id": organization_id,
        "txid": 0,
        "type": type_,
        "order_id": None,
        "data": {"n": 1},
        "occurred_at": utcnow(),
    }


async def test_rows_match_a_list_parameter_and_convert_types(db: Database, tenant: Tenant) -> None:
    async with db.sessions() as session:
        params = {"organization_id": tenant.organization_id, "skus": [CATALOG[1], CATALOG[2], "NONE"]}
        rows = await _SKUS_OF.rows(session, params)
    assert [row[0] for row in rows] == sorted(CATALOG[1:])
    assert all(row[1].tzinfo is not None for row in rows)  # timestamps come back aware on both


async def test_writes_land_with_the_sessions_transaction(db: Database, tenant: Tenant) -> None:
    async with db.sessions() as session:
        await _RECORD.rows(session, _event(tenant.organization_id, "test.direct.rolled"))
        await session.rollback()
        inserted = await _RECORD.rows(session, _event(tenant.organization_id, "test.direct.kept"))
        await session.commit()
    assert len(inserted) == 1
    async with db.sessions() as session:
        kept = await session.scalars(
            select(Event).where(
                Event.organization_id == tenant.organization_id, Event.type.like("test.direct%")
            )
        )
        assert [(e.type, e.data) for e in kept] == [("test.direct.kept", {"n": 1})]


async def test_a_failing_statement_raises_sqlalchemys_error(db: Database, tenant: Tenant) -> None:
    """The API answers SQLAlchemy's IntegrityError with 409: a direct statement raises it too."""
    async with db.sessions() as session:
        with pytest.raises(IntegrityError):
            await _RECORD.rows(session, _event(uuid.uuid4(), "test.direct.orphan"))
        await session.rollback()
        assert await session.scalar(select(func.count()).select_from(Event)) is not None


async def test_refused_inside_a_batch(db: Database, tenant: Tenant) -> None:
    async with db.sessions() as session:
        with pytest.raises(StatementInBatch):
            async with batched(session):
                await _SKUS_OF.rows(session, {"organization_id": tenant.organization_id, "skus": ["A-1"]})


async def test_pending_orm_changes_are_flushed_first_when_the_session_autoflushes(
    db: Database, tenant: Tenant
) -> None:
    async with db.sessions() as session:
        session.sync_session.autoflush = True
        session.add(Product(organization_id=tenant.organization_id, sku="NEW-1", name="New"))
        rows = await _SKUS_OF.rows(session, {"organization_id": tenant.organization_id, "skus": ["NEW-1"]})
        await session.rollback()
    assert [row[0] for row in rows] == ["NEW-1"]


def test_a_statement_needing_python_side_defaults_is_refused() -> None:
    """Direct sends only what it is given: a column left to a Python default would be missed."""
    partial = Direct(insert(_EVENTS).values(type=bindparam("type")))
    with pytest.raises(ValueError, match="txid"):
        partial.sql_for({})


def test_each_length_of_a_list_is_its_own_sql_with_a_placeholder_per_value() -> None:
    """So psycopg prepares it and PostgreSQL plans it once (an array parameter was planned on
    every execution)."""
    three = _SKUS_OF.sql_for({"skus": ["A", "B", "C"]})
    assert three.count("%(") == 4 and "ANY" not in three
    assert _SKUS_OF.sql_for({"skus": ["D", "E", "F"]}) is three
    assert _SKUS_OF.sql_for({"skus": ["A"]}).count("%(") == 2
