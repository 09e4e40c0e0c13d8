"""Pick: choose orders for a pick list, print it, confirm what was picked line by line
(a scan of a SKU or EAN finds the line; one serial input per unit of serial-tracked products)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData
from starlette.responses import Response

from wareflow.catalog.resolver import resolve
from wareflow.core.errors import DomainError, FieldError, InvalidInput, NotFound
from wareflow.core.fulfillment import PickedLine
from wareflow.core.lifecycle import OrderStatus, ShipmentStatus
from wareflow.core.validation import validate
from wareflow.documents import generate
from wareflow.fulfillment import picking
from wareflow.fulfillment.endpoints import PickIn
from wareflow.fulfillment.models import PickList
from wareflow.orders import service as orders
from wareflow.orders.repository import OrderFilter
from wareflow.tenants.cache import OrgRef
from wareflow.ui import queries, render
from wareflow.ui.context import (
    CheckedForm,
    CurrentViewer,
    DbSession,
    Viewer,
    organization,
    visible_organizations,
)
from wareflow.ui.orders import parse_id

router = APIRouter()
# Orders that may have a shipment waiting to be picked (a second one after a receipt, too).
_WAITING = [OrderStatus.ALLOCATED, OrderStatus.PICKING, OrderStatus.PACKED, OrderStatus.PARTIALLY_SHIPPED]


@router.get("/pick")
async def pick_index(request: Request, session: DbSession, viewer: CurrentViewer, org: str = "") -> Response:
    viewer.require_operator()
    current = await organization(request, session, viewer, org or None)
    return await _index(request, session, current, render.Problems())


async def _index(request: Request, session: AsyncSession, org: OrgRef, problems: render.Problems) -> Response:
    stored, _ = await orders.list_orders(
        session,
        organization_id=org.id,
        filters=OrderFilter(status=[s.value for s in _WAITING]),
        sort="created_at",
        direction="asc",
        limit=200,
    )
    waiting = [s for s in stored if any(sh.status == ShipmentStatus.ENTERED for sh in s.shipments)]
    context = {
        "nav": "pick",
        "orgs": await visible_organizations(request, session, request.state.viewer),
        "org": org,
        "waiting": waiting,
        "pick_lists": await queries.recent_pick_lists(session, org.id),
        "problems": problems,
    }
    return render.page(request, "pick.html", context, status=422 if problems else 200)


@router.post("/pick-lists")
async def create_pick_list(
    request: Request, session: DbSession, viewer: CurrentViewer, form: CheckedForm
) -> Response:
    viewer.require_operator()
    org = await organization(request, session, viewer, str(form.get("org") or "") or None)
    try:
        ids = [parse_id(str(value)) for value in form.getlist("order_id")]
        if not ids:
            raise InvalidInput([FieldError("/order_ids", "missing", "Tick at least one order.")])
        pick_list = await picking.create_pick_list(
            session, organization=org, wave=picking.Wave(order_ids=ids), actor=viewer.actor
        )
        await session.commit()
    except DomainError as exc:
        await session.rollback()
        return await _index(request, session, org, render.Problems.of(exc, set()))
    count = len(pick_list.shipment_ids)
    return render.redirect(
        request,
        f"/ui/pick-lists/{org.slug}/{pick_list.id}",
        message=f"Pick list made: {count} shipment{'s' if count != 1 else ''} to pick.",
    )


async def _pick_list(
    request: Request, session: AsyncSession, viewer: Viewer, slug: str, pick_list_id: str
) -> tuple[OrgRef, PickList]:
    viewer.require_operator()
    org = await organization(request, session, viewer, slug)
    pick_list = await picking.get_pick_list(session, org.id, parse_id(pick_list_id, "pick list"))
    return org, pick_list


def _title(pick_list: PickList) -> str:
    return f"PL-{str(pick_list.id)[-8:].upper()}"  # as the API's PDF names it


@router.get("/pick-lists/{slug}/{pick_list_id}/document")
async def pick_list_document(
    request: Request, session: DbSession, viewer: CurrentViewer, slug: str, pick_list_id: str
) -> Response:
    org, pick_list = await _pick_list(request, session, viewer, slug, pick_list_id)
    rows = await picking.pick_list_rows(session, org.id, pick_list)
    pdf = generate.pick_list(_title(pick_list), pick_list.warehouse_code, rows)
    name = f"pick-list-{pick_list.id}.pdf"
    return Response(
        pdf, media_type="application/pdf", headers={"content-disposition": f'inline; filename="{name}"'}
    )


@router.get("/pick-lists/{slug}/{pick_list_id}")
async def pick_list_page(
    request: Request, session: DbSession, viewer: CurrentViewer, slug: str, pick_list_id: str
) -> Response:
    org, pick_list = await _pick_list(request, session, viewer, slug, pick_list_id)
    return await _pick_list_view(request, session, org, pick_list, {}, {})


async def _pick_list_view(
    request: Request,
    session: AsyncSession,
    org: OrgRef,
    pick_list: PickList,
    problems: dict[str, render.Problems],
    values: dict[str, Any],
    status: int = 200,
) -> Response:
    rows = await picking.pick_list_rows(session, org.id, pick_list)
    found = await resolve(session, org.id, {r["sku"] for r in rows})
    for row in rows:
        product = found[row["sku"]].product
        row["lot_tracked"] = bool(product and product.lot_tracked)
    shipments = await queries.shipments(session, org.id, [parse_id(i) for i in pick_list.shipment_ids])
    groups = []
    for shipment in sorted(shipments.values(), key=lambda s: s.number):
        lines = [r for r in rows if r["shipment_id"] == str(shipment.id)]
        to_pick = shipment.status == ShipmentStatus.PICKING and all(
            li["picked_quantity"] is None for li in shipment.lines
        )
        groups.append({"shipment": shipment, "rows": lines, "to_pick": to_pick})
    context = {
        "nav": "pick",
        "org": org,
        "pick_list": pick_list,
        "title": _title(pick_list),
        "groups": groups,
        "problems": problems,
        "values": values,
    }
    return render.page(request, "pick_list.html", context, status=status)


def _picks(form: FormData, lines: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[FieldError]]:
    """The pick as the API takes it, from inputs ``qty-N``, ``serial-N`` (one per unit), ``lot-N``."""
    picks, errors = [], []
    for i, line in enumerate(lines):
        n = line["line_number"]
        text = str(form.get(f"qty-{n}") or "").strip()
        try:
            quantity = int(text)
        except ValueError:
            errors.append(
                FieldError(f"/lines/{i}/quantity", "not_a_number", "Give a whole number (0 if none).")
            )
            quantity = 0
        serials = [str(s).strip() for s in form.getlist(f"serial-{n}") if str(s).strip()]
        pick: dict[str, Any] = {"line_number": n, "quantity": quantity, "serial_numbers": serials}
        lot = str(form.get(f"lot-{n}") or "").strip()
        if lot:
            pick["lot"] = lot
        picks.append(pick)
    return picks, errors


@router.post("/pick-lists/{slug}/{pick_list_id}/shipments/{shipment_id}/pick")
async def confirm_pick(
    request: Request,
    session: DbSession,
    viewer: CurrentViewer,
    form: CheckedForm,
    slug: str,
    pick_list_id: str,
    shipment_id: str,
) -> Response:
    org, pick_list = await _pick_list(request, session, viewer, slug, pick_list_id)
    sid = parse_id(shipment_id, "shipment")
    shipment = (await queries.shipments(session, org.id, [sid])).get(sid)
    if shipment is None or str(sid) not in pick_list.shipment_ids:
        raise NotFound("No such shipment on this pick list.")
    picks, errors = _picks(form, shipment.lines)
    numbers, pick_list_uuid = [li["line_number"] for li in shipment.lines], pick_list.id
    try:
        if errors:
            raise InvalidInput(errors, "Some quantities are not numbers.")
        body = validate(PickIn, {"lines": picks})
        stored = await picking.pick(
            session,
            organization=org,
            shipment_id=sid,
            picks=[
                PickedLine(li.line_number, li.quantity, tuple(li.serial_numbers), li.lot) for li in body.lines
            ],
            actor=viewer.actor,
        )
        await session.commit()
    except DomainError as exc:
        await session.rollback()  # objects are read again below: the rollback expired them
        pick_list = await picking.get_pick_list(session, org.id, pick_list_uuid)
        rename = {
            f"/lines/{i}/{name}": f"{n}.{name}"
            for i, n in enumerate(numbers)
            for name in ("quantity", "serial_numbers", "lot", "line_number")
        }
        known = {f"{n}.{name}" for n in numbers for name in ("quantity", "serial_numbers", "lot")}
        problems = {str(sid): render.Problems.of(exc, known, rename)}
        values = {str(sid): {k: form.getlist(k) for k in form}}
        return await _pick_list_view(request, session, org, pick_list, problems, values, status=exc.status)
    picked = next(s for s in stored.shipments if s.id == sid)
    return render.redirect(
        request,
        f"/ui/pick-lists/{org.slug}/{pick_list.id}#shipment-{sid}",
        message=f"Pick of {picked.number} confirmed. It is ready to pack.",
    )
