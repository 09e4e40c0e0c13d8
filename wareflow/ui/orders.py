"""Orders: the list (filters, reference search, pages), one order in full, its lifecycle
actions, and its documents."""

from __future__ import annotations

import datetime as dt
import uuid

from fastapi import APIRouter, Request
from starlette.responses import Response

from wareflow.core.errors import DomainError, FieldError, InvalidInput, NotFound
from wareflow.core.lifecycle import OrderAction, OrderStatus, allowed_order_actions, order_transition
from wareflow.core.validation import validate
from wareflow.documents import service as documents
from wareflow.events import service as events
from wareflow.orders import allocation
from wareflow.orders import service as orders
from wareflow.orders.repository import OrderFilter
from wareflow.orders.schemas import HoldRequest
from wareflow.ui import present, queries, render
from wareflow.ui.context import CheckedForm, CurrentViewer, DbSession, organization, visible_organizations

router = APIRouter()
PAGE = 25
# What an order page offers, when the lifecycle table allows it in the order's status.
OFFERED = (OrderAction.ALLOCATE, OrderAction.HOLD, OrderAction.RELEASE, OrderAction.CANCEL)
FILTERS = ("status", "warehouse", "created_from", "created_to", "delivery_from", "delivery_to")


def parse_id(value: str, what: str = "order") -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise NotFound(f"No such {what}.") from None


def _date(value: str, name: str, errors: list[FieldError]) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        errors.append(FieldError(f"/{name}", "invalid_date", "Give a date like 2026-05-01."))
        return None


def _filters(request: Request, given: dict[str, str]) -> OrderFilter:
    """The service's filter from the form; dates are whole days in the warehouse's time zone."""
    errors: list[FieldError] = []
    status = given["status"]
    if status and status not in {s.value for s in OrderStatus}:
        errors.append(FieldError("/status", "invalid_status", "Choose a status from the list."))
    days = {name: _date(given[name], name, errors) for name in FILTERS[2:]}
    if errors:
        raise InvalidInput(errors, "Some filters are not valid.")
    tz = render.zone(request.app.state.settings.ui_timezone)

    def start(day: dt.date | None, plus: int = 0) -> dt.datetime | None:
        return dt.datetime.combine(day + dt.timedelta(days=plus), dt.time(), tz) if day else None

    delivery_to = days["delivery_to"]
    return OrderFilter(
        status=[status] if status else None,
        warehouse_code=given["warehouse"].upper() or None,
        created_from=start(days["created_from"]),
        created_to=start(days["created_to"], 1),  # "to" includes that day
        requested_delivery_date_from=days["delivery_from"],
        requested_delivery_date_to=delivery_to + dt.timedelta(days=1) if delivery_to else None,
    )


@router.get("/orders")
async def order_list(
    request: Request,
    session: DbSession,
    viewer: CurrentViewer,
    org: str = "",
    q: str = "",
    cursor: str = "",
    status: str = "",
    warehouse: str = "",
    created_from: str = "",
    created_to: str = "",
    delivery_from: str = "",
    delivery_to: str = "",
) -> Response:
    orgs = await visible_organizations(request, session, viewer)
    given = dict(
        status=status,
        warehouse=warehouse,
        created_from=created_from,
        created_to=created_to,
        delivery_from=delivery_from,
        delivery_to=delivery_to,
    )
    context: dict[str, object] = {
        "nav": "orders",
        "orgs": orgs,
        "q": q.strip(),
        "given": given,
        "statuses": [s.value for s in OrderStatus],
        "warehouses": await queries.warehouses(session),
        "problems": render.Problems(),
        "rows": [],
        "next_cursor": None,
    }
    if q.strip():
        # Any reference, in every organization the user sees: one hit opens the order (a scan).
        rows = await queries.search(session, [o.id for o in orgs], q[:100])
        if len(rows) == 1 and not cursor:
            order, slug = rows[0]
            return render.redirect(request, f"/ui/orders/{slug}/{order.id}")
        context.update(rows=rows, org="")
        return render.page(request, "orders.html", context)
    current = await organization(request, session, viewer, org or None)
    context["org"] = current.slug
    try:
        stored, next_cursor = await orders.list_orders(
            session,
            organization_id=current.id,
            filters=_filters(request, given),
            limit=PAGE,
            cursor=cursor or None,
        )
        context.update(rows=[(s.order, current.slug) for s in stored], next_cursor=next_cursor)
    except DomainError as exc:
        context["problems"] = render.Problems.of(exc, set(FILTERS) | {"cursor"})
        return render.page(request, "orders.html", context, status=exc.status)
    return render.page(request, "orders.html", context)


@router.get("/orders/{slug}/{order_id}")
async def order_page(
    request: Request, session: DbSession, viewer: CurrentViewer, slug: str, order_id: str
) -> Response:
    org = await organization(request, session, viewer, slug)
    stored = await orders.get_order(session, organization_id=org.id, order_id=parse_id(order_id))
    order = stored.present()
    timeline = await events.order_timeline(session, organization_id=org.id, order_id=stored.order.id)
    context = {
        "nav": "orders",
        "org": org,
        "order": order,
        "addresses": {
            "Ship to": present.address_lines(order.get("ship_to")),
            "Ship from": present.address_lines(order.get("ship_from")),
            "Return to": present.address_lines(order.get("return_to")),
            **{
                f"{a['type']}": present.address_lines(a.get("address"))
                for a in order.get("additional_addresses") or []
            },
        },
        "documents": await documents.list_for_order(session, org.id, stored.order.id),
        "timeline": [(e, present.describe(e)) for e in reversed(timeline)],
        "actions": [a.value for a in allowed_order_actions(OrderStatus(stored.order.status)) if a in OFFERED],
        "can_pick": any(s["status"] == "entered" for s in order["shipments"]),
    }
    return render.page(request, "order.html", context)


@router.post("/orders/{slug}/{order_id}/actions/{action}")
async def order_action(
    request: Request,
    session: DbSession,
    viewer: CurrentViewer,
    form: CheckedForm,
    slug: str,
    order_id: str,
    action: str,
) -> Response:
    org = await organization(request, session, viewer, slug)
    chosen = next((a for a in OFFERED if a.value == action), None)
    if chosen is None:
        raise NotFound("No such action.")
    oid, url = parse_id(order_id), f"/ui/orders/{slug}/{order_id}"
    version = str(form.get("version") or "")
    try:
        if chosen == OrderAction.ALLOCATE:
            stored = await orders.get_order(session, organization_id=org.id, order_id=oid, lock=True)
            order_transition(OrderStatus(stored.order.status), chosen)  # refused unless the table allows
            await allocation.settle(session, stored, actor=viewer.actor)
        else:
            reason = validate(HoldRequest, {"reason": str(form.get("reason") or "") or None}).reason
            stored = await orders.act_on_order(
                session,
                organization_id=org.id,
                order_id=oid,
                action=chosen,
                reason=reason,
                if_match=f'"{version}"' if version.isdecimal() else None,
                actor=viewer.actor,
            )
        await session.commit()
    except DomainError as exc:
        messages = [exc.detail, *(e.message for e in exc.errors)]
        return render.redirect(request, url, message=" ".join(messages), kind="error")
    status = render.label(stored.order.status)
    if chosen == OrderAction.ALLOCATE and stored.order.status == OrderStatus.BACKORDERED:
        return render.redirect(request, url, message="Still not enough stock: the order stays backordered.")
    return render.redirect(request, url, message=f"Order {stored.order.number} is now {status.lower()}.")


@router.get("/documents/{slug}/{document_id}")
async def document(
    request: Request, session: DbSession, viewer: CurrentViewer, slug: str, document_id: str
) -> Response:
    org = await organization(request, session, viewer, slug)
    doc = await documents.get(session, org.id, parse_id(document_id, "document"), with_content=True)
    extension = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg", "image/gif": "gif"}
    name = f"{doc.kind}-{doc.id}.{extension.get(doc.content_type, 'zpl')}"
    disposition = "inline" if doc.content_type in extension else "attachment"
    return Response(
        doc.content,
        media_type=doc.content_type,
        headers={"content-disposition": f'{disposition}; filename="{name}"', "cache-control": "private"},
    )
