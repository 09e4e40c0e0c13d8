"""Every table, imported once so Alembic sees the whole schema."""

from wareflow.db import Base
from wareflow.events.models import Event
from wareflow.idempotency.models import IdempotencyKey
from wareflow.orders.models import Order, OrderLine
from wareflow.tenants.models import ApiKey, Organization, Warehouse

__all__ = [
    "ApiKey",
    "Base",
    "Event",
    "IdempotencyKey",
    "Order",
    "OrderLine",
    "Organization",
    "Warehouse",
]
