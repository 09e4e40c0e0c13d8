"""Pack and ship a shipment: packages with the lines they hold, then carrier and tracking.
The packing slip (generated when packing) is one click away."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData
from starlette.responses import Response

from wareflow.core.errors import DomainError, FieldError, InvalidInput, NotFound
from wareflow.core.lifecycle import OrderStatus, ShipmentStatus
from wareflow.core.validation import validate
from wareflow.documents import service as documents
from wareflow.fulfillment import shipping
from wareflow.fulfillment.endpoints import PackIn, ShipIn
from wareflow.fulfillment.models import Shipment
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
MAX_PACKAGES = 50
PACKAGE_FIELDS = (
    "reference",
    "weight",
    "weight_unit",
    "length",
    "width",
    "height",
    "dim_unit",
    "package_type",
)
SHIP_FIELDS = ("carrier_code", "service_level_code", "tracking_number", "carrier_name")
_ON_THE_FLOOR = [OrderStatus.PICKING, OrderStatus.PACKED, OrderStatus.PARTIALLY_SHIPPED]


def picked(shipment: Shipment) -> bool:
    return all(li["picked_quantity"] is not None for li in shipment.lines)


@router.get("/pack")
async def pack_index(request: Request, session: DbSession, viewer: CurrentViewer, org: str = "") -> Response:
    viewer.require_operator()
    current = await organization(request, session, viewer, org or None)
    stored, _ = await orders.list_orders(
        session,
        organization_id=current.id,
        filters=OrderFilter(status=[s.value for s in _ON_THE_FLOOR]),
        sort="created_at",
        direction="asc",
        limit=200,
    )
    to_pack, to_ship = [], []
    for s in stored:
        for shipment in sorted(s.shipments, key=lambda sh: sh.number):
            if shipment.status == ShipmentStatus.PICKING and picked(shipment):
                to_pack.append((s.order, shipment))
            elif shipment.status == ShipmentStatus.PACKED:
                to_ship.append((s.order, shipment))
    context = {
        "nav": "pack",
        "orgs": await visible_organizations(request, session, viewer),
        "org": current,
        "to_pack": to_pack,
        "to_ship": to_ship,
    }
    return render.page(request, "pack.html", context)


async def _shipment(
    request: Request, session: AsyncSession, viewer: Viewer, slug: str, shipment_id: str
) -> tuple[OrgRef, Shipment]:
    viewer.require_operator()
    org = await organization(request, session, viewer, slug)
    sid = parse_id(shipment_id, "shipment")
    shipment = (await queries.shipments(session, org.id, [sid])).get(sid)
    if shipment is None:
        raise NotFound("No such shipment.")
    return org, shipment


async def _view(
    request: Request,
    session: AsyncSession,
    org: OrgRef,
    shipment: Shipment,
    *,
    count: int = 1,
    values: dict[str, str] | None = None,
    problems: render.Problems | None = None,
    status: int = 200,
) -> Response:
    stored = await orders.get_order(session, organization_id=org.id, order_id=shipment.order_id)
    docs = await documents.list_for_order(session, org.id, shipment.order_id)
    tracking = shipment.tracking or {}
    defaults = {
        "carrier_code": tracking.get("carrier_code") or "",
        "service_level_code": tracking.get("service_level_code") or "",
    }
    context = {
        "nav": "pack",
        "org": org,
        "order": stored.present(),
        "shipment": shipment,
        "lines": [li for li in shipment.lines if li.get("picked_quantity")],
        "can_pack": shipment.status == ShipmentStatus.PICKING and picked(shipment),
        "can_ship": shipment.status == ShipmentStatus.PACKED,
        "count": max(1, min(count, MAX_PACKAGES)),
        "values": {**defaults, **(values or {})},
        "problems": problems or render.Problems(),
        "slips": [d for d in docs if d.kind == "packing_slip" and d.title.endswith(shipment.number)],
    }
    return render.page(request, "shipment.html", context, status=status)


@router.get("/shipments/{slug}/{shipment_id}")
async def shipment_page(
    request: Request,
    session: DbSession,
    viewer: CurrentViewer,
    slug: str,
    shipment_id: str,
    packages: int = 1,
) -> Response:
    org, shipment = await _shipment(request, session, viewer, slug, shipment_id)
    return await _view(request, session, org, shipment, count=packages)


@router.get("/shipments/{slug}/{shipment_id}/package")
async def package_fields(
    request: Request, session: DbSession, viewer: CurrentViewer, slug: str, shipment_id: str, index: int = 1
) -> Response:
    """One more package's fields (htmx appends them to the form)."""
    org, shipment = await _shipment(request, session, viewer, slug, shipment_id)
    index = max(0, min(index, MAX_PACKAGES - 1))
    lines = [li for li in shipment.lines if li.get("picked_quantity")]
    context = {"org": org, "shipment": shipment, "lines": lines, "p": index, "values": {}, "oob": True}
    context["problems"] = render.Problems()
    return render.page(request, "_package.html", context)


def _packages(
    form: FormData, shipment: Shipment
) -> tuple[list[dict[str, Any]], dict[str, str], list[FieldError]]:
    """Packages as the API takes them from inputs ``packages.P.FIELD`` and ``packages.P.line.N``;
    a package left blank is skipped. Also: API pointers back to form fields, and bad numbers."""
    count = min(
        int(str(form.get("packages") or "1")) if str(form.get("packages") or "1").isdecimal() else 1,
        MAX_PACKAGES,
    )
    packages: list[dict[str, Any]] = []
    rename: dict[str, str] = {}
    errors: list[FieldError] = []
    for p in range(count):
        fields = {name: str(form.get(f"packages.{p}.{name}") or "").strip() for name in PACKAGE_FIELDS}
        lines = []
        for li in shipment.lines:
            n, text = li["line_number"], str(form.get(f"packages.{p}.line.{li['line_number']}") or "").strip()
            if text in ("", "0"):
                continue
            if not text.isdecimal():
                errors.append(FieldError(f"/packages/{p}/line/{n}", "not_a_number", "Give a whole number."))
                continue
            lines.append({"line_number": n, "quantity": int(text)})
        if not lines and not any(fields[k] for k in ("weight", "length", "width", "height", "reference")):
            continue
        i = len(packages)
        packages.append({**{k: v for k, v in fields.items() if v}, "lines": lines})
        rename.update(
            {f"/packages/{i}/{name}": f"packages.{p}.{name}" for name in (*PACKAGE_FIELDS, "lines")}
        )
    return packages, rename, errors


@router.post("/shipments/{slug}/{shipment_id}/pack")
async def pack(
    request: Request,
    session: DbSession,
    viewer: CurrentViewer,
    form: CheckedForm,
    slug: str,
    shipment_id: str,
) -> Response:
    org, shipment = await _shipment(request, session, viewer, slug, shipment_id)
    sid = shipment.id
    packages, rename, errors = _packages(form, shipment)
    try:
        if errors:
            raise InvalidInput(errors, "Some quantities are not numbers.")
        if not packages:
            raise InvalidInput([FieldError("/packages", "missing", "Fill in at least one package.")])
        body = validate(PackIn, {"packages": packages})
        stored = await shipping.pack(
            session,
            organization=org,
            shipment_id=sid,
            packages=[p.model_dump(mode="json") for p in body.packages],
            max_document_bytes=request.app.state.settings.max_document_bytes,
        )
        await session.commit()
    except DomainError as exc:
        await session.rollback()
        values = {k: str(v) for k, v in form.items()}
        count = int(values.get("packages", "1")) if values.get("packages", "1").isdecimal() else 1
        known = {f"packages.{p}.{name}" for p in range(count) for name in (*PACKAGE_FIELDS, "lines")}
        known |= {e.pointer.strip("/").replace("/", ".") for e in errors}
        problems = render.Problems.of(exc, known, rename)
        fresh = (await queries.shipments(session, org.id, [sid]))[sid]
        return await _view(
            request, session, org, fresh, count=count, values=values, problems=problems, status=exc.status
        )
    done = next(s for s in stored.shipments if s.id == sid)
    count = len(done.packages)
    return render.redirect(
        request,
        f"/ui/shipments/{org.slug}/{sid}",
        message=f"Packed in {count} package{'s' if count != 1 else ''}. The packing slip is ready to print.",
    )


@router.post("/shipments/{slug}/{shipment_id}/ship")
async def ship(
    request: Request,
    session: DbSession,
    viewer: CurrentViewer,
    form: CheckedForm,
    slug: str,
    shipment_id: str,
) -> Response:
    org, shipment = await _shipment(request, session, viewer, slug, shipment_id)
    sid, order_id = shipment.id, shipment.order_id
    given = {name: str(form.get(name) or "").strip() for name in SHIP_FIELDS}
    try:
        body = validate(ShipIn, {k: v for k, v in given.items() if v})
        stored = await shipping.ship(
            session,
            organization=org,
            shipment_id=sid,
            handover=shipping.Handover(**body.model_dump()),
            actor=viewer.actor,
        )
        await session.commit()
    except DomainError as exc:
        await session.rollback()
        problems = render.Problems.of(exc, set(SHIP_FIELDS))
        fresh = (await queries.shipments(session, org.id, [sid]))[sid]
        return await _view(request, session, org, fresh, values=given, problems=problems, status=exc.status)
    done = next(s for s in stored.shipments if s.id == sid)
    return render.redirect(
        request, f"/ui/orders/{org.slug}/{order_id}", message=f"Shipment {done.number} shipped."
    )
