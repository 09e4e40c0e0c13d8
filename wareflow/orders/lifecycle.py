"""Moving a stored order through the lifecycle table, recording each move as an event."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from wareflow.core.errors import PreconditionFailed
from wareflow.core.lifecycle import OrderAction, OrderStatus, order_transition
from wareflow.db import utcnow
from wareflow.events import service as events
from wareflow.orders.models import Order
from wareflow.orders.repository import StoredOrder

UNKNOWN_SKU = "unknown_sku"  # hold reason while a line names no product yet


def etag(order: Order) -> str:
    return f'"{order.version}"'


def check_version(order: Order, if_match: str | None) -> None:
    """``If-Match`` against the order's ETag; ``*`` matches any existing order."""
    if if_match is None:
        return
    tags = {tag.strip().removeprefix("W/") for tag in if_match.split(",")}
    if "*" not in tags and etag(order) not in tags:
        raise PreconditionFailed("The order changed since you read it; fetch it again.")


def bump(order: Order) -> None:
    """Every change gets a new version: the ETag and the events' ``sequence``."""
    order.version += 1
    order.updated_at = utcnow()


async def transition(
    session: AsyncSession, stored: StoredOrder, action: OrderAction, *, reason: str | None = None
) -> None:
    """Apply ``action`` through the table (409 when refused) and record ``order.status_changed``."""
    order = stored.order
    change = order_transition(OrderStatus(order.status), action)
    order.status = change.new
    order.hold_reason = reason if change.new == OrderStatus.ON_HOLD else None
    bump(order)
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
