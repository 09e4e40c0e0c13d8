"""Order use cases. Each takes a session and explicit inputs, applies the rules, records events.

Services never commit and never speak HTTP: the caller (a native router or a dialect router)
commits once the answer is ready, so the change, its events and its idempotency record land in
one transaction.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from wareflow.batch import batched
from wareflow.catalog.resolver import Resolution
from wareflow.core.errors import (
    BadRequest,
    DuplicateReference,
    FieldError,
    InvalidInput,
    NotFound,
    TransitionRefused,
)
from wareflow.core.lifecycle import ORDER_OPEN, OrderAction, OrderStatus, order_transition
from wareflow.core.order import OrderDraft, merge_patch
from wareflow.core.validation import validate
from wareflow.db import new_id, utcnow
from wareflow.events import service as events
from wareflow.fulfillment import shipments
from wareflow.orders import allocation, repository
from wareflow.orders.lifecycle import bump, check_version, etag, transition
from wareflow.orders.models import Order, OrderLine
from wareflow.orders.repository import StoredOrder
from wareflow.tenants.cache import OrgRef
from wareflow.tenants.service import warehouse_country

__all__ = ["StoredOrder", "etag"]


async def _warehouse_code(session: AsyncSession, org: OrgRef, draft: OrderDraft) -> tuple[str, str]:
    """The order's warehouse (the organization's default when left out) and its country."""
    code = draft.warehouse_code or org.default_warehouse_code
    if code is None:
        raise InvalidInput([FieldError("/warehouse_code", "missing", "Name the warehouse to ship from.")])
    country = await warehouse_country(session, code)
    if country is None:
        raise InvalidInput([FieldError("/warehouse_code", "unknown_warehouse", f"No warehouse {code!r}.")])
    return code.upper(), country


def _shipping_warnings(org: OrgRef, draft: OrderDraft, origin: str) -> list[dict[str, str]]:
    """Carrier choice and incoterm rules: refusals (400) or warnings kept on the order."""
    problems = draft.carrier_choice_errors()
    if problems:
        raise BadRequest("An order has a transport detail or a rate group, never both.", errors=problems)
    if not draft.domestic_incoterm(origin):
        return []
    message = f"Incoterm {draft.incoterm} on a domestic order ({origin} to {draft.ship_to.country})."
    if org.settings.get("incoterm_strictness") == "strict":
        raise BadRequest(message, errors=[FieldError("/incoterm", "incoterm_domestic", message)])
    return [{"code": "incoterm_on_domestic_order", "message": message}]


def _columns(draft: OrderDraft, warnings: list[dict[str, str]]) -> dict[str, Any]:
    """The searchable columns of an order and its document (with the server's warnings)."""
    return {
        "external_reference": draft.external_reference,
        "external_id": draft.external_id,
        "po_number": draft.po_number,
        "requested_delivery_date": draft.requested_delivery_date,
        "data": {**draft.model_dump(mode="json", exclude={"lines"}), "warnings": warnings},
    }


def _line_rows(
    org_id: uuid.UUID, order_id: uuid.UUID, draft: OrderDraft, found: dict[str, Resolution]
) -> list[dict[str, Any]]:
    rows = []
    for line in draft.numbered_lines():
        product = found[line.sku].product
        rows.append(
            {
                "organization_id": org_id,
                "order_id": order_id,
                "line_number": line.line_number,
                "sku": line.sku,
                "quantity": line.quantity,
                "variant_id": product.id if product else None,
                "variant": found[line.sku].variant,
                "data": line.model_dump(mode="json"),
            }
        )
    return rows


async def create_order(
    session: AsyncSession,
    *,
    organization: OrgRef,
    draft: OrderDraft,
    dry_run: bool = False,
    actor: str | None = None,
) -> StoredOrder:
    """Store a new order (``order.created``), then allocate, backorder or hold it.

    With ``dry_run`` every rule is checked and the would-be order returned, nothing stored.
    """
    warehouse_code, origin = await _warehouse_code(session, organization, draft)
    draft = draft.model_copy(update={"warehouse_code": warehouse_code})
    warnings = _shipping_warnings(organization, draft, origin)
    found = await allocation.resolve_lines(
        session, organization_id=organization.id, settings=organization.settings, lines=draft.lines
    )
    now, order_id = utcnow(), new_id()
    values = {
        "organization_id": organization.id,
        "id": order_id,
        "warehouse_code": warehouse_code,
        "status": OrderStatus.RECEIVED.value,
        "hold_reason": None,
        "version": 1,
        "created_at": now,
        "updated_at": now,
        **_columns(draft, warnings),
    }
    line_rows = _line_rows(organization.id, order_id, draft, found)
    # Plain objects, not tracked by the session (the unit of work costs more than it gives here).
    stored = StoredOrder(Order(**values, number=None), [OrderLine(**row) for row in line_rows])
    if dry_run:
        existing = await repository.find_by_reference(session, organization.id, draft.external_reference)
        if existing is not None:
            raise _duplicate(draft.external_reference, existing)
        return stored
    intake = await allocation.begin_intake(session, stored)
    stored.order.number = intake.number
    # From here on only writes: gathered, and sent as one statement (PostgreSQL) at the end.
    async with batched(session) as sent:
        await repository.insert_lines(session, line_rows)
        await events.record(
            session,
            organization_id=organization.id,
            type="order.created",
            order_id=order_id,
            data={"sequence": 1, "order": stored.present()},
        )
        await allocation.settle(session, stored, actor=actor, new_order=True, locked=intake.locked)
        order = stored.order
        order.updated_at = now  # intake is one moment
        # The row as settling left it, inserted once. Sent first, it guards the rest: the unique
        # reference is enforced by the insert itself (no read-then-write race), and a taken one
        # writes nothing of the batch.
        settled = {"status": order.status, "hold_reason": order.hold_reason, "version": order.version}
        await repository.insert_order(session, {**values, **settled, "number": order.number})
        await events.write_pending(session)
    if not sent.written:
        existing = await repository.find_by_reference(session, organization.id, draft.external_reference)
        raise _duplicate(draft.external_reference, existing)
    return stored


def _duplicate(reference: str, existing: uuid.UUID | None) -> DuplicateReference:
    return DuplicateReference(
        f"An order with external_reference {reference!r} already exists.",
        existing_order_id=str(existing) if existing else None,
    )


async def get_order(
    session: AsyncSession, *, organization_id: uuid.UUID, order_id: uuid.UUID, lock: bool = False
) -> StoredOrder:
    order = await repository.get(session, organization_id, order_id, lock=lock)
    if order is None:
        raise NotFound("No such order.")
    lines = await repository.lines_of(session, organization_id, [order_id])
    shipments = await repository.shipments_of(session, organization_id, [order_id], lock=lock)
    return StoredOrder(order, lines[order_id], shipments[order_id])


async def list_orders(
    session: AsyncSession,
    *,
    organization_id: uuid.UUID,
    filters: repository.OrderFilter,
    sort: str = "created_at",
    direction: str = "desc",
    limit: int = 50,
    cursor: str | None = None,
) -> tuple[list[StoredOrder], str | None]:
    """A page of orders and the cursor of the next page (None on the last page)."""
    orders = await repository.page(
        session, organization_id, filters, sort=sort, direction=direction, limit=limit + 1, cursor=cursor
    )
    more, orders = len(orders) > limit, orders[:limit]
    ids = [o.id for o in orders]
    lines = await repository.lines_on_page(session, organization_id, ids)
    shipments = await repository.shipments_on_page(session, organization_id, ids)
    next_cursor = repository.encode_cursor(sort, direction, orders[-1]) if more else None
    return [StoredOrder(o, lines[o.id], shipments[o.id]) for o in orders], next_cursor


async def update_order(
    session: AsyncSession,
    *,
    organization: OrgRef,
    order_id: uuid.UUID,
    patch: dict[str, Any],
    if_match: str | None = None,
    actor: str | None = None,
) -> StoredOrder:
    """JSON merge patch of an open order. Lines, when given, replace the order's lines and the
    order is allocated again (or backordered, or held for unknown SKUs)."""
    stored = await get_order(session, organization_id=organization.id, order_id=order_id, lock=True)
    order = stored.order
    check_version(order, if_match)
    if OrderStatus(order.status) not in ORDER_OPEN:
        raise TransitionRefused(
            f"An order that is {order.status} can no longer be changed.", status=order.status
        )
    current = {k: v for k, v in order.data.items() if k != "warnings"}
    current["lines"] = [line.data for line in stored.lines]
    draft = validate(OrderDraft, merge_patch(current, patch))
    immutable = [
        FieldError(f"/{name}", "immutable", f"{name} cannot change after the order is created.")
        for name in ("external_reference", "warehouse_code")
        if getattr(draft, name) != current.get(name)
    ]
    if immutable:
        raise InvalidInput(immutable)
    _, origin = await _warehouse_code(session, organization, draft)
    for name, value in _columns(draft, _shipping_warnings(organization, draft, origin)).items():
        setattr(order, name, value)
    if "lines" in patch:
        found = await allocation.resolve_lines(
            session, organization_id=organization.id, settings=organization.settings, lines=draft.lines
        )
        await repository.delete_lines(session, organization.id, order_id)
        rows = _line_rows(organization.id, order_id, draft, found)
        await repository.insert_lines(session, rows)
        stored.lines = [OrderLine(**row) for row in rows]
    bump(order)
    await events.record(
        session,
        organization_id=organization.id,
        type="order.updated",
        order_id=order_id,
        data={"sequence": order.version, "changed": sorted(patch), "order": stored.present()},
    )
    if order.status == OrderStatus.INVALID_ADDRESS and "ship_to" in patch:
        await transition(session, stored, OrderAction.CORRECT_ADDRESS)
    if "lines" in patch:
        await shipments.discard_open(session, stored)
        await allocation.settle(session, stored, actor=actor)
    return stored


async def act_on_order(
    session: AsyncSession,
    *,
    organization_id: uuid.UUID,
    order_id: uuid.UUID,
    action: OrderAction,
    reason: str | None = None,
    if_match: str | None = None,
    actor: str | None = None,
) -> StoredOrder:
    """Cancel (releasing its stock), hold (keeping it), release or allocate (reserving again)."""
    stored = await get_order(session, organization_id=organization_id, order_id=order_id, lock=True)
    check_version(stored.order, if_match)
    unknown = any(line.variant_id is None for line in stored.lines)
    if action in (OrderAction.RELEASE, OrderAction.ALLOCATE) and unknown:
        raise TransitionRefused("The order names products the catalog does not have yet.")
    if action == OrderAction.ALLOCATE:
        # "Try again now": the table must allow it; stock decides allocated or backordered.
        order_transition(OrderStatus(stored.order.status), action)
        await allocation.settle(session, stored, actor=actor)
        return stored
    await transition(session, stored, action, reason=reason)
    if action == OrderAction.CANCEL:
        await shipments.on_cancel(session, stored)
        await allocation.release_stock(session, stored, actor=actor, reason="order canceled")
    elif action == OrderAction.HOLD:
        await shipments.on_hold(session, stored)
    elif action == OrderAction.RELEASE:
        await allocation.settle(session, stored, actor=actor)
    return stored
