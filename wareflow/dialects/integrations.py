"""Integrations vendors name in their paths (XPS Ship's ``integrationId``).

XPS Ship makes a merchant create a "Rest API integration" in its UI before orders can be put;
Wareflow has no such step: an integration id is registered the first time a request names it and
listed here, so the operator and the merchant can see which integrations send orders.
"""

from __future__ import annotations

import uuid
from typing import Any, cast

from fastapi import APIRouter
from sqlalchemy import Table, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from wareflow.api.deps import CurrentTenant, Session
from wareflow.api.writes import json_response
from wareflow.db import dialect_name, new_id, utcnow
from wareflow.dialects.models import Integration

_TABLE = cast(Table, Integration.__table__)


async def register_use(
    session: AsyncSession, *, organization_id: uuid.UUID, dialect: str, external_id: str
) -> None:
    """Record that ``external_id`` was used now; the first use creates it (safe under races)."""
    now = utcnow()
    insert = postgresql.insert if dialect_name(session) == "postgresql" else sqlite.insert
    await session.execute(
        insert(_TABLE)
        .values(
            organization_id=organization_id,
            id=new_id(),
            dialect=dialect,
            external_id=external_id,
            created_at=now,
            last_used_at=now,
        )
        .on_conflict_do_nothing(index_elements=["organization_id", "dialect", "external_id"])
    )
    await session.execute(
        update(Integration)
        .where(
            Integration.organization_id == organization_id,
            Integration.dialect == dialect,
            Integration.external_id == external_id,
        )
        .values(last_used_at=now)
    )


async def list_integrations(session: AsyncSession, *, organization_id: uuid.UUID) -> list[Integration]:
    query = (
        select(Integration)
        .where(Integration.organization_id == organization_id)
        .order_by(Integration.dialect, Integration.created_at, Integration.external_id)
    )
    return list((await session.scalars(query)).all())


def present_integration(row: Integration) -> dict[str, Any]:
    return {
        "id": str(row.id),
        "dialect": row.dialect,
        "external_id": row.external_id,
        "created_at": row.created_at.isoformat(),
        "last_used_at": row.last_used_at.isoformat(),
    }


router = APIRouter(prefix="/v1/integrations", tags=["integrations"])


@router.get("")
async def get_integrations(tenant: CurrentTenant, session: Session) -> Response:
    """Integrations of the organization, registered on first use by a dialect (XPS Ship)."""
    rows = await list_integrations(session, organization_id=tenant.organization.id)
    return json_response(200, {"items": [present_integration(r) for r in rows], "next_cursor": None})
