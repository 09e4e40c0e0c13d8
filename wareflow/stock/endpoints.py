"""Stock routes: levels and history for everyone; adjustments for the warehouse (operators)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, Field, StrictInt
from starlette.responses import Response

from wareflow.api.bodies import read_object
from wareflow.api.deps import CurrentTenant, Forbidden, Session
from wareflow.api.openapi import json_body
from wareflow.api.writes import json_response, write
from wareflow.core.validation import validate
from wareflow.stock import service
from wareflow.stock.receiving import adjust_stock

router = APIRouter(prefix="/v1/stock", tags=["stock"])


class Adjustment(BaseModel):
    """Positive receives units, negative removes them (never below what is allocated)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    warehouse_code: Annotated[str, Field(min_length=1, max_length=16)]
    sku: Annotated[str, Field(min_length=1, max_length=100)]
    quantity: Annotated[StrictInt, Field(ge=-1_000_000, le=1_000_000)]
    reason: Annotated[str, Field(min_length=1, max_length=255)]
    location: Annotated[str, Field(min_length=1, max_length=64)] | None = None


@router.post("/adjustments", status_code=201, openapi_extra=json_body(Adjustment))
async def adjust(request: Request, tenant: CurrentTenant, session: Session) -> Response:
    """Receive, count or write off stock (operator keys acting for an organization)."""
    if not tenant.principal.is_operator:
        raise Forbidden("Adjusting stock is the warehouse's job: use an operator key.")
    raw, data = await read_object(request)
    body = validate(Adjustment, data)

    async def run() -> Response:
        product, level, allocated = await adjust_stock(
            session,
            organization_id=tenant.organization.id,
            warehouse_code=body.warehouse_code,
            sku=body.sku,
            quantity=body.quantity,
            reason=body.reason,
            location=body.location,
            actor=tenant.actor,
        )
        return json_response(201, {**service.present_level(level, product), "orders_allocated": allocated})

    return await write(request, session=session, tenant=tenant, raw_body=raw, run=run)


@router.get("")
async def stock_levels(
    tenant: CurrentTenant,
    session: Session,
    sku: str | None = None,
    warehouse_code: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: str | None = None,
) -> Response:
    """On hand, allocated and available per product and warehouse."""
    rows, next_cursor = await service.levels(
        session,
        organization_id=tenant.organization.id,
        sku=sku,
        warehouse_code=warehouse_code,
        limit=limit,
        cursor=cursor,
    )
    items = [service.present_level(level, product) for level, product in rows]
    return json_response(200, {"items": items, "next_cursor": next_cursor})


@router.get("/movements")
async def stock_movements(
    tenant: CurrentTenant,
    session: Session,
    sku: str | None = None,
    warehouse_code: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[int | None, Query(ge=1)] = None,
) -> Response:
    """Every adjustment, allocation and release, newest first, with who and why."""
    rows = await service.movements(
        session,
        organization_id=tenant.organization.id,
        sku=sku,
        warehouse_code=warehouse_code,
        limit=limit,
        before=cursor,
    )
    items = [service.present_movement(m, p) for m, p in rows]
    next_cursor = str(rows[-1][0].id) if len(rows) == limit else None
    return json_response(200, {"items": items, "next_cursor": next_cursor})
