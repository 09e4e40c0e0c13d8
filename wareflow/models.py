"""Every table, imported once so Alembic sees the whole schema."""

from wareflow.catalog.models import Product
from wareflow.db import Base
from wareflow.dialects.models import AccessToken, Integration
from wareflow.documents.models import Document
from wareflow.events.models import Event
from wareflow.fulfillment.models import PickList, Rate, Shipment
from wareflow.idempotency.models import IdempotencyKey
from wareflow.orders.models import Order, OrderLine
from wareflow.stock.models import Allocation, StockLevel, StockMovement
from wareflow.tenants.models import ApiKey, Organization, Warehouse
from wareflow.users.models import SigningKey, User
from wareflow.webhooks.models import WebhookAttempt, WebhookCursor, WebhookDelivery, WebhookEndpoint

__all__ = [
    "AccessToken",
    "Allocation",
    "ApiKey",
    "Base",
    "Document",
    "Event",
    "IdempotencyKey",
    "Integration",
    "Order",
    "OrderLine",
    "Organization",
    "PickList",
    "Product",
    "Rate",
    "Shipment",
    "SigningKey",
    "StockLevel",
    "StockMovement",
    "User",
    "Warehouse",
    "WebhookAttempt",
    "WebhookCursor",
    "WebhookDelivery",
    "WebhookEndpoint",
]
