"""Order use cases. Each takes a session and explicit inputs, applies the rules, records events.

Services never commit and never speak HTTP: the caller (a native router or a dialect router)
commits once the answer is ready, so the change, its events and its idempotency record land in
one transaction.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from wareflow.core.errors import (
    DuplicateReference,
    FieldError,
    InvalidInput,
    NotFound,
    PreconditionFailed,
    TransitionRefused,
)
from wareflow.core.lifecycle import ORDER_OPEN, OrderAction, OrderStatus, order_transition
from wareflow.core.order import OrderDraft, merge_patch
from wareflow.core.validation import validate
from wareflow.db import new_id, utcnow
from wareflow.events import service as events
from wareflow.orders import repository
from wareflow.orders.models import Order, OrderLine
from wareflow.orders.presenter import present_order
from wareflow.tenants.cache import OrgRef
from wareflow.tenants.service import warehouse_exists


@dataclass
class StoredOrder:
    """An order with its lines, as services hand it to presenters."""

    order: Order
    lines: list[OrderLine] = field(default_factory=list)

    def present(self) -> dict[str, Any]:
        return present_order(self.order, self.lines)


async def _warehouse_code(session: AsyncSession, org: OrgRef, draft: OrderDraft) -> str:
    code = draft.warehouse_code or org.default_warehouse_code
    if code is None:
        raise InvalidInput(
            [FieldError("/warehouse_code", "missing", "Name the warehouse to ship from.")]
        )
    if not await warehouse_exists(session, code):
        raise InvalidInput(
            [FieldError("/warehouse_code", "unknown_warehouse", f"No warehouse {code!r}.")]
        )
    return code.upper()


def _columns(draft: OrderDraft) -> dict[str, Any]:
    """The searchable columns of an order, from its draft."""
    return {
        "external_reference": draft.external_reference,
        "external_id": draft.external_id,
        "po_number": draft.po_number,
        "requested_delivery_date": draft.requested_delivery_date,
        "data": draft.model_dump(mode="json", exclude={"lines"}),
    }


def _line_rows(org_id: uuid.UUID, order_id: uuid.UUID, draft: OrderDraft) -> list[dict[str, Any]]:
    return [
        {
            "organization_id": org_id,
            "order_id": order_id,
            "line_number": line.line_number,
            "sku": line.sku,
            "quantity": line.quantity,
            "variant_id": None,
            "data": line.model_dump(mode="json"),
        }
        for line in draft.numbered_lines()
    ]


async def create_order(
    session: AsyncSession, *, organization: OrgRef, draft: OrderDraft, dry_run: bool = False
) -> StoredOrder:
    """Store a new order as ``received`` and record ``order.created``.

    With ``dry_run`` every rule is checked and the would-be order returned, nothing stored.
    """
    warehouse_code = await _warehouse_code(session, organization, draft)
    draft = draft.model_copy(update={"warehouse_code": warehouse_code})
    now, order_id = utcnow(), new_id()
    values = {
        "organization_id": organization.id,
        "id": order_id,
        "warehouse_code": warehouse_code,
        "status": OrderStatus.RECEIVED.value,
        "version": 1,
        "created_at": now,
        "updated_at": now,
        **_columns(draft),
    }
    line_rows = _line_rows(organization.id, order_id, draft)
    if dry_run:
        existing = await repository.find_by_reference(
            session, organization.id, draft.external_reference
        )
        if existing is not None:
            raise _duplicate(draft.external_reference, existing)
        return StoredOrder(Order(**values, number=None), [OrderLine(**row) for row in line_rows])
    # The unique reference is enforced by the insert itself (no read-then-write race).
    number = await repository.insert_order(session, values)
    if number is None:
        existing = await repository.find_by_reference(
            session, organization.id, draft.external_reference
        )
        raise _duplicate(draft.external_reference, existing)
    values["number"] = number
    await repository.insert_lines(session, line_rows)
    stored = StoredOrder(Order(**values), [OrderLine(**row) for row in line_rows])
    await events.record(
        session,
        organization_id=organization.id,
        type="order.created",
        order_id=order_id,
        data={"sequence": 1, "order": stored.present()},
    )
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
    return StoredOrder(order, lines[order_id])


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
        session,
        organization_id,
        filters,
        sort=sort,
        direction=direction,
        limit=limit + 1,
        cursor=cursor,
    )
    more, orders = len(orders) > limit, orders[:limit]
    lines = await repository.lines_of(session, organization_id, [o.id for o in orders])
    next_cursor = repository.encode_cursor(sort, direction, orders[-1]) if more else None
    return [StoredOrder(o, lines[o.id]) for o in orders], next_cursor


def check_version(order: Order, if_match: str | None) -> None:
    """``If-Match`` against the order's ETag; ``*`` matches any existing order."""
    if if_match is None:
        return
    tags = {tag.strip().removeprefix("W/") for tag in if_match.split(",")}
    if "*" not in tags and etag(order) not in tags:
        raise PreconditionFailed("The order changed since you read it; fetch it again.")


def etag(order: Order) -> str:
    return f'"{order.version}"'


def _bump(order: Order) -> None:
    order.version += 1
    order.updated_at = utcnow()


async def update_order(
    session: AsyncSession,
    *,
    organization: OrgRef,
    order_id: uuid.UUID,
    patch: dict[str, Any],
    if_match: str | None = None,
) -> StoredOrder:
    """JSON merge patch of an open order. Lines, when given, replace the order's lines."""
    stored = await get_order(session, organization_id=organization.id, order_id=order_id, lock=True)
    order = stored.order
    check_version(order, if_match)
    if OrderStatus(order.status) not in ORDER_OPEN:
        raise TransitionRefused(
            f"An order that is {order.status} can no longer be changed.", status=order.status
        )
    current = {**order.data, "lines": [line.data for line in stored.lines]}
    draft = validate(OrderDraft, merge_patch(current, patch))
    immutable = [
        FieldError(f"/{name}", "immutable", f"{name} cannot change after the order is created.")
        for name in ("external_reference", "warehouse_code")
        if getattr(draft, name) != current.get(name)
    ]
    if immutable:
        raise InvalidInput(immutable)
    for name, value in _columns(draft).items():
        setattr(order, name, value)
    if "lines" in patch:
        await repository.delete_lines(session, organization.id, order_id)
        rows = _line_rows(organization.id, order_id, draft)
        await repository.insert_lines(session, rows)
        stored.lines = [OrderLine(**row) for row in rows]
    _bump(order)
    changed = sorted(patch)
    await events.record(
        session,
        organization_id=organization.id,
        type="order.updated",
        order_id=order_id,
        data={"sequence": order.version, "changed": changed, "order": stored.present()},
    )
    if order.status == OrderStatus.INVALID_ADDRESS and "ship_to" in patch:
        await _transition(session, stored, OrderAction.CORRECT_ADDRESS)
    return stored


async def _transition(
    session: AsyncSession, stored: StoredOrder, action: OrderAction, *, reason: str | None = None
) -> None:
    order = stored.order
    change = order_transition(OrderStatus(order.status), action)
    order.status = change.new
    order.hold_reason = reason if change.new == OrderStatus.ON_HOLD else None
    _bump(order)
    await events.record(
        session,
        organization_id=order.organization_id,
        type="order.status_changed",
        order_id=order.id,
        data={
            "sequence": order.version,
            "number": order.number,
            "external_reference": order.external_reference,
            "from": change.old,
            "to": change.new,
            "action": change.action,
            "reason": reason,
        },
    )


async def act_on_order(
    session: AsyncSession,
    *,
    organization_id: uuid.UUID,
    order_id: uuid.UUID,
    action: OrderAction,
    reason: str | None = None,
    if_match: str | None = None,
) -> StoredOrder:
    """Cancel, hold or release (and later warehouse actions) through the lifecycle table."""
    stored = await get_order(session, organization_id=organization_id, order_id=order_id, lock=True)
    check_version(stored.order, if_match)
    await _transition(session, stored, action, reason=reason)
    return stored
