"""Stock: levels per SKU and warehouse, receiving and adjusting with a reason, the history."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from wareflow.core.errors import DomainError, FieldError, InvalidInput
from wareflow.core.validation import validate
from wareflow.stock import service as stock
from wareflow.stock.endpoints import Adjustment
from wareflow.stock.receiving import adjust_stock
from wareflow.tenants.cache import OrgRef
from wareflow.ui import queries, render
from wareflow.ui.context import (
    CheckedForm,
    CurrentViewer,
    DbSession,
    organization,
    visible_organizations,
)

router = APIRouter()
FIELDS = ("warehouse_code", "sku", "quantity", "reason", "location")


async def _view(
    request: Request,
    session: AsyncSession,
    org: OrgRef,
    *,
    sku: str = "",
    warehouse: str = "",
    cursor: str = "",
    values: dict[str, str] | None = None,
    problems: render.Problems | None = None,
    status: int = 200,
) -> Response:
    filter_problems = render.Problems()
    levels: list[Any] = []
    next_cursor = None
    try:
        levels, next_cursor = await stock.levels(
            session,
            organization_id=org.id,
            sku=sku or None,
            warehouse_code=warehouse or None,
            limit=50,
            cursor=cursor or None,
        )
    except DomainError as exc:
        filter_problems = render.Problems.of(exc, {"sku"})
    movements = await stock.movements(
        session, organization_id=org.id, sku=None, warehouse_code=warehouse or None, limit=15, before=None
    )
    warehouses = await queries.warehouses(session)
    context = {
        "nav": "stock",
        "orgs": await visible_organizations(request, session, request.state.viewer),
        "org": org,
        "sku": sku,
        "warehouse": warehouse,
        "warehouses": warehouses,
        "levels": levels,
        "next_cursor": next_cursor,
        "movements": movements,
        "filter_problems": filter_problems,
        "values": {
            "warehouse_code": org.default_warehouse_code or (warehouses[0].code if warehouses else ""),
            **(values or {}),
        },
        "problems": problems or render.Problems(),
    }
    return render.page(request, "stock.html", context, status=status)


@router.get("/stock")
async def stock_page(
    request: Request,
    session: DbSession,
    viewer: CurrentViewer,
    org: str = "",
    sku: str = "",
    warehouse: str = "",
    cursor: str = "",
) -> Response:
    current = await organization(request, session, viewer, org or None)
    return await _view(request, session, current, sku=sku.strip(), warehouse=warehouse, cursor=cursor)


@router.post("/stock/adjust")
async def adjust(request: Request, session: DbSession, viewer: CurrentViewer, form: CheckedForm) -> Response:
    viewer.require_operator()
    org = await organization(request, session, viewer, str(form.get("org") or "") or None)
    given = {name: str(form.get(name) or "").strip() for name in FIELDS}
    data: dict[str, Any] = {k: v for k, v in given.items() if v}
    try:
        try:
            data["quantity"] = int(given["quantity"])
        except ValueError:
            raise InvalidInput(
                [FieldError("/quantity", "not_a_number", "Give a whole number, negative to remove.")]
            ) from None
        body = validate(Adjustment, data)
        if body.quantity == 0:  # as the API says it
            raise InvalidInput([FieldError("/quantity", "zero", "An adjustment moves at least one unit.")])
        product, level, allocated = await adjust_stock(
            session,
            organization_id=org.id,
            warehouse_code=body.warehouse_code,
            sku=body.sku,
            quantity=body.quantity,
            reason=body.reason,
            location=body.location,
            actor=viewer.actor,
        )
        await session.commit()
    except DomainError as exc:
        await session.rollback()
        problems = render.Problems.of(exc, set(FIELDS))
        return await _view(request, session, org, values=given, problems=problems, status=exc.status)
    verb = "Received" if body.quantity > 0 else "Removed"
    message = (
        f"{verb} {abs(body.quantity)} x {product.sku} in {level.warehouse_code}; {level.on_hand} on hand."
    )
    if allocated:
        message += f" {allocated} waiting order{'s' if allocated != 1 else ''} allocated."
    return render.redirect(request, f"/ui/stock?org={org.slug}", message=message)
