"""eWarehousing's shipments (what left the dock, with tracking) over the orders' shipments.

Listed newest order first (``direction=asc`` for oldest first), the ``X-Wms-Code`` warehouse's
only. ``order_external_reference`` (also as ``order_external_reference[]``, repeatable) narrows
to orders; ``from``/``to`` to when the shipment left.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from starlette.responses import Response

from wareflow.api.deps import Session
from wareflow.api.writes import json_response
from wareflow.core.errors import NotFound
from wareflow.dialects.common import vendor_errors
from wareflow.dialects.ewarehousing import errors
from wareflow.dialects.ewarehousing.auth import CurrentWms
from wareflow.dialects.ewarehousing.paging import moment, page_of, route
from wareflow.dialects.ewarehousing.translate_shipments import shipped, to_vendor_shipment
from wareflow.fulfillment.picking import order_of_shipment
from wareflow.orders import service
from wareflow.orders.repository import OrderFilter

router = APIRouter(route_class=vendor_errors(errors.answer))
Pair = tuple[dict[str, Any], dict[str, Any]]


def _left(shipment: dict[str, Any]) -> dt.datetime:
    """When the shipment left the dock (when it was made, for one shipped without a time)."""
    value = (shipment.get("tracking") or {}).get("shipped_at") or shipment["created_at"]
    found = dt.datetime.fromisoformat(value)
    return found if found.tzinfo else found.replace(tzinfo=dt.UTC)


@route(router, "/wms/shipments/", ["GET"], summary="eWarehousing: list shipments")
async def list_shipments(
    session: Session,
    ctx: CurrentWms,
    order_external_reference: Annotated[list[str] | None, Query()] = None,
    order_external_references: Annotated[list[str] | None, Query(alias="order_external_reference[]")] = None,
    from_: Annotated[str | None, Query(alias="from")] = None,
    to: str | None = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    limit: Annotated[int, Query(ge=1, le=250)] = 50,
    direction: Literal["asc", "desc"] = "desc",
) -> Response:
    references = set((order_external_reference or []) + (order_external_references or []))
    since, until = moment("from", from_, end=False), moment("to", to, end=True)
    org_id, customer = ctx.tenant.organization.id, str(ctx.tenant.organization.id)
    filters = OrderFilter(
        status=["partially_shipped", "shipped"],
        warehouse_code=ctx.warehouse_code,
        external_reference=next(iter(references)) if len(references) == 1 else None,
    )

    async def fetch(size: int, cursor: str | None) -> tuple[list[Pair], str | None]:
        orders, next_cursor = await service.list_orders(
            session, organization_id=org_id, filters=filters, direction=direction, limit=size, cursor=cursor
        )
        presented = [o.present() for o in orders]
        return [(order, s) for order in presented for s in shipped(order)], next_cursor

    def keep(pair: Pair) -> bool:
        order, shipment = pair
        left = _left(shipment)
        return (
            (not references or order["external_reference"] in references)
            and (since is None or left >= since)
            and (until is None or left < until)
        )

    pairs = await page_of(fetch, page=page, limit=limit, keep=keep)
    return json_response(200, [to_vendor_shipment(o, s, customer=customer) for o, s in pairs])


@route(router, "/wms/shipments/{shipment_id}/", ["GET"], summary="eWarehousing: get a shipment")
async def get_shipment(shipment_id: str, session: Session, ctx: CurrentWms) -> Response:
    try:
        key = uuid.UUID(shipment_id)
    except ValueError:
        raise NotFound("Shipment not found.") from None
    org = ctx.tenant.organization
    stored, _ = await order_of_shipment(session, org.id, key, lock=False)
    order = stored.present()
    found = next((s for s in shipped(order) if s["id"] == str(key)), None)
    if found is None or stored.order.warehouse_code != ctx.warehouse_code:
        raise NotFound("Shipment not found.")
    return json_response(200, to_vendor_shipment(order, found, customer=str(org.id)))
